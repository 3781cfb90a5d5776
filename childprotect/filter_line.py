"""The filters a list is narrowed to, in words, each with a link to the same list without it, and one to clear
them all (templates/includes/active_filters.html).

A list opened from a figure (the directive board, the dashboard) carries filters its form does not show: hidden
inputs for the roles that have no field to pick them from. The reader must still see what the list is narrowed
to. Each app says its own filters in words, as only it knows how to name them within the user's access rules; this
builds the links, so every list shows the line in the same shape.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.http import QueryDict

# Where a list is on, not what it shows: never a filter, and dropped when a filter is removed (back to page 1).
_POSITION = ("page", "cursor")


@dataclass(frozen=True)
class ActiveFilter:
    label: str  # "Cơ quan chủ trì"; "" when the value says it all ("Hạn trong năm 2026")
    value: str  # in words: a name, a choice's label, days as dd/mm/yyyy; never a code
    remove_url: str  # the same list without this filter

    @property
    def text(self) -> str:
        return f"{self.label}: {self.value}" if self.label else self.value


@dataclass
class FilterLine:
    """The line of one list: `add` each filter in use, in the order the line says them."""

    list_url: str
    query: QueryDict  # the request's own parameters (not what the view adds, as "mine" on "my tasks")
    filters: list[ActiveFilter] = field(default_factory=list)

    def add(self, names: Iterable[str], label: str, value: str) -> None:
        """One filter, made of the parameters `names` (a period is both its days): removing it drops them all."""
        rest = self.query.copy()
        for name in (*names, *_POSITION):
            rest.pop(name, None)
        encoded = rest.urlencode()
        self.filters.append(ActiveFilter(label, value, f"{self.list_url}?{encoded}" if encoded else self.list_url))


def days_in_words(
    start: datetime.date | None, end: datetime.date | None, *, between: str, since: str, until: str
) -> str:
    """A window of days (both included) as dd/mm/yyyy in the list's own whole sentences: `between` with
    %(start)s and %(end)s, `since` with %(start)s, `until` with %(end)s (already translated); "" for no window."""
    days = {"start": start.strftime("%d/%m/%Y") if start else "", "end": end.strftime("%d/%m/%Y") if end else ""}
    if start is not None and end is not None:
        return between % days
    if start is not None:
        return since % days
    if end is not None:
        return until % days
    return ""
