"""Transferring a case to another commune (the child moved) as a handshake.

1. The sending commune requests it (`do_transfer_case` in workflow.py, the "transfer" action, calls
   `request_transfer`): the case stays where it is, and is still worked there, while the request is pending.
2. The receiving commune's officer or chair accepts (`do_accept_transfer`): only then does the case move. Its
   commune, province and jurisdiction become the receiving commune's, its status and open deadlines carry on (the
   child's protection does not pause), and the accepting officer is assigned. The sending commune no longer sees it.
   Or they decline with a reason (`do_decline_transfer`), and the case stays with the sender.
3. The sending side may cancel a pending request (`do_cancel_transfer`).

Each step writes a CaseEvent of type "transfer" and tells the other side (no child data in notifications).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access import can_cancel_transfer, is_receiving_commune_worker
from cases.models import Case, CaseEventType, CaseTransfer, TransferStatus
from cases.models.choices import OPEN_STATUSES
from cases.services.common import case_label, claim_version, record_case_event
from childprotect.errors import NotAllowed, RuleViolation
from childprotect.models import AdministrativeUnit, User
from childprotect.models.units import UnitKind
from childprotect.notification_kinds import NotificationKind
from childprotect.notifications import notify
from childprotect.roles import Role
from childprotect.services import checked_text, lock

T = TransferStatus


def pending_transfer(case: Case) -> CaseTransfer | None:
    return case.transfers.filter(status=T.REQUESTED).select_related("to_commune").first()


def commune_workers(commune: AdministrativeUnit) -> list[User]:
    return list(User.objects.commune_workers_of(commune.pk))


def _event(transfer: CaseTransfer, actor: User, action: str, *, text: str = "") -> None:
    details = {
        "transfer_id": transfer.pk,
        "action": action,
        "from_commune": transfer.from_commune.code,
        "to_commune": transfer.to_commune.code,
    }
    if text:
        details["text"] = text
    record_case_event(transfer.case, actor=actor, event_type=CaseEventType.TRANSFER, details=details)


def _lock(transfer: CaseTransfer) -> None:
    lock(transfer, "status", "responded_at", "responded_by", "decline_reason")


def _refuse_unless_pending(transfer: CaseTransfer) -> None:
    if transfer.status != T.REQUESTED:
        raise RuleViolation(
            _("Yêu cầu chuyển hồ sơ này đã được xử lý (%(status)s).") % {"status": transfer.get_status_display()}
        )


def request_transfer(*, acting_user: User, case: Case, to_commune: AdministrativeUnit, reason: str) -> CaseTransfer:
    """Record the request (inside the caller's transaction, after its checks of role and status)."""
    reason = checked_text("reason", reason)
    if to_commune.kind != UnitKind.COMMUNE or not to_commune.is_current:
        raise ValidationError({"to_commune": _("Chọn một xã, phường đang có hiệu lực.")})
    if to_commune.pk == case.commune_id:
        raise ValidationError({"to_commune": _("Hồ sơ đã thuộc xã, phường này.")})
    existing = pending_transfer(case)
    if existing is not None:
        raise RuleViolation(
            _("Hồ sơ đang chờ %(commune)s đồng ý nhận. Hãy hủy yêu cầu đó trước khi chuyển nơi khác.")
            % {"commune": existing.to_commune.full_name}
        )
    transfer = CaseTransfer.objects.create(
        case=case,
        from_commune=case.commune,
        to_commune=to_commune,
        to_unit_path=to_commune.path,
        reason=reason,
        requested_by=acting_user,
        requested_at=timezone.now(),
    )
    _event(transfer, acting_user, "requested", text=reason)
    notify(
        commune_workers(to_commune),
        kind=NotificationKind.TRANSFER_REQUESTED,
        params={"number": case_label(case), "from": case.commune.full_name},
        url=reverse("cases:transfer-detail", args=[transfer.pk]),
        target=transfer,
        unit_path=to_commune.path,
    )
    return transfer


@transaction.atomic
def do_accept_transfer(*, acting_user: User, transfer: CaseTransfer) -> CaseTransfer:
    """The receiving commune takes the case: it moves there, keeps its status and deadlines, and is theirs."""
    _lock(transfer)
    if not is_receiving_commune_worker(acting_user, transfer):
        raise NotAllowed(_("Chỉ cán bộ hoặc Chủ tịch UBND xã nhận mới đồng ý nhận hồ sơ được."))
    _refuse_unless_pending(transfer)
    case = transfer.case
    claim_version(case, None)  # forms opened on the old commune's side are now stale
    case.refresh_from_db(fields=["status", "commune", "province", "unit_path", "assigned_officer"])
    if case.status not in OPEN_STATUSES:
        raise RuleViolation(
            _("Hồ sơ đã ở trạng thái “%(status)s” nên không chuyển được.") % {"status": case.get_status_display()}
        )
    now = timezone.now()
    transfer.status = T.ACCEPTED
    transfer.responded_by = acting_user
    transfer.responded_at = now
    transfer.save(update_fields=["status", "responded_by", "responded_at"])
    to_commune = transfer.to_commune
    case.commune = to_commune
    case.province = to_commune.province()
    case.unit_path = to_commune.path
    case.assigned_officer = acting_user if acting_user.role == Role.COMMUNE_OFFICER else None
    case.save(update_fields=["commune", "province", "unit_path", "assigned_officer"])
    _event(transfer, acting_user, "accepted")
    notify(
        [transfer.requested_by, *commune_workers(transfer.from_commune)],
        kind=NotificationKind.TRANSFER_ACCEPTED,
        params={"number": case_label(case), "to": to_commune.full_name},
        url=reverse("cases:transfer-detail", args=[transfer.pk]),
        target=transfer,
        unit_path=transfer.from_commune.path,
    )
    return transfer


@transaction.atomic
def do_decline_transfer(*, acting_user: User, transfer: CaseTransfer, reason: str) -> CaseTransfer:
    _lock(transfer)
    if not is_receiving_commune_worker(acting_user, transfer):
        raise NotAllowed(_("Chỉ cán bộ hoặc Chủ tịch UBND xã nhận mới từ chối được."))
    _refuse_unless_pending(transfer)
    reason = checked_text("reason", reason)
    transfer.status = T.DECLINED
    transfer.responded_by = acting_user
    transfer.responded_at = timezone.now()
    transfer.decline_reason = reason
    transfer.save(update_fields=["status", "responded_by", "responded_at", "decline_reason"])
    _event(transfer, acting_user, "declined", text=reason)
    case = transfer.case
    notify(
        [transfer.requested_by, *commune_workers(transfer.from_commune)],
        kind=NotificationKind.TRANSFER_DECLINED,
        params={"number": case_label(case), "to": transfer.to_commune.full_name},
        url=reverse("cases:detail", args=[case.pk]),
        target=transfer,
        unit_path=case.unit_path,
    )
    return transfer


@transaction.atomic
def do_cancel_transfer(*, acting_user: User, transfer: CaseTransfer) -> CaseTransfer:
    """The sending side withdraws its pending request."""
    _lock(transfer)
    if not can_cancel_transfer(acting_user, transfer):
        raise NotAllowed(_("Chỉ cán bộ hoặc Chủ tịch UBND xã đang phụ trách hồ sơ mới hủy được yêu cầu."))
    _refuse_unless_pending(transfer)
    transfer.status = T.CANCELLED
    transfer.responded_by = acting_user
    transfer.responded_at = timezone.now()
    transfer.save(update_fields=["status", "responded_by", "responded_at"])
    _event(transfer, acting_user, "cancelled")
    notify(
        commune_workers(transfer.to_commune),
        kind=NotificationKind.TRANSFER_CANCELLED,
        params={"number": case_label(transfer.case), "from": transfer.from_commune.full_name},
        url=reverse("cases:transfer-detail", args=[transfer.pk]),
        target=transfer,
        unit_path=transfer.to_commune.path,
    )
    return transfer
