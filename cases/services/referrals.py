"""Referrals between agencies: one `do_*` per step of the handshake.

sent → accepted | declined (reason required) → in progress → completed (outcome required); the sending side
may withdraw while the referral is open. Who:
- whoever works the case (`can_send_referrals`) creates and withdraws;
- the focal points of the receiving agency (`is_focal_point_for`) accept, decline, add progress and complete.
A closed referral (declined, completed, withdrawn) takes no more writes from anyone.

Each step is atomic: it locks the referral row, checks the role (NotAllowed) and the status (RuleViolation), each
with a Vietnamese message that says what to do (ValidationError keyed by field for bad input), writes the change, a
CaseEvent of type "referral" on the case timeline (with the audit row), and the notifications of the other side
through the outbox (childprotect.notifications.notify): in the same transaction, emailed after commit.

Notifications name the case number, the agency and the urgency, and link by id: never the child, never the
reason, outcome or notes that people typed (those may describe the child, and emails leave our control).

A referral to a police agency meets the case's "notify the police" step (sexual abuse, TTLT 01/2022); withdrawing
the last such referral opens it again.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.access import can_send_referrals, can_work_case, is_focal_point_for
from cases.deadlines import meet_deadline, open_deadline
from cases.models import Case, CaseEventType, DeadlineStep, Referral, ReferralNote, ReferralStatus, ReferralUrgency
from cases.models.choices import OPEN_STATUSES, AbuseForm
from cases.models.referral import OPEN_REFERRAL_STATUSES
from cases.services.common import case_label, record_case_event
from childprotect.errors import NotAllowed, RuleViolation
from childprotect.models import Agency, Sector, User
from childprotect.notification_kinds import NotificationKind
from childprotect.notifications import notify
from childprotect.services import checked_text, lock, text_problem
from childprotect.validators import CALENDAR_LAST

S = ReferralStatus
TEXT_MAX_CHARS = 4000

# The case timeline's wording of each step (the agency's name is filled in).
EVENT_LABELS: dict[str, Any] = {
    "sent": gettext_lazy("Gửi tới %(agency)s"),
    "accepted": gettext_lazy("%(agency)s đã tiếp nhận chuyển gửi"),
    "declined": gettext_lazy("%(agency)s từ chối chuyển gửi"),
    "progress": gettext_lazy("%(agency)s cập nhật tiến độ"),
    "completed": gettext_lazy("%(agency)s đã hoàn thành chuyển gửi"),
    "withdrawn": gettext_lazy("Rút lại chuyển gửi tới %(agency)s"),
    "overdue": gettext_lazy("Chuyển gửi tới %(agency)s quá hạn phản hồi"),
}


# --- Reads used by the services and the pages --------------------------------------------------------------------


def response_hours(urgency: str) -> int:
    hours: dict[str, int] = getattr(settings, "REFERRAL_RESPONSE_HOURS", {})
    return int(hours.get(urgency, 72))


def default_due_at(urgency: str, sent_at: datetime.datetime | None = None) -> datetime.datetime:
    """When the agency must answer if the sender gives no time: REFERRAL_RESPONSE_HOURS by urgency."""
    return (sent_at or timezone.now()) + datetime.timedelta(hours=response_hours(urgency))


def focal_points_of(agency: Agency) -> list[User]:
    return list(User.objects.focal_points_of([agency.pk]))


def sender_side(referral: Referral) -> list[User]:
    """Who hears the agency's answers: the sender (while they still work the case) and the case's assigned
    officer; when neither can, the chair(s) of the case's commune."""
    case = referral.case
    people: list[User] = []
    if referral.sent_by.is_active and can_work_case(referral.sent_by, case):
        people.append(referral.sent_by)
    officer = case.assigned_officer
    if officer is not None and officer.is_active and officer.pk not in {p.pk for p in people}:
        people.append(officer)
    if not people:
        people = list(User.objects.commune_chairs_of(case.commune_id))
    return people


