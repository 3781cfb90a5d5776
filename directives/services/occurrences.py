"""Materialise the due dates of tasks as TaskOccurrence rows, so per-occurrence status is plain SQL.

A dated task gets its one occurrence; a continuous or undated task one occurrence with no due date; a
recurring task one occurrence per due date from `recurs_from` up to the horizon (the end of next year) or its
`recurs_until`, whichever is first. The daily job `extend_recurring_occurrences` moves the horizon on. Inserts
ignore rows that already exist (unique per task and due date), so running it twice, or at the same time as
another run, adds nothing twice.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from directives.models import DeadlineKind, DirectiveTask, TaskOccurrence
from directives.recurrence import DeadlineRule, due_dates

EXTEND_BATCH = 500


def horizon(today: datetime.date) -> datetime.date:
    """Recurring occurrences exist up to the end of next year: the board always shows the coming ones."""
    return datetime.date(today.year + 1, 12, 31)


def _recurring_end(task: DirectiveTask, today: datetime.date) -> datetime.date:
    end = horizon(today)
    return min(end, task.recurs_until) if task.recurs_until else end


def initial_occurrences(task: DirectiveTask, today: datetime.date) -> list[TaskOccurrence]:
    """The occurrence rows of a new task (not saved); sets `task.occurrences_until` for recurring ones."""
    rule = DeadlineRule.of_task(task)
    if task.deadline_kind == DeadlineKind.DATE:
        return [TaskOccurrence(task=task, due_on=task.deadline_date)]
    if task.deadline_kind == DeadlineKind.RECURRING:
        start = task.recurs_from or today
        end = _recurring_end(task, today)
        task.occurrences_until = end
        return [TaskOccurrence(task=task, due_on=due) for due in due_dates(rule, start, end)]
    return [TaskOccurrence(task=task, due_on=None)]


def create_occurrences(tasks: Iterable[DirectiveTask], today: datetime.date) -> int:
    """Insert the occurrences of freshly created tasks (one INSERT for all of them)."""
    rows: list[TaskOccurrence] = []
    recurring: list[DirectiveTask] = []
    for task in tasks:
        rows.extend(initial_occurrences(task, today))
        if task.deadline_kind == DeadlineKind.RECURRING:
            recurring.append(task)
    TaskOccurrence.objects.bulk_create(rows, ignore_conflicts=True)
    if recurring:
        DirectiveTask.objects.bulk_update(recurring, ["occurrences_until"])
    return len(rows)


def extend_recurring_occurrences(today: datetime.date | None = None, limit: int = EXTEND_BATCH) -> int:
    """Add the occurrences of recurring tasks up to the current horizon; returns how many rows were added."""
    today = today or timezone.localdate()
    end = horizon(today)
    stale = DirectiveTask.objects.recurring_behind(end).order_by("pk")
    added = 0
    for task in stale[:limit]:
        with transaction.atomic():
            start = (task.occurrences_until or today) + datetime.timedelta(days=1)
            new_end = _recurring_end(task, today)
            rows = [
                TaskOccurrence(task=task, due_on=due) for due in due_dates(DeadlineRule.of_task(task), start, new_end)
            ]
            TaskOccurrence.objects.bulk_create(rows, ignore_conflicts=True)
            DirectiveTask.objects.filter(pk=task.pk).update(occurrences_until=new_end)
            added += len(rows)
    return added
