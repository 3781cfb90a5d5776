"""Changes after saving (directives/services/changes.py): add, hand over, re-date and cancel tasks, each with a
reason and the follow-up document, kept in the task's history, audited, notified to the lead, reflected in the
statuses and the compliance figures (a cancelled task is not overdue; a re-dated one keeps its first due date);
stale versions refused with nothing written."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from childprotect.errors import NotAllowed, RuleViolation, VersionConflict
from childprotect.models import AuditEvent, Notification
from directives.compliance import compliance_by_lead
from directives.models import (
    DeadlineKind,
    DirectiveTask,
    Frequency,
    TaskChange,
    TaskOccurrence,
    TaskStatus,
)
from directives.recurrence import DeadlineRule
from directives.services import (
    ChangeOrder,
    LeadChoice,
    do_add_task,
    do_cancel_task,
    do_reassign_task,
    do_redate_task,
    do_report_task,
)
from directives.services.reminders import escalate_overdue_occurrences, remind_upcoming_occurrences
from tests.directives.conftest import Departments, dated, make_directive, task_input

D = datetime.date
TODAY = D(2026, 3, 10)
ORDER = ChangeOrder(
    reason="Sở Y tế tiếp nhận chức năng bảo vệ trẻ em.", order_text="Công văn số 812/UBND-KGVX ngày 04/3/2026"
)
QUARTERLY = DeadlineRule(kind=DeadlineKind.RECURRING, frequency=Frequency.QUARTERLY, day=20, month=3)


def status_of(task: DirectiveTask) -> str:
    return DirectiveTask.objects.with_status(TODAY).get(pk=task.pk).status


def dues(task: DirectiveTask) -> list[datetime.date | None]:
    return list(TaskOccurrence.objects.open().filter(task=task).order_by("due_on").values_list("due_on", flat=True))


@pytest.fixture
def setup(dept: Departments):
    p = dept.p
    directive = make_directive(
        p.province_officer_a,
        task_input(LeadChoice(agency=dept.police), rule=dated(D(2026, 2, 1)), label="1"),  # overdue on TODAY
        task_input(LeadChoice(agency=dept.labour), rule=QUARTERLY, label="2"),
        task_input(LeadChoice(agency=dept.education), rule=dated(D(2026, 6, 30)), label="3"),
        issued_on=D(2025, 12, 1),
        today=D(2025, 12, 1),
    )
    tasks = {t.lead_agency.code: t for t in directive.tasks.select_related("lead_agency", "directive")}
    return directive, tasks


def test_cancelling_a_task_makes_it_not_overdue_anywhere(dept: Departments, setup) -> None:
    _directive, tasks = setup
    police = tasks["CA-19"]
    assert status_of(police) == TaskStatus.OVERDUE
    do_cancel_task(acting_user=dept.p.province_officer_a, task=police, expected_version=1, order=ORDER, today=TODAY)
    assert status_of(police) == TaskStatus.CANCELLED
    assert TaskOccurrence.objects.get(task=police).cancelled_on == TODAY
    rows = {
        r.code: r for r in compliance_by_lead(DirectiveTask.objects.all(), D(2026, 1, 1), D(2026, 12, 31), today=TODAY)
    }
    assert "CA-19" not in rows  # nothing of it counts: not overdue, not open
    overdue = DirectiveTask.objects.with_status(TODAY).filter(status=TaskStatus.OVERDUE)
    assert police.pk not in set(overdue.values_list("pk", flat=True))
    escalate_overdue_occurrences(TODAY)
    assert TaskOccurrence.objects.get(task=police).escalated_at is None  # no escalation for a cancelled due date

    change = TaskChange.objects.get(task=police)
    assert (change.kind, change.reason, change.order_number, change.order_symbol) == (
        "cancelled", ORDER.reason, "812", "UBND-KGVX",
    )  # fmt: skip
    assert change.order_issued_on == D(2026, 3, 4) and change.before["due"] == ["2026-02-01"]
    assert AuditEvent.objects.filter(target_type="directives.directivetask", target_id=str(police.pk)).exists()
    note = Notification.objects.get(kind="directive_task_changed")
    assert note.recipient.username == "police_a" and note.url == f"/directives/tasks/{police.pk}/"
    assert "812/UBND-KGVX" in note.body and ORDER.reason not in note.body  # the reason stays inside

    with pytest.raises(RuleViolation):  # nothing more to do on it
        do_cancel_task(acting_user=dept.p.province_officer_a, task=police, expected_version=2, order=ORDER)
    with pytest.raises(RuleViolation):
        do_report_task(acting_user=dept.p.police_a, task=police, text="Đã làm")


def test_handing_a_task_over_moves_its_open_due_dates_and_keeps_what_was_done(dept: Departments, setup) -> None:
    _directive, tasks = setup
    labour = tasks["SLDTBXH-19"]
    first = TaskOccurrence.objects.filter(task=labour).order_by("due_on").first()
    assert first.due_on == D(2025, 12, 20)
    with time_machine.travel(datetime.datetime(2025, 12, 15, 9, tzinfo=datetime.UTC), tick=False):
        do_report_task(acting_user=dept.labour_fp, task=labour, text="Xong quý 4", completes=True, occurrence=first)
    new = do_reassign_task(
        acting_user=dept.p.province_officer_a,
        task=labour,
        expected_version=1,
        lead=LeadChoice(agency=dept.health),
        order=ORDER,
        today=TODAY,
    )
    labour.refresh_from_db()
    assert labour.replaced_by == new and status_of(labour) == TaskStatus.REASSIGNED
    assert list(TaskOccurrence.objects.filter(task=labour).values_list("due_on", flat=True)) == [D(2025, 12, 20)]
    assert dues(new)[0] == D(2026, 3, 20) and new.lead_agency == dept.health and new.item_label == "2"
    assert status_of(new) == TaskStatus.NOT_STARTED
    rows = {
        r.code: r for r in compliance_by_lead(DirectiveTask.objects.all(), D(2025, 1, 1), D(2026, 12, 31), today=TODAY)
    }
    assert rows["SLDTBXH-19"].on_time == 1 and rows["SLDTBXH-19"].open == 0  # its own work, nothing left
    assert rows["SYT-19"].open >= 3 and rows["SYT-19"].on_time == 0
    assert set(TaskChange.objects.filter(kind="reassigned").values_list("task_id", flat=True)) == {labour.pk, new.pk}
    recipients = set(
        Notification.objects.filter(kind="directive_task_changed").values_list("recipient__username", flat=True)
    )
    assert "labour_a" in recipients  # the old lead hears where it went (the new one has no focal point here)

    with pytest.raises(ValidationError) as refused:  # the police already lead their own item, not this one…
        do_reassign_task(
            acting_user=dept.p.province_officer_a,
            task=new,
            expected_version=1,
            lead=LeadChoice(agency=dept.health),
            order=ORDER,
        )
    assert "lead" in refused.value.message_dict  # …and the health department leads it already


def test_a_redated_due_date_keeps_its_first_date(dept: Departments, setup) -> None:
    _directive, tasks = setup
    police = tasks["CA-19"]
    do_redate_task(
        acting_user=dept.p.province_officer_a,
        task=police,
        expected_version=1,
        rule=dated(D(2026, 4, 30)),
        order=ORDER,
        today=TODAY,
    )
    occurrence = TaskOccurrence.objects.get(task=police)
    assert (occurrence.due_on, occurrence.original_due_on) == (D(2026, 4, 30), D(2026, 2, 1))
    assert status_of(police) == TaskStatus.NOT_STARTED  # no longer overdue
    police.refresh_from_db()
    assert police.deadline_date == D(2026, 4, 30) and police.version == 2
    change = TaskChange.objects.get(task=police)
    assert change.before["due"] == ["2026-02-01"] and change.after["due"] == ["2026-04-30"]

    do_redate_task(
        acting_user=dept.p.province_officer_a,
        task=police,
        expected_version=2,
        rule=dated(D(2026, 5, 15)),
        order=ORDER,
        today=TODAY,
    )
    occurrence.refresh_from_db()
    assert (occurrence.due_on, occurrence.original_due_on) == (D(2026, 5, 15), D(2026, 2, 1))  # still the first


def test_a_recurring_task_redated_from_a_day_on_keeps_the_past(dept: Departments, setup) -> None:
    _directive, tasks = setup
    labour = tasks["SLDTBXH-19"]
    monthly = DeadlineRule(kind=DeadlineKind.RECURRING, frequency=Frequency.MONTHLY, day=25)
    do_redate_task(
        acting_user=dept.p.province_officer_a,
        task=labour,
        expected_version=1,
        rule=monthly,
        order=ORDER,
        effective_from=D(2026, 4, 1),
        today=TODAY,
    )
    open_dues = dues(labour)
    assert open_dues[:4] == [D(2025, 12, 20), D(2026, 3, 20), D(2026, 4, 25), D(2026, 5, 25)]
    assert D(2026, 6, 20) not in open_dues and D(2026, 6, 25) in open_dues
    moved = TaskOccurrence.objects.get(task=labour, due_on=D(2026, 4, 25))
    assert moved.original_due_on == D(2026, 6, 20)  # the June quarter's due date, moved to the first new one
    assert not TaskOccurrence.objects.filter(task=labour, due_on=D(2026, 6, 20), cancelled_on__isnull=True).exists()


def test_adding_a_task_locks_on_the_directive_and_notifies_its_lead(dept: Departments, setup) -> None:
    directive, _tasks = setup
    added = do_add_task(
        acting_user=dept.p.province_officer_a,
        directive=directive,
        expected_version=1,
        task=task_input(
            LeadChoice(agency=dept.education),
            text="Tập huấn phòng chống xâm hại.",
            label="4",
            rule=dated(D(2026, 9, 30)),
        ),
        order=ORDER,
        today=TODAY,
    )
    assert len(added) == 1 and added[0].position == 4 and added[0].item_label == "4"
    assert dues(added[0]) == [D(2026, 9, 30)]
    assert TaskChange.objects.get(task=added[0]).kind == "added"
    assert Notification.objects.filter(kind="directive_task_changed", recipient=dept.education_fp).exists()
    with pytest.raises(VersionConflict):  # another officer's add, on the version before
        do_add_task(
            acting_user=dept.p.province_officer_a,
            directive=directive,
            expected_version=1,
            task=task_input(LeadChoice(agency=dept.finance), label="5"),
            order=ORDER,
        )
    assert directive.tasks.count() == 4


def test_a_stale_version_writes_nothing(dept: Departments, setup) -> None:
    _directive, tasks = setup
    police = tasks["CA-19"]
    do_redate_task(
        acting_user=dept.p.province_officer_a, task=police, expected_version=1, rule=dated(D(2026, 4, 30)), order=ORDER
    )
    stale = DirectiveTask.objects.select_related("lead_agency", "directive").get(pk=police.pk)
    with pytest.raises(VersionConflict) as conflict:
        do_cancel_task(acting_user=dept.p.province_officer_a, task=stale, expected_version=1, order=ORDER)
    assert conflict.value.version == 2
    stale.refresh_from_db()
    assert stale.cancelled_at is None and TaskChange.objects.filter(task=police).count() == 1
    assert not TaskOccurrence.objects.filter(task=police, cancelled_on__isnull=False).exists()


def test_a_change_needs_a_reason_and_the_follow_up_document(dept: Departments, setup) -> None:
    _directive, tasks = setup
    with pytest.raises(ValidationError) as refused:
        do_cancel_task(
            acting_user=dept.p.province_officer_a,
            task=tasks["CA-19"],
            expected_version=1,
            order=ChangeOrder(reason=" ", order_text=""),
        )
    assert set(refused.value.message_dict) == {"reason", "order_text"}


@pytest.mark.parametrize("who", ["officer_a1", "chair_a1", "police_a", "province_officer_b", "admin"])
def test_only_the_provinces_officers_change_tasks(dept: Departments, setup, who: str) -> None:
    _directive, tasks = setup
    with pytest.raises(NotAllowed):
        do_cancel_task(acting_user=getattr(dept.p, who), task=tasks["CA-19"], expected_version=1, order=ORDER)
    assert not TaskChange.objects.exists()


def test_reminders_skip_cancelled_due_dates(dept: Departments, setup) -> None:
    _directive, tasks = setup
    education = tasks["SGDDT-19"]
    do_cancel_task(acting_user=dept.p.province_officer_a, task=education, expected_version=1, order=ORDER)
    assert remind_upcoming_occurrences(D(2026, 6, 29)) == 0


def test_the_dashboard_and_periodic_figures_follow_the_changes(dept: Departments, setup, client_for) -> None:
    """reporting/figures/directive_tasks.py reads compliance_by_lead: a cancelled task leaves the overdue count."""
    _directive, tasks = setup
    client = client_for(dept.p.province_officer_a)

    def overdue() -> int:
        data = client.get("/api/v1/dashboard/", {"unit": "19", "from": "2026-01-01", "to": "2026-12-31"}).json()
        return data["totals"]["directive_deadlines_overdue"]

    before = overdue()
    assert before >= 1  # the police task, due 01/02/2026
    do_cancel_task(acting_user=dept.p.province_officer_a, task=tasks["CA-19"], expected_version=1, order=ORDER)
    assert overdue() == before - 1
