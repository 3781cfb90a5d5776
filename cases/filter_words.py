"""The case list's filters in words ("Đang lọc: Loại vụ việc: Xâm hại trẻ em · Tiếp nhận từ 01/01/2026 đến
30/06/2026"), each removable (childprotect/filter_line.py). The dashboard's figures open the list with filters
folded away in the form, some with no field at all for the user's role, so the line says them.

A commune, province or officer is named from the form's own cleaned value: the filter's choices are already
limited to the user's jurisdiction (cases/access.py), so a code out of scope is refused by the form and nothing is
named. No query of its own: the form fetched the unit or officer while checking it.
"""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django.http import QueryDict
from django.utils.translation import gettext as _

from cases.filters import CaseFilter
from childprotect.filter_line import ActiveFilter, FilterLine, days_in_words

_DAYS = ("received_from", "received_to")  # said together, as one period


def case_filter_line(filterset: CaseFilter, list_url: str, query: QueryDict) -> list[ActiveFilter]:
    """The filters in use, as the list applied them (none if the form refused them: the list is not narrowed)."""
    if not filterset.is_bound or not filterset.is_valid():
        return []
    data = filterset.form.cleaned_data
    line = FilterLine(list_url, query)
    for name, spec in filterset.filters.items():
        value = data.get(name)
        if name in _DAYS:
            if name == _DAYS[0] and (period := _period(data.get(_DAYS[0]), data.get(_DAYS[1]))):
                line.add(_DAYS, "", period)  # both days at once, where the first of them is declared
            continue
        # How the list is ordered is not what it is narrowed to.
        # (`is False`, not `in`: an age of 0 compares equal to False and is a filter in use.)
        if name == "ordering" or value is None or value is False or value in ("", []):
            continue
        if name == "q":
            # The user's own words on their own page, shown as typed (escaped by the template).
            line.add([name], str(spec.label), value)
        elif isinstance(spec, django_filters.BooleanFilter):
            line.add([name], "", str(spec.label))
        else:
            line.add([name], str(spec.label), _value_in_words(filterset, name, value))
    return line.filters


def _value_in_words(filterset: CaseFilter, name: str, value: Any) -> str:
    """A unit or officer by name, a choice by its label, a number as itself; never a code."""
    if name == "officer":
        return str(value.get_full_name() or value.get_username())
    if hasattr(value, "full_name"):
        return str(value.full_name)
    if isinstance(value, int | float) or hasattr(value, "as_tuple"):  # ages (NumberFilter gives a Decimal)
        return str(int(value))
    labels = {str(key): str(label) for key, label in filterset.form.fields[name].choices}
    values = value if isinstance(value, list | tuple) else [value]
    return ", ".join(labels.get(str(item), _("không xác định")) for item in values)


def _period(start: datetime.date | None, end: datetime.date | None) -> str:
    """The days of receipt, both included."""
    return days_in_words(
        start,
        end,
        between=_("Tiếp nhận từ %(start)s đến %(end)s"),
        since=_("Tiếp nhận từ %(start)s"),
        until=_("Tiếp nhận đến %(end)s"),
    )
