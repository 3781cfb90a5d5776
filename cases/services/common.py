"""What every case service shares: the timeline/audit pair, optimistic locking, the case number.

Services refuse with the shared vocabulary of childprotect/errors.py (NotAllowed, RuleViolation, VersionConflict,
ValidationError)."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, CaseEvent, CaseEventType, CaseNumberSequence
from cases.models.choices import FINAL_STATUSES
from childprotect.errors import VersionConflict
from childprotect.models import AdministrativeUnit, User
from childprotect.services import record_audit_event


def case_label(case: Case) -> str:
    """How notifications and messages name a case: its number, or "#<id>" for a draft (never the child)."""
    return case.case_number or f"#{case.pk}"


def claim_version(case: Case, expected_version: int | None) -> None:
    """Bump the case's version if it is still `expected_version`; refuse otherwise.

    One conditional UPDATE: two people saving from the same version cannot both win, whatever the timing.
    `expected_version=None` is for system writes (sweeps) that do not start from a form the user saw.
    A stale version raises VersionConflict carrying the case's current version.
    """
    same_version = {} if expected_version is None else {"version": expected_version}
    if Case.objects.filter(pk=case.pk, **same_version).update(version=F("version") + 1, updated_at=timezone.now()) != 1:
        case.refresh_from_db(fields=["version"])
        raise VersionConflict(
            _(
                "Hồ sơ này vừa được người khác cập nhật sau khi bạn mở. Thay đổi của bạn chưa được lưu: "
                "hãy tải lại trang để xem bản mới nhất rồi thực hiện lại."
            ),
            version=case.version,
        )
    case.refresh_from_db(fields=["version", "updated_at"])


def record_case_event(
    case: Case,
    *,
    actor: User | None,
    event_type: str,
    from_status: str = "",
    to_status: str = "",
    details: dict[str, Any] | None = None,
    audit_action: str = "update",
    audit_details: dict[str, Any] | None = None,
) -> CaseEvent:
    """Append to the case timeline and to the audit log, together. `audit_details`: what the audit row says
    besides the event (ids, codes and field names; never a child's data)."""
    event = CaseEvent.objects.create(
        case=case,
        actor=actor,
        event_type=event_type,
        from_status=from_status,
        to_status=to_status,
        details=details or {},
    )
    record_audit_event(
        actor=actor,
        action=audit_action,
        target=case,
        unit_path=case.unit_path,
        details={
            "event": event_type,
            "from": from_status,
            "to": to_status,
            "case_number": case.case_number,
            **(audit_details or {}),
        },
    )
    return event


def set_status(
    case: Case,
    new_status: str,
    *,
    actor: User | None,
    details: dict[str, Any] | None = None,
    event_type: str = "transition",
) -> CaseEvent:
    old = case.status
    case.status = new_status
    case.status_changed_at = timezone.now()
    fields = ["status", "status_changed_at"]
    if new_status in FINAL_STATUSES:
        case.closed_at = case.status_changed_at
        fields.append("closed_at")
    case.save(update_fields=fields)
    return record_case_event(
        case,
        actor=actor,
        event_type=event_type,
        from_status=old,
        to_status=new_status,
        details=details,
        audit_action="transition",
    )


def next_case_number(province: AdministrativeUnit, year: int) -> str:
    """`19-2025-000123`: per province and year, from a row-locked counter, so a number is never reused."""
    with transaction.atomic():
        sequence, _created = CaseNumberSequence.objects.select_for_update().get_or_create(province=province, year=year)
        sequence.last_value = models.F("last_value") + 1
        sequence.save(update_fields=["last_value"])
        sequence.refresh_from_db(fields=["last_value"])
    return f"{province.code}-{year}-{sequence.last_value:06d}"


def hand_to_commune(case: Case, *, by: User) -> None:
    """The commune takes a case the 111 hotline recorded (it assigns an officer, or records the initial
    assessment): from then on the operator no longer sees it (CaseQuerySet.visible_to). Only the first time, and
    only for a case an operator recorded; part of the caller's transaction."""
    from childprotect.roles import Role

    if case.handed_to_commune_at is not None:
        return
    now = timezone.now()
    if Case.objects.filter(
        pk=case.pk, handed_to_commune_at__isnull=True, created_by__role=Role.HOTLINE_OPERATOR
    ).update(handed_to_commune_at=now):
        case.handed_to_commune_at = now
        record_case_event(case, actor=by, event_type=CaseEventType.HANDED_TO_COMMUNE)
