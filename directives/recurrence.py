"""Deadline rules and their due dates: pure functions, no database.

A rule is one of
- a date ("trước ngày 15/11/2024"): one due date;
- a recurrence on a day of a month: monthly (every month on `day`), quarterly (every 3 months), 6-monthly
  (every 6 months) or yearly (every year), the last three anchored on `month` — "6 tháng trước ngày 15/5" is
  6-monthly on day 15 of month 5, so it falls due on 15/5 and 15/11 every year; quarterly with month 3 falls
  due in March, June, September and December;
- continuous ("thường xuyên") or none: no due date at all.

Days a month does not have. A deadline is "by day N of the month"; when the month is shorter it is the
month's last day, never a day of the next month: day 31 falls due on 30/4, 30/6, 30/9, 30/11 and 28/2 (29/2 in
leap years); a yearly 29/2 falls due on 28/2 in common years and on 29/2 in leap years (2024, 2028; not 2100).
A yearly 30/2 or 31/4 is not a date in any year: `errors()` refuses it.

Due dates are inclusive: work completed on the due date is on time ("trước ngày 15/5" is read, as offices
read it, as "by 15/5").
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from directives.models.choices import DeadlineKind, Frequency

# Frequency → the gap in months between two due dates.
STEP_MONTHS = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.SEMIANNUAL: 6, Frequency.ANNUAL: 12}


@dataclass(frozen=True)
class DeadlineRule:
    kind: str = DeadlineKind.NONE
    date: datetime.date | None = None
    frequency: str = ""
    day: int | None = None
    month: int | None = None

    @classmethod
    def of_task(cls, task: Any) -> DeadlineRule:
        return cls(
            kind=task.deadline_kind,
            date=task.deadline_date,
            frequency=task.frequency or "",
            day=task.deadline_day,
            month=task.deadline_month,
        )

    @classmethod
    def from_proposal(cls, value: dict[str, Any] | None) -> DeadlineRule:
        """The importer's deadline value (directives/importer/deadlines.py) as a rule (possibly incomplete)."""
        if not value:
            return cls()
        kind = value.get("kind")
        if kind == "date":
            raw = value.get("date")
            day = datetime.date.fromisoformat(raw) if isinstance(raw, str) else raw
            return cls(kind=DeadlineKind.DATE, date=day)
        if kind == "recurring":
            return cls(
                kind=DeadlineKind.RECURRING,
                frequency=value.get("frequency") or "",
                day=value.get("day"),
                month=value.get("month") if value.get("frequency") != Frequency.MONTHLY else None,
            )
        if kind == "continuous":
            return cls(kind=DeadlineKind.CONTINUOUS)
        return cls()

    def to_value(self) -> dict[str, Any]:
        """The rule as a JSON value, in the importer's shape that `from_proposal` reads back (a notification
        stores its codes, and writes it in words in the reader's language)."""
        if self.kind == DeadlineKind.DATE:
            return {"kind": "date", "date": self.date.isoformat() if self.date else None}
        if self.kind == DeadlineKind.RECURRING:
            return {"kind": "recurring", "frequency": self.frequency, "day": self.day, "month": self.month}
        if self.kind == DeadlineKind.CONTINUOUS:
            return {"kind": "continuous"}
        return {}

    @property
    def is_dated(self) -> bool:
        return self.kind in (DeadlineKind.DATE, DeadlineKind.RECURRING)

    def errors(self) -> dict[str, str]:
        """What is missing or impossible, by field (deadline_date, frequency, deadline_day, deadline_month)."""
        errors: dict[str, str] = {}
        if self.kind not in DeadlineKind.values:
            errors["deadline_kind"] = _("Chọn loại thời hạn.")
        elif self.kind == DeadlineKind.DATE and self.date is None:
            errors["deadline_date"] = _("Nhập ngày hạn.")
        elif self.kind == DeadlineKind.RECURRING:
            if self.frequency not in STEP_MONTHS:
                errors["frequency"] = _("Chọn chu kỳ (hằng tháng, hằng quý, 6 tháng, hằng năm).")
            if self.day is None or not 1 <= self.day <= 31:
                errors["deadline_day"] = _("Nhập ngày hạn trong tháng (từ 1 đến 31).")
            if self.frequency in STEP_MONTHS and self.frequency != Frequency.MONTHLY:
                if self.month is None or not 1 <= self.month <= 12:
                    errors["deadline_month"] = _("Nhập tháng mốc (từ 1 đến 12), ví dụ 5 cho hạn ngày 15/5.")
                elif self.day is not None and "deadline_day" not in errors and self.frequency == Frequency.ANNUAL:
                    # Yearly: the day must exist in that month in some year (29/2 does, in leap years).
                    if self.day > calendar.monthrange(2024, self.month)[1]:
                        errors["deadline_day"] = _("Tháng %(month)s không có ngày %(day)s.") % {
                            "month": self.month,
                            "day": self.day,
                        }
        return errors

    def months(self) -> tuple[int, ...]:
        """The months (1–12) in which a recurring rule falls due."""
        step = STEP_MONTHS.get(self.frequency)  # type: ignore[call-overload] # TextChoices are str
        if step is None:
            return ()
        if step == 1:
            return tuple(range(1, 13))
        anchor = self.month or 1
        return tuple(sorted(((anchor - 1 + k * step) % 12) + 1 for k in range(12 // step)))

    def describe(self) -> str:
        """The rule in words, e.g. "6 tháng một lần, hạn ngày 15/5 và 15/11"."""
        if self.kind == DeadlineKind.DATE and self.date:
            return _("Hạn ngày %(date)s") % {"date": self.date.strftime("%d/%m/%Y")}
        if self.kind == DeadlineKind.CONTINUOUS:
            return str(DeadlineKind.CONTINUOUS.label)
        if self.kind == DeadlineKind.RECURRING and not self.errors():
            label = str(Frequency(self.frequency).label)
            if self.frequency == Frequency.MONTHLY:
                return _("%(frequency)s, hạn ngày %(day)s") % {"frequency": label, "day": self.day}
            days = " – ".join(f"{self.day}/{month}" for month in self.months())
            return _("%(frequency)s, hạn ngày %(days)s") % {"frequency": label, "days": days}
        return str(DeadlineKind.NONE.label)


def clamp_day(year: int, month: int, day: int) -> datetime.date:
    """Day `day` of the month, or the month's last day if it is shorter (31 → 30/4; 29/2 → 28/2 in 2025)."""
    return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def due_dates(rule: DeadlineRule, start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """Every due date of the rule from `start` to `end`, both included, in order."""
    if start > end:
        return []
    if rule.kind == DeadlineKind.DATE:
        return [rule.date] if rule.date is not None and start <= rule.date <= end else []
    if rule.kind != DeadlineKind.RECURRING or rule.errors():
        return []
    assert rule.day is not None
    months = rule.months()
    dates: list[datetime.date] = []
    for year in range(start.year, end.year + 1):
        for month in months:
            due = clamp_day(year, month, rule.day)
            if start <= due <= end:
                dates.append(due)
    return dates


def first_due_date(rule: DeadlineRule, start: datetime.date) -> datetime.date | None:
    """The first due date on or after `start` (looking up to two years ahead), if the rule has one."""
    found = due_dates(rule, start, datetime.date(min(start.year + 2, datetime.MAXYEAR), 12, 31))
    return found[0] if found else None
