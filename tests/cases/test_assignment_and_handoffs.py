"""Every case has a responsible officer (assign, reassign, the commune's queue, with history; page and API), and
every step that waits on someone tells them, in the app and by email, never with the child's data; opening what a
notification points to reads it."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.models import Case, CaseAssignment, CaseEventType
from cases.services import workflow as wf
from cases.services.assignment import do_assign_case
from childprotect.errors import NotAllowed
from childprotect.models import Notification
from childprotect.notification_kinds import NotificationKind as K
from childprotect.notifications import deliver_email
from childprotect.roles import Role
from childprotect.services import do_create_user
from tests.cases.conftest import CASEFILE_CHILD, TYPED, make_full_case, run
from tests.conftest import make_case
from tests.personas import PASSWORD, Personas

pytestmark = pytest.mark.usefixtures("no_broker")


def _second_officer(p: Personas):
    return do_create_user(
        acting_user=p.admin,
        username="officer_a1_b",
        password=PASSWORD,
        role=Role.COMMUNE_OFFICER,
        unit=p.commune_a1,
        first_name="Bình",
        last_name="Lê Văn",
        email="binh@example.org",
    )


def test_a_case_recorded_by_an_officer_is_theirs_with_history(personas: Personas) -> None:
    p = personas
    case = make_case(p.officer_a1, p.commune_a1)
    assert case.assigned_officer == p.officer_a1
    [first] = CaseAssignment.objects.filter(case=case)
    assert first.officer == p.officer_a1 and first.previous_officer is None and first.assigned_by == p.officer_a1


def test_a_hotline_case_waits_in_the_queue_and_the_commune_is_told(personas: Personas) -> None:
    p = personas
    case = make_case(p.hotline, p.commune_a1, "Trẻ từ tổng đài")
    assert case.assigned_officer is None and not CaseAssignment.objects.filter(case=case).exists()
    told = Notification.objects.filter(kind=K.CASE_NEW_FROM_HOTLINE, target_id=str(case.pk))
    assert {n.recipient for n in told} == {p.officer_a1, p.chair_a1}
    assert all("Trẻ từ tổng đài" not in n.title + n.body for n in told)


def test_the_hotline_sees_its_case_until_the_commune_takes_it(personas: Personas) -> None:
    from cases.models import Case

    p = personas
    assigned, assessed = make_case(p.hotline, p.commune_a1), make_case(p.hotline, p.commune_a1)
    assert set(Case.objects.visible_to(p.hotline)) == {assigned, assessed}
    do_assign_case(acting_user=p.chair_a1, case=assigned, expected_version=assigned.version, officer=p.officer_a1)
    assessed.refresh_from_db()
    wf.do_record_initial_assessment(
        acting_user=p.officer_a1,
        case=assessed,
        expected_version=assessed.version,
        harm_level="none",
        risk_level="low",
        serious_danger=False,
    )
    assert not Case.objects.visible_to(p.hotline).exists()
    assigned.refresh_from_db()
    assert assigned.handed_to_commune_at is not None
    # A case the commune recorded itself is not "handed" to it.
    own = make_case(p.officer_a1, p.commune_a1)
    own.refresh_from_db()
    do_assign_case(acting_user=p.chair_a1, case=own, expected_version=own.version, officer=_second_officer(p))
    own.refresh_from_db()
    assert own.handed_to_commune_at is None


def test_the_chair_assigns_and_reassigns_and_the_officer_is_told(personas: Personas) -> None:
    p = personas
    case = make_case(p.hotline, p.commune_a1)
    other = _second_officer(p)
    case.refresh_from_db()
    do_assign_case(acting_user=p.chair_a1, case=case, expected_version=case.version, officer=p.officer_a1)
    case.refresh_from_db()
    do_assign_case(acting_user=p.officer_a1, case=case, expected_version=case.version, officer=other, note="Nghỉ phép")
    case.refresh_from_db()
    assert case.assigned_officer == other
    history = list(CaseAssignment.objects.filter(case=case).order_by("at", "id"))
    assert [(a.previous_officer, a.officer, a.assigned_by) for a in history] == [
        (None, p.officer_a1, p.chair_a1),
        (p.officer_a1, other, p.officer_a1),
    ]
    assert Notification.objects.filter(kind=K.CASE_ASSIGNED, recipient=other).exists()
    assert Notification.objects.filter(kind=K.CASE_ASSIGNED, recipient=p.officer_a1).exists()
    case.refresh_from_db()
    with pytest.raises(NotAllowed):
        do_assign_case(acting_user=p.province_officer_a, case=case, expected_version=case.version, officer=None)
    case.refresh_from_db()
    with pytest.raises(ValidationError):  # an officer of another commune cannot be made responsible
        do_assign_case(acting_user=p.chair_a1, case=case, expected_version=case.version, officer=p.officer_a2)


def test_the_hotline_sees_its_case_until_the_commune_assigns_it(personas: Personas) -> None:
    p = personas
    case = make_case(p.hotline, p.commune_a1)
    assert Case.objects.visible_to(p.hotline).filter(pk=case.pk).exists()
    case.refresh_from_db()
    do_assign_case(acting_user=p.chair_a1, case=case, expected_version=case.version, officer=p.officer_a1)
    case.refresh_from_db()
    assert case.handed_to_commune_at is not None
    assert not Case.objects.visible_to(p.hotline).filter(pk=case.pk).exists()
    assert case.events.filter(event_type=CaseEventType.HANDED_TO_COMMUNE).count() == 1
    # Back to the queue and assigned again: handed over once, and it stays the commune's.
    do_assign_case(acting_user=p.chair_a1, case=case, expected_version=case.version, officer=None)
    case.refresh_from_db()
    do_assign_case(acting_user=p.chair_a1, case=case, expected_version=case.version, officer=p.officer_a1)
    assert case.events.filter(event_type=CaseEventType.HANDED_TO_COMMUNE).count() == 1
    assert not Case.objects.visible_to(p.hotline).filter(pk=case.pk).exists()


def test_assignment_page_and_api(personas: Personas, client_for) -> None:
    p = personas
    case = make_case(p.hotline, p.commune_a1)
    chair = client_for(p.chair_a1)
    page = chair.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Chưa phân công" in page and f'action="/cases/{case.pk}/assign/"' in page
    case.refresh_from_db()
    done = chair.post(reverse("cases:assign", args=[case.pk]), {"version": case.version, "officer": p.officer_a1.pk})
    assert done.status_code == 302
    stale = chair.post(reverse("cases:assign", args=[case.pk]), {"version": case.version, "officer": ""})
    assert stale.status_code == 409
    api = client_for(p.officer_a1)
    state = api.get(f"/api/v1/cases/{case.pk}/assignment/").json()
    assert state["assigned_officer"]["id"] == p.officer_a1.pk and len(state["history"]) == 1
    queued = api.post(
        f"/api/v1/cases/{case.pk}/assignment/",
        {"version": state["version"], "officer": None, "note": "Trả về hàng chờ"},
        content_type="application/json",
    )
    assert queued.status_code == 200 and queued.json()["assigned_officer"] is None
    for user in (p.officer_a2, p.province_officer_b, p.police_a, p.nobody):
        outsider = client_for(user)
        assert outsider.get(f"/api/v1/cases/{case.pk}/assignment/").status_code == 404
        assert outsider.post(reverse("cases:assign", args=[case.pk]), {"version": 1}).status_code == 404
        body = {"version": 1, "officer": None}
        answer = outsider.post(f"/api/v1/cases/{case.pk}/assignment/", body, content_type="application/json")
        assert answer.status_code == 404


def test_plan_submitted_tells_the_chair_and_the_answer_tells_the_officer(personas: Personas) -> None:
    p = personas
    case = make_full_case(p, until="plan")  # the plan is submitted
    [to_chair] = Notification.objects.filter(kind=K.PLAN_SUBMITTED)
    assert to_chair.recipient == p.chair_a1 and to_chair.url == f"/cases/{case.pk}/#plan"
    run(wf.RETURN_PLAN, p.chair_a1, case, reason="Bổ sung dự toán")
    assert Notification.objects.filter(kind=K.PLAN_RETURNED, recipient=p.officer_a1).exists()
    run(wf.SUBMIT_PLAN, p.officer_a1, case)
    assert Notification.objects.filter(kind=K.PLAN_SUBMITTED, recipient=p.chair_a1).count() == 2
    run(wf.APPROVE_PLAN, p.chair_a1, case, decision_number="9/QĐ-UBND")
    approved = Notification.objects.get(kind=K.PLAN_APPROVED, recipient=p.officer_a1)
    # The email carries the case number and a link, never the child's data.
    for row in Notification.objects.filter(email_status="pending"):
        deliver_email(row.pk)
    assert mail.outbox, "the plan's notifications are emailed"
    for message in mail.outbox:
        assert CASEFILE_CHILD not in message.subject + message.body
        assert TYPED["summary"] not in message.body
    assert case.case_number in approved.title


def test_opening_the_case_page_reads_its_notifications(personas: Personas, client_for) -> None:
    p = personas
    case = make_case(p.hotline, p.commune_a1)
    unread = Notification.objects.filter(recipient=p.officer_a1, read_at__isnull=True, target_id=str(case.pk))
    assert unread.exists()
    client_for(p.officer_a1).get(reverse("cases:detail", args=[case.pk]))
    assert not unread.exists()
    # Someone else's stay unread.
    assert Notification.objects.filter(recipient=p.chair_a1, read_at__isnull=True, target_id=str(case.pk)).exists()
