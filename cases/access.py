"""Fetching one case for a user: 404 for missing and forbidden alike, and an audit row for every read.

`access_case(user, id)` is the only way a view or endpoint gets a case. `for_write=True` also requires the
user to be one who works the case: the commune officer or chair of the case's commune, or the hotline operator
who created it (until hand-over). Province officers and admins read; they do not edit the case file.
`can_see_reporter` guards the reporter's identity (NĐ56 Art. 24).

Agency focal points never get a case through `access_case`: they reach a referral of their agency through
`access_referral`, and see its case only as the need-to-know view of cases/need_to_know.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cases.models import Case, CaseTransfer, Referral
from childprotect.access import covers, get_visible_or_404, not_found
from childprotect.models.audit import AuditAction
from childprotect.roles import CASE_WORKING_ROLES, COMMUNE_ROLES, Role
from childprotect.services import record_audit_event

if TYPE_CHECKING:
    from childprotect.models import User


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
    if not user.is_authenticated or not user.is_active:
        return False
    if user.role in COMMUNE_ROLES:
        return covers(user, case.unit_path)
    if user.role == Role.HOTLINE_OPERATOR:
        return case.created_by_id == user.pk and case.handed_to_commune_at is None
    return False


def is_chair_of(user: User, case: Case) -> bool:
    """Only the commune chair approves plans, orders separation and closes cases."""
    return user.role == Role.COMMUNE_CHAIR and can_work_case(user, case)


def can_see_reporter(user: User, case: Case) -> bool:
    """Only case-working roles of the child's commune and province ever see who reported."""
    return user.role in CASE_WORKING_ROLES and covers(user, case.unit_path)


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
        user.is_authenticated
        and user.is_active
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


def is_receiving_commune_worker(user: User, transfer: CaseTransfer) -> bool:
    """Accepts or declines a transfer: the officer or chair of the receiving commune."""
    return bool(
        user.is_authenticated and user.is_active and user.role in COMMUNE_ROLES and covers(user, transfer.to_unit_path)
    )
