"""The one way a periodic sweep takes work: claim a row with one conditional UPDATE (healthchecks' habit), then
do what the claim stands for in the same transaction.

`claim_each(rows, mark=..., handle=...)` walks the rows that need something (a deadline past due, a report run
never started, …), and for each one, in its own transaction: sets `mark` on it only if it is still one of
`rows` (the UPDATE re-checks the whole condition), loads it, and hands it to `handle` — its timeline event,
audit row and notifications commit or roll back with the claim. A second run, two beat runs at once, or a
change that got there first (the referral was answered meanwhile) find nothing left to claim; a failure on one
row leaves the others done. `claim` is the single step, for a sweep whose mark differs row by row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db import models, transaction

M = TypeVar("M", bound=models.Model)


def claim(rows: models.QuerySet[M], pk: Any, *, related: Sequence[str] = (), **mark: Any) -> M | None:
    """Set `mark` on row `pk` if it is still one of `rows`; the row (with `related` loaded) if this caller won,
    None if it no longer qualifies or another run got there first. Call it inside a transaction."""
    if rows.filter(pk=pk).update(**mark) != 1:
        return None
    manager: models.Manager[M] = rows.model._default_manager
    return manager.select_related(*related).get(pk=pk)


def claim_each(
    rows: models.QuerySet[M],
    *,
    mark: dict[str, Any],
    handle: Callable[[M], None],
    related: Sequence[str] = (),
    limit: int = 500,
) -> int:
    """Claim and handle each of the first `limit` rows (in `rows`' order), each in its own transaction; returns
    how many were handled now."""
    handled = 0
    for pk in list(rows.values_list("pk", flat=True)[:limit]):
        with transaction.atomic():
            row = claim(rows, pk, related=related, **mark)
            if row is None:
                continue
            handle(row)
        handled += 1
    return handled
