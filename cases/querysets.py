"""Who sees which case (architecture.md, "Access"): one rule, used by every page, endpoint, export and report.

- Commune officers and chairs see the cases of their commune, province officers those of every commune of
  their province (jurisdiction prefix on `Case.unit_path`, see childprotect/access.py).
- A hotline operator sees the cases they created until the case is handed to the commune.
- Admins see every case; a user with no jurisdiction sees none.
- Drafts (half-filled intakes) are visible to their author only.

`CaseQuerySet.visible_to` is the rule for the *case file* (the list, the case page, the case API, exports): an
agency focal point gets none of it, ever. Their reason to see a case is a referral to their agency, and what it
grants is narrower: `ReferralQuerySet.visible_to` gives them the referrals of their agency, and through each one only
the need-to-know view of its case (cases/need_to_know.py: the fields their sector needs, never the reporter), while
the referral is open or completed. `CaseQuerySet.referred_to` names those cases, for counting and checks only.

The receiving commune of a pending transfer sees the request (CaseTransferQuerySet) and a short view of the child
to decide on it; the case file becomes theirs only once they accept.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db import models

from cases.models.choices import CaseStatus
from childprotect.access import jurisdiction_path
from childprotect.models.units import UnitKind
from childprotect.querysets import JurisdictionQuerySet
from childprotect.roles import CASE_WORKING_ROLES, Role

if TYPE_CHECKING:
    from cases.models import Case  # noqa: F401 (named as a string in the base class below)
    from cases.models.referral import Referral  # noqa: F401 (named as a string in the base class below)
    from cases.models.transfer import CaseTransfer  # noqa: F401 (named as a string in the base class below)
    from childprotect.models import AdministrativeUnit, User


class CaseQuerySet(JurisdictionQuerySet["Case"]):
    unit_path_lookup = "unit_path"

    def visible_to(self, user: User) -> CaseQuerySet:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        drafts_of_others = models.Q(status=CaseStatus.DRAFT) & ~models.Q(created_by=user)
        if user.role == Role.ADMIN:
            return self.exclude(drafts_of_others)
        if user.role in CASE_WORKING_ROLES:
            return self._in_unit_of(user).exclude(drafts_of_others)
        if user.role == Role.HOTLINE_OPERATOR:
            return self.filter(created_by=user, handed_to_commune_at__isnull=True)
        return self.none()

    def _in_unit_of(self, user: User) -> CaseQuerySet:
        """The jurisdiction rule. For a province or a commune it is said as the equality it is equivalent to
        (`Case.province`/`Case.commune` are set together with `unit_path` by the services): PostgreSQL then walks
        the (province|commune, received_at) index in list order, and estimates the row count right. Stated as
        both the prefix and the equality, the planner multiplied the two selectivities, expected twenty times
        too few rows and chose to sort every matching case of the province before taking a page."""
        unit = user.unit
        if jurisdiction_path(user) is not None and unit is not None:
            if unit.kind == UnitKind.PROVINCE:
                return self.filter(province_id=unit.pk)
            if unit.kind == UnitKind.COMMUNE:
                return self.filter(commune_id=unit.pk)
        return self.in_jurisdiction_of(user)  # type: ignore[return-value] # same class

    def open(self) -> CaseQuerySet:
        from cases.models.choices import OPEN_STATUSES

        return self.filter(status__in=OPEN_STATUSES)

    def referred_to(self, user: User) -> CaseQuerySet:
        """Cases with an open or completed referral to the user's agency (focal points only). This grants the
        need-to-know view through the referral, never the case file: do not use it to show a case page."""
        from cases.models.referral import SHARED_REFERRAL_STATUSES

        if not user.is_authenticated or not user.is_active or user.role != Role.AGENCY_FOCAL_POINT:
            return self.none()
        if user.agency_id is None:
            return self.none()
        return self.filter(
            referrals__agency_id=user.agency_id, referrals__status__in=SHARED_REFERRAL_STATUSES
        ).distinct()


class ReferralQuerySet(models.QuerySet["Referral"]):
    def visible_to(self, user: User) -> ReferralQuerySet:
        """Focal points: the referrals to their agency (their inbox). Case-working roles and the hotline: the
        referrals of the cases they see (what they sent). Admins: all. Everyone else: none."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.role == Role.ADMIN:
            return self.all()
        if user.role == Role.AGENCY_FOCAL_POINT:
            return self.filter(agency_id=user.agency_id) if user.agency_id is not None else self.none()
        if user.role in CASE_WORKING_ROLES or user.role == Role.HOTLINE_OPERATOR:
            from cases.models import Case

            return self.filter(case_id__in=Case.objects.visible_to(user).values("id"))
        return self.none()

    def open(self) -> ReferralQuerySet:
        from cases.models.referral import OPEN_REFERRAL_STATUSES

        return self.filter(status__in=OPEN_REFERRAL_STATUSES)

    def unanswered_past_due(self, now: datetime.datetime) -> ReferralQuerySet:
        from cases.models.referral import ReferralStatus

        return self.filter(status=ReferralStatus.SENT, due_at__lte=now)

    def sent_between(self, start: datetime.date | None, end: datetime.date | None) -> ReferralQuerySet:
        """Referrals sent from local midnight of `start` to the end of `end` (both days included; None: no bound):
        the rule of the referral list's sent_from/sent_to filters, shared with the dashboard and the reports."""
        from django.utils import timezone

        def midnight(day: datetime.date) -> datetime.datetime:
            return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

        rows = self
        if start is not None:
            rows = rows.filter(sent_at__gte=midnight(start))
        if end is not None:
            rows = rows.filter(sent_at__lt=midnight(end + datetime.timedelta(days=1)))
        return rows

    def response_figures(
        self,
        *,
        since: datetime.datetime | None = None,
        until: datetime.datetime | None = None,
        unit: AdministrativeUnit | None = None,
        now: datetime.datetime | None = None,
    ) -> list[dict[str, Any]]:
        """Response times per agency, in one SQL query over the referrals in this queryset sent in [since, until)
        (and, with `unit`, of cases inside that unit). Each row:

        - `referrals`: sent; `accepted`, `declined`: answered either way; `pending`: no answer yet, of which
          `overdue`: past their due time (the referral list's "overdue" tab).
        - `median_time_to_accept`: a timedelta (PostgreSQL percentile_cont over accepted_at − sent_at), or None.
        - `due`: referrals whose answer is known or whose response time has passed (those not withdrawn before
          their due time); `on_time`: answered by their due time; `on_time_pct`: 100 × on_time / due, or None.

        Dashboards call it on `Referral.objects.visible_to(user)` so each user gets the figures of what they see.
        """
        figures = (
            self._sent_in(since, until, unit)
            .values("agency_id", "agency__code", "agency__name", "agency__sector")
            .annotate(**_response_aggregates(now))
            .order_by("agency__name", "agency_id")
        )
        return [
            {
                "agency_id": row["agency_id"],
                "agency_code": row["agency__code"],
                "agency_name": row["agency__name"],
                "sector": row["agency__sector"],
                **_response_row(row),
            }
            for row in figures
        ]

    def response_totals(
        self,
        *,
        since: datetime.datetime | None = None,
        until: datetime.datetime | None = None,
        unit: AdministrativeUnit | None = None,
        now: datetime.datetime | None = None,
    ) -> dict[str, Any]:
        """The figures of `response_figures` over every agency at once (one aggregate query): a total row whose
        median is the median of all the referrals, which no combination of the per-agency medians gives."""
        return _response_row(self._sent_in(since, until, unit).aggregate(**_response_aggregates(now)))

    def _sent_in(
        self, since: datetime.datetime | None, until: datetime.datetime | None, unit: AdministrativeUnit | None
    ) -> ReferralQuerySet:
        rows = self
        if since is not None:
            rows = rows.filter(sent_at__gte=since)
        if until is not None:
            rows = rows.filter(sent_at__lt=until)
        if unit is not None:
            rows = rows.filter(case__unit_path__startswith=unit.path)
        return rows


