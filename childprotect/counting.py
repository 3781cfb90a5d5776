"""Counting the rows of a list without reading them all.

An exact COUNT(*) reads every matching row: a province officer's filtered list of 6,000 cases out of a million
cost more than the page itself, and the cost grows with the data. So a list asks PostgreSQL once
(`childprotect_count_rows`, migration 0005): when the planner expects at most `exact_limit` rows, they are counted
exactly (that count reads at most exact_limit + 1 rows); above that, the planner's estimate is the answer and
the page says "about". One query either way, so the query count of a list does not depend on the data.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import connections
from django.db.models import QuerySet

DEFAULT_EXACT_COUNT_LIMIT = 1000


@dataclass(frozen=True)
class RowCount:
    total: int
    exact: bool


def exact_count_limit() -> int:
    return int(getattr(settings, "LIST_EXACT_COUNT_LIMIT", DEFAULT_EXACT_COUNT_LIMIT))


def count_rows(queryset: QuerySet, exact_limit: int | None = None) -> RowCount:  # type: ignore[type-arg]
    """The number of rows of `queryset`: exact up to `exact_limit` (LIST_EXACT_COUNT_LIMIT), else estimated."""
    if queryset.query.is_empty():
        return RowCount(0, True)
    limit = exact_count_limit() if exact_limit is None else exact_limit
    inner = queryset.order_by().values("pk")
    connection = connections[inner.db]
    sql, params = inner.query.sql_with_params()
    with connection.cursor() as cursor:
        # The query travels as one text value: the driver quotes each parameter into it (mogrify), so the
        # function can EXPLAIN and run it. Nothing in it comes from the user unquoted.
        text = cursor.cursor.mogrify(sql, params)
        cursor.execute("SELECT total, exact FROM childprotect_count_rows(%s, %s)", [text, limit])
        total, exact = cursor.fetchone()
    return RowCount(int(total), bool(exact))
