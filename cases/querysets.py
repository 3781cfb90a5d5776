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
import functools
import operator
import re
from dataclasses import dataclass
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Case as SqlCase
from django.db.models import Count, Exists, F, Func, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import ExtractYear, TruncDate
from django.utils import timezone

from cases.ethnicity import KINH_CODE, QD121_CODE_SYSTEM
from cases.models.choices import ANY_GROUP, IMMEDIATE_STEPS, IMPLIED_GROUPS, CaseKind, CaseStatus, ImpliedBy
from childprotect.access import is_active_user, jurisdiction_path
from childprotect.models.units import UnitKind
from childprotect.querysets import JurisdictionQuerySet
from childprotect.roles import CASE_WORKING_ROLES, COMMUNE_ROLES, Role
from childprotect.text.vietnamese import in_vietnamese_order, search_key

if TYPE_CHECKING:
    from cases.models import Case, Child
    from cases.models.procedure import EmergencyMeasure, Plan, Review
    from cases.models.referral import Referral  # noqa: F401 (named as a string in the base class below)
    from cases.models.transfer import CaseTransfer  # noqa: F401 (named as a string in the base class below)
    from childprotect.models import AdministrativeUnit, User


class CaseQuerySet(JurisdictionQuerySet["Case"]):
    unit_path_lookup = "unit_path"

    def visible_to(self, user: User) -> CaseQuerySet:
        if not is_active_user(user):
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

    def summed_in_figures(self) -> CaseQuerySet:
        """Every received case of every unit (no draft): what the summary tables of the figures add up
        (reporting/summaries.py). Counts only, never shown: who may read a figure is decided by its unit."""
        return self.exclude(status=CaseStatus.DRAFT)

    def referred_to(self, user: User) -> CaseQuerySet:
        """Cases with an open or completed referral to the user's agency (focal points only). This grants the
        need-to-know view through the referral, never the case file: do not use it to show a case page."""
        from cases.models.referral import SHARED_REFERRAL_STATUSES

        if not is_active_user(user) or user.role != Role.AGENCY_FOCAL_POINT:
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
        if not is_active_user(user):
            return self.none()
        if user.role == Role.ADMIN:
            return self.all()
        if user.role == Role.AGENCY_FOCAL_POINT:
            return self.filter(agency_id=user.agency_id) if user.agency_id is not None else self.none()
        if user.role in CASE_WORKING_ROLES or user.role == Role.HOTLINE_OPERATOR:
            from cases.models import Case

            return self.filter(case_id__in=Case.objects.visible_to(user).values("id"))
        return self.none()

    def of_cases(self, cases: models.QuerySet[Case]) -> ReferralQuerySet:
        """The referrals of these cases (already scoped by the caller: the figures of what a viewer sees)."""
        return self.filter(case__in=cases.values("pk"))

    def open(self) -> ReferralQuerySet:
        from cases.models.referral import OPEN_REFERRAL_STATUSES

        return self.filter(status__in=OPEN_REFERRAL_STATUSES)

    def unanswered_past_due(self, now: datetime.datetime) -> ReferralQuerySet:
        from cases.models.referral import ReferralStatus

        return self.filter(status=ReferralStatus.SENT, due_at__lte=now)

    def sent_between(self, start: datetime.date | None, end: datetime.date | None) -> ReferralQuerySet:
        """Referrals sent from local midnight of `start` to the end of `end` (both days included; None: no bound):
        the rule of the referral list's sent_from/sent_to filters, shared with the dashboard and the reports."""
        rows = self
        if start is not None:
            rows = rows.filter(sent_at__gte=_local_midnight(start))
        if end is not None:
            rows = rows.filter(sent_at__lt=_local_midnight(end + datetime.timedelta(days=1)))
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
            .order_by()
        )
        rows = [
            {
                "agency_id": row["agency_id"],
                "agency_code": row["agency__code"],
                "agency_name": row["agency__name"],
                "sector": row["agency__sector"],
                **_response_row(row),
            }
            for row in figures
        ]
        return in_vietnamese_order(rows, name=itemgetter("agency_name"), tie=itemgetter("agency_id"))

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

        if not is_active_user(user):
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

    def awaiting_answer_of(self, user: User) -> CaseTransferQuerySet:
        """Pending requests to the user's commune: what its officers and chair are to accept or decline."""
        if not is_active_user(user) or user.role not in COMMUNE_ROLES or user.unit is None:
            return self.none()
        return self.visible_to(user).pending().filter(to_unit_path__startswith=user.unit.path)


