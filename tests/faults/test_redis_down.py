"""Fault: Redis (the broker) goes down while officers send referrals, then comes back on the same address. A
real redis-server and a real Celery worker on loopback. Every referral is made (the request never waits on the
broker), and each notification email is sent exactly once: by the worker for the referrals made while Redis was
up, by the outbox sweep (beat runs it every minute; the test every second, with the sweep's grace shortened by
the setting NOTIFICATION_SWEEP_GRACE_SECONDS) for those made while it was down."""

from __future__ import annotations

import time

import pytest

from cases.models import Referral
from childprotect.models.notifications import EmailStatus, Notification
from childprotect.notifications import sweep_unsent_notifications
from childprotect.services import do_create_agency, do_create_user
from tests.conftest import make_case
from tests.faults.processes import (
    Process,
    app_env,
    celery_worker,
    free_port,
    redis_answers,
    redis_server_argv,
    wait_until,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.faults]

OUTAGE_SECONDS = 10


def _mail_messages(folder) -> list[str]:
    """Recipients of every message the file email backend wrote (one file per connection)."""
    recipients = []
    for path in sorted(folder.glob("*.log")):
        recipients += [line[4:].strip() for line in path.read_text().splitlines() if line.startswith("To: ")]
    return recipients


def test_referrals_made_while_redis_is_down_are_each_emailed_exactly_once(
    point_celery_at,
    personas,
    client_for,
    tmp_path,
    settings,
):
    mail = tmp_path / "mail"
    mail.mkdir()
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(mail)
    settings.NOTIFICATION_SWEEP_GRACE_SECONDS = 3
    port = free_port()
    broker = f"redis://127.0.0.1:{port}/0"
    point_celery_at(broker)
    server = Process("redis", redis_server_argv(port, tmp_path), {}, tmp_path / "redis.log")
    env = app_env(
        tmp_path,
        REDIS_URL=broker,
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mail),
    )
    worker = None
    officer = client_for(personas.officer_a1)
    case_a1 = make_case(personas.officer_a1, personas.commune_a1)

    def refer(agency_code: str) -> int:
        started = time.monotonic()
        response = officer.post(
            "/api/v1/referrals/",
            {"case": case_a1.pk, "agency": agency_code, "reason": "Phối hợp xác minh", "urgency": "urgent"},
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
        assert time.monotonic() - started < 8  # the request never waits on the broker (it gives up after 2 s)
        return int(response.json()["id"])

    try:
        wait_until(lambda: redis_answers(port), timeout=15, what="redis answers")
        worker = celery_worker(tmp_path, env)
        wait_until(lambda: "ready." in worker.tail(), timeout=60, what="the worker is ready")
        made = [refer("CA-19")]  # while Redis is up: the worker sends it
        wait_until(lambda: len(_mail_messages(mail)) == 1, timeout=30, what="the worker sends the first email")

        agencies = []
        for n in range(4):
            agency = do_create_agency(
                acting_user=None, code=f"YT-19-{n}", name=f"Trạm y tế {n}", sector="health", unit=personas.province_a
            )
            do_create_user(
                acting_user=None,
                username=f"health_{n}",
                role="agency_focal_point",
                agency=agency,
                password="Mat-khau-thu-nghiem-2025",
                email=f"health_{n}@example.invalid",
            )
            agencies.append(agency.code)
        server.stop()
        down_at = time.monotonic()
        made += [refer(code) for code in agencies[:3]]  # while Redis is down: their emails wait in the outbox
        time.sleep(max(OUTAGE_SECONDS - (time.monotonic() - down_at), 0))
        server = Process("redis", redis_server_argv(port, tmp_path), {}, tmp_path / "redis.log")
        wait_until(lambda: redis_answers(port), timeout=15, what="redis answers again")
        up_at = time.monotonic()
        # The worker reconnects by itself: a referral made now is emailed through the broker, without the sweep.
        made.append(refer(agencies[3]))
        worker_back = wait_until(
            lambda: "health_3@example.invalid" in _mail_messages(mail), timeout=60, what="the worker sends again"
        )

        def swept() -> bool:  # what beat does every minute
            sweep_unsent_notifications()
            return not Notification.objects.filter(email_status=EmailStatus.PENDING).exists()

        recovered = wait_until(swept, timeout=60, every=1, what="every pending email is sent")
        # And nothing more goes out, however often the sweep runs or the worker redelivers.
        for _ in range(3):
            sweep_unsent_notifications()
        time.sleep(2)
    finally:
        if worker is not None:
            worker.stop()
        server.stop()
    print(f"\nredis down {OUTAGE_SECONDS}s: {len(made)} referrals; worker sending again {worker_back:.1f}s after "
          f"Redis was back; the outage's emails out at the first sweep, {recovered:.1f}s later")  # fmt: skip
    assert Referral.objects.filter(pk__in=made).count() == len(made) == 5
    wanted = Notification.objects.filter(kind="referral_received").exclude(email_status=EmailStatus.NOT_WANTED)
    assert wanted.count() >= 5 and set(wanted.values_list("email_status", flat=True)) == {EmailStatus.SENT}
    recipients = _mail_messages(mail)
    assert len(recipients) == wanted.count() == len(set(recipients))  # each exactly once
    assert up_at > down_at
