"""The statutory procedure after intake (NĐ56 Arts. 26–32): one `do_*` per step (each step is declared once, with
its statuses, role, form and serializer, in cases/steps.py).

Every step is atomic, takes `acting_user` and `expected_version`, claims the version first (a stale one raises
VersionConflict and nothing is written), then checks the role (NotAllowed) and the status (RuleViolation) that
its record allows, each with a Vietnamese message that says what to do, validates its input (ValidationError
keyed by field), writes the record of the step, moves the status through `set_status` (timeline + audit) and
meets/opens the statutory deadlines.

Who: the commune chair (Chủ tịch UBND xã) approves or returns plans, orders, extends and revokes temporary
separation, and closes cases; the commune officer and the chair do everything else. Province officers and the
hotline read; they do not move cases.

Transfer (`do_transfer_case`, the "transfer" action) is a handshake: it records a request to the receiving commune
and the case stays where it is until that commune's officer or chair accepts (cases/services/transfers.py: accept,
decline, cancel). Only then does the case move, keeping its status and deadlines.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access import is_case_worker, is_chair_of
from cases.calendar import working_days_deadline
from cases.deadlines import close_all_deadlines, meet_deadline, open_deadline
from cases.models import Case, CaseEventType, CaseStatus, CaseTransfer, DeadlineStep
from cases.models.choices import (
    EMERGENCY_HOURS,
    PLAN_APPROVAL_WORKING_DAYS,
    PLAN_DRAFT_WORKING_DAYS,
    SEPARATION_MAX_DAYS,
    ProtectionLevel,
)
from cases.models.procedure import (
    Assessment,
    AssessmentKind,
    EmergencyKind,
    EmergencyMeasure,
    HarmLevel,
    NeedsMeeting,
    Plan,
    PlanItem,
    PlanStatus,
    Review,
    ReviewOutcome,
)
from cases.querysets import active_separation, current_plan, latest_review
from cases.services.common import case_label, claim_version, hand_to_commune, record_case_event, set_status
from cases.services.transfers import request_transfer
from cases.steps import (
    APPROVE_PLAN,
    CLOSE,
    DETAILED_ASSESSMENT,
    EMERGENCY_MEASURE,
    EXTEND_SEPARATION,
    INITIAL_ASSESSMENT,
    NEEDS_MEETING,
    NEW_CYCLE,
    NOT_SUBSTANTIATED,
    RETURN_PLAN,
    REVIEW,
    REVOKE_SEPARATION,
    SAVE_PLAN,
    START_IMPLEMENTATION,
    STEPS,
    SUBMIT_PLAN,
    TRANSFER,
)
from childprotect.errors import NotAllowed, RowErrors, RuleViolation
from childprotect.models import AdministrativeUnit, Agency, User
from childprotect.notification_kinds import NotificationKind
from childprotect.notifications import notify
from childprotect.services import require_text
from childprotect.validators import check_calendar_date, check_past_event

S = CaseStatus
MEASURE_CODE = re.compile(r"^\d{1,3}(\.\d{1,2}(\.[a-zđ])?)?$")


# --- Guards ------------------------------------------------------------------------------------------------------


def _begin(action: str, *, acting_user: User, case: Case, expected_version: int | None) -> str:
    """Claim the version (nothing is written on a conflict), then check the role and the status the step's record
    allows (cases/steps.py). Returns the status."""
    claim_version(case, expected_version)
    case.refresh_from_db(fields=["status", "commune", "province", "unit_path", "received_at", "version"])
    step = STEPS[action]
    if not is_case_worker(acting_user, case):
        raise NotAllowed(_("Chỉ cán bộ bảo vệ trẻ em hoặc Chủ tịch UBND xã phụ trách hồ sơ mới thực hiện được."))
    if not step.role.allows(acting_user, case):
        raise NotAllowed(
            _("Chỉ Chủ tịch UBND xã mới được %(action)s. Hãy trình Chủ tịch thực hiện.")
            % {"action": str(step.label).lower()}
        )
    if case.status not in step.sources:
        raise RuleViolation(
            _("Không thể “%(action)s” khi hồ sơ đang ở trạng thái “%(status)s”.")
            % {"action": step.label, "status": case.get_status_display()}
        )
    return case.status


def _not_in_future(value: datetime.datetime | None, field: str) -> datetime.datetime:
    if value is None:
        return timezone.now()
    check_past_event(value, field)  # not in the future, not before 1990 (childprotect/validators.py)
    return value


# --- Steps -------------------------------------------------------------------------------------------------------


@transaction.atomic
def do_record_initial_assessment(
    *,
    acting_user: User,
    case: Case,
    expected_version: int | None,
    harm_level: str,
    risk_level: str,
    serious_danger: bool,
    findings: str = "",
    assessed_at: datetime.datetime | None = None,
) -> Assessment:
    """Mẫu 02 (NĐ56 Art. 26(2)). No serious danger meets the 12-hour emergency deadline; serious danger opens it
    (12 h from receipt) if intake had not."""
    old = _begin(INITIAL_ASSESSMENT, acting_user=acting_user, case=case, expected_version=expected_version)
    at = _not_in_future(assessed_at, "assessed_at")
    _check_levels(harm_level=harm_level, risk_level=risk_level)
    assessment = Assessment.objects.create(
        case=case,
        kind=AssessmentKind.INITIAL,
        assessed_at=at,
        assessed_by=acting_user,
        harm_level=harm_level,
        risk_level=risk_level,
        serious_danger=serious_danger,
        findings=findings,
    )
    set_status(
        case,
        S.INITIAL_ASSESSMENT,
        actor=acting_user,
        event_type=CaseEventType.ASSESSMENT,
        details={"assessment_id": assessment.pk, "kind": "initial", "serious_danger": serious_danger, "from": old},
    )
    hand_to_commune(case, by=acting_user)
    if serious_danger:
        open_deadline(case, DeadlineStep.EMERGENCY, case.received_at + datetime.timedelta(hours=EMERGENCY_HOURS))
    else:
        meet_deadline(case, DeadlineStep.EMERGENCY)
    return assessment


def _check_levels(**levels: str) -> None:
    # HarmLevel and RiskLevel share their values (only the wording of "none" differs).
    errors = {name: _("Chọn một mức trong danh sách.") for name, value in levels.items() if value not in HarmLevel}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def do_mark_not_substantiated(*, acting_user: User, case: Case, expected_version: int | None, reason: str) -> Case:
    """After the initial assessment: the report is not substantiated; the case ends and its deadlines close."""
    _begin(NOT_SUBSTANTIATED, acting_user=acting_user, case=case, expected_version=expected_version)
    require_text(reason=reason)
    set_status(case, S.NOT_SUBSTANTIATED, actor=acting_user, details={"reason": reason})
    close_all_deadlines(case)
    return case


@transaction.atomic
def do_order_emergency_measure(
    *,
    acting_user: User,
    case: Case,
    expected_version: int | None,
    kind: str,
    started_at: datetime.datetime | None = None,
    ends_at: datetime.datetime | None = None,
    decision_number: str = "",
    placement: str = "",
    description: str = "",
) -> EmergencyMeasure:
    """Emergency intervention (officer or chair) or temporary separation (chair only, Mẫu 07; at most 15 days,
    NĐ56 Art. 32). Meets the 12-hour emergency deadline; a separation opens the SEPARATION_END deadline."""
    old = _begin(EMERGENCY_MEASURE, acting_user=acting_user, case=case, expected_version=expected_version)
    if kind not in EmergencyKind:
        raise ValidationError({"kind": _("Chọn một biện pháp trong danh sách.")})
    separation = kind == EmergencyKind.TEMPORARY_SEPARATION
    if separation and not is_chair_of(acting_user, case):
        raise NotAllowed(
            _("Chỉ Chủ tịch UBND xã mới được quyết định tạm thời cách ly trẻ (Mẫu 07). Hãy trình Chủ tịch quyết định.")
        )
    start = _not_in_future(started_at, "started_at")
    if separation:
        if active_separation(case) is not None:
            raise RuleViolation(_("Trẻ đang được tạm thời cách ly; hãy gia hạn hoặc chấm dứt quyết định hiện có."))
        latest_end = start + datetime.timedelta(days=SEPARATION_MAX_DAYS)
        if ends_at is None:
            ends_at = latest_end
        elif ends_at <= start:
            raise ValidationError({"ends_at": _("Thời điểm kết thúc phải sau thời điểm bắt đầu.")})
        elif ends_at > latest_end:
            raise ValidationError(
                {
                    "ends_at": _(
                        "Tạm thời cách ly không quá 15 ngày. Nếu cơ quan có thẩm quyền yêu cầu tiếp tục, hãy dùng "
                        "chức năng gia hạn sau khi ra quyết định."
                    )
                }
            )
    else:
        ends_at = None
    measure = EmergencyMeasure.objects.create(
        case=case,
        kind=kind,
        decided_by=acting_user,
        decision_number=decision_number,
        started_at=start,
        ends_at=ends_at,
        placement=placement,
        description=description,
    )
    details = {"measure_id": measure.pk, "kind": kind}
    if old in {S.RECEIVED, S.INITIAL_ASSESSMENT}:
        set_status(case, S.EMERGENCY, actor=acting_user, event_type=CaseEventType.EMERGENCY, details=details)
    else:
        record_case_event(case, actor=acting_user, event_type=CaseEventType.EMERGENCY, details=details)
    meet_deadline(case, DeadlineStep.EMERGENCY, at=start)
    if separation:
        assert ends_at is not None
        open_deadline(case, DeadlineStep.SEPARATION_END, ends_at)
    return measure


def _separation_or_refuse(case: Case) -> EmergencyMeasure:
    measure = active_separation(case)
    if measure is None:
        raise RuleViolation(_("Trẻ không có quyết định tạm thời cách ly nào đang có hiệu lực."))
    return measure


@transaction.atomic
def do_extend_separation(
    *,
    acting_user: User,
    case: Case,
    expected_version: int | None,
    ends_at: datetime.datetime,
    authority: str,
) -> EmergencyMeasure:
    """Continue a separation past its end because a competent authority requires it (NĐ56 Art. 32(2));
    moves the SEPARATION_END deadline."""
    _begin(EXTEND_SEPARATION, acting_user=acting_user, case=case, expected_version=expected_version)
    measure = _separation_or_refuse(case)
    require_text(authority=authority)
    check_calendar_date(ends_at, "ends_at")
    if measure.ends_at and ends_at <= measure.ends_at:
        raise ValidationError({"ends_at": _("Thời hạn mới phải sau thời hạn hiện tại.")})
    previous = measure.ends_at
    measure.ends_at = ends_at
    measure.extended_by_authority = authority
    measure.save(update_fields=["ends_at", "extended_by_authority"])
    record_case_event(
        case,
        actor=acting_user,
        event_type=CaseEventType.EMERGENCY,
        details={
            "measure_id": measure.pk,
            "extended_to": ends_at.isoformat(),
            "previous_end": previous.isoformat() if previous else None,
            "authority": authority,
        },
    )
    open_deadline(case, DeadlineStep.SEPARATION_END, ends_at)
    return measure


@transaction.atomic
def do_revoke_separation(
    *, acting_user: User, case: Case, expected_version: int | None, reason: str
) -> EmergencyMeasure:
    """End the separation: the parents/caregiver are assessed (Mẫu 03) as able to keep the child safe (Art. 32(3))."""
    _begin(REVOKE_SEPARATION, acting_user=acting_user, case=case, expected_version=expected_version)
    measure = _separation_or_refuse(case)
    require_text(reason=reason)
    measure.revoked_at = timezone.now()
    measure.save(update_fields=["revoked_at"])
    record_case_event(
        case,
        actor=acting_user,
        event_type=CaseEventType.EMERGENCY,
        details={"measure_id": measure.pk, "revoked": True, "reason": reason},
    )
    meet_deadline(case, DeadlineStep.SEPARATION_END)
    return measure


@transaction.atomic
def do_record_detailed_assessment(
    *,
    acting_user: User,
    case: Case,
    expected_version: int | None,
    harm_level: str,
    risk_level: str,
    serious_danger: bool = False,
    findings: str = "",
    child_condition: str = "",
    family_situation: str = "",
    risk_factors: str = "",
    learning_and_self_protection: str = "",
    community_safety: str = "",
    needs: str = "",
    child_views: str = "",
    caregiver_views: str = "",
    assessed_at: datetime.datetime | None = None,
) -> Assessment:
    """Mẫu 03 (NĐ56 Art. 27(1) a–h). A child found in serious danger at the initial assessment must have had an
    emergency measure first."""
    old = _begin(DETAILED_ASSESSMENT, acting_user=acting_user, case=case, expected_version=expected_version)
    at = _not_in_future(assessed_at, "assessed_at")
    _check_levels(harm_level=harm_level, risk_level=risk_level)
    initial = case.assessments.filter(kind=AssessmentKind.INITIAL).order_by("-assessed_at").first()
    if initial and initial.serious_danger and not case.emergency_measures.exists():
        raise RuleViolation(
            _(
                "Đánh giá ban đầu xác định trẻ có nguy cơ bị tổn hại nghiêm trọng: hãy ghi nhận biện pháp can thiệp "
                "khẩn cấp hoặc tạm thời cách ly trước khi đánh giá chi tiết."
            )
        )
    require_text(child_condition=child_condition, needs=needs)
    assessment = Assessment.objects.create(
        case=case,
        kind=AssessmentKind.DETAILED,
        assessed_at=at,
        assessed_by=acting_user,
        harm_level=harm_level,
        risk_level=risk_level,
        serious_danger=serious_danger,
        findings=findings,
        child_condition=child_condition,
        family_situation=family_situation,
        risk_factors=risk_factors,
        learning_and_self_protection=learning_and_self_protection,
        community_safety=community_safety,
        needs=needs,
        child_views=child_views,
        caregiver_views=caregiver_views,
    )
    set_status(
        case,
        S.DETAILED_ASSESSMENT,
        actor=acting_user,
        event_type=CaseEventType.ASSESSMENT,
        details={"assessment_id": assessment.pk, "kind": "detailed", "from": old},
    )
    return assessment


@transaction.atomic
def do_record_needs_meeting(
    *,
    acting_user: User,
    case: Case,
    expected_version: int | None,
    held_on: datetime.date,
    participants: str,
    decisions: str,
) -> NeedsMeeting:
    """The meeting the chair convenes to decide the child's needs and the measures (NĐ56 Art. 27(2))."""
    _begin(NEEDS_MEETING, acting_user=acting_user, case=case, expected_version=expected_version)
    require_text(participants=participants, decisions=decisions)
    check_past_event(held_on, "held_on")
    meeting = NeedsMeeting.objects.create(
        case=case, held_on=held_on, participants=participants, decisions=decisions, recorded_by=acting_user
    )
    set_status(case, S.NEEDS_MEETING, actor=acting_user, details={"meeting_id": meeting.pk})
    return meeting