# --- Reading the case list: deadlines, ages, ethnicity, search and order -----------------------------------------

DEFAULT_DUE_SOON_HOURS = 48
CASE_NUMBER_FULL = re.compile(r"^\d{2}-\d{4}-\d{6}$")
CASE_NUMBER_PREFIX = re.compile(r"^\d{2}-(\d{1,4}(-\d{0,6})?)?$")
ID_NUMBER = re.compile(r"^\d{12}$")


def due_soon_hours() -> int:
    return int(getattr(settings, "CASE_DUE_SOON_HOURS", DEFAULT_DUE_SOON_HOURS))


def immediate_grace() -> datetime.timedelta:
    """How long a duty due "immediately" shows as due now before it is overdue (settings, default 1 hour)."""
    return datetime.timedelta(minutes=int(getattr(settings, "CASE_IMMEDIATE_GRACE_MINUTES", 60)))


def overdue_after(due_at: datetime.datetime, step: str) -> datetime.datetime:
    """The moment a deadline turns overdue: its due time, or for an immediate duty (IMMEDIATE_STEPS) its due time
    plus the grace period."""
    return due_at + immediate_grace() if step in IMMEDIATE_STEPS else due_at


def deadline_state(due_at: datetime.datetime | None, now: datetime.datetime | None = None, step: str = "") -> str:
    """The deadline state: "overdue", "now" (an immediate duty within its grace period), "soon" (within the
    due-soon window) or "" — the rule of the `due` filter (`due_condition` is the same in SQL)."""
    if due_at is None:
        return ""
    now = now or timezone.now()
    if overdue_after(due_at, step) < now:
        return "overdue"
    if due_at < now:
        return "now"
    if due_at <= now + datetime.timedelta(hours=due_soon_hours()):
        return "soon"
    return ""


def overdue_q(now: datetime.datetime, *, at: str = "next_deadline_at", step: str = "next_deadline_step") -> Q:
    """Deadlines overdue at `now` (`overdue_after` in SQL), on the columns `at` and `step`: a case's next
    deadline by default, a CaseDeadline's own with at="due_at", step="step"."""
    immediate = Q(**{f"{step}__in": list(IMMEDIATE_STEPS)})
    return (~immediate & Q(**{f"{at}__lt": now})) | (immediate & Q(**{f"{at}__lt": now - immediate_grace()}))


def child_age(child: Child, today: datetime.date | None = None) -> int | None:
    """Age in whole years from the date of birth, or from the (estimated) year of birth."""
    today = today or timezone.localdate()
    if child.date_of_birth:
        born = child.date_of_birth
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    if child.birth_year:
        return max(today.year - child.birth_year, 0)
    return None


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def received_between(start: datetime.date | None, end: datetime.date | None) -> Q:
    """Cases received from local midnight of `start` up to the end of `end` (both days included; None: no bound):
    the rule of the received_from/received_to filters, shared with the dashboard and the reports."""
    condition = Q()
    if start is not None:
        condition &= Q(received_at__gte=_local_midnight(start))
    if end is not None:
        condition &= Q(received_at__lt=_local_midnight(end + datetime.timedelta(days=1)))
    return condition


def due_condition(state: str, now: datetime.datetime) -> Q:
    """The cases whose next deadline is "overdue", "soon" (not overdue, and due within the due-soon window: an
    immediate duty due now included) or "today" (not overdue, due before the end of today) at `now`: the rule of
    the list's `due` filter and of the home page's figures (in SQL; `deadline_state` is the same for one case)."""
    overdue = overdue_q(now)
    if state == "overdue":
        return overdue
    if state == "soon":
        return ~overdue & Q(next_deadline_at__lte=now + datetime.timedelta(hours=due_soon_hours()))
    if state == "today":
        tomorrow = _local_midnight(timezone.localdate(now) + datetime.timedelta(days=1))
        return ~overdue & Q(next_deadline_at__lt=tomorrow)
    raise ValueError(f"unknown deadline state {state!r}")


class _WholeYears(Func):
    """date_part('year', age(on, born)) as an integer: completed years of life on a date."""

    template = "(date_part('year', age(%(expressions)s)))::integer"
    output_field = IntegerField()