def police_referral_exists(case: Case) -> bool:
    """A referral to the police that was not withdrawn: the "notify the police" step is met."""
    return case.referrals.filter(agency__sector=Sector.POLICE).exclude(status=S.WITHDRAWN).exists()


def suggested_sectors(case: Case, referrals: list[Referral] | None = None) -> list[str]:
    """Sectors the case page suggests referring to: the police for sexual abuse (a required step, TTLT 01/2022),
    health for injuries (an accident with injury, or violence with serious harm). Only those not referred yet
    (`referrals`: the case's referrals with their agencies, when the caller has them already)."""
    wanted: list[str] = []
    if AbuseForm.SEXUAL_ABUSE in (case.abuse_forms or []):
        wanted.append(Sector.POLICE)
    injured = case.accident_outcome == "injury" or "violence.serious_harm" in (case.abuse_subtypes or [])
    if injured:
        wanted.append(Sector.HEALTH)
    if not wanted:
        return []
    if referrals is None:
        referrals = list(case.referrals.select_related("agency"))
    referred = {r.agency.sector for r in referrals if r.status not in {S.WITHDRAWN, S.DECLINED}}
    return [sector for sector in wanted if sector not in referred]


# --- Helpers -----------------------------------------------------------------------------------------------------


def _agency_url(referral: Referral) -> str:
    return reverse("cases:referral-detail", args=[referral.pk])


def _case_url(referral: Referral) -> str:
    return reverse("cases:detail", args=[referral.case_id]) + "#referrals"


# The state a step reads again once it holds the referral's row (`lock`): two focal points answering at once are
# served one after the other, and the second sees what the first did.
STATE_FIELDS = (
    "status", "responded_at", "responded_by", "accepted_at", "decline_reason", "completed_at", "completed_by",
    "outcome", "withdrawn_at", "withdrawn_by", "withdraw_reason", "closed_at",
)  # fmt: skip


def _lock(referral: Referral) -> None:
    lock(referral, *STATE_FIELDS)


def _refuse_unless(referral: Referral, allowed: set[str], action: str) -> None:
    if referral.status in allowed:
        return
    if referral.status not in OPEN_REFERRAL_STATUSES:
        raise RuleViolation(
            _("Chuyển gửi đã kết thúc (%(status)s): không thay đổi được nữa.")
            % {"status": referral.get_status_display()}
        )
    raise RuleViolation(
        _("Không thể “%(action)s” khi chuyển gửi đang ở trạng thái “%(status)s”.")
        % {"action": action, "status": referral.get_status_display()}
    )


def _require_focal_point(user: User, referral: Referral) -> None:
    if not is_focal_point_for(user, referral):
        raise NotAllowed(_("Chỉ đầu mối của cơ quan nhận chuyển gửi mới thực hiện được bước này."))


def record_referral_event(referral: Referral, actor: User | None, action: str, *, text: str = "", **extra: Any) -> None:
    details: dict[str, Any] = {
        "referral_id": referral.pk,
        "agency": referral.agency.code,
        "action": action,
        "referral_status": referral.status,
        **extra,
    }
    if text:
        details["text"] = text  # written for the case file by the person acting; never copied into notifications
    record_case_event(referral.case, actor=actor, event_type=CaseEventType.REFERRAL, details=details)


def tell_sender_side(referral: Referral, kind: NotificationKind, **params: Any) -> None:
    notify(
        sender_side(referral),
        kind=kind,
        params={**referral_params(referral), **params},
        url=_case_url(referral),
        target=referral,
        unit_path=referral.case.unit_path,
    )


def tell_agency(referral: Referral, kind: NotificationKind, *, dedupe_key: str | None = None, **params: Any) -> None:
    notify(
        focal_points_of(referral.agency),
        kind=kind,
        params={**referral_params(referral), **params},
        url=_agency_url(referral),
        target=referral,
        unit_path=referral.agency.unit.path,
        dedupe_key=dedupe_key,
    )