# --- The plan ----------------------------------------------------------------------------------------------------


@dataclass
class PlanItemInput:
    service: str
    level: str
    start_date: datetime.date
    expected_end_date: datetime.date
    measure_code: str = ""
    responsible_agency: Agency | None = None
    responsible_person: str = ""
    estimated_cost_vnd: int = 0


class PlanItemsInvalid(RowErrors):
    """Some plan items are invalid: `rows[i]` maps field → message for the i-th item (empty if fine)."""

    def __init__(self, item_errors: list[dict[str, str]]) -> None:
        super().__init__("items", item_errors, _("Một số dòng của kế hoạch chưa hợp lệ."))


def validate_plan_item(item: PlanItemInput) -> dict[str, str]:
    """Field → message for what is wrong with one item (NĐ56 Art. 28(3)): an empty dict when it is fine."""
    errors: dict[str, str] = {}
    if not item.service.strip():
        errors["service"] = _("Nhập dịch vụ hoặc hoạt động.")
    if item.level not in ProtectionLevel:
        errors["level"] = _("Chọn cấp độ bảo vệ: phòng ngừa, hỗ trợ hoặc can thiệp.")
    if item.measure_code and not MEASURE_CODE.match(item.measure_code):
        errors["measure_code"] = _("Ghi theo dạng Điều.khoản.điểm của Luật Trẻ em, ví dụ 50.2.b.")
    for name in ("start_date", "expected_end_date"):
        try:
            check_calendar_date(getattr(item, name), name)
        except ValidationError as error:
            errors[name] = error.messages[0]
    if not errors and item.start_date and item.expected_end_date and item.expected_end_date < item.start_date:
        errors["expected_end_date"] = _("Ngày dự kiến kết thúc phải từ ngày bắt đầu trở đi.")
    if item.estimated_cost_vnd is None or item.estimated_cost_vnd < 0:
        errors["estimated_cost_vnd"] = _("Dự toán kinh phí không được âm.")
    return errors


