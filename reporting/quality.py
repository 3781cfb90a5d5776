"""Data-quality warnings of a report run, so staff fix the case files before locking: cases of the period that
lack the child's sex or date (or year) of birth, abuse and accident cases without the place where it happened,
open cases with an overdue statutory step, and cases of the period recorded after the data cut-off (not
counted). One aggregate query and one count; each warning links to the cases concerned."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.models import CaseKind
from cases.models.choices import OPEN_STATUSES
from reporting.figures.compute import scoped_cases
from reporting.figures.registry import FigureContext


def warning_text(code: str, count: int, when: str = "") -> str:
    """A warning's words in the active language: a report run stores each warning's code and count (and, for
    older runs, the words of the language it was generated in); the page writes them in the reader's language.
    `when` is the data cut-off, formatted. Unknown codes: ""."""
    if code == "missing_sex":
        return ngettext(
            "%(count)s vụ việc chưa ghi giới tính của trẻ.", "%(count)s vụ việc chưa ghi giới tính của trẻ.", count
        ) % {"count": count}
    if code == "missing_birth":
        return ngettext(
            "%(count)s vụ việc chưa ghi ngày sinh hoặc năm sinh của trẻ.",
            "%(count)s vụ việc chưa ghi ngày sinh hoặc năm sinh của trẻ.",
            count,
        ) % {"count": count}
    if code == "missing_commune":
        return ngettext(
            "%(count)s vụ xâm hại, tai nạn chưa ghi xã, phường nơi xảy ra.",
            "%(count)s vụ xâm hại, tai nạn chưa ghi xã, phường nơi xảy ra.",
            count,
        ) % {"count": count}
    if code == "overdue_steps":
        return ngettext(
            "%(count)s vụ việc đang xử lý có bước quá thời hạn luật định.",
            "%(count)s vụ việc đang xử lý có bước quá thời hạn luật định.",
            count,
        ) % {"count": count}
    if code == "recorded_after_cutoff":
        return ngettext(
            "%(count)s vụ việc của kỳ được nhập sau thời điểm chốt số liệu (%(when)s), không được tính.",
            "%(count)s vụ việc của kỳ được nhập sau thời điểm chốt số liệu (%(when)s), không được tính.",
            count,
        ) % {"count": count, "when": when}
    if code == "before_cutoff":
        return _("Số liệu chưa chốt: báo cáo được lập trước thời điểm chốt số liệu (%(when)s).") % {"when": when}
    return ""


def _cutoff_text(cutoff: Any) -> str:
    return formats.date_format(timezone.localtime(cutoff), "SHORT_DATETIME_FORMAT") if cutoff is not None else ""


def shown_warnings(stored: list[dict[str, Any]], *, cutoff: Any) -> list[dict[str, Any]]:
    """A run's stored warnings, worded in the active language (the report page)."""
    when = _cutoff_text(cutoff)
    return [
        {
            **warning,
            "message": warning_text(warning.get("code", ""), warning.get("count", 0), when)
            or warning.get("message", ""),
        }
        for warning in stored
    ]


def data_quality_warnings(ctx: FigureContext, *, cutoff: Any = None) -> list[dict[str, Any]]:
    as_of = ctx.scope.as_of
    counts = ctx.cases.aggregate(
        missing_sex=Count("id", filter=Q(child__sex="unknown")),
        missing_birth=Count("id", filter=Q(child__date_of_birth__isnull=True, child__birth_year__isnull=True)),
        missing_place=Count(
            "id", filter=Q(kind__in=[CaseKind.ABUSE, CaseKind.ACCIDENT], incident_commune__isnull=True)
        ),
        overdue=Count("id", filter=Q(status__in=OPEN_STATUSES, next_deadline_at__lt=as_of)),
    )
    warnings: list[dict[str, Any]] = []
    when = _cutoff_text(cutoff)

    def add(code: str, count: int, url: str) -> None:
        if count:
            warnings.append({"code": code, "count": count, "message": warning_text(code, count, when), "url": url})

    add("missing_sex", counts["missing_sex"], ctx.link(sex="unknown"))
    add("missing_birth", counts["missing_birth"], ctx.link(age_unknown="true"))
    add("missing_commune", counts["missing_place"], ctx.link(incident_place_missing="true"))
    add("overdue_steps", counts["overdue"], ctx.link(open="true", due="overdue"))
    if cutoff is not None:
        late = scoped_cases(ctx.viewer, ctx.scope, recorded_by_as_of=False).filter(created_at__gt=as_of).count()
        add("recorded_after_cutoff", late, "")
        if timezone.now() < cutoff:
            warnings.append(
                {"code": "before_cutoff", "count": 0, "message": warning_text("before_cutoff", 0, when), "url": ""}
            )
    return warnings
