"""Escalation of unanswered referrals (cases/services/referral_sweep.py) and the response-time figures per agency
(ReferralQuerySet.response_figures) that the dashboard shows."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from cases.models import CaseEvent, Referral
from cases.services import referrals as svc
from cases.services.referral_sweep import flag_overdue_referrals
from childprotect.models import Notification
from childprotect.notifications import deliver_email
from tests.cases.conftest import CHILD_NAME, refer, referral_case
from tests.conftest import REPORTER_NAME
from tests.personas import Personas

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_broker")]


def at(moment: datetime.datetime) -> time_machine.travel:
    return time_machine.travel(moment, tick=False)


def test_an_unanswered_referral_is_flagged_once_and_the_province_is_told(
    personas: Personas, referral, django_capture_on_commit_callbacks
) -> None:
    p = personas
    assert flag_overdue_referrals() == 0  # not due yet
    after = referral.due_at + datetime.timedelta(minutes=1)
    with (
        at(after),
        mock.patch("childprotect.tasks.deliver_email_task.delay", side_effect=deliver_email),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert flag_overdue_referrals() == 1
        assert flag_overdue_referrals() == 0
    referral.refresh_from_db()
    assert referral.flagged_overdue_at == after and referral.status == "sent"
    (event,) = CaseEvent.objects.filter(case=referral.case, event_type="referral", details__action="overdue")
    assert event.actor is None
    (province,) = Notification.objects.filter(recipient=p.province_officer_a, kind="referral_overdue")
    assert province.url == f"/cases/{referral.case_id}/#referrals"
    assert not Notification.objects.filter(recipient=p.province_officer_b).exists()  # another province
    assert Notification.objects.filter(recipient=p.officer_a1, kind="referral_overdue").exists()
    assert Notification.objects.filter(recipient=p.police_a, kind="referral_overdue").exists()
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["officer_a1@example.invalid", "police_a@example.invalid", "province_a@example.invalid"]
    for message in mail.outbox:
        assert referral.case.case_number in message.subject
        assert CHILD_NAME not in message.body and REPORTER_NAME not in message.body


def test_an_answered_or_withdrawn_referral_is_never_flagged(personas: Personas, case_a1, more) -> None:
    answered = refer(personas, case_a1)
    svc.do_accept_referral(acting_user=personas.police_a, referral=answered)
    withdrawn = refer(personas, case_a1, agency=more.health_agency)
    svc.do_withdraw_referral(acting_user=personas.officer_a1, referral=withdrawn)
    with at(timezone.now() + datetime.timedelta(days=10)):
        assert flag_overdue_referrals() == 0
    assert not Notification.objects.filter(kind="referral_overdue").exists()


def test_the_overdue_referral_shows_on_the_lists(personas: Personas, client_for, referral) -> None:
    with at(referral.due_at + datetime.timedelta(minutes=5)):
        inbox = client_for(personas.police_a).get("/cases/referrals/?state=overdue").content.decode()
        case_page = client_for(personas.officer_a1).get(f"/cases/{referral.case_id}/").content.decode()
    assert referral.case.case_number in inbox and "Quá hạn" in inbox
    assert "Quá hạn" in case_page


def test_the_sweep_task_is_scheduled() -> None:
    from childprotect.celery_schedule import BEAT_SCHEDULE

    tasks = {entry["task"] for entry in BEAT_SCHEDULE.values()}
    assert "cases.tasks.flag_overdue_referrals_task" in tasks


# --- Response-time figures ------------------------------------------------------------------------------------------


def test_response_figures_per_agency_in_one_query(personas: Personas, more, django_assert_num_queries) -> None:
    start = timezone.now() - datetime.timedelta(days=20)
    hours = datetime.timedelta(hours=1)

    def referral_at(agency, sent_offset_hours: int, *, urgency: str = "urgent") -> Referral:
        with at(start + sent_offset_hours * hours):
            return refer(personas, referral_case(personas), agency=agency, urgency=urgency)  # due 24 h after

    def answer(r: Referral, after_hours: int, how: str = "accept") -> None:
        with at(r.sent_at + after_hours * hours):
            if how == "accept":
                svc.do_accept_referral(acting_user=personas.police_a, referral=r)
            else:
                svc.do_decline_referral(acting_user=personas.police_a, referral=r, reason="Không thuộc thẩm quyền")

    police = personas.police_agency_a
    answer(referral_at(police, 0), 2)  # accepted after 2 h: on time
    answer(referral_at(police, 10), 4)  # 4 h: on time
    answer(referral_at(police, 20), 30)  # 30 h: late
    answer(referral_at(police, 30), 1, how="decline")  # declined on time (not an acceptance)
    referral_at(police, 40)  # never answered, long past due: late
    with at(start + 40 * hours + 2 * hours):
        early = refer(personas, referral_case(personas))  # withdrawn before its due time: not counted as due
        svc.do_withdraw_referral(acting_user=personas.officer_a1, referral=early)
    health = more.health_agency
    referral_at(health, 50, urgency="normal")
    fresh = refer(personas, referral_case(personas), agency=health)  # just sent, not due yet

    with django_assert_num_queries(1):
        figures = Referral.objects.all().response_figures()
    by_code = {row["agency_code"]: row for row in figures}
    row = by_code["CA-19"]
    assert (row["referrals"], row["accepted"], row["declined"], row["pending"]) == (6, 3, 1, 1)
    assert row["due"] == 5 and row["on_time"] == 3 and row["on_time_pct"] == 60.0
    assert row["median_time_to_accept"] == datetime.timedelta(hours=4)
    assert row["agency_name"] == "Công an tỉnh Thái Nguyên" and row["sector"] == "police"
    health_row = by_code["YT-19"]
    assert health_row["median_time_to_accept"] is None
    assert health_row["due"] == 1 and health_row["on_time"] == 0 and health_row["on_time_pct"] == 0.0
    assert fresh.pk  # counted among referrals, not among those due
    assert health_row["referrals"] == 2

    # The same figures through what a user may see, for a period, for an area.
    mine = Referral.objects.visible_to(personas.police_a).response_figures()
    assert [r["agency_code"] for r in mine] == ["CA-19"]
    assert Referral.objects.visible_to(personas.province_officer_b).response_figures() == []
    recent = Referral.objects.all().response_figures(since=start + 25 * hours)
    assert {r["agency_code"]: r["referrals"] for r in recent} == {"CA-19": 3, "YT-19": 2}
    assert Referral.objects.all().response_figures(unit=personas.province_b) == []