def age_at_receipt() -> SqlCase:
    """The child's age in completed years when the case was received, computed in SQL (local calendar days):
    from the date of birth, else from the (estimated) year of birth; NULL when neither is known."""
    tz = timezone.get_current_timezone()
    return SqlCase(
        When(
            child__date_of_birth__isnull=False,
            then=_WholeYears(TruncDate("received_at", tzinfo=tz), F("child__date_of_birth")),
        ),
        When(child__birth_year__isnull=False, then=ExtractYear("received_at", tzinfo=tz) - F("child__birth_year")),
        default=None,
        output_field=IntegerField(),
    )


def age_between(low: int | None, high: int | None) -> Q:
    """Age at receipt within [low, high] (either bound may be None), as a condition usable in filter() and in an
    aggregate's FILTER without annotating the queryset first (which makes Django re-walk every aggregate)."""
    from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual

    condition = Q()
    if low is not None:
        condition &= Q(GreaterThanOrEqual(age_at_receipt(), low))
    if high is not None:
        condition &= Q(LessThanOrEqual(age_at_receipt(), high))
    return condition


def age_unknown() -> Q:
    """Neither the date nor the year of birth is known: no age at receipt."""
    from django.db.models.lookups import IsNull

    return Q(IsNull(age_at_receipt(), True))


def _implied_q(rule: ImpliedBy) -> Q:
    """The SQL of `ImpliedBy.holds_for` (cases/models/choices.py)."""
    abuse = Q(kind=CaseKind.ABUSE)
    parts = []
    if rule.abuse_forms:
        parts.append(abuse & Q(abuse_forms__overlap=list(rule.abuse_forms)))
    if rule.abuse_subtypes:
        parts.append(abuse & Q(abuse_subtypes__overlap=list(rule.abuse_subtypes)))
    if rule.disabilities:
        parts.append(Q(child__disability__in=list(rule.disabilities)))
    return functools.reduce(operator.or_, parts)


def special_group_q(code: str) -> Q:
    """Cases whose child is in special-circumstance group `code`, ticked or implied by the case's data (`ANY_GROUP`:
    in any group): the rule of the case list's filter, the dashboard and the indicators."""
    if code == ANY_GROUP:
        return special_circumstances_q()
    condition = Q(special_groups__contains=[code])
    rule = IMPLIED_GROUPS.get(code)
    return condition | _implied_q(rule) if rule is not None else condition


def special_circumstances_q() -> Q:
    """Cases of children in special circumstances: recorded as such, or in any group ticked or implied."""
    condition = Q(kind=CaseKind.SPECIAL_CIRCUMSTANCE) | ~Q(special_groups=[])
    for rule in IMPLIED_GROUPS.values():
        condition |= _implied_q(rule)
    return condition


def plan_waiting_q(status: str) -> Q:
    """Cases whose current plan is `status` ("submitted": awaiting the chair's decision; "returned": back with the
    officer). An earlier cycle's plan was approved before a new cycle began, so any plan in these states is the
    current one. The rule of the case list's `plan` filter and of the "Việc cần làm" panel."""
    from cases.models.procedure import Plan

    return Q(Exists(Plan.objects.filter(case=OuterRef("pk"), status=status)))


def separation_in_force_q() -> Q:
    """Cases with a temporary separation in force: each waits on the chair to extend or end it before it runs out
    (NĐ56 Art. 32). The rule of the case list's `separation` filter and of the chair's panel."""
    from cases.models.procedure import EmergencyKind, EmergencyMeasure

    return Q(
        Exists(
            EmergencyMeasure.objects.filter(
                case=OuterRef("pk"), kind=EmergencyKind.TEMPORARY_SEPARATION, revoked_at__isnull=True
            )
        )
    )


def referral_state_q(state: str, now: datetime.datetime) -> Q:
    """The referral list's tabs: "waiting" (sent, not yet answered), "overdue" (of those, past the answer's due
    time), "working" (accepted or in progress), "open" (any of these), "closed" (the others), "all"."""
    from cases.models.referral import OPEN_REFERRAL_STATUSES, ReferralStatus

    if state == "waiting":
        return Q(status=ReferralStatus.SENT)
    if state == "overdue":
        return Q(status=ReferralStatus.SENT, due_at__lte=now)
    if state == "working":
        return Q(status__in=[ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS])
    if state == "open":
        return Q(status__in=OPEN_REFERRAL_STATUSES)
    if state == "closed":
        return ~Q(status__in=OPEN_REFERRAL_STATUSES)
    return Q()


