"""The deadline sweeps: an overdue step is flagged once, with one timeline event and one notification each for
the assigned officer and the commune chair; a step falling due soon is reminded once, within the window."""

from __future__ import annotations

import datetime

import pytest

from cases.models import Case, CaseDeadline, CaseEvent, CaseEventType, ReportChannel
from cases.services.intake import ReporterInput
from cases.services.sweep import flag_overdue_deadlines, remind_upcoming_deadlines
from childprotect.models import AuditEvent, Notification
from tests.cases.conftest import MONDAY, at
from tests.conftest import make_case
from tests.personas import Personas

RECEIVED = MONDAY
CHILD_NAME = "Trần Văn Bình"
pytestmark = pytest.mark.usefixtures("no_broker")


@pytest.fixture
def case(personas: Personas) -> Case:
    return make_case(
        personas.officer_a1,
        personas.commune_a1,
        CHILD_NAME,
        received_at=RECEIVED,
        at_receipt=True,
        age=10,
        sex="unknown",
        summary="",
        reporter=ReporterInput(channel=ReportChannel.PHONE),
    )


def test_an_overdue_step_is_flagged_once_and_the_officer_and_chair_told_once(personas: Personas, case: Case) -> None:
    deadline = case.deadlines.get()
    with at(deadline.due_at - datetime.timedelta(minutes=1)):
        assert flag_overdue_deadlines() == 0
    with at(deadline.due_at + datetime.timedelta(minutes=5)):
        assert flag_overdue_deadlines() == 1
        assert flag_overdue_deadlines() == 0
    with at(deadline.due_at + datetime.timedelta(days=2)):
        assert flag_overdue_deadlines() == 0

    deadline.refresh_from_db()
    assert deadline.flagged_overdue_at == deadline.due_at + datetime.timedelta(minutes=5)
    events = CaseEvent.objects.filter(case=case, event_type=CaseEventType.DEADLINE_OVERDUE)
    assert events.count() == 1
    assert events.get().details["deadline_id"] == deadline.pk
    assert AuditEvent.objects.filter(target_id=str(case.pk), details__event="deadline_overdue").count() == 1

    overdue = Notification.objects.filter(kind="case_deadline_overdue")
    assert sorted(overdue.values_list("recipient__username", flat=True)) == ["chair_a1", "officer_a1"]
    note = overdue.first()
    assert note is not None
    assert note.title == f"Hồ sơ {case.case_number}: quá hạn bước «Xây dựng kế hoạch»"
    assert note.url == f"/cases/{case.pk}/"
    assert CHILD_NAME not in note.title + note.body


def test_a_second_flag_of_the_same_deadline_never_notifies_twice(personas: Personas, case: Case) -> None:
    deadline = case.deadlines.get()
    with at(deadline.due_at + datetime.timedelta(minutes=5)):
        flag_overdue_deadlines()
        # Even if the flag were lost (restored backup, manual fix), the dedupe key keeps the notifications single.
        CaseDeadline.objects.filter(pk=deadline.pk).update(flagged_overdue_at=None)
        assert flag_overdue_deadlines() == 1
    assert Notification.objects.filter(kind="case_deadline_overdue").count() == 2


def test_a_met_deadline_is_not_flagged(case: Case) -> None:
    deadline = case.deadlines.get()
    CaseDeadline.objects.filter(pk=deadline.pk).update(met_at=deadline.due_at - datetime.timedelta(hours=1))
    with at(deadline.due_at + datetime.timedelta(hours=1)):
        assert flag_overdue_deadlines() == 0
        assert remind_upcoming_deadlines() == 0
    assert not Notification.objects.exists()


def test_a_reminder_goes_once_within_the_window(personas: Personas, case: Case, settings) -> None:
    settings.CASE_DEADLINE_REMIND_HOURS = 24
    deadline = case.deadlines.get()
    with at(deadline.due_at - datetime.timedelta(hours=30)):
        assert remind_upcoming_deadlines() == 0
    with at(deadline.due_at - datetime.timedelta(hours=23)):
        assert remind_upcoming_deadlines() == 1
        assert remind_upcoming_deadlines() == 0
    with at(deadline.due_at - datetime.timedelta(hours=1)):
        assert remind_upcoming_deadlines() == 0
    deadline.refresh_from_db()
    assert deadline.reminded_at == deadline.due_at - datetime.timedelta(hours=23)
    reminders = Notification.objects.filter(kind="case_deadline_reminder")
    assert sorted(reminders.values_list("recipient__username", flat=True)) == ["chair_a1", "officer_a1"]
    assert all(r.dedupe_key == f"remind:{deadline.pk}:{r.recipient_id}" for r in reminders)
    # Past due, the step is no longer "upcoming": the overdue sweep takes over.
    with at(deadline.due_at + datetime.timedelta(minutes=1)):
        assert remind_upcoming_deadlines() == 0


def test_the_reminder_window_is_a_setting(case: Case, settings) -> None:
    settings.CASE_DEADLINE_REMIND_HOURS = 48
    deadline = case.deadlines.get()
    with at(deadline.due_at - datetime.timedelta(hours=30)):
        assert remind_upcoming_deadlines() == 1


def test_nobody_outside_the_commune_is_told(personas: Personas, case: Case) -> None:
    deadline = case.deadlines.get()
    with at(deadline.due_at + datetime.timedelta(minutes=5)):
        flag_overdue_deadlines()
    assert not Notification.objects.exclude(recipient__in=[personas.officer_a1, personas.chair_a1]).exists()
