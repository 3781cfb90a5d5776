"""The periodic escalation of unanswered referrals: a referral still "sent" past its response time is flagged
overdue, once, with a timeline event, and the province officers of the case's province are told (in the app and
by email), as are the sender's side and the agency's focal points.

Each referral is claimed with one conditional UPDATE inside its own transaction (childprotect/sweeps.py), with
its event and notifications: a second run, or two runs at once, find nothing left to claim; an answer that
arrives meanwhile wins (the claim requires the status to still be "sent"). Notifications carry the case number
and the agency, never child data.
"""

from __future__ import annotations

import datetime
import logging

from django.urls import reverse
from django.utils import timezone

from cases.models import Referral
from cases.services.referrals import record_referral_event, referral_params, tell_agency, tell_sender_side
from childprotect.models import User
from childprotect.notification_kinds import NotificationKind
from childprotect.notifications import notify
from childprotect.sweeps import claim_each

logger = logging.getLogger(__name__)

SWEEP_BATCH = 500


def province_officers_of(referral: Referral) -> list[User]:
    return list(User.objects.province_officers_of(referral.case.province_id))


def flag_overdue_referrals(now: datetime.datetime | None = None, limit: int = SWEEP_BATCH) -> int:
    """Flag and escalate each unanswered referral past its due time; returns how many were flagged now."""
    now = now or timezone.now()
    overdue = Referral.objects.unanswered_past_due(now).filter(flagged_overdue_at__isnull=True)

    def escalate(referral: Referral) -> None:
        record_referral_event(referral, None, "overdue", due_at=referral.due_at.isoformat())
        overdue_params = {"urgency": referral.urgency, "due": referral.due_at}
        notify(
            province_officers_of(referral),
            kind=NotificationKind.REFERRAL_OVERDUE,
            params={**referral_params(referral), **overdue_params},
            url=reverse("cases:detail", args=[referral.case_id]) + "#referrals",
            target=referral,
            unit_path=referral.case.unit_path,
            dedupe_key=f"referral-overdue:{referral.pk}",
        )
        tell_sender_side(referral, NotificationKind.REFERRAL_OVERDUE, variant="sender", **overdue_params)
        tell_agency(
            referral,
            NotificationKind.REFERRAL_OVERDUE,
            variant="agency",
            dedupe_key=f"referral-overdue-agency:{referral.pk}",
            **overdue_params,
        )

    flagged = claim_each(
        overdue.order_by("due_at", "pk"),
        mark={"flagged_overdue_at": now},
        handle=escalate,
        related=("case", "agency", "agency__unit", "sent_by"),
        limit=limit,
    )
    if flagged:
        logger.info("referral sweep: flagged %s overdue referral(s)", flagged)
    return flagged