def _response_aggregates(now: datetime.datetime | None) -> dict[str, Any]:
    """The aggregates of the response figures (one pass over the referrals), judged at `now`."""
    from django.db.models import Count, DurationField, ExpressionWrapper, F, Q
    from django.utils import timezone

    from cases.models.referral import ReferralStatus

    now = now or timezone.now()
    answered = Q(responded_at__isnull=False)
    withdrawn_early = Q(withdrawn_at__isnull=False, withdrawn_at__lt=F("due_at"), responded_at__isnull=True)
    due = answered | (Q(due_at__lte=now) & ~withdrawn_early)
    return {
        "referrals": Count("id"),
        "accepted": Count("id", filter=Q(accepted_at__isnull=False)),
        "declined": Count("id", filter=Q(status=ReferralStatus.DECLINED)),
        "pending": Count("id", filter=Q(status=ReferralStatus.SENT)),
        "overdue": Count("id", filter=Q(status=ReferralStatus.SENT, due_at__lte=now)),
        "due": Count("id", filter=due),
        "on_time": Count("id", filter=answered & Q(responded_at__lte=F("due_at"))),
        "median_time_to_accept": Median(
            ExpressionWrapper(F("accepted_at") - F("sent_at"), output_field=DurationField()),
            filter=Q(accepted_at__isnull=False),
        ),
    }


def _response_row(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "referrals": row["referrals"],
        "accepted": row["accepted"],
        "declined": row["declined"],
        "pending": row["pending"],
        "overdue": row["overdue"],
        "due": row["due"],
        "on_time": row["on_time"],
        "on_time_pct": round(100.0 * row["on_time"] / row["due"], 1) if row["due"] else None,
        "median_time_to_accept": row["median_time_to_accept"],
    }


class Median(models.Aggregate):
    """PostgreSQL's percentile_cont(0.5): the median of numbers or of intervals (an interval gives a timedelta).
    A FILTER clause, when given, follows the WITHIN GROUP clause, as PostgreSQL requires."""

    function = "percentile_cont"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    allow_distinct = False


class CaseTransferQuerySet(models.QuerySet["CaseTransfer"]):
    def visible_to(self, user: User) -> CaseTransferQuerySet:
        """Both sides of a transfer: those who see the case, and the case-working roles whose jurisdiction holds
        the sending or the receiving commune (the sending side keeps the record after the case has moved).
        Admins: all."""
        from childprotect.access import ALL_UNITS, jurisdiction_path

        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.role == Role.ADMIN:
            return self.all()
        from cases.models import Case

        sending = models.Q(case_id__in=Case.objects.visible_to(user).values("id"))
        if user.role in CASE_WORKING_ROLES:
            path = jurisdiction_path(user)
            if path is not None and path is not ALL_UNITS:
                return self.filter(
                    sending | models.Q(to_unit_path__startswith=path) | models.Q(from_commune__path__startswith=path)
                )
        if user.role in CASE_WORKING_ROLES or user.role == Role.HOTLINE_OPERATOR:
            return self.filter(sending)
        return self.none()

    def pending(self) -> CaseTransferQuerySet:
        from cases.models.transfer import TransferStatus

        return self.filter(status=TransferStatus.REQUESTED)
