"""The working-day calendar: Monday–Friday, minus public holidays, plus make-up working Saturdays, all kept as
data (CalendarDay) so an admin can add each year's days. Statutory limits counted in working days (5 days to
draft a plan, 2 to approve it: NĐ56 Art. 28) go through here."""

from __future__ import annotations

import datetime

from cases.models import CalendarDay


class WorkingCalendar:
    """Load the exceptions for a span once, then answer many questions without further queries."""

    def __init__(self, start: datetime.date, end: datetime.date) -> None:
        rows = CalendarDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "kind")
        self.holidays = {day for day, kind in rows if kind == "holiday"}
        self.working = {day for day, kind in rows if kind == "working"}

    def is_working_day(self, day: datetime.date) -> bool:
        if day in self.working:
            return True
        return day.weekday() < 5 and day not in self.holidays


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` (the day of receipt itself does not count)."""
    # Tết can close a week or more; three calendar weeks per five working days covers every real year.
    calendar = WorkingCalendar(start, start + datetime.timedelta(days=21 + days * 3))
    current = start
    remaining = days
    while remaining > 0:
        current += datetime.timedelta(days=1)
        if calendar.is_working_day(current):
            remaining -= 1
    return current


def working_days_deadline(start: datetime.datetime, days: int) -> datetime.datetime:
    """End of the working day (23:59:59 local time) `days` working days after the day of `start`."""
    from django.utils import timezone

    local = timezone.localtime(start)
    due_day = add_working_days(local.date(), days)
    return timezone.make_aware(datetime.datetime.combine(due_day, datetime.time(23, 59, 59)))
