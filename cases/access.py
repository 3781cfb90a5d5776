"""Who may do what with cases, in one place: fetching one case, referral or transfer for a user (404 for missing
and forbidden alike, an audit row for every read of a case), and every check of who records, works, refers,
answers and transfers cases. Forms, filters, pages, endpoints and services ask here; none decides by hand.

`access_case(user, id)` is the only way a view or endpoint gets a case. `for_write=True` also requires the
user to be one who works the case: the commune officer or chair of the case's commune, or the hotline operator
who created it (until hand-over). Province officers and admins read; they do not edit the case file.
`can_see_reporter` guards the reporter's identity (NĐ56 Art. 24).

Agency focal points never get a case through `access_case`: they reach a referral of their agency through
`access_referral`, and see its case only as the need-to-know view of cases/need_to_know.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from cases.models import Case, CaseTransfer, Child, Referral
from childprotect.access import ALL_UNITS, covers, get_visible_or_404, is_active_user, jurisdiction_path, not_found
from childprotect.models import AdministrativeUnit, User
from childprotect.models.audit import AuditAction
from childprotect.models.units import UnitKind
from childprotect.roles import CASE_WORKING_ROLES, COMMUNE_ROLES, PROVINCE_ROLES, Role
from childprotect.services import record_audit_event
from childprotect.text.vietnamese import in_vietnamese_order

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

# Roles that record reported cases (agency focal points and admins do not).
INTAKE_ROLES = frozenset(CASE_WORKING_ROLES | {Role.HOTLINE_OPERATOR})


def access_case(user: User, case_id: int | str, *, for_write: bool = False, audit: bool = True) -> Case:
    case: Case = get_visible_or_404(
        Case.objects.visible_to(user).select_related("child", "commune", "province", "assigned_officer"),
        pk=case_id,
    )
    if for_write and not can_work_case(user, case):
        raise not_found()
    if audit:
        record_audit_event(
            actor=user,
            action=AuditAction.VIEW,
            target=case,
            unit_path=case.unit_path,
            details={"case_number": case.case_number},
        )
    return case


def can_work_case(user: User, case: Case) -> bool:
    """May edit the case file and move it through the procedure (chair-only steps are checked apart)."""
    if not is_active_user(user):
        return False
    if user.role in COMMUNE_ROLES:
        return covers(user, case.unit_path)
    if user.role == Role.HOTLINE_OPERATOR:
        return case.created_by_id == user.pk and case.handed_to_commune_at is None
    return False


def is_case_worker(user: User, case: Case) -> bool:
    """Commune officer or chair of the case's commune: moves it through the procedure (the hotline hands cases
    over; it does not work them)."""
    return user.role in COMMUNE_ROLES and can_work_case(user, case)


def is_chair_of(user: User, case: Case) -> bool:
    """Only the commune chair approves plans, orders separation and closes cases."""
    return user.role == Role.COMMUNE_CHAIR and can_work_case(user, case)


def can_see_reporter(user: User, case: Case) -> bool:
    """Only case-working roles of the child's commune and province ever see who reported."""
    return user.role in CASE_WORKING_ROLES and covers(user, case.unit_path)


def can_read_history(user: User, case: Case) -> bool:
    """The case's field-level history (who corrected what, old → new, why) is for the case roles of the child's
    commune and province, who also see the reporter; an admin reading the file and the hotline do not see it."""
    return user.role in CASE_WORKING_ROLES and can_see_reporter(user, case)


# --- Recording cases ---------------------------------------------------------------------------------------------


def may_record_cases(user: User | AnonymousUser) -> bool:
    """Roles that record cases at all (agency focal points and admins do not)."""
    return bool(is_active_user(user) and user.role in INTAKE_ROLES)


def can_create_case_in(user: User, commune: AdministrativeUnit) -> bool:
    """Commune roles record cases of their commune, province officers of their province, the hotline anywhere."""
    if not is_active_user(user) or commune.kind != UnitKind.COMMUNE:
        return False
    if user.role == Role.HOTLINE_OPERATOR:
        return True
    if user.role not in CASE_WORKING_ROLES:
        return False
    return covers(user, commune.path)


def creatable_communes(user: User) -> list[AdministrativeUnit]:
    """The current communes the user may record cases in, for a select (not for the hotline: all 3,321)."""
    if user.role in COMMUNE_ROLES:
        unit = user.unit
        return [unit] if unit is not None and unit.kind == UnitKind.COMMUNE else []
    path = jurisdiction_path(user)
    if user.role not in PROVINCE_ROLES or path is None or path is ALL_UNITS:
        return []
    return in_vietnamese_order(
        AdministrativeUnit.objects.current().filter(kind=UnitKind.COMMUNE, path__startswith=path)
    )


