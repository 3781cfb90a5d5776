"""Time each operation in the app (the full Django stack, in process: middleware, auth, access rules,
serialisation) and the same result fetched with raw SQL, side by side. Reports median and p95 in
milliseconds and the number of queries the app ran."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


@dataclass
class Timing:
    name: str
    app_ms: list[float] = field(default_factory=list)
    raw_ms: list[float] = field(default_factory=list)
    # Time the app spent inside the database (its queries, timed at the driver): with raw_ms, it tells the
    # ORM's SQL apart from the Python work around it (middleware, authentication, serialisation).
    app_sql_ms: list[float] = field(default_factory=list)
    queries: int = 0

    @staticmethod
    def _p95(values: list[float]) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    @property
    def app_median(self) -> float:
        return statistics.median(self.app_ms)

    @property
    def app_p95(self) -> float:
        return self._p95(self.app_ms)

    @property
    def app_sql_median(self) -> float:
        return statistics.median(self.app_sql_ms)

    @property
    def raw_median(self) -> float:
        return statistics.median(self.raw_ms)

    @property
    def raw_p95(self) -> float:
        return self._p95(self.raw_ms)


def measure(
    name: str, app: Callable[[int], Any], raw: Callable[[Any, int], Any], *, repeat: int, warmup: int = 3
) -> Timing:
    """`app(i)` runs the operation through Django; `raw(cursor, i)` runs the equivalent SQL."""
    timing = Timing(name)
    for i in range(warmup):
        with connection.cursor() as cursor:
            raw(cursor, i)
    for i in range(warmup):
        app(i)
    with CaptureQueriesContext(connection) as captured:
        app(warmup)
    timing.queries = len(captured.captured_queries)
    in_database = [0.0]

    def timed(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            in_database[0] += time.perf_counter() - started

    # The app's runs together, then the raw SQL's: interleaved, a raw aggregate over a million cases (seconds of
    # reading the whole table) ran before every app run and evicted the pages the app reads from the caches, so
    # the app was timed cold at a million cases and warm at ten thousand.
    for i in range(repeat):
        with connection.execute_wrapper(timed):
            in_database[0] = 0.0
            started = time.perf_counter()
            app(warmup + 1 + i)
            timing.app_ms.append((time.perf_counter() - started) * 1000)
        timing.app_sql_ms.append(in_database[0] * 1000)
    for i in range(repeat):
        with connection.cursor() as cursor:
            started = time.perf_counter()
            raw(cursor, warmup + 1 + i)
            timing.raw_ms.append((time.perf_counter() - started) * 1000)
    return timing
