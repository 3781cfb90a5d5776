"""The issue's fault test: with the broker unreachable, a referral is created and the request succeeds; once the
broker is back, the email and the in-app notification arrive exactly once. And the outbox's promises for
referrals: a failed change leaves no notification; a worker and the sweep racing send one email."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from kombu.exceptions import OperationalError

from cases.services import referrals as svc
from childprotect.models import Notification
from childprotect.models.notifications import EmailStatus
from childprotect.notifications import deliver_email, sweep_unsent_notifications
from tests.cases.conftest import CHILD_NAME, SUMMARY, refer
from tests.conftest import REPORTER_NAME
from tests.personas import Personas

pytestmark = pytest.mark.django_db
DELAY = "childprotect.tasks.deliver_email_task.delay"
JSON = "application/json"


def later(minutes: float) -> time_machine.travel:
    return time_machine.travel(timezone.now() + datetime.timedelta(minutes=minutes), tick=False)


@pytest.fixture
def unreachable_broker(settings):
    """No mock: the Celery app really points at a port where nothing listens, as when Redis is down."""
    from childprotect.celery import app

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    saved = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = "redis://127.0.0.1:1/0", False
    app._pool = None  # connections are pooled per broker URL: start a pool for the unreachable one

    def restore() -> None:
        app.conf.broker_url, app.conf.task_always_eager = saved
        app._pool = None

    yield restore
    restore()


def test_with_the_broker_down_the_referral_is_made_and_notified_exactly_once_when_it_is_back(
    personas: Personas, client_for, case_a1, unreachable_broker, django_capture_on_commit_callbacks, settings
) -> None:
    settings.SITE_URL = "https://bvte.example.vn"
    officer = client_for(personas.officer_a1)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = officer.post(
            "/api/v1/referrals/",
            {"case": case_a1.pk, "agency": "CA-19", "reason": "Nghi xâm hại", "urgency": "immediate"},
            content_type=JSON,
        )
    assert response.status_code == 201, response.content  # the outage never reached the request
    assert callbacks  # the hand-off to the broker was tried, after commit, and failed quietly
    (row,) = Notification.objects.filter(recipient=personas.police_a)
    assert row.kind == "referral_received" and row.email_status == EmailStatus.PENDING
    assert mail.outbox == []

    unreachable_broker()  # the broker (and a worker) are back; the sweep runs every minute
    with later(3):
        assert sweep_unsent_notifications() == 1
        assert sweep_unsent_notifications() == 0
        assert deliver_email(row.pk) is False  # a late task for the same row sends nothing
    with later(90):
        assert sweep_unsent_notifications() == 0

    (email,) = mail.outbox
    assert email.to == ["police_a@example.invalid"]
    assert case_a1.case_number in email.subject
    referral_id = response.json()["id"]
    assert f"https://bvte.example.vn/cases/referrals/{referral_id}/" in email.body
    text = f"{email.subject}\n{email.body}"
    for secret in (CHILD_NAME, REPORTER_NAME, SUMMARY, "Nghi xâm hại"):
        assert secret not in text

    police = client_for(personas.police_a)
    in_app = police.get("/api/v1/notifications/").json()
    assert in_app["count"] == 1 and in_app["results"][0]["url"] == f"/cases/referrals/{referral_id}/"
    assert 'class="badge"' in police.get("/notifications/bell/").content.decode()  # the bell counts it
    row.refresh_from_db()
    assert row.email_status == EmailStatus.SENT and row.email_attempts == 1


def test_a_worker_and_the_sweep_racing_send_one_email(
    personas: Personas, case_a1, django_capture_on_commit_callbacks
) -> None:
    with (
        mock.patch(DELAY, side_effect=OperationalError("connection refused")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        referral = refer(personas, case_a1)
    (row,) = Notification.objects.filter(recipient=personas.police_a)
    with later(3):
        # The broker is back: the retried task and the sweep both go for the row; one wins.
        assert deliver_email(row.pk) is True
        assert sweep_unsent_notifications() == 0
    assert len(mail.outbox) == 1
    # The next step's notification goes straight through a working worker.
    with mock.patch(DELAY, side_effect=deliver_email), django_capture_on_commit_callbacks(execute=True):
        svc.do_accept_referral(acting_user=personas.police_a, referral=referral)
    assert len(mail.outbox) == 2 and mail.outbox[1].to == ["officer_a1@example.invalid"]


def test_a_failed_change_leaves_no_notification(personas: Personas, case_a1, django_capture_on_commit_callbacks):
    real = svc.tell_agency

    def tell_then_fail(*args, **kwargs):
        real(*args, **kwargs)
        raise RuntimeError("the database went away")

    with (
        mock.patch(DELAY) as delay,
        mock.patch.object(svc, "tell_agency", side_effect=tell_then_fail),
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
    ):
        refer(personas, case_a1)
    assert not Notification.objects.exists() and not case_a1.referrals.exists()
    delay.assert_not_called()


def test_per_user_preference_in_app_always_email_optional(
    personas: Personas, client_for, case_a1, django_capture_on_commit_callbacks
) -> None:
    police = client_for(personas.police_a)
    assert police.get("/api/v1/notifications/preferences/").json() == {"email_enabled": True}
    page = police.get("/notifications/").content.decode()
    assert 'name="email_enabled"' in page and "checked" in page
    response = police.post("/notifications/preferences/", {})  # the box unticked
    assert response.status_code == 302
    assert police.get("/api/v1/notifications/preferences/").json() == {"email_enabled": False}
    with mock.patch(DELAY, side_effect=deliver_email), django_capture_on_commit_callbacks(execute=True):
        refer(personas, case_a1)
    (row,) = Notification.objects.filter(recipient=personas.police_a)
    assert row.email_status == EmailStatus.NOT_WANTED and mail.outbox == []
    turned_on = police.put("/api/v1/notifications/preferences/", {"email_enabled": True}, content_type=JSON)
    assert turned_on.json() == {"email_enabled": True}
    assert police.post("/notifications/preferences/", {"email_enabled": "on"}).status_code == 302
