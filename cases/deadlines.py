"""Open, meet and track the statutory deadlines of a case; keep Case.next_deadline_at equal to the earliest
open one, so lists can filter "due soon" and "overdue" on one indexed column."""

from __future__ import annotations

import datetime

from django.utils import timezone

from cases.models import Case, CaseDeadline


def open_deadline(case: Case, step: str, due_at: datetime.datetime) -> CaseDeadline:
    deadline, created = CaseDeadline.objects.get_or_create(
        case=case, step=step, met_at__isnull=True, defaults={"due_at": due_at}
    )
    if not created and deadline.due_at != due_at:
        deadline.due_at = due_at
        deadline.save(update_fields=["due_at"])
    refresh_next_deadline(case)
    return deadline


def meet_deadline(case: Case, step: str, at: datetime.datetime | None = None) -> None:
    CaseDeadline.objects.filter(case=case, step=step, met_at__isnull=True).update(met_at=at or timezone.now())
    refresh_next_deadline(case)


def close_all_deadlines(case: Case) -> None:
    CaseDeadline.objects.filter(case=case, met_at__isnull=True).update(met_at=timezone.now())
    refresh_next_deadline(case)


def refresh_next_deadline(case: Case) -> None:
    nearest = CaseDeadline.objects.filter(case=case, met_at__isnull=True).order_by("due_at").first()
    case.next_deadline_at = nearest.due_at if nearest else None
    case.next_deadline_step = nearest.step if nearest else ""
    Case.objects.filter(pk=case.pk).update(
        next_deadline_at=case.next_deadline_at, next_deadline_step=case.next_deadline_step
    )
