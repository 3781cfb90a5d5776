"""A short lease renewed while working: how a report generation or an email send that dies with its worker
(killed, out of memory, the machine rebooted) is taken up again within two minutes, and never run twice.

A job claims its row with one conditional UPDATE that sets `lease_until = now + WORK_LEASE_SECONDS`; while it
works, `renewing()` pushes that time forward from a background thread every third of the lease. A live worker
therefore never loses its lease, however long the job; a dead one stops renewing, and once the lease has run
out the periodic sweep (every minute) hands the job to another worker. With the default lease of 60 s a killed
job is retried within 60 s + one sweep interval: under two minutes. Celery acknowledges a message only after the
task returns (CELERY_TASK_ACKS_LATE), and re-queues it if the pool process dies (REJECT_ON_WORKER_LOST): the
lease is what keeps such a second delivery from running the same job twice.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import threading
from collections.abc import Callable, Iterator

from django.conf import settings
from django.db import connection

logger = logging.getLogger(__name__)


def lease_duration() -> datetime.timedelta:
    return datetime.timedelta(seconds=float(getattr(settings, "WORK_LEASE_SECONDS", 60)))


@contextlib.contextmanager
def renewing(renew: Callable[[], bool], *, what: str) -> Iterator[None]:
    """Call `renew()` every third of the lease until the block ends. `renew` returns False once the lease is
    no longer ours (the row was taken over): renewing then stops, and the job's final conditional write fails."""
    stop = threading.Event()
    interval = max(lease_duration().total_seconds() / 3, 0.2)

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
