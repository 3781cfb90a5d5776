"""Status is computed, never typed: on time vs late (by the day, in Vietnam's time zone), overdue, in progress,
per occurrence of recurring tasks — and the SQL rule gives exactly what the Python rule gives."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine

from directives.models import DeadlineKind, DirectiveTask, Frequency, TaskOccurrence, TaskStatus
from directives.recurrence import DeadlineRule
from directives.services import LeadChoice, do_report_task, do_return_report
from directives.status import occurrence_status, task_status
from tests.directives.conftest import Departments, dated, make_directive, task_input

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
D = datetime.date
DUE = D(2024, 11, 15)

S = TaskStatus


@pytest.mark.parametrize(
    ("due_on", "completed_on", "has_report", "today", "expected"),
    [
        (DUE, DUE, True, D(2024, 12, 1), S.DONE_ON_TIME),  # on the due date itself: on time
        (DUE, D(2024, 11, 1), True, D(2024, 12, 1), S.DONE_ON_TIME),
        (DUE, D(2024, 11, 16), True, D(2024, 12, 1), S.DONE_LATE),
        (DUE, None, False, D(2024, 11, 15), S.NOT_STARTED),  # due today: not yet overdue
        (DUE, None, False, D(2024, 11, 16), S.OVERDUE),
        (DUE, None, True, D(2024, 11, 16), S.OVERDUE),  # a progress report does not stop the clock
        (DUE, None, True, D(2024, 11, 1), S.IN_PROGRESS),
        (None, None, False, D(2030, 1, 1), S.NOT_STARTED),  # continuous: never overdue
        (None, None, True, D(2030, 1, 1), S.IN_PROGRESS),
        (None, D(2030, 1, 1), True, D(2030, 1, 1), S.DONE_ON_TIME),
    ],
)
def test_occurrence_status_rule(due_on, completed_on, has_report, today, expected) -> None:
    assert occurrence_status(due_on=due_on, completed_on=completed_on, has_report=has_report, today=today) == expected


def test_task_status_rule() -> None:
    assert task_status([S.DONE_ON_TIME, S.OVERDUE, S.NOT_STARTED]) == S.OVERDUE
    assert task_status([S.DONE_ON_TIME, S.IN_PROGRESS, S.NOT_STARTED]) == S.IN_PROGRESS
    assert task_status([S.DONE_LATE, S.NOT_STARTED]) == S.NOT_STARTED
    assert task_status([S.DONE_ON_TIME, S.DONE_LATE]) == S.DONE_LATE
    assert task_status([S.DONE_ON_TIME]) == S.DONE_ON_TIME


def _report(user, task, *, at: datetime.datetime, completes: bool = True, occurrence=None):
    with time_machine.travel(at, tick=False):
        return do_report_task(
            acting_user=user,
            task=task,
            text="Đã tổ chức hội nghị triển khai.",
            completes=completes,
            occurrence=occurrence,
        )


def _sql_statuses(today: datetime.date) -> dict[int, str]:
    return dict(DirectiveTask.objects.with_status(today).values_list("pk", "status"))


def _python_status(task: DirectiveTask, today: datetime.date) -> str:
    return task_status(
        [
            occurrence_status(
                due_on=o.due_on, completed_on=o.completed_on, has_report=o.first_report_at is not None, today=today
            )
            for o in task.occurrences.all()
        ]
    )


def test_completion_on_the_due_date_is_on_time_and_the_day_after_is_late(dept: Departments) -> None:
    p = dept.p
    directive = make_directive(
        p.province_officer_a,
        task_input(
            LeadChoice(agency=dept.education),
            LeadChoice(agency=dept.labour),
            LeadChoice(agency=dept.police),
            rule=dated(DUE),
        ),
        today=D(2024, 11, 1),
    )
    education, labour, police = directive.tasks.order_by("pk")
    # 23:30 on the due date in Vietnam (16:30 UTC): on time. 00:10 the next day (still the 15th in UTC): late.
    _report(dept.education_fp, education, at=datetime.datetime(2024, 11, 15, 23, 30, tzinfo=VN))
    _report(dept.labour_fp, labour, at=datetime.datetime(2024, 11, 16, 0, 10, tzinfo=VN))
    today = D(2024, 11, 20)
    statuses = _sql_statuses(today)
    assert statuses[education.pk] == S.DONE_ON_TIME
    assert statuses[labour.pk] == S.DONE_LATE
    assert statuses[police.pk] == S.OVERDUE
    assert TaskOccurrence.objects.get(task=labour).completed_on == D(2024, 11, 16)
    # Before the due date passed, the police task was merely not started.
    assert _sql_statuses(D(2024, 11, 15))[police.pk] == S.NOT_STARTED
    for task in (education, labour, police):
        assert _python_status(task, today) == statuses[task.pk]


def test_a_returned_completion_reopens_the_occurrence(dept: Departments) -> None:
    p = dept.p
    directive = make_directive(p.province_officer_a, task_input(LeadChoice(agency=dept.education), rule=dated(DUE)))
    task = directive.tasks.get()
    progress = _report(dept.education_fp, task, at=datetime.datetime(2024, 11, 1, 9, tzinfo=VN), completes=False)
    assert _sql_statuses(D(2024, 11, 2))[task.pk] == S.IN_PROGRESS
    done = _report(dept.education_fp, task, at=datetime.datetime(2024, 11, 10, 9, tzinfo=VN))
    assert _sql_statuses(D(2024, 11, 20))[task.pk] == S.DONE_ON_TIME
    do_return_report(acting_user=p.province_officer_a, report=done, reason="Thiếu số liệu kèm theo.")
    assert _sql_statuses(D(2024, 11, 20))[task.pk] == S.OVERDUE
    assert _sql_statuses(D(2024, 11, 12))[task.pk] == S.IN_PROGRESS  # the progress report still counts as started
    assert progress.occurrence_id == done.occurrence_id


def test_recurring_tasks_have_a_status_per_occurrence(dept: Departments) -> None:
    p = dept.p
    rule = DeadlineRule(kind=DeadlineKind.RECURRING, frequency=Frequency.SEMIANNUAL, day=15, month=5)
    directive = make_directive(
        p.province_officer_a,
        task_input(LeadChoice(agency=dept.labour), rule=rule),
        issued_on=D(2024, 3, 5),
        today=D(2024, 3, 6),
    )
    task = directive.tasks.get()
    occurrences = list(task.occurrences.order_by("due_on"))
    # From the directive's date to the end of next year: 15/5 and 15/11 of 2024 and 2025.
    assert [o.due_on for o in occurrences] == [D(2024, 5, 15), D(2024, 11, 15), D(2025, 5, 15), D(2025, 11, 15)]
    _report(dept.labour_fp, task, at=datetime.datetime(2024, 5, 14, 10, tzinfo=VN))  # the first open one: 15/5
    today = D(2024, 11, 20)
    by_due = dict(TaskOccurrence.objects.filter(task=task).with_status(today).values_list("due_on", "status"))
    assert by_due == {
        D(2024, 5, 15): S.DONE_ON_TIME,
        D(2024, 11, 15): S.OVERDUE,
        D(2025, 5, 15): S.NOT_STARTED,
        D(2025, 11, 15): S.NOT_STARTED,
    }
    assert _sql_statuses(today)[task.pk] == S.OVERDUE
    # The 15/11 report comes in a day late; the task is then waiting for the next period.
    _report(dept.labour_fp, task, at=datetime.datetime(2024, 11, 16, 10, tzinfo=VN))
    assert _sql_statuses(today)[task.pk] == S.NOT_STARTED
    assert (
        dict(TaskOccurrence.objects.filter(task=task).with_status(today).values_list("due_on", "status"))[
            D(2024, 11, 15)
        ]
        == S.DONE_LATE
    )
    assert _python_status(task, today) == S.NOT_STARTED


def test_continuous_tasks_are_never_overdue(dept: Departments) -> None:
    p = dept.p
    directive = make_directive(
        p.province_officer_a,
        task_input(LeadChoice(agency=dept.education), rule=DeadlineRule(kind=DeadlineKind.CONTINUOUS)),
    )
    task = directive.tasks.get()
    assert list(task.occurrences.values_list("due_on", flat=True)) == [None]
    assert _sql_statuses(D(2040, 1, 1))[task.pk] == S.NOT_STARTED
    _report(dept.education_fp, task, at=datetime.datetime(2025, 1, 2, 9, tzinfo=VN), completes=False)
    assert _sql_statuses(D(2040, 1, 1))[task.pk] == S.IN_PROGRESS