@transaction.atomic
def do_save_plan(
    *,
    acting_user: User,
    case: Case,
    expected_version: int | None,
    items: list[PlanItemInput],
    goals: str = "",
) -> Plan:
    """Create or replace the draft plan of the current cycle with these items. The case status is kept."""
    _begin(SAVE_PLAN, acting_user=acting_user, case=case, expected_version=expected_version)
    item_errors = [validate_plan_item(item) for item in items]
    if any(item_errors):
        raise PlanItemsInvalid(item_errors)
    plan = current_plan(case)
    if plan is None:
        plan = Plan.objects.create(case=case, cycle=1, drafted_by=acting_user)
    elif plan.status not in {PlanStatus.DRAFT, PlanStatus.RETURNED}:
        raise RuleViolation(_("Kế hoạch đã trình hoặc đã được phê duyệt thì không sửa được."))
    plan.goals = goals
    plan.drafted_by = acting_user
    plan.save(update_fields=["goals", "drafted_by"])
    plan.items.all().delete()
    PlanItem.objects.bulk_create(
        PlanItem(
            plan=plan,
            service=item.service.strip(),
            level=item.level,
            measure_code=item.measure_code,
            responsible_agency=item.responsible_agency,
            responsible_person=item.responsible_person,
            start_date=item.start_date,
            expected_end_date=item.expected_end_date,
            estimated_cost_vnd=item.estimated_cost_vnd,
        )
        for item in items
    )
    record_case_event(
        case, actor=acting_user, event_type=CaseEventType.PLAN, details={"plan_id": plan.pk, "items": len(items)}
    )
    return plan


