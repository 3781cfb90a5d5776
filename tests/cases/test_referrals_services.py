"""The referral handshake (cases/services/referrals.py): each step, who may take it, what it refuses, the timeline
and audit rows it writes, the police step it meets, and the notifications it leaves for the other side."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import CaseDeadline, CaseEvent, CaseEventType, DeadlineStep, Referral, ReferralStatus
from cases.services import referrals as svc
from childprotect.errors import ServiceError
from childprotect.models import AuditEvent, Notification
from tests.cases.conftest import CHILD_NAME, SUMMARY, refer, referral_case
from tests.conftest import REPORTER_NAME
from tests.personas import Personas

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_broker")]
S = ReferralStatus


def events(case, action: str | None = None) -> list[CaseEvent]:
    rows = CaseEvent.objects.filter(case=case, event_type=CaseEventType.REFERRAL).order_by("id")
    return [e for e in rows if action is None or e.details.get("action") == action]


def notified(user, kind: str) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind=kind))


# --- Creating ------------------------------------------------------------------------------------------------------


def test_a_referral_is_sent_with_its_timeline_event_and_the_agency_is_told(personas: Personas, case_a1, more) -> None:
    p = personas
    referral = refer(p, case_a1)
    assert referral.status == S.SENT and referral.sent_by == p.officer_a1
    (event,) = events(case_a1, "sent")
    assert event.actor == p.officer_a1 and event.details["agency"] == "CA-19"
    assert event.details["referral_id"] == referral.pk and event.details["urgency"] == "immediate"
    assert AuditEvent.objects.filter(target_type="cases.case", target_id=str(case_a1.pk), action="update").exists()
    # Both focal points of the police, nobody else; titles name the case number, never the child.
    for focal in (p.police_a, more.police_a2):
        (row,) = notified(focal, "referral_received")
        assert case_a1.case_number in row.title and row.url == f"/cases/referrals/{referral.pk}/"
        assert CHILD_NAME not in f"{row.title} {row.body}" and SUMMARY not in row.body
        assert referral.reason not in row.body
    assert not notified(more.health_a, "referral_received")


@pytest.mark.parametrize(("urgency", "hours"), [("immediate", 2), ("urgent", 24), ("normal", 72)])
def test_the_due_time_defaults_by_urgency(personas: Personas, case_a1, urgency, hours) -> None:
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        referral = refer(personas, case_a1, urgency=urgency)
    assert referral.due_at == now + datetime.timedelta(hours=hours)


def test_the_defaults_are_configurable_and_an_explicit_due_time_wins(personas: Personas, case_a1, more, settings):
    settings.REFERRAL_RESPONSE_HOURS = {"immediate": 1, "urgent": 8, "normal": 48}
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        first = refer(personas, case_a1, urgency="urgent")
        chosen = now + datetime.timedelta(days=5)
        second = refer(personas, case_a1, agency=more.health_agency, urgency="urgent", due_at=chosen)
    assert first.due_at == now + datetime.timedelta(hours=8)
    assert second.due_at == chosen


def test_bad_input_is_refused_by_field_and_nothing_is_saved(personas: Personas, case_a1) -> None:
    with pytest.raises(ValidationError) as refused:
        refer(personas, case_a1, reason="  ", urgency="whenever", due_at=timezone.now() - datetime.timedelta(hours=1))
    assert set(refused.value.message_dict) == {"reason", "urgency", "due_at"}
    assert not Referral.objects.exists() and not Notification.objects.exists()


def test_a_second_open_referral_to_the_same_agency_is_refused(personas: Personas, case_a1, more) -> None:
    refer(personas, case_a1)
    with pytest.raises(ValidationError) as refused:
        refer(personas, case_a1)
    assert "agency" in refused.value.message_dict
    refer(personas, case_a1, agency=more.health_agency)  # several referrals, to several agencies
    assert case_a1.referrals.count() == 2


def test_an_inactive_agency_cannot_be_chosen(personas: Personas, case_a1, more) -> None:
    more.health_agency.valid_to = timezone.localdate()
    more.health_agency.save()
    with pytest.raises(ValidationError) as refused:
        refer(personas, case_a1, agency=more.health_agency)
    assert "agency" in refused.value.message_dict


@pytest.mark.parametrize("who", ["officer_a2", "province_officer_a", "police_a", "hotline", "nobody"])
def test_only_whoever_works_the_case_refers_it(personas: Personas, case_a1, who) -> None:
    with pytest.raises(ServiceError):
        refer(personas, case_a1, user=getattr(personas, who))
    refer(personas, case_a1, user=personas.chair_a1)


def test_a_closed_case_is_not_referred(personas: Personas, case_a1) -> None:
    from cases.models import CaseStatus
    from cases.services.common import set_status

    set_status(case_a1, CaseStatus.NOT_SUBSTANTIATED, actor=personas.chair_a1)
    with pytest.raises(ServiceError):
        refer(personas, case_a1)


# --- The police step (sexual abuse) --------------------------------------------------------------------------------


def open_police_step(case) -> bool:
    return CaseDeadline.objects.filter(case=case, step=DeadlineStep.POLICE_NOTIFICATION, met_at__isnull=True).exists()


def test_a_police_referral_meets_the_police_step_and_withdrawing_it_reopens_it(personas, case_a1, more) -> None:
    assert open_police_step(case_a1)
    refer(personas, case_a1, agency=more.health_agency)
    assert open_police_step(case_a1)  # a health referral is not the police
    police = refer(personas, case_a1)
    assert not open_police_step(case_a1)
    svc.do_withdraw_referral(acting_user=personas.officer_a1, referral=police, reason="Gửi nhầm đơn vị")
    assert open_police_step(case_a1)
    refer(personas, case_a1)
    assert not open_police_step(case_a1)


def test_suggestions_police_for_sexual_abuse_health_for_injuries(personas: Personas, more) -> None:
    abuse = referral_case(personas, forms=["sexual_abuse"])
    assert svc.suggested_sectors(abuse) == ["police"]
    refer(personas, abuse)
    assert svc.suggested_sectors(abuse) == []
    hurt = referral_case(personas, forms=["violence"], subtypes=["violence.serious_harm"])
    assert svc.suggested_sectors(hurt) == ["health"]
    accident = referral_case(personas, kind="accident", accident=("traffic", "injury"))
    assert svc.suggested_sectors(accident) == ["health"]
    assert svc.suggested_sectors(referral_case(personas, forms=["neglect"])) == []


# --- The agency's answers ------------------------------------------------------------------------------------------


def test_accept_progress_complete(personas: Personas, referral, case_a1) -> None:
    p = personas
    svc.do_accept_referral(acting_user=p.police_a, referral=referral)
    assert referral.status == S.ACCEPTED and referral.accepted_at and referral.responded_by == p.police_a
    (told,) = notified(p.officer_a1, "referral_accepted")
    assert told.url == f"/cases/{case_a1.pk}/#referrals"
    svc.do_add_referral_progress(acting_user=p.police_a, referral=referral, note="Đã lấy lời khai ban đầu.")
    assert referral.status == S.IN_PROGRESS
    svc.do_add_referral_progress(acting_user=p.police_a, referral=referral, note="Đã trưng cầu giám định.")
    assert referral.notes.count() == 2
    svc.do_complete_referral(acting_user=p.police_a, referral=referral, outcome="Đã khởi tố vụ án.")
    referral.refresh_from_db()
    assert referral.status == S.COMPLETED and referral.outcome == "Đã khởi tố vụ án." and referral.closed_at
    actions = [e.details["action"] for e in events(case_a1)]
    assert actions == ["sent", "accepted", "progress", "progress", "completed"]
    assert events(case_a1, "completed")[0].details["text"] == "Đã khởi tố vụ án."
    # The outcome reaches the officer in the app; the notification itself does not carry it.
    (done,) = notified(p.officer_a1, "referral_completed")
    assert "khởi tố" not in f"{done.title} {done.body}"


def test_decline_needs_a_reason(personas: Personas, referral) -> None:
    with pytest.raises(ValidationError) as refused:
        svc.do_decline_referral(acting_user=personas.police_a, referral=referral, reason="")
    assert "reason" in refused.value.message_dict
    referral.refresh_from_db()
    assert referral.status == S.SENT
    svc.do_decline_referral(acting_user=personas.police_a, referral=referral, reason="Không thuộc địa bàn.")
    assert referral.status == S.DECLINED and referral.decline_reason == "Không thuộc địa bàn."
    assert notified(personas.officer_a1, "referral_declined")


def test_complete_needs_an_outcome(personas: Personas, referral) -> None:
    svc.do_accept_referral(acting_user=personas.police_a, referral=referral)
    with pytest.raises(ValidationError) as refused:
        svc.do_complete_referral(acting_user=personas.police_a, referral=referral, outcome=" ")
    assert "outcome" in refused.value.message_dict


def test_steps_out_of_order_are_refused(personas: Personas, referral) -> None:
    police = personas.police_a
    with pytest.raises(ServiceError):
        svc.do_complete_referral(acting_user=police, referral=referral, outcome="x")
    with pytest.raises(ServiceError):
        svc.do_add_referral_progress(acting_user=police, referral=referral, note="x")
    svc.do_accept_referral(acting_user=police, referral=referral)
    with pytest.raises(ServiceError):
        svc.do_accept_referral(acting_user=police, referral=referral)
    with pytest.raises(ServiceError):
        svc.do_decline_referral(acting_user=police, referral=referral, reason="x")


@pytest.mark.parametrize("who", ["officer_a1", "chair_a1", "province_officer_a", "admin"])
def test_only_the_agencys_focal_points_answer(personas: Personas, referral, who) -> None:
    with pytest.raises(ServiceError):
        svc.do_accept_referral(acting_user=getattr(personas, who), referral=referral)


def test_another_agencys_focal_point_cannot_answer(personas: Personas, referral, more) -> None:
    with pytest.raises(ServiceError):
        svc.do_accept_referral(acting_user=more.health_a, referral=referral)
    svc.do_accept_referral(acting_user=more.police_a2, referral=referral)  # any focal point of the agency


@pytest.mark.parametrize("closing", ["decline", "complete", "withdraw"])
def test_a_closed_referral_takes_no_more_writes(personas: Personas, referral, closing) -> None:
    p = personas
    if closing == "decline":
        svc.do_decline_referral(acting_user=p.police_a, referral=referral, reason="Không thuộc thẩm quyền")
    elif closing == "complete":
        svc.do_accept_referral(acting_user=p.police_a, referral=referral)
        svc.do_complete_referral(acting_user=p.police_a, referral=referral, outcome="Xong")
    else:
        svc.do_withdraw_referral(acting_user=p.officer_a1, referral=referral)
    steps = [
        lambda: svc.do_accept_referral(acting_user=p.police_a, referral=referral),
        lambda: svc.do_decline_referral(acting_user=p.police_a, referral=referral, reason="x"),
        lambda: svc.do_add_referral_progress(acting_user=p.police_a, referral=referral, note="x"),
        lambda: svc.do_complete_referral(acting_user=p.police_a, referral=referral, outcome="x"),
        lambda: svc.do_withdraw_referral(acting_user=p.officer_a1, referral=referral),
    ]
    for step in steps:
        with pytest.raises(ServiceError, match="đã kết thúc"):
            step()


def test_withdraw_is_the_sending_sides_and_tells_the_agency(personas: Personas, referral, more) -> None:
    with pytest.raises(ServiceError):
        svc.do_withdraw_referral(acting_user=personas.police_a, referral=referral)
    with pytest.raises(ServiceError):
        svc.do_withdraw_referral(acting_user=personas.officer_a2, referral=referral)
    svc.do_withdraw_referral(acting_user=personas.chair_a1, referral=referral, reason="Gia đình chuyển đi")
    assert referral.status == S.WITHDRAWN and referral.withdrawn_by == personas.chair_a1
    assert notified(personas.police_a, "referral_withdrawn") and notified(more.police_a2, "referral_withdrawn")


def test_a_stale_object_cannot_answer_twice(personas: Personas, referral, more) -> None:
    """Two focal points open the same referral; the second answer sees the first (the row is locked and reread)."""
    first = Referral.objects.get(pk=referral.pk)
    second = Referral.objects.get(pk=referral.pk)
    svc.do_accept_referral(acting_user=personas.police_a, referral=first)
    with pytest.raises(ServiceError):
        svc.do_decline_referral(acting_user=more.police_a2, referral=second, reason="Không nhận")
    assert Referral.objects.get(pk=referral.pk).status == S.ACCEPTED


def test_answers_go_to_the_sender_and_the_assigned_officer(personas: Personas, case_a1) -> None:
    referral = refer(personas, case_a1, user=personas.chair_a1)
    svc.do_accept_referral(acting_user=personas.police_a, referral=referral)
    assert notified(personas.chair_a1, "referral_accepted")
    assert notified(personas.officer_a1, "referral_accepted")  # the case's assigned officer


def test_nothing_about_the_reporter_reaches_any_notification(personas: Personas, referral) -> None:
    svc.do_accept_referral(acting_user=personas.police_a, referral=referral)
    svc.do_complete_referral(acting_user=personas.police_a, referral=referral, outcome="Xong")
    for row in Notification.objects.all():
        text = f"{row.title} {row.body} {row.url}"
        assert REPORTER_NAME not in text and CHILD_NAME not in text