UNKNOWN = "unknown"


def ethnicity_q(value: str) -> Q | None:
    """`kinh`, `minority` (any recorded group but Kinh), `unknown` (not recorded), a QĐ 121 code ("05"), or
    "<code system>:<code>" for a child coded in another list. None when the value means nothing."""
    value = (value or "").strip()
    if value == "kinh":
        return Q(child__ethnicity_code=KINH_CODE)
    if value == "minority":
        return ~Q(child__ethnicity_code__in=["", KINH_CODE])
    if value == UNKNOWN:
        return Q(child__ethnicity_code="")
    system, _sep, code = value.rpartition(":")
    if re.fullmatch(r"\d{2}", code):
        return Q(child__ethnicity_code=code, child__ethnicity_code_system=system or QD121_CODE_SYSTEM)
    return None


def search_cases(queryset: QuerySet[Case], value: str) -> QuerySet[Case]:
    """Case number (exact, or a prefix such as "19-2025-"), a 12-digit ID number (exact), otherwise the child's
    name without regard to diacritics or case, from the start of any word of it ("nguyen thi huong", "thi huong"
    and "huo" find "Nguyễn Thị Hương"; "uong" does not)."""
    text = " ".join((value or "").split())
    if not text:
        return queryset
    if CASE_NUMBER_FULL.match(text):
        return queryset.filter(case_number=text)
    if CASE_NUMBER_PREFIX.match(text):
        return queryset.filter(case_number__startswith=text)
    if ID_NUMBER.match(text):
        return queryset.filter(child__id_number=text)
    key = search_key(text)
    # Names match from the start of any word ("huong" and "thi huong" find "Nguyễn Thị Hương"): a B-tree range
    # over the children's word-start keys, which reads only the matching children however many there are.
    from cases.models import ChildNameKey

    return queryset.filter(child_id__in=ChildNameKey.objects.filter(key__startswith=key).values("child_id"))


@dataclass(frozen=True)
class ListOrder:
    """One order of the case list: a column, its direction, and the case id as the tie-breaker in the same
    direction, so that every position in the list is unique (cases/pagination.py pages by it)."""

    field: str
    descending: bool = False
    nulls_last: bool = False

    def order_by(self, *, reverse: bool = False) -> tuple[Any, ...]:
        """ORDER BY for this order, or for reading it backwards (the page before a given case)."""
        descending = self.descending != reverse
        column = F(self.field)
        if self.nulls_last:  # empty values after the others in list order, so before them read backwards
            ordered = column.desc(nulls_first=reverse) if descending else column.asc(nulls_last=not reverse)
        else:
            ordered = column.desc() if descending else column.asc()
        return (ordered, "-id" if descending else "id")


ORDERS: dict[str, ListOrder] = {
    "-received_at": ListOrder("received_at", descending=True),
    "received_at": ListOrder("received_at"),
    "name": ListOrder("child__name_sort"),
    "-name": ListOrder("child__name_sort", descending=True),
    "next_deadline_at": ListOrder("next_deadline_at", nulls_last=True),
}
DEFAULT_ORDERING = "-received_at"


def list_order(value: str | None) -> ListOrder:
    return ORDERS.get(value or DEFAULT_ORDERING, ORDERS[DEFAULT_ORDERING])


def order_cases(queryset: QuerySet[Case], value: str | None) -> QuerySet[Case]:
    return queryset.order_by(*list_order(value).order_by())


# --- One case's procedure records --------------------------------------------------------------------------------


def current_plan(case: Case) -> Plan | None:
    """The plan of the case's current cycle (the latest)."""
    plan: Plan | None = case.plans.order_by("-cycle").first()
    return plan


def active_separation(case: Case) -> EmergencyMeasure | None:
    """The temporary separation in force (Mẫu 07), if any."""
    from cases.models.procedure import EmergencyKind

    measure: EmergencyMeasure | None = (
        case.emergency_measures.filter(kind=EmergencyKind.TEMPORARY_SEPARATION, revoked_at__isnull=True)
        .order_by("-started_at")
        .first()
    )
    return measure


def latest_review(case: Case) -> Review | None:
    review: Review | None = case.reviews.order_by("-reviewed_at", "-id").first()
    return review


# --- The duplicate check of intake ------------------------------------------------------------------------------

# The duplicate check's search fields, one definition for the intake page and the API: the parameters their audit
# rows keep (record_list_read: the commune as given, the name, ID number and birth date only as "a search").
DUPLICATE_FILTERS = ("full_name", "id_number", "date_of_birth", "commune")