@transaction.atomic
def do_submit_plan(*, acting_user: User, case: Case, expected_version: int | None) -> Plan:
    """Submit the draft for approval (Mẫu 04/05): meets PLAN_DRAFT, opens PLAN_APPROVAL (2 working days)."""
    _begin(SUBMIT_PLAN, acting_user=acting_user, case=case, expected_version=expected_version)
    plan = current_plan(case)
    if plan is None or plan.status not in {PlanStatus.DRAFT, PlanStatus.RETURNED}:
        raise RuleViolation(_("Chưa có dự thảo kế hoạch để trình. Hãy lập kế hoạch trước."))
    if not plan.items.exists():
        raise RuleViolation(_("Kế hoạch chưa có dịch vụ, hoạt động nào. Hãy thêm ít nhất một dòng rồi trình."))
    now = timezone.now()
    plan.status = PlanStatus.SUBMITTED
    plan.submitted_at = now
    plan.return_reason = ""
    plan.save(update_fields=["status", "submitted_at", "return_reason"])
    set_status(case, S.PLAN_DRAFTED, actor=acting_user, event_type=CaseEventType.PLAN, details={"plan_id": plan.pk})
    meet_deadline(case, DeadlineStep.PLAN_DRAFT, at=now)
    due = working_days_deadline(now, PLAN_APPROVAL_WORKING_DAYS)
    open_deadline(case, DeadlineStep.PLAN_APPROVAL, due)
    _tell_about_plan(
        case, User.objects.commune_chairs_of(case.commune_id), NotificationKind.PLAN_SUBMITTED, {"due": due}, plan
    )
    return plan


