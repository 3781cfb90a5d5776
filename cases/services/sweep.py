"""The periodic deadline sweeps: flag overdue steps (once) and remind before a step falls due (once).

Each deadline is claimed with one conditional UPDATE inside its own transaction (childprotect/sweeps.py), together
with its timeline event, audit row and notifications: a second run, or two beat runs at once, find nothing
left to claim, and a failure on one case leaves the others done. Notifications name the case number and the
step, link by id, and never carry the child's data.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.utils import timezone

from cases.models import Case, CaseDeadline, CaseEventType
from cases.services.common import case_label, record_case_event
from childprotect.models import User
from childprotect.notification_kinds import NotificationKind
from childprotect.notifications import notify
from childprotect.sweeps import claim_each

logger = logging.getLogger(__name__)

SWEEP_BATCH = 500


def remind_window() -> datetime.timedelta:
    return datetime.timedelta(hours=int(getattr(settings, "CASE_DEADLINE_REMIND_HOURS", 24)))


def deadline_recipients(case: Case) -> list[User]:
    """The officer the case is assigned to and the chair(s) of the case's commune."""
    people: list[User] = []
    if case.assigned_officer is not None and case.assigned_officer.is_active:
        people.append(case.assigned_officer)
    chairs = User.objects.commune_chairs_of(case.commune_id)
    people.extend(chair for chair in chairs if chair.pk not in {p.pk for p in people})
    return people


def tell(deadline: CaseDeadline, kind: NotificationKind, *, dedupe_key: str) -> None:
    """The officer and the chair hear about one deadline of a case: its number, the step and when it is due."""
    case = deadline.case
    notify(
        deadline_recipients(case),
        kind=kind,
        params={"number": case_label(case), "step": deadline.step, "due": deadline.due_at},
        url=f"/cases/{case.pk}/",
        target=case,
        unit_path=case.unit_path,
        dedupe_key=dedupe_key,
    )


def flag_overdue_deadlines(now: datetime.datetime | None = None, limit: int = SWEEP_BATCH) -> int:
    """Flag each open deadline that is past due and not yet flagged; returns how many were flagged now."""
    now = now or timezone.now()
    overdue = CaseDeadline.objects.filter(met_at__isnull=True, flagged_overdue_at__isnull=True, due_at__lte=now)

    def flag(deadline: CaseDeadline) -> None:
        case = deadline.case
        record_case_event(
            case,
            actor=None,
            event_type=CaseEventType.DEADLINE_OVERDUE,
            details={"deadline_id": deadline.pk, "step": deadline.step, "due_at": deadline.due_at.isoformat()},
        )
        tell(deadline, NotificationKind.CASE_DEADLINE_OVERDUE, dedupe_key=f"overdue:{deadline.pk}")

    flagged = claim_each(
        overdue.order_by("due_at", "pk"),
        mark={"flagged_overdue_at": now},
        handle=flag,
        related=("case", "case__assigned_officer"),
        limit=limit,
    )
    if flagged:
        logger.info("deadline sweep: flagged %s overdue deadline(s)", flagged)
    return flagged


def remind_upcoming_deadlines(now: datetime.datetime | None = None, limit: int = SWEEP_BATCH) -> int:
    """Remind once about each open deadline falling due within CASE_DEADLINE_REMIND_HOURS; returns how many."""
    now = now or timezone.now()
    upcoming = CaseDeadline.objects.filter(
        met_at__isnull=True, reminded_at__isnull=True, due_at__gt=now, due_at__lte=now + remind_window()
    )

    def remind(deadline: CaseDeadline) -> None:
        tell(deadline, NotificationKind.CASE_DEADLINE_REMINDER, dedupe_key=f"remind:{deadline.pk}")

    return claim_each(
        upcoming.order_by("due_at", "pk"),
        mark={"reminded_at": now},
        handle=remind,
        related=("case", "case__assigned_officer"),
        limit=limit,
    )