def likely_existing_children(
    user: User,
    *,
    full_name: str,
    commune: AdministrativeUnit | None,
    date_of_birth: datetime.date | None = None,
    id_number: str = "",
    limit: int = 8,
) -> QuerySet[Child]:
    """Children who may be the one being reported: same ID number, or a similar name (ignoring diacritics and
    case) in the same commune, ranked by name similarity and a matching date of birth. Only children with a case
    the user may open (another user's draft is private to its author: `openable_child_q`), and only in the
    commune named, so the check never leaks other communes' children nor anyone's draft."""
    from django.contrib.postgres.search import TrigramSimilarity

    from cases.access import can_create_case_in
    from cases.models import Child

    if commune is None or not can_create_case_in(user, commune):
        return Child.objects.none()
    key = search_key(full_name)
    matches = Q(id_number=id_number) if id_number else Q(pk__in=[])
    if key:
        matches |= Q(name_search__trigram_similar=key) | Q(name_search=key)
    candidates = Child.objects.filter(unit_path__startswith=commune.path).filter(matches).filter(openable_child_q(user))
    ranked = candidates.annotate(similarity=TrigramSimilarity("name_search", key or "-")).order_by(
        "-similarity", "full_name"
    )
    if date_of_birth is not None:
        ranked = ranked.annotate(
            dob_match=SqlCase(
                When(date_of_birth=date_of_birth, then=Value(1)), default=Value(0), output_field=IntegerField()
            )
        ).order_by("-dob_match", "-similarity", "full_name")
    return ranked[:limit]


def openable_child_q(user: User) -> Q:
    """Children with at least one case the user may open (Case.objects.visible_to): a child known only from
    another user's draft, or from a commune outside the user's jurisdiction, is not shown to them."""
    from cases.models import Case

    return Q(Exists(Case.objects.visible_to(user).filter(child_id=OuterRef("pk"))))


def match_elsewhere(user: User, *, full_name: str, commune: AdministrativeUnit | None, id_number: str = "") -> bool:
    """For the 111 hotline, which opens no commune's records: is there a recorded case (never a draft) of a child
    with this ID number anywhere, or of a similar name in the commune named, that the hotline cannot open? The
    answer is a yes or no and nothing else: no name, birth year or commune (the commune links the cases when it
    receives the report). One query; False for every other role (their duplicate check lists what they may
    open, and nothing of other jurisdictions)."""
    from cases.models import Case

    if user.role != Role.HOTLINE_OPERATOR or not (id_number or full_name.strip()):
        return False
    matches = Q(child__id_number=id_number) if id_number else Q(pk__in=[])
    key = search_key(full_name)
    if key and commune is not None:
        matches |= Q(child__unit_path__startswith=commune.path) & (
            Q(child__name_search__trigram_similar=key) | Q(child__name_search=key)
        )
    hidden = Case.objects.exclude(status=CaseStatus.DRAFT).filter(matches)
    return hidden.exclude(child__in=Case.objects.visible_to(user).values("child_id")).exists()


@dataclass
class Candidate:
    child: Child
    commune: AdministrativeUnit
    case_count: int

    @property
    def id_last4(self) -> str:
        return self.child.id_number[-4:] if self.child.id_number else ""


def duplicate_candidates(
    user: User,
    *,
    full_name: str,
    commune: AdministrativeUnit | None,
    date_of_birth: datetime.date | None = None,
    id_number: str = "",
    exclude_child_id: int | None = None,
) -> list[Candidate]:
    """likely_existing_children, with what the officer needs to decide: commune and number of cases.
    Three queries however many candidates (the children, then one count of their recorded cases)."""
    from cases.models import Case

    if commune is None or not (full_name.strip() or id_number):
        return []
    children = [
        c
        for c in likely_existing_children(
            user, full_name=full_name, commune=commune, date_of_birth=date_of_birth, id_number=id_number
        )
        if c.pk != exclude_child_id
    ]
    if not children:
        return []
    counts = dict(
        Case.objects.filter(child__in=children)
        .exclude(status=CaseStatus.DRAFT)
        .values_list("child_id")
        .annotate(n=Count("id"))
        .values_list("child_id", "n")
    )
    return [Candidate(child=c, commune=commune, case_count=counts.get(c.pk, 0)) for c in children]
