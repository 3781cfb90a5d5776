"""Who is responsible for a case: the officer it is assigned to, with the history of every change.

A case recorded by a commune officer is theirs from receipt. A case from the 111 hotline, one accepted from another
commune by its chair, or one recorded by a chair waits unassigned in the commune's queue (the case list's
"Chưa phân công" filter, the officers' "Việc cần làm" panel) until the chair or an officer assigns it
(`do_assign_case`); a hotline case assigned an officer is handed to the commune (its operator no longer sees it).
Every assignment, reassignment and return to the queue is a `CaseAssignment` row, a timeline
entry and an audit row; the newly responsible officer is told (never with the child's data).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from cases.access import is_case_worker
from cases.models import Case, CaseAssignment, CaseEventType, CaseStatus
from cases.models.choices import FINAL_STATUSES
from cases.services.common import case_label, claim_version, hand_to_commune, record_case_event
from childprotect.errors import NotAllowed, RuleViolation
from childprotect.models import User
from childprotect.notification_kinds import NotificationKind
from childprotect.notifications import notify

NOTE_MAX_CHARS = 255


def assignable_officers(case: Case) -> QuerySet[User]:
    """The officers a case can be assigned to: the active child-protection officers of its commune."""
    officers: QuerySet[User] = User.objects.commune_officers_of(case.commune_id)
    return officers


def record_assignment(
    case: Case, *, officer: User | None, previous: User | None, by: User, note: str = ""
) -> CaseAssignment:
    """Keep one change of the responsible officer in the history (the case row itself is saved by the caller)."""
    return CaseAssignment.objects.create(
        case=case, officer=officer, previous_officer=previous, assigned_by=by, note=note
    )


@transaction.atomic
def do_assign_case(
    *, acting_user: User, case: Case, expected_version: int | None, officer: User | None, note: str = ""
) -> CaseAssignment:
    """Make `officer` responsible for the case (None: back to the commune's queue). The chair or an officer of the
    case's commune does it (NotAllowed otherwise); not on a closed or transferred case (RuleViolation); the
    officer must be an active officer of that commune and not already the one (ValidationError on "officer");
    a stale `expected_version` is a VersionConflict and nothing changes."""
    claim_version(case, expected_version)
    case.refresh_from_db(
        fields=["status", "commune", "unit_path", "assigned_officer", "version", "created_by", "handed_to_commune_at"]
    )
    if not is_case_worker(acting_user, case):
        raise NotAllowed(_("Chỉ cán bộ hoặc Chủ tịch UBND xã của hồ sơ mới phân công được."))
    if case.status in FINAL_STATUSES or case.status == CaseStatus.DRAFT:
        raise RuleViolation(
            _("Không thể phân công khi hồ sơ đang ở trạng thái “%(status)s”.") % {"status": case.get_status_display()}
        )
    if officer is not None and not assignable_officers(case).filter(pk=officer.pk).exists():
        raise ValidationError({"officer": _("Chọn một cán bộ bảo vệ trẻ em đang làm việc tại xã, phường của hồ sơ.")})
    if (officer.pk if officer else None) == case.assigned_officer_id:
        raise ValidationError({"officer": _("Hồ sơ đang do đúng người này phụ trách.")})
    note = (note or "").strip()[:NOTE_MAX_CHARS]
    previous = case.assigned_officer
    case.assigned_officer = officer
    case.save(update_fields=["assigned_officer"])
    assignment = record_assignment(case, officer=officer, previous=previous, by=acting_user, note=note)
    if officer is not None:
        hand_to_commune(case, by=acting_user)
    ids = {"officer_id": officer.pk if officer else None, "previous_officer_id": previous.pk if previous else None}
    record_case_event(
        case,
        actor=acting_user,
        event_type=CaseEventType.ASSIGNED,
        details={**ids, "assignment_id": assignment.pk, "note": note},
        audit_details=ids,
    )
    if officer is not None and officer.pk != acting_user.pk:
        notify(
            [officer],
            kind=NotificationKind.CASE_ASSIGNED,
            params={"number": case_label(case), "by": acting_user.get_full_name() or acting_user.username},
            url=f"/cases/{case.pk}/",
            target=case,
            unit_path=case.unit_path,
        )
    return assignment
