"""Referrals by agency (issue 6): for each receiving agency, the referrals sent in the period, how many it accepted
or declined, how many wait past their response time, the median time to accept and the share answered on time.

Which referrals: those SENT in the scope's days (and by its `as_of`), of the cases the viewer may see in the scope's
unit (and kind) — `Case.objects.visible_to(viewer)` through `unit_cases` (compute.py), whenever the case was
received. The rules of each figure are those of `ReferralQuerySet.response_figures` (cases/querysets.py), judged
at the scope's `as_of`.

Queries: 1. the per-agency GROUP BY; 2. the same aggregate over all agencies (the total row: its median is the
median of every referral, which no combination of the agencies' medians gives). Counts link to the referral
list (cases/filters.py, ReferralFilter) narrowed to exactly the referrals they count.
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from cases.models import Referral
from childprotect.models.units import UnitKind
from reporting.figures.compute import unit_cases
from reporting.figures.registry import FigureContext
from reporting.figures.types import Cell, Column, Row, Section, Table

ORDER = 70


def provide(ctx: FigureContext) -> list[Section]:
    scope = ctx.scope
    referrals = (
        Referral.objects.of_cases(unit_cases(ctx.viewer, scope))
        .sent_between(scope.start, scope.end)
        .filter(sent_at__lte=scope.as_of)
    )
    per_agency = referrals.response_figures(now=scope.as_of)
    total = referrals.response_totals(now=scope.as_of)
    links = _Links(ctx)
    columns = [
        Column("referrals", _("Số chuyển gửi")),
        Column("accepted", _("Đã tiếp nhận")),
        Column("declined", _("Từ chối")),
        Column("overdue", _("Quá hạn chưa phản hồi")),
        Column("median_hours", _("Thời gian tiếp nhận, trung vị (giờ)")),
        Column("on_time_pct", _("Phản hồi đúng hạn (%)")),
    ]
    rows = [_row(row["agency_code"], row["agency_name"], row, links, agency=row["agency_code"]) for row in per_agency]
    rows.append(_row("total", _("Tổng cộng"), total, links, is_total=True))
    table = Table(
        "referrals_by_agency",
        _("Chuyển gửi theo cơ quan nhận"),
        columns,
        rows,
        chart="bar" if per_agency else "",
        chart_column=5,
        chart_max=100,
        note=_(
            "Đúng hạn: cơ quan tiếp nhận hoặc từ chối trước hạn phản hồi; tỷ lệ tính trên các chuyển gửi đã phản "
            "hồi hoặc đã quá hạn (không tính chuyển gửi rút lại trước hạn). Thời gian tiếp nhận: từ lúc gửi đến lúc "
            "cơ quan tiếp nhận."
        ),
    )
    ctx.totals.update({"referrals": total["referrals"], "referrals_overdue": total["overdue"]})
    note = _(
        "Các chuyển gửi được gửi trong khoảng thời gian này (theo ngày gửi, không theo ngày tiếp nhận hồ sơ), của "
        "các hồ sơ trên địa bàn."
    )
    if not per_agency:
        note += " " + _("Không có chuyển gửi nào trong khoảng thời gian này.")
    return [Section("referrals", _("Chuyển gửi liên ngành"), ORDER, [table], note=note)]


def hours(duration: datetime.timedelta | None) -> float | None:
    """A median duration in hours, to one decimal (None: nothing accepted)."""
    return None if duration is None else round(duration.total_seconds() / 3600, 1)


def _row(
    key: str, label: str, figures: dict[str, Any], links: _Links, *, agency: str = "", is_total: bool = False
) -> Row:
    return Row(
        key,
        label,
        [
            Cell(figures["referrals"], links.url(agency=agency)),
            Cell(figures["accepted"], links.url(agency=agency, answer="accepted")),
            Cell(figures["declined"], links.url(agency=agency, answer="declined")),
            Cell(figures["overdue"], links.url(agency=agency, state="overdue")),
            Cell(hours(figures["median_time_to_accept"])),
            Cell(figures["on_time_pct"]),
        ],
        total=is_total,
    )


class _Links:
    """The referral list narrowed to the scope (days of sending, unit, kind) and to one figure."""

    def __init__(self, ctx: FigureContext) -> None:
        scope = ctx.scope
        base: dict[str, str] = {"sent_from": scope.start.isoformat(), "sent_to": scope.end.isoformat()}
        unit = scope.unit
        if unit is not None and unit.kind == UnitKind.PROVINCE:
            base["province"] = unit.code
        elif unit is not None and unit.kind == UnitKind.COMMUNE:
            base["commune"] = unit.code
        if scope.kind:
            base["kind"] = scope.kind
        self.prefix = f"{reverse('cases:referral-list')}?{urlencode(base)}"

    def url(self, *, agency: str = "", answer: str = "", state: str = "all") -> str:
        own = {"agency": agency, "answer": answer, "state": state}
        return f"{self.prefix}&{urlencode({k: v for k, v in own.items() if v})}"
