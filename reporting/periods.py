"""The periods of the periodic reports: which days a report of year Y covers, when its data is cut off, when it
is due and when beat generates it. Read from ReportSchedule rows (admin-editable); the defaults below apply
while a kind has no row.

Defaults (the 6-month report is due 15/5 and the annual one 15/11, per the provincial công văn in
shared/samples/directives; domain.md §8.2): six and twelve whole months ending with the month before the due
month, so the figures are complete when the report is due —
- 6-month report of year Y: 01/11/(Y-1) – 30/04/Y, data cut-off 05/05/Y (end of day), due 15/05/Y;
- annual report of year Y:  01/11/(Y-1) – 31/10/Y, data cut-off 05/11/Y (end of day), due 15/11/Y.
Beat generates each on the day after its cut-off, ahead of the due date.

Cases received in a period but entered after its cut-off are never added to the period's figures (they are frozen
at the cut-off: reporting/snapshots.py). The schedule's `late_entries` says where they count: listed as a
correction of the period (default), or counted in the next period of the same kind — then that period also takes
the cases received before its start and entered after the previous period's cut-off (`late_since`).
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.utils import timezone

from reporting.models import LateEntries, ReportKind, ReportSchedule

DEFAULT_SCHEDULES: dict[str, dict[str, int]] = {
    ReportKind.SEMIANNUAL: {
        "start_day": 1, "start_month": 11, "start_year_offset": -1,
        "end_day": 30, "end_month": 4, "end_year_offset": 0,
        "cutoff_day": 5, "cutoff_month": 5, "due_day": 15, "due_month": 5,
    },
    ReportKind.ANNUAL: {
        "start_day": 1, "start_month": 11, "start_year_offset": -1,
        "end_day": 31, "end_month": 10, "end_year_offset": 0,
        "cutoff_day": 5, "cutoff_month": 11, "due_day": 15, "due_month": 11,
    },
}  # fmt: skip


@dataclass(frozen=True)
class ReportPeriod:
    kind: str
    year: int
    start: datetime.date
    end: datetime.date
    cutoff: datetime.datetime  # the end of the cut-off day, local time
    due: datetime.date
    late_entries: str = LateEntries.CORRECTION
    # Next-period mode: the previous period's cut-off; entries received before `start` and recorded after it (by
    # this period's cut-off) are counted in this period.
    late_since: datetime.datetime | None = None

    @property
    def generate_on(self) -> datetime.date:
        return timezone.localtime(self.cutoff).date() + datetime.timedelta(days=1)


def _day(year: int, month: int, day: int) -> datetime.date:
    # 29/2 (or 31/4 typed by mistake) falls back to the month's last day instead of failing.
    return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def schedule_for(kind: str) -> ReportSchedule:
    schedule = ReportSchedule.objects.filter(kind=kind).first()
    return schedule or ReportSchedule(kind=kind, **DEFAULT_SCHEDULES[kind])


def _cutoff(schedule: ReportSchedule, year: int) -> datetime.datetime:
    cutoff_day = _day(year, schedule.cutoff_month, schedule.cutoff_day)
    return timezone.make_aware(datetime.datetime.combine(cutoff_day, datetime.time(23, 59, 59)))


def period_for(kind: str, year: int, schedule: ReportSchedule | None = None) -> ReportPeriod:
    s = schedule or schedule_for(kind)
    cutoff = _cutoff(s, year)
    next_period = s.late_entries == LateEntries.NEXT_PERIOD
    return ReportPeriod(
        kind=kind,
        year=year,
        start=_day(year + s.start_year_offset, s.start_month, s.start_day),
        end=_day(year + s.end_year_offset, s.end_month, s.end_day),
        cutoff=cutoff,
        due=_day(year, s.due_month, s.due_day),
        late_entries=s.late_entries,
        late_since=_cutoff(s, year - 1) if next_period else None,
    )
