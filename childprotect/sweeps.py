"""The one way a periodic sweep or a background job takes work: claim a row with one conditional UPDATE
(healthchecks' habit), then do what the claim stands for.

`claim_each(rows, mark=..., handle=...)` walks the rows that need something (a deadline past due, a referral
never answered, …), and for each one, in its own transaction: sets `mark` on it only if it is still one of
`rows` (the UPDATE re-checks the whole condition), loads it, and hands it to `handle` — its timeline event,
audit row and notifications commit or roll back with the claim. A second run, two beat runs at once, or a
change that got there first (the referral was answered meanwhile) find nothing left to claim; a failure on one
row leaves the others done. `claim` is the single step, for a sweep whose mark differs row by row.

Work that takes long and talks to the outside (rendering a report, sending an email) cannot sit in one
transaction: it claims with a **lease** instead. `claim(..., lease="lease_until")` commits at once a mark that
also sets that time to now + `WORK_LEASE_SECONDS`, so the row stops being one of `rows` until then; while the
job works, `renewing(held, lease=...)` pushes the time forward from a background thread every third of the
lease. A live worker therefore never loses its lease, however long the job; a dead one (killed, out of memory,
the machine rebooted) stops renewing, and once the lease has run out the row qualifies again and the next sweep
(every minute) hands it to another worker: with the default lease of 60 s, under two minutes. Celery
acknowledges a message only after the task returns (CELERY_TASK_ACKS_LATE) and re-queues it if the pool process
dies (REJECT_ON_WORKER_LOST): the lease is what keeps such a second delivery from running the same job twice.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

M = TypeVar("M", bound=models.Model)

logger = logging.getLogger(__name__)


def lease_duration() -> datetime.timedelta:
    """How long a leased claim holds its row unless renewed (WORK_LEASE_SECONDS; the fault tests shorten it)."""
    return datetime.timedelta(seconds=float(getattr(settings, "WORK_LEASE_SECONDS", 60)))


def claim(
    rows: models.QuerySet[M], pk: Any, *, related: Sequence[str] = (), lease: str | None = None, **mark: Any
) -> M | None:
    """Set `mark` on row `pk` if it is still one of `rows`; the row (with `related` loaded) if this caller won,
    None if it no longer qualifies or another run got there first.

    Without `lease`, call it inside the transaction of the work the claim stands for. With `lease` (the name of
    a date-time field), the mark also sets that field to now + `lease_duration()`: the row is this caller's until
    then, and whatever hands work over again looks for leases that ran out. Call it outside a transaction, so
    that everyone sees the lease at once, and do the work inside `renewing(...)`."""
    if lease is not None:
        mark[lease] = timezone.now() + lease_duration()
    if rows.filter(pk=pk).update(**mark) != 1:
        return None
    manager: models.Manager[M] = rows.model._default_manager
    return manager.select_related(*related).get(pk=pk)


@contextlib.contextmanager
def renewing(held: models.QuerySet[M], *, lease: str, what: str) -> Iterator[None]:
    """Push the `lease` of a row claimed with `claim(..., lease=...)` forward every third of the lease until the
    block ends. `held` is the row for as long as the claim is still this worker's (for instance filtered by the
    token the claim set): once another worker has taken it over, renewing stops, and the job's final write —
    conditional on `held` too — finds nothing to write."""
    stop = threading.Event()
    interval = max(lease_duration().total_seconds() / 3, 0.2)

    def renew() -> bool:
        return bool(held.update(**{lease: timezone.now() + lease_duration()}))

    def run() -> None:
        try:
            while not stop.wait(interval):
                if not renew():
                    logger.warning("%s: lease lost; another worker has taken the job over", what)
                    return
        except Exception:  # a database hiccup: the lease may lapse, the final write then refuses
            logger.exception("%s: renewing the lease failed", what)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=run, name=f"lease {what}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=10)


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
