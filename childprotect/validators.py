"""The sane ranges of what people type: dates and lists. One module, used by the services (which every form and
endpoint reaches), by the forms and serializers that check before them, and by the filters of every list.

- A past event (a receipt, an incident, an assessment, a meeting, a measure's start) happened between
  1 January 1990 and now: nothing in this system predates the Law on Children's forerunners, and nothing is
  recorded before it happens (a few minutes of clock skew allowed).
- A date of birth lies at most 18 years before the report and never after it (a child is under 16; the
  system takes people under 18, cases/models/choices.py: MAX_CHILD_AGE).
- A date the user plans or filters by (a deadline, a plan's end, a list's "to" day) lies in the calendar the
  database and Python can both count in: 1900–2999. Beyond it `date + 1 day` overflows (9999-12-31).
- A list (abuse forms, special groups, status filters, plan items, caregivers) has at most a bounded number of
  items, and the same value twice counts once.

Each rule raises Django's `ValidationError` (400 through the API's handler; next to the field on a page),
keyed by field when the caller names one. Messages are Vietnamese source strings.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

EARLIEST_EVENT = datetime.date(1990, 1, 1)
CALENDAR_FIRST = datetime.date(1900, 1, 1)
CALENDAR_LAST = datetime.date(2999, 12, 31)
CHILDHOOD_YEARS = 18
CLOCK_SKEW = datetime.timedelta(minutes=5)
MAX_LIST_ITEMS = 100  # a list of codes or rows (a plan's items, a child's caregivers, a directive's references)
MAX_ROWS = 1000  # the long lists of a directive: its tasks, and each task's leads (every commune of a province)

T = TypeVar("T")


def _day(value: datetime.date | datetime.datetime) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _raise(message: str, field: str | None) -> None:
    raise ValidationError({field: message} if field else message)


def check_past_event(
    value: datetime.date | datetime.datetime | None, field: str | None = None, *, now: datetime.datetime | None = None
) -> None:
    """A moment or day something happened: not in the future, not before 1990."""
    if value is None:
        return
    now = now or timezone.now()
    if isinstance(value, datetime.datetime):
        future = value > now + CLOCK_SKEW
    else:
        future = value > timezone.localdate(now)
    if future:
        _raise(_("Ngày, giờ này không thể ở tương lai."), field)
    if _day(value) < EARLIEST_EVENT:
        _raise(
            _("Ngày, giờ này quá xa trong quá khứ: hệ thống nhận từ ngày %(first)s trở đi.")
            % {"first": EARLIEST_EVENT.strftime("%d/%m/%Y")},
            field,
        )


def check_calendar_date(value: datetime.date | datetime.datetime | None, field: str | None = None) -> None:
    """A day one plans or filters by: within the calendar both the database and the code count in."""
    if value is None:
        return
    day = _day(value)
    if not CALENDAR_FIRST <= day <= CALENDAR_LAST:
        _raise(
            _("Ngày phải trong khoảng từ %(first)s đến %(last)s.")
            % {"first": CALENDAR_FIRST.strftime("%d/%m/%Y"), "last": CALENDAR_LAST.strftime("%d/%m/%Y")},
            field,
        )


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def check_date_of_birth(
    value: datetime.date | None, received_at: datetime.date | datetime.datetime | None, field: str = "date_of_birth"
) -> None:
    """Never after the report, at most 18 years before it (the report's day; today when not known yet)."""
    if value is None:
        return
    report_day = _day(received_at) if received_at is not None else timezone.localdate()
    if value > report_day:
        _raise(_("Ngày sinh không thể sau ngày tiếp nhận tin báo (hay ở tương lai)."), field)
    if value < years_before(report_day, CHILDHOOD_YEARS):
        _raise(
            _("Theo ngày sinh này, người được báo tin đã từ %(years)s tuổi trở lên khi tiếp nhận.")
            % {"years": CHILDHOOD_YEARS},
            field,
        )


def unique_bounded(values: Iterable[T] | None, field: str | None = None, *, limit: int = MAX_LIST_ITEMS) -> list[T]:
    """The values in their first order, each once; more than `limit` given (repeats counted) is refused."""
    given = list(values or [])
    if len(given) > limit:
        _raise(_("Danh sách quá dài: tối đa %(limit)s mục.") % {"limit": limit}, field)
    return list(dict.fromkeys(given))


# --- Fields that apply the rules (forms, filters, serializers) ------------------------------------------------------


def validate_calendar_date(value: Any) -> None:
    check_calendar_date(value)


def validate_past_event(value: Any) -> None:
    check_past_event(value)


class CalendarDateField(forms.DateField):
    """A date within the calendar (1900–2999): the filters' `from`/`to` days. A day beyond is a 400 with this
    message, never an overflow further on."""

    default_validators = [validate_calendar_date]


class UniqueMultipleChoiceField(forms.MultipleChoiceField):
    """Checkboxes of a choice list: at most as many values sent as there are choices (MAX_LIST_ITEMS for a short
    list), each kept once."""

    def to_python(self, value: Any) -> list[str]:
        choices: Any = self.choices  # a list of pairs once the field is built
        return unique_bounded(super().to_python(value), limit=max(MAX_LIST_ITEMS, len(list(choices))))


LIST_TOO_LONG = gettext_lazy("Danh sách quá dài: tối đa {max_length} mục.")
