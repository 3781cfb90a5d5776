"""The notification outbox: rows commit with the change or not at all, a broker outage loses nothing, every email
goes out exactly once (with back-off on failures), emails carry no child data; the bell and the API show each
user their own notifications only."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from childprotect.models import Notification, NotificationPreference
from childprotect.models.notifications import EmailStatus
from childprotect.notification_kinds import NotificationKind
from childprotect.notifications import deliver_email, notify, sweep_unsent_notifications
from tests.personas import Personas

DELAY = "childprotect.tasks.deliver_email_task.delay"
CHILD_NAME = "Nguyễn Thị Bé Mai"
PARAMS = {"number": "19-2025-000001", "agency": "Công an tỉnh Thái Nguyên"}


def _notify(user, number: str = "19-2025-000001", **overrides) -> list[Notification]:
    kwargs = {
        "kind": NotificationKind.REFERRAL_ACCEPTED,
        "params": {"number": number, "agency": "Công an tỉnh Thái Nguyên"},
        "url": "/cases/1/",
    }
    kwargs.update(overrides)
    return notify([user], **kwargs)


def later(minutes: float) -> time_machine.travel:
    return time_machine.travel(timezone.now() + datetime.timedelta(minutes=minutes), tick=False)


# --- the outbox -----------------------------------------------------------------------------------------------


def test_a_rolled_back_change_leaves_no_notification_and_sends_nothing(
    personas: Personas, django_capture_on_commit_callbacks
) -> None:
    with mock.patch(DELAY) as delay, django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            _notify(personas.officer_a1)
            raise RuntimeError("the change failed")
    assert not Notification.objects.exists()
    assert callbacks == []
    delay.assert_not_called()
    assert sweep_unsent_notifications() == 0
    assert mail.outbox == []


def test_the_email_is_queued_only_after_commit(personas: Personas, django_capture_on_commit_callbacks) -> None:
    with mock.patch(DELAY) as delay, django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            (row,) = _notify(personas.officer_a1)
            delay.assert_not_called()
    delay.assert_called_once_with(row.pk)


def test_with_the_broker_down_the_change_commits_and_the_sweep_sends_exactly_once(
    personas: Personas, django_capture_on_commit_callbacks
) -> None:
    with (
        mock.patch(DELAY, side_effect=OperationalError("Error 111 connecting to 127.0.0.1:1")) as delay,
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        (row,) = _notify(personas.officer_a1)
    delay.assert_called_once_with(row.pk)
    row.refresh_from_db()
    assert row.email_status == EmailStatus.PENDING
    assert mail.outbox == []

    assert sweep_unsent_notifications() == 0  # a fresh row is the worker's for a grace period
    with later(3):
        assert sweep_unsent_notifications() == 1
        assert sweep_unsent_notifications() == 0
        assert deliver_email(row.pk) is False
    with later(60):
        assert sweep_unsent_notifications() == 0
        assert deliver_email(row.pk) is False
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.email_status == EmailStatus.SENT and row.email_attempts == 1 and row.email_sent_at is not None


def test_a_real_unreachable_broker_does_not_reach_the_caller(
    personas: Personas, django_capture_on_commit_callbacks, settings
) -> None:
    """No mock: .delay() really tries to connect to a port where nothing listens."""
    from childprotect.celery import app

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    saved = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = "redis://127.0.0.1:1/0", False
    app._pool = None  # connections are pooled per broker URL: start a pool for the unreachable one
    try:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            (row,) = _notify(personas.officer_a1)
    finally:
        app.conf.broker_url, app.conf.task_always_eager = saved
        app._pool = None
    row.refresh_from_db()
    assert row.email_status == EmailStatus.PENDING
    with later(3):
        assert sweep_unsent_notifications() == 1
    assert len(mail.outbox) == 1


def test_a_claimed_row_is_not_sent_by_anyone_else(personas: Personas) -> None:
    with mock.patch(DELAY):
        (row,) = _notify(personas.officer_a1)
    # Another worker claimed it (its lease runs 10 minutes) and is sending right now.
    Notification.objects.filter(pk=row.pk).update(email_next_attempt_at=timezone.now() + datetime.timedelta(minutes=10))
    assert deliver_email(row.pk) is False
    with later(5):
        assert sweep_unsent_notifications() == 0
    # The worker died without recording anything: after the lease, the sweep takes over.
    with later(11):
        assert sweep_unsent_notifications() == 1
    assert len(mail.outbox) == 1


class FlakyBackend(BaseEmailBackend):
    """Fails the first `failures` sends, then delivers to mail.outbox."""

    failures = 0
    calls = 0

    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        FlakyBackend.calls += 1
        if FlakyBackend.calls <= FlakyBackend.failures:
            raise ConnectionRefusedError("smtp down")
        return LocmemBackend().send_messages(email_messages)


@pytest.fixture
def flaky_mail(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    FlakyBackend.calls = 0

    def fail(times: int) -> None:
        FlakyBackend.failures = times

    return fail


def test_a_failing_mail_server_means_back_off_and_retry_then_one_email(
    personas: Personas, django_capture_on_commit_callbacks, flaky_mail
) -> None:
    flaky_mail(2)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        # A worker that runs the task right away (as if the broker and worker were up).
        with mock.patch(DELAY, side_effect=deliver_email), django_capture_on_commit_callbacks(execute=True):
            (row,) = _notify(personas.officer_a1)
        row.refresh_from_db()
        assert (row.email_status, row.email_attempts) == (EmailStatus.PENDING, 1)
        assert row.email_next_attempt_at == start + datetime.timedelta(minutes=1)
        assert sweep_unsent_notifications() == 0
    with time_machine.travel(start + datetime.timedelta(seconds=61), tick=False):
        assert sweep_unsent_notifications() == 0  # second failure: now wait 2 minutes
        row.refresh_from_db()
        assert row.email_attempts == 2
        assert row.email_next_attempt_at == start + datetime.timedelta(seconds=61 + 120)
    with time_machine.travel(start + datetime.timedelta(seconds=61 + 60), tick=False):
        assert sweep_unsent_notifications() == 0  # not due yet
    with time_machine.travel(start + datetime.timedelta(seconds=61 + 121), tick=False):
        assert sweep_unsent_notifications() == 1
        assert sweep_unsent_notifications() == 0
    assert FlakyBackend.calls == 3
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert (row.email_status, row.email_attempts) == (EmailStatus.SENT, 3)


def test_after_the_last_attempt_the_email_is_marked_failed(personas: Personas, flaky_mail, settings) -> None:
    settings.NOTIFICATION_EMAIL_MAX_ATTEMPTS = 2
    flaky_mail(99)
    with mock.patch(DELAY):
        (row,) = _notify(personas.officer_a1)
    assert deliver_email(row.pk) is False
    with later(5):
        assert sweep_unsent_notifications() == 0
    with later(500):
        assert sweep_unsent_notifications() == 0
    row.refresh_from_db()
    assert (row.email_status, row.email_attempts) == (EmailStatus.FAILED, 2)
    assert mail.outbox == []


def test_no_email_for_users_without_an_address_or_who_turned_it_off(personas: Personas) -> None:
    NotificationPreference.objects.create(user=personas.chair_a1, email_enabled=False)
    with mock.patch(DELAY) as delay:
        rows = _notify(personas.nobody) + _notify(personas.chair_a1, url="/")
    assert {row.email_status for row in rows} == {EmailStatus.NOT_WANTED}
    delay.assert_not_called()
    with later(5):
        assert sweep_unsent_notifications() == 0
    assert mail.outbox == []


def test_a_dedupe_key_creates_each_recipients_row_once(personas: Personas) -> None:
    people = [personas.officer_a1, personas.chair_a1]
    with mock.patch(DELAY):
        first = notify(people, kind=NotificationKind.REFERRAL_ACCEPTED, params=PARAMS, url="/", dedupe_key="remind:7")
        again = notify(people, kind=NotificationKind.REFERRAL_ACCEPTED, params=PARAMS, url="/", dedupe_key="remind:7")
    assert len(first) == 2 and again == []
    assert Notification.objects.count() == 2


def test_the_email_names_the_case_and_links_to_it_without_child_data(
    personas: Personas, settings, django_capture_on_commit_callbacks
) -> None:
    from cases.models import CaseKind, ReportChannel
    from cases.services.intake import CaseInput, ChildInput, ReporterInput, do_create_case
    from cases.services.sweep import flag_overdue_deadlines

    settings.SITE_URL = "https://bvte.example.vn"
    case = do_create_case(
        acting_user=personas.officer_a1,
        child=ChildInput(full_name=CHILD_NAME, commune=personas.commune_a1, age_years=9, sex="female"),
        case=CaseInput(
            kind=CaseKind.ABUSE,
            received_at=timezone.now() - datetime.timedelta(hours=1),
            abuse_forms=["violence"],
            summary=f"{CHILD_NAME} bị đánh",
        ),
        reporter=ReporterInput(channel=ReportChannel.WALK_IN, name="Người báo tin"),
    )
    deadline = case.deadlines.get()
    with time_machine.travel(deadline.due_at + datetime.timedelta(minutes=1), tick=False):
        with mock.patch(DELAY, side_effect=deliver_email), django_capture_on_commit_callbacks(execute=True):
            assert flag_overdue_deadlines() == 1
    assert len(mail.outbox) == 2  # the officer and the chair
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        assert case.case_number in message.subject
        assert f"https://bvte.example.vn/cases/{case.pk}/" in message.body
        assert "Nguyễn" not in text and "Mai" not in text and "đánh" not in text
    assert sorted(m.to[0] for m in mail.outbox) == ["chair_a1@example.invalid", "officer_a1@example.invalid"]


# --- the bell, the page and the API -----------------------------------------------------------------------------


@pytest.fixture
def two_for_the_officer(personas: Personas) -> list[Notification]:
    with mock.patch(DELAY):
        rows = _notify(personas.officer_a1) + _notify(personas.officer_a1, number="19-2025-000002")
        _notify(personas.chair_a1)
    return rows


def test_the_bell_counts_unread_and_the_page_marks_read(
    personas: Personas, client_for, two_for_the_officer: list[Notification]
) -> None:
    client = client_for(personas.officer_a1)
    bell = client.get("/notifications/bell/")
    assert bell.status_code == 200
    assert 'aria-label="Thông báo, 2 chưa đọc"' in bell.content.decode()
    assert 'hx-trigger="every 60s"' in bell.content.decode()

    page = client.get("/notifications/")
    assert page.status_code == 200
    assert "Hồ sơ 19-2025-000002: Công an tỉnh Thái Nguyên đã tiếp nhận chuyển gửi" in page.content.decode()

    first = two_for_the_officer[0]
    response = client.post(f"/notifications/{first.pk}/read/", {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/cases/1/"
    assert "Thông báo, 1 chưa đọc" in client.get("/notifications/bell/").content.decode()
    assert client.post("/notifications/read-all/").status_code == 302
    assert "Thông báo, 0 chưa đọc" in client.get("/notifications/bell/").content.decode()
    # The chair's notification was not touched.
    assert Notification.objects.filter(recipient=personas.chair_a1, read_at__isnull=True).count() == 1


def test_the_base_page_bell_loads_its_count(personas: Personas, client_for) -> None:
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = personas.officer_a1
    html = render_to_string("includes/notification_bell.html", {"user": personas.officer_a1}, request=request)
    assert 'hx-trigger="load, every 60s"' in html and 'href="/notifications/"' in html


def test_signed_out_the_bell_stops_polling(client) -> None:
    assert client.get("/notifications/bell/").status_code == 286


def test_someone_elses_notification_is_not_found(
    personas: Personas, client_for, two_for_the_officer: list[Notification]
) -> None:
    theirs = two_for_the_officer[0]
    chair = client_for(personas.chair_a1)
    assert chair.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    assert chair.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    assert chair.get(f"/api/v1/notifications/{theirs.pk}/").status_code == 404
    assert chair.post("/notifications/999999/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_api_lists_only_ones_own_and_marks_read(
    personas: Personas, client_for, two_for_the_officer: list[Notification]
) -> None:
    client = client_for(personas.officer_a1)
    listing = client.get("/api/v1/notifications/")
    assert listing.status_code == 200
    ids = {item["id"] for item in listing.json()["results"]}
    assert ids == {row.pk for row in two_for_the_officer}

    first = two_for_the_officer[0]
    response = client.post(f"/api/v1/notifications/{first.pk}/read/")
    assert response.status_code == 200 and response.json()["read_at"] is not None
    unread = client.get("/api/v1/notifications/", {"unread": "true"}).json()["results"]
    assert [item["id"] for item in unread] == [two_for_the_officer[1].pk]
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 1}