def linkable_child(user: User, child_id: Any, commune: AdministrativeUnit | None) -> Child | None:
    """The known child an intake may be linked to: one in the commune named, which the user may record in —
    the same scope the duplicate check shows (a child with a case the user may open), so an id from elsewhere,
    or of another user's draft, links nothing."""
    try:
        pk = int(child_id)
    except (TypeError, ValueError):
        return None
    if commune is None or not can_create_case_in(user, commune):
        return None
    from cases.querysets import openable_child_q

    child: Child | None = (
        Child.objects.filter(pk=pk, unit_path__startswith=commune.path).filter(openable_child_q(user)).first()
    )
    return child


# --- What the case list may be filtered by -----------------------------------------------------------------------


def provinces_for(user: User | AnonymousUser | None) -> QuerySet[AdministrativeUnit]:
    """The provinces a user may filter by: every current one for admins, their own for province officers."""
    units = AdministrativeUnit.objects.filter(kind=UnitKind.PROVINCE).order_by("name", "code")
    if not is_active_user(user):
        return units.none()
    path = jurisdiction_path(user)
    if path is None or user.role not in {Role.ADMIN, Role.PROVINCE_OFFICER}:
        return units.none()
    if path is ALL_UNITS:
        return units.filter(pk__in=AdministrativeUnit.objects.current().values("pk"))
    return units.filter(path=path)


def communes_for(user: User | AnonymousUser | None) -> QuerySet[AdministrativeUnit]:
    """The communes a user may filter by: those of their jurisdiction (hotline: those of their own cases)."""
    units = AdministrativeUnit.objects.filter(kind=UnitKind.COMMUNE).order_by("name", "code")
    if not is_active_user(user):
        return units.none()
    if user.role == Role.HOTLINE_OPERATOR:
        return units.filter(pk__in=Case.objects.visible_to(user).values("commune_id"))
    path = jurisdiction_path(user)
    if path is None:
        return units.none()
    if path is ALL_UNITS:
        return units.filter(pk__in=AdministrativeUnit.objects.current().values("pk"))
    return units.filter(path__startswith=path)


def officers_for(user: User | AnonymousUser | None) -> QuerySet[User]:
    """Officers a case can be assigned to, within the user's sight (never accounts of other provinces)."""
    if not is_active_user(user):
        none: QuerySet[User] = User.objects.none()
        return none
    officers: QuerySet[User] = (
        User.objects.visible_to(user).filter(role__in=COMMUNE_ROLES, is_active=True).order_by("last_name", "username")
    )
    return officers


# --- Referrals and transfers -------------------------------------------------------------------------------------


def access_referral(user: User, referral_id: int | str, *, audit: bool = True) -> Referral:
    """One referral the user may see (their agency's inbox, or a referral of a case they see); 404 otherwise.
    A read is audited against the case, because the referral page shows (a need-to-know view of) the case."""
    referral: Referral = get_visible_or_404(
        Referral.objects.visible_to(user).select_related(
            "case", "case__child", "case__commune", "case__province", "case__incident_commune", "agency", "sent_by"
        ),
        pk=referral_id,
    )
    if audit:
        record_audit_event(
            actor=user,
            action=AuditAction.VIEW,
            target=referral.case,
            unit_path=referral.case.unit_path,
            details={"case_number": referral.case.case_number, "referral_id": referral.pk},
        )
    return referral


def is_focal_point_for(user: User, referral: Referral) -> bool:
    """Answers the referral for the agency: an active focal point of the receiving agency."""
    return bool(
        is_active_user(user)
        and user.role == Role.AGENCY_FOCAL_POINT
        and user.agency_id is not None
        and user.agency_id == referral.agency_id
    )


def can_send_referrals(user: User, case: Case) -> bool:
    """Refers the case, and withdraws its referrals: whoever works the case (its commune's officer or chair, or the
    hotline operator who recorded it, until hand-over)."""
    return can_work_case(user, case)


def access_transfer(user: User, transfer_id: int | str) -> CaseTransfer:
    """One transfer request the user may see (either side of it); 404 otherwise."""
    transfer: CaseTransfer = get_visible_or_404(
        CaseTransfer.objects.visible_to(user).select_related(
            "case", "case__child", "from_commune", "to_commune", "requested_by", "responded_by"
        ),
        pk=transfer_id,
    )
    return transfer


def can_cancel_transfer(user: User, transfer: CaseTransfer) -> bool:
    """Withdraws a pending request: the officer or chair who works the case on the sending side."""
    return user.role in COMMUNE_ROLES and can_work_case(user, transfer.case)


def is_receiving_commune_worker(user: User, transfer: CaseTransfer) -> bool:
    """Accepts or declines a transfer: the officer or chair of the receiving commune."""
    return bool(is_active_user(user) and user.role in COMMUNE_ROLES and covers(user, transfer.to_unit_path))
