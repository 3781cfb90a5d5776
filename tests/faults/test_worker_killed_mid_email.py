"""Fault: the worker sending a notification email is killed in the middle of the SMTP exchange (the server has
the message's envelope and is still receiving it). Before: the row stayed claimed for a 10-minute lease. Now the
claim is a short lease renewed while the worker lives; once it runs out the outbox sweep sends the email, which
arrives once (the killed exchange never completed). The test sets WORK_LEASE_SECONDS=5 and sweeps every second,
as beat does every minute: in production the email goes out within 60 s + one minute."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from django.test import override_settings

from childprotect.models.notifications import EmailStatus, Notification
from childprotect.notifications import sweep_unsent_notifications
from tests.faults.conftest import notify_referral_accepted
from tests.faults.processes import app_env, celery_worker, redis, wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.faults]


LEASE_SECONDS = 5


class SlowMailbox:
    """Hangs in DATA while `hanging` (the worker is then mid-send), else accepts and keeps the recipients."""

    def __init__(self) -> None:
        self.hanging = True
        self.in_data = threading.Event()
        self.received: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        if self.hanging:
            self.in_data.set()
            await asyncio.sleep(600)
            return "451 too late"
        self.received.extend(envelope.rcpt_tos)
        return "250 Message accepted"


def test_an_email_whose_worker_is_killed_mid_send_goes_out_once_within_the_lease(
    point_celery_at, smtp_server, personas, tmp_path, settings
):
    mailbox = SlowMailbox()
    smtp_port = smtp_server(mailbox)
    settings.NOTIFICATION_SWEEP_GRACE_SECONDS = 600  # only the lease may hand the row over here
    worker = None
    with redis(tmp_path) as (port, _redis):
        broker = f"redis://127.0.0.1:{port}/0"
        point_celery_at(broker)
        env = app_env(
            tmp_path,
            REDIS_URL=broker,
            WORK_LEASE_SECONDS=str(LEASE_SECONDS),
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        )
        try:
            worker = celery_worker(tmp_path, env)
            with override_settings(WORK_LEASE_SECONDS=LEASE_SECONDS):
                from django.db import transaction

                with transaction.atomic():
                    (row,) = notify_referral_accepted([personas.officer_a1], url="/")
                assert mailbox.in_data.wait(60), worker.tail()
                worker.kill()
                killed_at = time.monotonic()
                mailbox.hanging = False
                assert Notification.objects.get(pk=row.pk).email_status == EmailStatus.PENDING
                assert sweep_unsent_notifications() == 0  # still leased to the dead worker: nothing sent twice

                def swept() -> bool:  # what beat does every minute
                    sweep_unsent_notifications()
                    return Notification.objects.get(pk=row.pk).email_status == EmailStatus.SENT

                wait_until(swept, timeout=60, every=1, what="the sweep sends the email")
                recovered = time.monotonic() - killed_at
                for _ in range(3):
                    sweep_unsent_notifications()
        finally:
            if worker is not None:
                worker.stop()
    print(f"\nworker killed mid-email: sent {recovered:.1f}s later (lease {LEASE_SECONDS}s)")
    assert LEASE_SECONDS - 1 <= recovered < LEASE_SECONDS + 10
    assert mailbox.received == [personas.officer_a1.email]