def _tell_about_plan(
    case: Case, recipients: Iterable[User], kind: NotificationKind, params: dict[str, Any], plan: Plan
) -> None:
    """Whoever the plan now waits on hears of it: the case number and a link to the plan's section (no child data)."""
    notify(
        recipients,
        kind=kind,
        params={"number": case_label(case), **params},
        url=f"/cases/{case.pk}/#plan",
        target=case,
        unit_path=case.unit_path,
        dedupe_key=f"{kind}:{plan.pk}:{plan.submitted_at.isoformat() if plan.submitted_at else ''}",
    )


def _plan_officers(case: Case, plan: Plan) -> list[User]:
    """The officer responsible for the case and the one who drafted the plan (if not the same)."""
    case.refresh_from_db(fields=["assigned_officer"])
    return [user for user in (case.assigned_officer, plan.drafted_by) if user is not None]


def _submitted_plan_or_refuse(case: Case) -> Plan:
    plan = current_plan(case)
    if plan is None or plan.status != PlanStatus.SUBMITTED:
        raise RuleViolation(_("Không có kế hoạch nào đang chờ phê duyệt."))
    return plan


def _review_due(plan: Plan) -> datetime.datetime | None:
    last_end = plan.items.order_by("-expected_end_date").values_list("expected_end_date", flat=True).first()
    if last_end is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(last_end, datetime.time(23, 59, 59)))


