"""Fault: the SMTP server refuses mail (a real SMTP server on loopback, answering 451 to every recipient).
Nothing is lost: each email is retried with a growing back-off (1, 2, 4… minutes), an admin sees in the outbox
what is stuck and how many tries it has had, and once the server accepts again each email is delivered exactly
once. The clock is moved forward with time-machine instead of waiting the back-off out."""

from __future__ import annotations

import datetime
import threading

import pytest
import time_machine
from django.utils import timezone

from childprotect.models.notifications import EmailStatus, Notification
from childprotect.notifications import sweep_unsent_notifications
from tests.faults.conftest import notify_referral_accepted

pytestmark = [pytest.mark.django_db, pytest.mark.faults]


class Mailbox:
    """aiosmtpd handler: refuses every recipient while `refusing`, else keeps what it receives."""

    def __init__(self) -> None:
        self.refusing = True
        self.refused = 0
        self.received: list[str] = []
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refusing:
            with self.lock:
                self.refused += 1
            return "451 4.3.2 mailbox temporarily unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.received.extend(envelope.rcpt_tos)
        return "250 Message accepted"


def test_refused_emails_back_off_show_in_the_outbox_and_are_sent_once_when_smtp_accepts(
    personas, settings, client_for, smtp_server
):
    mailbox = Mailbox()
    smtp_server(mailbox)
    recipients = [personas.officer_a1, personas.chair_a1, personas.officer_a2]
    start = timezone.now()
    rows = notify_referral_accepted(recipients, url="/cases/1/")
    assert {row.email_status for row in rows} == {EmailStatus.PENDING}
    # The broker never ran the task: the sweep takes the rows after its grace, then backs off on each refusal.
    waits = []
    moment = start + datetime.timedelta(minutes=3)
    for _attempt in range(4):
        with time_machine.travel(moment, tick=True):
            assert sweep_unsent_notifications() == 0
        row = Notification.objects.get(pk=rows[0].pk)
        waits.append(round((row.email_next_attempt_at - moment).total_seconds() / 60))
        moment = row.email_next_attempt_at + datetime.timedelta(seconds=1)
    assert waits == [1, 2, 4, 8]  # minutes: the back-off grows
    assert mailbox.refused == 4 * len(recipients) and mailbox.received == []
    stuck = Notification.objects.filter(email_status=EmailStatus.PENDING, email_attempts=4)
    assert stuck.count() == len(recipients)  # nothing lost, nothing given up yet

    # An admin sees what is stuck, with its tries and next attempt, in the outbox.
    admin = client_for(personas.admin)
    outbox = admin.get("/admin/childprotect/notification/", {"email_status__exact": "pending"})
    assert outbox.status_code == 200
    assert outbox.context["cl"].result_count == len(recipients)

    # SMTP accepts again: each email goes out exactly once, however many sweeps run.
    mailbox.refusing = False
    with time_machine.travel(moment, tick=True):
        assert sweep_unsent_notifications() == len(recipients)
        assert sweep_unsent_notifications() == 0
    with time_machine.travel(moment + datetime.timedelta(hours=2), tick=True):
        assert sweep_unsent_notifications() == 0
    assert sorted(mailbox.received) == sorted(user.email for user in recipients)
    assert set(Notification.objects.filter(pk__in=[r.pk for r in rows]).values_list("email_status", flat=True)) == {
        EmailStatus.SENT
    }


def test_an_email_that_never_gets_through_is_marked_failed_for_the_admin(personas, settings, client_for, smtp_server):
    settings.NOTIFICATION_EMAIL_MAX_ATTEMPTS = 3
    mailbox = Mailbox()
    smtp_server(mailbox)
    (row,) = notify_referral_accepted([personas.officer_a1], url="/cases/1/")
    moment = timezone.now() + datetime.timedelta(minutes=3)
    for _attempt in range(3):
        with time_machine.travel(moment, tick=True):
            sweep_unsent_notifications()
        moment += datetime.timedelta(hours=2)
    row.refresh_from_db()
    assert (row.email_status, row.email_attempts) == (EmailStatus.FAILED, 3)
    admin = client_for(personas.admin)
    failed = admin.get("/admin/childprotect/notification/", {"email_status__exact": "failed"})
    assert failed.context["cl"].result_count == 1
    # The admin asks for another try; the next sweep sends it.
    admin.post(
        "/admin/childprotect/notification/",
        {"action": "retry_email_now", "_selected_action": [row.pk]},
    )
    row.refresh_from_db()
    assert (row.email_status, row.email_attempts) == (EmailStatus.PENDING, 0)
