"""The status of a task: computed from facts, never typed, the same in Python and in SQL.

Per occurrence (one due date of a task; `due_on` may be empty for continuous or undated tasks):

- **done on time** — a completion report was submitted on or before the due date (or there is no due date);
- **done late** — a completion report was submitted after the due date;
- **overdue** — no completion, and the due date has passed (`due_on < today`; the due date itself is on time);
- **in progress** — no completion, not overdue, and at least one report has come in;
- **not started** — none of the above;
- **cancelled** — a follow-up document took the due date back before it was met (the task cancelled, handed to
  another lead, or re-dated): it is never overdue and no longer counted anywhere.

"Completion" is the submission of a report marked complete; the day counted is the day it was submitted, in
Vietnam's time zone. If the province officer returns that report for rework, the occurrence is no longer
complete (and is overdue again if its date has passed); accepting it changes nothing in the status.

Per task (lists and `?status=`): **cancelled** or **reassigned** once a follow-up document cancelled it or
handed it to another lead (services/changes.py); otherwise **overdue** if any occurrence is overdue; otherwise,
while an occurrence is still open, **in progress** if any open occurrence has a report, else **not started**;
once every occurrence is complete, **done late** if any was completed late, else **done on time**. Cancelled
occurrences take no part in any of this.
"""

from __future__ import annotations

import datetime

from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.fields import CharField

from directives.models.choices import TaskStatus


def occurrence_status(
    *,
    due_on: datetime.date | None,
    completed_on: datetime.date | None,
    has_report: bool,
    today: datetime.date,
    cancelled: bool = False,
) -> TaskStatus:
    if cancelled and completed_on is None:
        return TaskStatus.CANCELLED
    if completed_on is not None:
        if due_on is None or completed_on <= due_on:
            return TaskStatus.DONE_ON_TIME
        return TaskStatus.DONE_LATE
    if due_on is not None and due_on < today:
        return TaskStatus.OVERDUE
    if has_report:
        return TaskStatus.IN_PROGRESS
    return TaskStatus.NOT_STARTED


def occurrence_status_sql(today: datetime.date, prefix: str = "") -> Case:
    """The same rule as occurrence_status(), as a SQL CASE over TaskOccurrence columns (`prefix` leads from
    the queried model to the occurrence, e.g. "occurrence__")."""
    p = prefix
    return Case(
        When(
            Q(**{f"{p}cancelled_on__isnull": False, f"{p}completed_on__isnull": True}), then=Value(TaskStatus.CANCELLED)
        ),
        When(Q(**{f"{p}completed_on__isnull": False, f"{p}due_on__isnull": True}), then=Value(TaskStatus.DONE_ON_TIME)),
        When(
            Q(**{f"{p}completed_on__isnull": False, f"{p}completed_on__lte": F(f"{p}due_on")}),
            then=Value(TaskStatus.DONE_ON_TIME),
        ),
        When(Q(**{f"{p}completed_on__isnull": False}), then=Value(TaskStatus.DONE_LATE)),
        When(Q(**{f"{p}due_on__lt": today}), then=Value(TaskStatus.OVERDUE)),
        When(Q(**{f"{p}first_report_at__isnull": False}), then=Value(TaskStatus.IN_PROGRESS)),
        default=Value(TaskStatus.NOT_STARTED),
        output_field=CharField(),
    )


def task_status_sql(today: datetime.date) -> Case:
    """The task-level rule (module docstring) as a SQL CASE over DirectiveTask, with EXISTS subqueries on its
    occurrences (each one an index probe on (task, due_on))."""
    from directives.models import TaskOccurrence

    occurrences = TaskOccurrence.objects.filter(task=OuterRef("pk"), cancelled_on__isnull=True)
    open_ = occurrences.filter(completed_on__isnull=True)
    return Case(
        When(Q(cancelled_at__isnull=False, replaced_by__isnull=False), then=Value(TaskStatus.REASSIGNED)),
        When(cancelled_at__isnull=False, then=Value(TaskStatus.CANCELLED)),
        When(Exists(open_.filter(due_on__lt=today)), then=Value(TaskStatus.OVERDUE)),
        When(Exists(open_.filter(first_report_at__isnull=False)), then=Value(TaskStatus.IN_PROGRESS)),
        When(Exists(open_), then=Value(TaskStatus.NOT_STARTED)),
        When(Exists(occurrences.filter(completed_on__gt=F("due_on"))), then=Value(TaskStatus.DONE_LATE)),
        When(Exists(occurrences), then=Value(TaskStatus.DONE_ON_TIME)),
        default=Value(TaskStatus.NOT_STARTED),
        output_field=CharField(),
    )


def task_status(
    occurrence_statuses: list[TaskStatus], *, cancelled: bool = False, reassigned: bool = False
) -> TaskStatus:
    """The task-level rule in Python, from the statuses of its occurrences (for tests and single pages)."""
    if reassigned:
        return TaskStatus.REASSIGNED
    if cancelled:
        return TaskStatus.CANCELLED
    occurrence_statuses = [s for s in occurrence_statuses if s != TaskStatus.CANCELLED]
    if TaskStatus.OVERDUE in occurrence_statuses:
        return TaskStatus.OVERDUE
    open_ = [s for s in occurrence_statuses if s in (TaskStatus.IN_PROGRESS, TaskStatus.NOT_STARTED)]
    if open_:
        return TaskStatus.IN_PROGRESS if TaskStatus.IN_PROGRESS in open_ else TaskStatus.NOT_STARTED
    if TaskStatus.DONE_LATE in occurrence_statuses:
        return TaskStatus.DONE_LATE
    if occurrence_statuses:
        return TaskStatus.DONE_ON_TIME
    return TaskStatus.NOT_STARTED