@transaction.atomic
def do_approve_plan(*, acting_user: User, case: Case, expected_version: int | None, decision_number: str = "") -> Plan:
    """The chair approves (NĐ56 Art. 28(4)): meets PLAN_APPROVAL; opens REVIEW at the plan's last expected end."""
    _begin(APPROVE_PLAN, acting_user=acting_user, case=case, expected_version=expected_version)
    plan = _submitted_plan_or_refuse(case)
    now = timezone.now()
    plan.status = PlanStatus.APPROVED
    plan.approved_by = acting_user
    plan.approved_at = now
    plan.decision_number = decision_number
    plan.save(update_fields=["status", "approved_by", "approved_at", "decision_number"])
    set_status(case, S.PLAN_APPROVED, actor=acting_user, event_type=CaseEventType.PLAN, details={"plan_id": plan.pk})
    meet_deadline(case, DeadlineStep.PLAN_APPROVAL, at=now)
    review_due = _review_due(plan)
    if review_due is not None:
        open_deadline(case, DeadlineStep.REVIEW, review_due)
    _tell_about_plan(case, _plan_officers(case, plan), NotificationKind.PLAN_APPROVED, {}, plan)
    return plan


@transaction.atomic
def do_return_plan(*, acting_user: User, case: Case, expected_version: int | None, reason: str) -> Plan:
    """The chair sends the plan back with a reason; the officer edits and submits again (a new 2-day window)."""
    _begin(RETURN_PLAN, acting_user=acting_user, case=case, expected_version=expected_version)
    plan = _submitted_plan_or_refuse(case)
    require_text(reason=reason)
    plan.status = PlanStatus.RETURNED
    plan.return_reason = reason
    plan.save(update_fields=["status", "return_reason"])
    record_case_event(
        case,
        actor=acting_user,
        event_type=CaseEventType.PLAN,
        details={"plan_id": plan.pk, "returned": True, "reason": reason},
    )
    # The chair decided within the window; the next submission opens a new one.
    meet_deadline(case, DeadlineStep.PLAN_APPROVAL)
    _tell_about_plan(case, _plan_officers(case, plan), NotificationKind.PLAN_RETURNED, {}, plan)
    return plan


@transaction.atomic
def do_start_implementation(*, acting_user: User, case: Case, expected_version: int | None) -> Case:
    """The approved plan is sent to the implementers and the family; implementation starts (NĐ56 Art. 29)."""
    _begin(START_IMPLEMENTATION, acting_user=acting_user, case=case, expected_version=expected_version)
    set_status(case, S.IN_PROGRESS, actor=acting_user)
    return case


