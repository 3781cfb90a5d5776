"""Fixtures of the fault tests."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

import pytest

from tests.faults.processes import celery_broker


@pytest.fixture
def point_celery_at() -> Iterator[Callable[[str], None]]:
    """point_celery_at(url): this process's Celery app sends its tasks to the broker at URL until the test ends."""
    with contextlib.ExitStack() as stack:
        yield lambda url: stack.enter_context(celery_broker(url))
