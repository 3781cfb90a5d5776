"""Reads that may be served by a read replica (DATABASE_REPLICA_URL): the dashboards and the periodic reports,
the heavy aggregate reads that can be a few seconds behind. Everything else, and every write, stays on the
primary. Without DATABASE_REPLICA_URL there is no "replica" database and this router sends everything to the
primary too.

A view opts in with `@reads_from_replica` (or a block with `reading_from_replica()`): a context variable, so a
request served by a thread, and the Celery task that renders a report, each decide for themselves.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
from collections.abc import Callable, Iterator
from typing import Any, ParamSpec, TypeVar

from django.db import connections

REPLICA = "replica"
_replica_reads: contextvars.ContextVar[bool] = contextvars.ContextVar("childprotect_replica_reads", default=False)

P = ParamSpec("P")
R = TypeVar("R")


def replica_configured() -> bool:
    return REPLICA in connections.settings


@contextlib.contextmanager
def reading_from_replica() -> Iterator[None]:
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


@contextlib.contextmanager
def reading_from_primary() -> Iterator[None]:
    """Reads in this block go to the primary even inside `reading_from_replica()`: for reads that must see the
    block's own uncommitted writes (reporting/rewind.py)."""
    token = _replica_reads.set(False)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def reads_from_replica(view: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        with reading_from_replica():
            return view(*args, **kwargs)

    return wrapped


class ReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if _replica_reads.get() and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return None  # the primary

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # one database, two copies of it

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db != REPLICA
