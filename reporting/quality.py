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

    def add(code: str, count: int, message: str, url: str) -> None:
        if count:
            warnings.append({"code": code, "count": count, "message": message, "url": url})

    add(
        "missing_sex",
        counts["missing_sex"],
        ngettext(
            "%(count)s vụ việc chưa ghi giới tính của trẻ.", "%(count)s vụ việc chưa ghi giới tính của trẻ.",
            counts["missing_sex"],
        ) % {"count": counts["missing_sex"]},
        ctx.link(sex="unknown"),
    )  # fmt: skip
    add(
        "missing_birth",
        counts["missing_birth"],
        ngettext(
            "%(count)s vụ việc chưa ghi ngày sinh hoặc năm sinh của trẻ.",
            "%(count)s vụ việc chưa ghi ngày sinh hoặc năm sinh của trẻ.",
            counts["missing_birth"],
        ) % {"count": counts["missing_birth"]},
        ctx.link(age_unknown="true"),
    )  # fmt: skip
    add(
        "missing_commune",
        counts["missing_place"],
        ngettext(
            "%(count)s vụ xâm hại, tai nạn chưa ghi xã, phường nơi xảy ra.",
            "%(count)s vụ xâm hại, tai nạn chưa ghi xã, phường nơi xảy ra.",
            counts["missing_place"],
        ) % {"count": counts["missing_place"]},
        ctx.link(incident_place_missing="true"),
    )  # fmt: skip
    add(
        "overdue_steps",
        counts["overdue"],
        ngettext(
            "%(count)s vụ việc đang xử lý có bước quá thời hạn luật định.",
            "%(count)s vụ việc đang xử lý có bước quá thời hạn luật định.",
            counts["overdue"],
        ) % {"count": counts["overdue"]},
        ctx.link(open="true", due="overdue"),
    )  # fmt: skip
    if cutoff is not None:
        late = scoped_cases(ctx.viewer, ctx.scope, recorded_by_as_of=False).filter(created_at__gt=as_of).count()
        when = formats.date_format(timezone.localtime(cutoff), "SHORT_DATETIME_FORMAT")
        add(
            "recorded_after_cutoff",
            late,
            ngettext(
                "%(count)s vụ việc của kỳ được nhập sau thời điểm chốt số liệu (%(when)s), không được tính.",
                "%(count)s vụ việc của kỳ được nhập sau thời điểm chốt số liệu (%(when)s), không được tính.",
                late,
            ) % {"count": late, "when": when},
            "",
        )  # fmt: skip
        if timezone.now() < cutoff:
            warnings.append(
                {
                    "code": "before_cutoff",
                    "count": 0,
                    "message": _("Số liệu chưa chốt: báo cáo được lập trước thời điểm chốt số liệu (%(when)s).")
                    % {"when": when},
                    "url": "",
                }
            )
    return warnings
