"""Directive jobs, scheduled in childprotect/celery_schedule.py. Thin: each calls a service that claims its rows."""

from celery import shared_task

from directives.services.occurrences import extend_recurring_occurrences
from directives.services.reminders import escalate_overdue_occurrences, remind_upcoming_occurrences


@shared_task(ignore_result=True)
def remind_directive_deadlines_task() -> None:
    remind_upcoming_occurrences()


@shared_task(ignore_result=True)
def escalate_overdue_directive_tasks_task() -> None:
    escalate_overdue_occurrences()


@shared_task(ignore_result=True)
def extend_directive_occurrences_task() -> None:
    extend_recurring_occurrences()
