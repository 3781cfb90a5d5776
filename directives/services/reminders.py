"""Reminders before each due date and the escalation of overdue occurrences (run by Celery beat).

- **Reminders**: settings.DIRECTIVE_REMINDER_DAYS (default (7, 1)) are the thresholds, in days before the due
  date. An open occurrence due within the largest threshold gets a reminder for the smallest threshold it has
  reached (due in 5 days → the 7-day reminder; due tomorrow → the 1-day one), once per occurrence and threshold:
  `reminded_days` records the smallest threshold sent, claimed with one conditional UPDATE
  (childprotect/sweeps.py). A job that did not run for a while sends only the most urgent reminder, not a burst
  of stale ones.
- **Escalation**: an open occurrence whose due date has passed is escalated once (`escalated_at`, claimed the
  same way) to the lead and to the province officers of the directive's province.
- "Open" is `TaskOccurrence.objects.open()`: not completed and not cancelled, so a due date a follow-up document
  took back (services/changes.py) is never reminded or escalated.

Recipients are the lead's users (services/common.py lead_users). Texts name the document and item and the due
date, and link to the task: no personal data. Each occurrence is handled in its own transaction, so a failure
leaves the others done, and notify()'s dedupe keys make a retry harmless.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from childprotect.notification_kinds import NotificationKind
from childprotect.notifications import notify
from childprotect.sweeps import claim, claim_each
from directives.models import TaskOccurrence
from directives.services.common import lead_users, province_officers, task_params, task_url

logger = logging.getLogger(__name__)

SWEEP_BATCH = 500
DEFAULT_REMINDER_DAYS = (7, 1)


def reminder_days() -> tuple[int, ...]:
    """The configured thresholds, largest first, without repeats or negatives."""
    raw = getattr(settings, "DIRECTIVE_REMINDER_DAYS", DEFAULT_REMINDER_DAYS) or ()
    return tuple(sorted({int(d) for d in raw if int(d) >= 0}, reverse=True))


def threshold_for(due_on: datetime.date, today: datetime.date, days: tuple[int, ...]) -> int | None:
    """The smallest threshold the occurrence has reached, or None if it is not yet within any."""
    left = (due_on - today).days
    reached = [d for d in days if left <= d]
    return min(reached) if reached and left >= 0 else None


OCCURRENCE_RELATED = ("task", "task__directive", "task__lead_agency", "task__lead_commune")


def remind_upcoming_occurrences(today: datetime.date | None = None, limit: int = SWEEP_BATCH) -> int:
    """Send the due reminders; returns how many occurrences were reminded now."""
    today = today or timezone.localdate()
    days = reminder_days()
    if not days:
        return 0
    candidates = list(
        TaskOccurrence.objects.open()
        .filter(due_on__gte=today, due_on__lte=today + datetime.timedelta(days=days[0]))
        .filter(Q(reminded_days__isnull=True) | Q(reminded_days__gt=days[-1]))
        .order_by("due_on", "pk")
        .values_list("pk", "due_on", "reminded_days")[:limit]
    )
    sent = 0
    for pk, due_on, already in candidates:
        if due_on is None:  # never: the filter above requires a due date
            continue
        threshold = threshold_for(due_on, today, days)
        if threshold is None or (already is not None and already <= threshold):
            continue
        open_and_not_yet = TaskOccurrence.objects.open().filter(
            Q(reminded_days__isnull=True) | Q(reminded_days__gt=threshold)
        )
        with transaction.atomic():
            occurrence = claim(open_and_not_yet, pk, related=OCCURRENCE_RELATED, reminded_days=threshold)
            if occurrence is None:
                continue  # completed meanwhile, or another run got there first
            task = occurrence.task
            notify(
                lead_users([task]),
                kind=NotificationKind.DIRECTIVE_TASK_REMINDER,
                params={**task_params(task), "due": due_on},
                url=task_url(task),
                target=task,
                unit_path=task.unit_path,
                dedupe_key=f"directive-remind:{pk}:{threshold}",
            )
        sent += 1
    return sent


def escalate_overdue_occurrences(today: datetime.date | None = None, limit: int = SWEEP_BATCH) -> int:
    """Escalate each open occurrence past its due date, once; returns how many were escalated now."""
    today = today or timezone.localdate()
    overdue = TaskOccurrence.objects.open().filter(escalated_at__isnull=True, due_on__lt=today)

    def escalate(occurrence: TaskOccurrence) -> None:
        task = occurrence.task
        people = lead_users([task])
        people += [p for p in province_officers(task.directive) if p.pk not in {q.pk for q in people}]
        notify(
            people,
            kind=NotificationKind.DIRECTIVE_TASK_OVERDUE,
            params={**task_params(task), "lead": task.lead_name, "due": occurrence.due_on or ""},
            url=task_url(task),
            target=task,
            unit_path=task.unit_path,
            dedupe_key=f"directive-overdue:{occurrence.pk}",
        )

    escalated = claim_each(
        overdue.order_by("due_on", "pk"),
        mark={"escalated_at": timezone.now()},
        handle=escalate,
        related=OCCURRENCE_RELATED,
        limit=limit,
    )
    if escalated:
        logger.info("directive sweep: escalated %s overdue occurrence(s)", escalated)
    return escalated
