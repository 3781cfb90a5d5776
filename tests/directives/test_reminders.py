"""Reminders N days before each due date and the overdue escalation: once per occurrence and threshold,
idempotent, to the lead (and the province officers for escalations), by email without personal data; the
nightly extension of recurring due dates; the beat schedule names tasks that exist."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.core import mail

from childprotect.celery_schedule import BEAT_SCHEDULE
from childprotect.models import Notification
from childprotect.notifications import deliver_email
from directives.models import DeadlineKind, Frequency, TaskOccurrence
from directives.recurrence import DeadlineRule
from directives.services import LeadChoice, do_report_task
from directives.services.occurrences import extend_recurring_occurrences
from directives.services.reminders import escalate_overdue_occurrences, remind_upcoming_occurrences, threshold_for
from tests.directives.conftest import Departments, dated, make_directive, task_input

D = datetime.date
DUE = D(2025, 3, 20)
TASK_TEXT = "Rà soát, xử lý dứt điểm các vụ việc bạo lực, xâm hại trẻ em còn tồn đọng."


@pytest.fixture(autouse=True)
def _reminder_days(settings) -> None:
    settings.DIRECTIVE_REMINDER_DAYS = (7, 1)


def _kinds(username: str) -> list[str]:
    return list(Notification.objects.filter(recipient__username=username).order_by("pk").values_list("kind", flat=True))


def test_threshold_rule() -> None:
    days = (7, 1)
    assert threshold_for(DUE, DUE - datetime.timedelta(days=8), days) is None
    assert threshold_for(DUE, DUE - datetime.timedelta(days=7), days) == 7
    assert threshold_for(DUE, DUE - datetime.timedelta(days=2), days) == 7
    assert threshold_for(DUE, DUE - datetime.timedelta(days=1), days) == 1
    assert threshold_for(DUE, DUE, days) == 1
    assert threshold_for(DUE, DUE + datetime.timedelta(days=1), days) is None


def test_reminders_at_7_and_1_days_then_one_escalation(dept: Departments) -> None:
    p = dept.p
    make_directive(
        p.province_officer_a,
        task_input(
            LeadChoice(agency=dept.police),
            LeadChoice(agency=dept.education),
            text=TASK_TEXT,
            label="3",
            rule=dated(DUE),
        ),
        today=D(2025, 1, 1),
    )
    Notification.objects.all().delete()  # the "new tasks" notices
    assert remind_upcoming_occurrences(today=DUE - datetime.timedelta(days=10)) == 0
    assert remind_upcoming_occurrences(today=DUE - datetime.timedelta(days=7)) == 2
    assert remind_upcoming_occurrences(today=DUE - datetime.timedelta(days=7)) == 0  # same day again: nothing
    assert remind_upcoming_occurrences(today=DUE - datetime.timedelta(days=5)) == 0  # 7-day one already sent
    # The education department completes; only the police is reminded the day before.
    education_task = TaskOccurrence.objects.get(task__lead_agency=dept.education).task
    do_report_task(acting_user=dept.education_fp, task=education_task, text="Xong", completes=True)
    assert remind_upcoming_occurrences(today=DUE - datetime.timedelta(days=1)) == 1
    assert remind_upcoming_occurrences(today=DUE) == 0
    assert _kinds("police_a") == ["directive_task_reminder", "directive_task_reminder"]
    assert _kinds("education_a") == ["directive_task_reminder"]

    assert escalate_overdue_occurrences(today=DUE) == 0  # due today is not overdue
    assert escalate_overdue_occurrences(today=DUE + datetime.timedelta(days=1)) == 1
    assert escalate_overdue_occurrences(today=DUE + datetime.timedelta(days=9)) == 0  # once only
    assert _kinds("police_a")[-1] == "directive_task_overdue"
    escalation = Notification.objects.get(kind="directive_task_overdue", recipient=p.province_officer_a)
    assert "5310/UBND-KGVX" in escalation.title and "20/03/2025" in escalation.title
    assert escalation.url.startswith("/directives/tasks/")

    # The emails name the document, item and date; never the task's text (or anything else typed).
    reminder = Notification.objects.filter(kind="directive_task_reminder", recipient__username="police_a").first()
    assert deliver_email(reminder.pk) and deliver_email(escalation.pk)
    for message in mail.outbox:
        assert "5310/UBND-KGVX" in message.subject
        assert "xâm hại" not in message.body and "xâm hại" not in message.subject
        assert "/directives/tasks/" in message.body


def test_a_late_run_sends_only_the_most_urgent_reminder(dept: Departments) -> None:
    make_directive(
        dept.p.province_officer_a, task_input(LeadChoice(agency=dept.police), rule=dated(DUE)), today=D(2025, 1, 1)
    )
    assert remind_upcoming_occurrences(today=DUE - datetime.timedelta(days=1)) == 1
    assert remind_upcoming_occurrences(today=DUE - datetime.timedelta(days=1)) == 0
    occurrence = TaskOccurrence.objects.get()
    assert occurrence.reminded_days == 1
    assert Notification.objects.filter(kind="directive_task_reminder").count() == 1


def test_recurring_due_dates_are_extended_nightly_and_idempotently(dept: Departments) -> None:
    rule = DeadlineRule(kind=DeadlineKind.RECURRING, frequency=Frequency.ANNUAL, day=15, month=11)
    directive = make_directive(
        dept.p.province_officer_a,
        task_input(LeadChoice(agency=dept.labour), rule=rule),
        issued_on=D(2024, 2, 1),
        today=D(2024, 2, 1),
    )
    task = directive.tasks.get()
    assert [o.due_on for o in task.occurrences.order_by("due_on")] == [D(2024, 11, 15), D(2025, 11, 15)]
    assert extend_recurring_occurrences(today=D(2024, 12, 31)) == 0
    assert extend_recurring_occurrences(today=D(2025, 1, 1)) == 1
    assert extend_recurring_occurrences(today=D(2025, 1, 1)) == 0
    assert [o.due_on for o in task.occurrences.order_by("due_on")][-1] == D(2026, 11, 15)
    task.refresh_from_db()
    assert task.occurrences_until == D(2026, 12, 31)


def test_recurrence_stops_at_its_end_date(dept: Departments) -> None:
    rule = DeadlineRule(kind=DeadlineKind.RECURRING, frequency=Frequency.QUARTERLY, day=20, month=3)
    directive = make_directive(
        dept.p.province_officer_a,
        task_input(LeadChoice(agency=dept.labour), rule=rule, recurs_until=D(2024, 12, 31)),
        issued_on=D(2024, 1, 5),
        today=D(2024, 1, 5),
    )
    task = directive.tasks.get()
    dates = [D(2024, 3, 20), D(2024, 6, 20), D(2024, 9, 20), D(2024, 12, 20)]
    assert [o.due_on for o in task.occurrences.order_by("due_on")] == dates
    assert extend_recurring_occurrences(today=D(2026, 1, 1)) == 0


def test_the_beat_schedule_names_the_directive_tasks() -> None:
    names = {entry["task"] for entry in BEAT_SCHEDULE.values()}
    expected = {
        "directives.tasks.remind_directive_deadlines_task",
        "directives.tasks.escalate_overdue_directive_tasks_task",
        "directives.tasks.extend_directive_occurrences_task",
    }
    assert expected <= names
    module = importlib.import_module("directives.tasks")
    for name in expected:
        assert callable(getattr(module, name.rsplit(".", 1)[1]))


def test_the_celery_tasks_run_the_sweeps(dept: Departments, time_machine) -> None:
    from directives.tasks import (
        escalate_overdue_directive_tasks_task,
        extend_directive_occurrences_task,
        remind_directive_deadlines_task,
    )

    make_directive(
        dept.p.province_officer_a, task_input(LeadChoice(agency=dept.police), rule=dated(DUE)), today=D(2025, 1, 1)
    )
    time_machine.move_to(datetime.datetime(2025, 3, 19, 9, tzinfo=datetime.UTC), tick=False)
    remind_directive_deadlines_task()
    time_machine.move_to(datetime.datetime(2025, 3, 22, 9, tzinfo=datetime.UTC), tick=False)
    escalate_overdue_directive_tasks_task()
    extend_directive_occurrences_task()
    assert _kinds("police_a")[-2:] == ["directive_task_reminder", "directive_task_overdue"]