def referral_params(referral: Referral) -> dict[str, Any]:
    """What every referral notification names: the case number and the agency (never the child, nor the reason,
    outcome or notes people typed)."""
    return {"number": case_label(referral.case), "agency": referral.agency.name}


# --- Steps -------------------------------------------------------------------------------------------------------


@transaction.atomic
def do_create_referral(
    *,
    acting_user: User,
    case: Case,
    agency: Agency,
    reason: str,
    urgency: str,
    services: str = "",
    due_at: datetime.datetime | None = None,
) -> Referral:
    """Refer the case to an agency of the directory. `due_at` defaults by urgency (REFERRAL_RESPONSE_HOURS)."""
    if not can_send_referrals(acting_user, case):
        raise NotAllowed(_("Chỉ cán bộ đang xử lý hồ sơ mới chuyển gửi được."))
    # One referral at a time per case: the duplicate check below must see the others' committed rows.
    lock(case, "status", "unit_path", "commune", "province", "assigned_officer")
    if case.status not in OPEN_STATUSES:
        raise RuleViolation(
            _("Hồ sơ đang ở trạng thái “%(status)s”: không chuyển gửi được.") % {"status": case.get_status_display()}
        )
    errors: dict[str, str] = {}
    now = timezone.now()
    if urgency not in ReferralUrgency.values:
        errors["urgency"] = _("Chọn mức độ khẩn trong danh sách.")
    if not Agency.objects.active().filter(pk=agency.pk).exists():
        errors["agency"] = _("Cơ quan này không còn hoạt động trong danh bạ. Hãy chọn cơ quan khác.")
    if due_at is not None and due_at <= now:
        errors["due_at"] = _("Hạn phản hồi phải ở tương lai.")
    elif due_at is not None and due_at.date() > CALENDAR_LAST:
        errors["due_at"] = _("Hạn phản hồi quá xa: hãy chọn một ngày gần hơn.")
    for name, value, required in (("reason", reason, True), ("services", services, False)):
        if problem := text_problem(value, required=required, max_chars=TEXT_MAX_CHARS):
            errors[name] = problem
    reason, services = reason.strip(), (services or "").strip()
    if errors:
        raise ValidationError(errors)
    if case.referrals.filter(agency=agency, status__in=OPEN_REFERRAL_STATUSES).exists():
        raise ValidationError(
            {"agency": _("Hồ sơ đã có một chuyển gửi đang mở tới cơ quan này; hãy theo dõi chuyển gửi đó.")}
        )
    referral = Referral.objects.create(
        case=case,
        agency=agency,
        urgency=urgency,
        reason=reason,
        services=services,
        due_at=due_at or default_due_at(urgency, now),
        sent_by=acting_user,
        sent_at=now,
    )
    record_referral_event(
        referral, acting_user, "sent", text=reason, urgency=urgency, due_at=referral.due_at.isoformat()
    )
    if agency.sector == Sector.POLICE:
        meet_deadline(case, DeadlineStep.POLICE_NOTIFICATION, at=now)
    tell_agency(referral, NotificationKind.REFERRAL_RECEIVED, urgency=referral.urgency, due=referral.due_at)
    return referral


@transaction.atomic
def do_accept_referral(*, acting_user: User, referral: Referral) -> Referral:
    _lock(referral)
    _require_focal_point(acting_user, referral)
    _refuse_unless(referral, {S.SENT}, _("Tiếp nhận"))
    now = timezone.now()
    referral.status = S.ACCEPTED
    referral.responded_at = referral.accepted_at = now
    referral.responded_by = acting_user
    referral.save(update_fields=["status", "responded_at", "accepted_at", "responded_by", "updated_at"])
    record_referral_event(referral, acting_user, "accepted", on_time=now <= referral.due_at)
    tell_sender_side(referral, NotificationKind.REFERRAL_ACCEPTED)
    return referral


