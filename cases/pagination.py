"""Pages of the case list that cost the same at ten thousand cases and at a million.

- "Next" and "previous" carry a cursor: the id of the last (or first) case shown and the page number, e.g.
  `4a12345` = page 4, the cases after case 12345 in list order. The server looks up that case's position (its
  receipt time, name key or deadline) in the user's own visible, filtered list, and continues from there along
  the index: page 100 costs what page 2 costs. The cursor holds no child data (a case id is already in the
  case's address), and a cursor naming a case the user cannot see simply starts from the first page.
- `page=N` still jumps to a page by offset, for links and API clients written that way; it reads the N-1 pages
  before it, so deep jumps cost more.
- The total is counted exactly while small and estimated beyond LIST_EXACT_COUNT_LIMIT (childprotect/counting.py).

The HTML list and the API (cases/api/pagination.py) both page through `paginate_cases`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from cases.models import Case
from cases.querysets import ListOrder, list_order
from childprotect.counting import RowCount, count_rows

CURSOR = re.compile(r"^(?P<page>[1-9]\d{0,6})(?P<direction>[ab])(?P<case_id>[1-9]\d{0,18})$")


@dataclass
class CasePage:
    rows: list[Case]
    number: int
    size: int
    count: RowCount
    next_cursor: str | None
    previous_cursor: str | None  # None with has_previous: the previous page is the first (no cursor needed)
    has_previous: bool

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.size + 1 if self.rows else 0

    @property
    def end_index(self) -> int:
        return self.start_index + len(self.rows) - 1 if self.rows else 0

    @property
    def approximate_total(self) -> int:
        """An estimated total shown as what it is: two significant digits (5,898 → 5,900)."""
        total = self.count.total
        if total < 100:
            return total
        step = 10 ** (len(str(total)) - 2)
        return round(total / step) * step

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None


def paginate_cases(
    queryset: QuerySet[Case],
    *,
    ordering: str | None,
    size: int,
    cursor: str | None = None,
    page: str | int | None = None,
) -> CasePage:
    """One page of `queryset` (already visible_to + filtered), in the order named by `ordering`."""
    order = list_order(ordering)
    count = count_rows(queryset)
    match = CURSOR.match(cursor or "")
    if match:
        boundary = _position_of(queryset, order, int(match["case_id"]))
        if boundary is not None:
            number = int(match["page"])
            if match["direction"] == "a":
                return _forward(queryset, order, size, count, number, after=boundary)
            return _backward(queryset, order, size, count, number, before=boundary)
    number = _page_number(page)
    return _forward(queryset, order, size, count, number, offset=(number - 1) * size)


def _page_number(page: str | int | None) -> int:
    try:
        number = int(page or 1)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), 10_000_000)


def _position_of(queryset: QuerySet[Case], order: ListOrder, case_id: int) -> tuple[Any, int] | None:
    """The boundary case's sort value and id, if the user sees it in this list (else the cursor is ignored)."""
    row = queryset.filter(pk=case_id).values_list(order.field, "id").first()
    return (row[0], row[1]) if row else None


def _beyond(order: ListOrder, boundary: tuple[Any, int], *, reverse: bool) -> Q:
    """The cases after `boundary` in list order (before it, if `reverse`). Said with a plain range on the sort
    column (`received_at <= x`) and the tie-break beside it, so PostgreSQL starts the index walk at the boundary
    instead of filtering every row before it."""
    value, case_id = boundary
    descending = order.descending != reverse
    nulls_after = order.nulls_last != reverse  # where the empty values lie, in the direction we walk
    field = order.field
    later, later_or_same = ("lt", "lte") if descending else ("gt", "gte")
    next_id = Q(**{f"id__{later}": case_id})
    if value is None:
        if order.nulls_last and nulls_after:
            return Q(**{f"{field}__isnull": True}) & next_id
        return (Q(**{f"{field}__isnull": True}) & next_id) | Q(**{f"{field}__isnull": False})
    condition = Q(**{f"{field}__{later_or_same}": value}) & (Q(**{f"{field}__{later}": value}) | next_id)
    if order.nulls_last and nulls_after:
        condition |= Q(**{f"{field}__isnull": True})
    return condition


def _forward(
    queryset: QuerySet[Case],
    order: ListOrder,
    size: int,
    count: RowCount,
    number: int,
    *,
    after: tuple[Any, int] | None = None,
    offset: int = 0,
) -> CasePage:
    rows = queryset.order_by(*order.order_by())
    if after is not None:
        rows = rows.filter(_beyond(order, after, reverse=False))
    fetched = list(rows[offset : offset + size + 1])  # one more than a page: is there a next page?
    shown = fetched[:size]
    next_cursor = f"{number + 1}a{shown[-1].pk}" if len(fetched) > size else None
    has_previous = number > 1 and bool(shown)
    previous_cursor = f"{number - 1}b{shown[0].pk}" if has_previous and number > 2 else None
    return CasePage(shown, number, size, count, next_cursor, previous_cursor, has_previous)


def _backward(
    queryset: QuerySet[Case], order: ListOrder, size: int, count: RowCount, number: int, *, before: tuple[Any, int]
) -> CasePage:
    rows = queryset.order_by(*order.order_by(reverse=True)).filter(_beyond(order, before, reverse=True))
    fetched = list(rows[: size + 1])
    if len(fetched) <= size:
        # Nothing before these: this is the first page (data may have changed since the cursor was made).
        return _forward(queryset, order, size, count, 1)
    shown = list(reversed(fetched[:size]))
    number = max(number, 2)
    next_cursor = f"{number + 1}a{shown[-1].pk}"
    previous_cursor = f"{number - 1}b{shown[0].pk}" if number > 2 else None
    return CasePage(shown, number, size, count, next_cursor, previous_cursor, True)