@transaction.atomic
def do_record_review(
    *,
    acting_user: User,
    case: Case,
    expected_version: int | None,
    child_safe: bool,
    child_stable: bool,
    findings: str,
    outcome: str,
    reviewed_at: datetime.datetime | None = None,
) -> Review:
    """Mẫu 06 (NĐ56 Art. 30): proposes closure (only when the child is safe and stable) or a new plan."""
    _begin(REVIEW, acting_user=acting_user, case=case, expected_version=expected_version)
    at = _not_in_future(reviewed_at, "reviewed_at")
    require_text(findings=findings)
    if outcome not in ReviewOutcome:
        raise ValidationError({"outcome": _("Chọn một đề xuất trong danh sách.")})
    if outcome == ReviewOutcome.CLOSE and not (child_safe and child_stable):
        raise ValidationError(
            {
                "outcome": _(
                    "Chỉ đề nghị kết thúc khi trẻ không còn nguy cơ bị xâm hại và các yếu tố thể chất, tâm lý, "
                    "nhận thức, tình cảm đã ổn định (Điều 30 Nghị định 56/2017/NĐ-CP)."
                )
            }
        )
    plan = current_plan(case)
    assert plan is not None  # in_progress is reached only through an approved plan
    review = Review.objects.create(
        case=case,
        plan=plan,
        reviewed_at=at,
        reviewed_by=acting_user,
        child_safe=child_safe,
        child_stable=child_stable,
        findings=findings,
        outcome=outcome,
    )
    set_status(case, S.REVIEW, actor=acting_user, details={"review_id": review.pk, "outcome": outcome})
    meet_deadline(case, DeadlineStep.REVIEW, at=at)
    return review


def _end_plan(case: Case) -> None:
    plan = current_plan(case)
    if plan is not None and plan.status != PlanStatus.ENDED:
        plan.status = PlanStatus.ENDED
        plan.save(update_fields=["status"])


@transaction.atomic
def do_close_case(
    *, acting_user: User, case: Case, expected_version: int | None, decision_number: str = "", note: str = ""
) -> Case:
    """The chair ends the plan and closes the case (NĐ56 Art. 30(1)(b)); needs a review proposing closure."""
    _begin(CLOSE, acting_user=acting_user, case=case, expected_version=expected_version)
    review = latest_review(case)
    if review is None or review.outcome != ReviewOutcome.CLOSE:
        raise RuleViolation(
            _(
                "Chỉ kết thúc hồ sơ khi kết quả rà soát (Mẫu 06) đề nghị kết thúc. "
                "Hãy rà soát lại hoặc lập kế hoạch mới."
            )
        )
    if active_separation(case) is not None:
        raise RuleViolation(_("Trẻ vẫn đang tạm thời cách ly: hãy chấm dứt quyết định cách ly trước khi kết thúc."))
    _end_plan(case)
    set_status(
        case,
        S.CLOSED,
        actor=acting_user,
        details={"review_id": review.pk, "decision_number": decision_number, "note": note},
    )
    close_all_deadlines(case)
    return case


@transaction.atomic
def do_start_new_cycle(*, acting_user: User, case: Case, expected_version: int | None) -> Plan:
    """Back to planning (NĐ56 Art. 30(1)(c)): a new draft plan (cycle + 1), 5 working days from the review."""
    _begin(NEW_CYCLE, acting_user=acting_user, case=case, expected_version=expected_version)
    review = latest_review(case)
    previous = current_plan(case)
    assert review is not None and previous is not None  # the review status is reached only through a review
    _end_plan(case)
    plan = Plan.objects.create(case=case, cycle=previous.cycle + 1, drafted_by=acting_user)
    set_status(
        case,
        S.PLAN_DRAFTED,
        actor=acting_user,
        event_type=CaseEventType.PLAN,
        details={"plan_id": plan.pk, "cycle": plan.cycle, "review_id": review.pk},
    )
    open_deadline(case, DeadlineStep.PLAN_DRAFT, working_days_deadline(review.reviewed_at, PLAN_DRAFT_WORKING_DAYS))
    return plan


@transaction.atomic
def do_transfer_case(
    *, acting_user: User, case: Case, expected_version: int | None, to_commune: AdministrativeUnit, reason: str
) -> CaseTransfer:
    """Ask another commune (same or another province) to take the case: a pending request, which that commune's
    officer or chair accepts or declines (cases/services/transfers.py). The case does not move yet."""
    _begin(TRANSFER, acting_user=acting_user, case=case, expected_version=expected_version)
    return request_transfer(acting_user=acting_user, case=case, to_commune=to_commune, reason=reason)
