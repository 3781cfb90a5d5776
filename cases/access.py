"""Fetching one case for a user: 404 for missing and forbidden alike, and an audit row for every read.

`access_case(user, id)` is the only way a view or endpoint gets a case. `for_write=True` also requires the
user to be one who works the case: the commune officer or chair of the case's commune, or the hotline operator
who created it (until hand-over). Province officers and admins read; they do not edit the case file.
`can_see_reporter` guards the reporter's identity (NĐ56 Art. 24).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cases.models import Case
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