@transaction.atomic
def do_decline_referral(*, acting_user: User, referral: Referral, reason: str) -> Referral:
    _lock(referral)
    _require_focal_point(acting_user, referral)
    _refuse_unless(referral, {S.SENT}, _("Từ chối"))
    reason = checked_text("reason", reason, required=True, max_chars=TEXT_MAX_CHARS)
    now = timezone.now()
    referral.status = S.DECLINED
    referral.responded_at = referral.closed_at = now
    referral.responded_by = acting_user
    referral.decline_reason = reason
    referral.save(update_fields=["status", "responded_at", "closed_at", "responded_by", "decline_reason", "updated_at"])
    record_referral_event(referral, acting_user, "declined", text=reason, on_time=now <= referral.due_at)
    tell_sender_side(referral, NotificationKind.REFERRAL_DECLINED)
    return referral


@transaction.atomic
def do_add_referral_progress(*, acting_user: User, referral: Referral, note: str) -> ReferralNote:
    """A progress note of the agency; the first one moves an accepted referral to "in progress"."""
    _lock(referral)
    _require_focal_point(acting_user, referral)
    _refuse_unless(referral, {S.ACCEPTED, S.IN_PROGRESS}, _("Cập nhật tiến độ"))
    note = checked_text("note", note, required=True, max_chars=TEXT_MAX_CHARS)
    row = ReferralNote.objects.create(referral=referral, author=acting_user, text=note)
    if referral.status != S.IN_PROGRESS:
        referral.status = S.IN_PROGRESS
        referral.save(update_fields=["status", "updated_at"])
    record_referral_event(referral, acting_user, "progress", text=note, note_id=row.pk)
    tell_sender_side(referral, NotificationKind.REFERRAL_PROGRESS)
    return row


@transaction.atomic
def do_complete_referral(*, acting_user: User, referral: Referral, outcome: str) -> Referral:
    _lock(referral)
    _require_focal_point(acting_user, referral)
    _refuse_unless(referral, {S.ACCEPTED, S.IN_PROGRESS}, _("Hoàn thành"))
    outcome = checked_text("outcome", outcome, required=True, max_chars=TEXT_MAX_CHARS)
    now = timezone.now()
    referral.status = S.COMPLETED
    referral.completed_at = referral.closed_at = now
    referral.completed_by = acting_user
    referral.outcome = outcome
    referral.save(update_fields=["status", "completed_at", "closed_at", "completed_by", "outcome", "updated_at"])
    record_referral_event(referral, acting_user, "completed", text=outcome)
    tell_sender_side(referral, NotificationKind.REFERRAL_COMPLETED)
    return referral


@transaction.atomic
def do_withdraw_referral(*, acting_user: User, referral: Referral, reason: str = "") -> Referral:
    """The sending side takes an open referral back; the agency is told and no longer sees the case."""
    _lock(referral)
    if not can_send_referrals(acting_user, referral.case):
        raise NotAllowed(_("Chỉ cán bộ đang xử lý hồ sơ mới rút lại được chuyển gửi."))
    _refuse_unless(referral, set(OPEN_REFERRAL_STATUSES), _("Rút lại"))
    reason = checked_text("reason", reason, required=False, max_chars=TEXT_MAX_CHARS)
    now = timezone.now()
    referral.status = S.WITHDRAWN
    referral.withdrawn_at = referral.closed_at = now
    referral.withdrawn_by = acting_user
    referral.withdraw_reason = reason
    referral.save(
        update_fields=["status", "withdrawn_at", "closed_at", "withdrawn_by", "withdraw_reason", "updated_at"]
    )
    record_referral_event(referral, acting_user, "withdrawn", text=reason)
    case = referral.case
    if (
        referral.agency.sector == Sector.POLICE
        and AbuseForm.SEXUAL_ABUSE in (case.abuse_forms or [])
        and case.status in OPEN_STATUSES
        and not police_referral_exists(case)
    ):
        open_deadline(case, DeadlineStep.POLICE_NOTIFICATION, case.received_at)  # "immediately", as at intake
    tell_agency(referral, NotificationKind.REFERRAL_WITHDRAWN)
    return referral
