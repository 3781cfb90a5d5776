"""Intake: record a reported case (Mẫu 01) — from the commune's form, the 111 hotline or the API.

A draft keeps whatever the officer typed so far and gets no case number; submitting it (or creating directly)
gives the number, sets the status to "received" and opens the statutory deadlines that run from receipt.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access import can_create_case_in
from cases.models import (
    AbuseForm,
    Caregiver,
    Case,
    CaseEventType,
    CaseKind,
    CaseStatus,
    Child,
    DeadlineStep,
    Reporter,
)
from cases.models.choices import EMERGENCY_HOURS, PLAN_DRAFT_WORKING_DAYS
from cases.services.assignment import record_assignment
from cases.services.common import claim_version, next_case_number, record_case_event, set_status
from childprotect.errors import NotAllowed, RuleViolation
from childprotect.models import AdministrativeUnit, User
from childprotect.notification_kinds import NotificationKind
from childprotect.notifications import notify
from childprotect.roles import Role
from childprotect.validators import check_date_of_birth, check_past_event, unique_bounded


@dataclass
class ChildInput:
    full_name: str
    commune: AdministrativeUnit
    date_of_birth: datetime.date | None = None
    age_years: int | None = None
    sex: str = "unknown"
    ethnicity_code: str = ""
    ethnicity_code_system: str = "QD121_1979"
    id_number: str = ""
    disability: str = "none"


@dataclass
class CaregiverInput:
    full_name: str
    relationship: str
    phone: str = ""
    address: str = ""
    is_alleged_perpetrator: bool = False


@dataclass
class ReporterInput:
    channel: str
    name: str = ""
    phone: str = ""
    relationship: str = ""


@dataclass
class CaseInput:
    kind: str
    received_at: datetime.datetime
    abuse_forms: list[str] = field(default_factory=list)
    abuse_subtypes: list[str] = field(default_factory=list)
    special_groups: list[str] = field(default_factory=list)
    setting: str = ""
    accident_type: str = ""
    accident_outcome: str = ""
    incident_date: datetime.date | None = None
    incident_commune: AdministrativeUnit | None = None
    immediate_danger: bool = False
    summary: str = ""


def _apply_child(child: Child, data: ChildInput, *, received_at: datetime.datetime) -> None:
    child.full_name = " ".join(data.full_name.split())
    child.commune = data.commune
    child.sex = data.sex
    child.ethnicity_code = data.ethnicity_code
    child.ethnicity_code_system = data.ethnicity_code_system
    child.id_number = data.id_number
    child.disability = data.disability
    if data.date_of_birth is not None:
        child.date_of_birth, child.birth_year, child.birth_date_estimated = data.date_of_birth, None, False
    elif data.age_years is not None:
        child.date_of_birth = None
        child.birth_year = timezone.localtime(received_at).year - data.age_years
        child.birth_date_estimated = True


def _apply_case(case: Case, data: CaseInput) -> None:
    for name in (
        "kind",
        "received_at",
        "abuse_forms",
        "abuse_subtypes",
        "special_groups",
        "setting",
        "accident_type",
        "accident_outcome",
        "incident_date",
        "incident_commune",
        "immediate_danger",
        "summary",
    ):
        setattr(case, name, getattr(data, name))


def check_submittable(case_data: CaseInput, child_data: ChildInput) -> None:
    """What a case must have before it counts as received (drafts may lack any of it)."""
    errors: dict[str, str] = {}
    if not child_data.full_name.strip():
        errors["full_name"] = _("Nhập họ và tên của trẻ (có thể ghi “Chưa rõ tên” nếu chưa biết).")
    if case_data.kind == CaseKind.ABUSE and not case_data.abuse_forms:
        errors["abuse_forms"] = _("Chọn ít nhất một hình thức xâm hại.")
    if case_data.kind == CaseKind.ACCIDENT and not case_data.accident_type:
        errors["accident_type"] = _("Chọn loại tai nạn, thương tích.")
    if case_data.kind == CaseKind.ACCIDENT and not case_data.accident_outcome:
        errors["accident_outcome"] = _("Chọn hậu quả: tử vong hay bị thương.")
    if errors:
        raise ValidationError(errors)


def check_sane(case_data: CaseInput, child_data: ChildInput) -> None:
    """What even a draft must respect (childprotect/validators.py): receipt and incident between 1990 and now, a
    date of birth at most 18 years before the receipt and not after it, each list bounded. Lists are
    de-duplicated in place."""
    errors: dict[str, list[str]] = {}
    for name, value in (("received_at", case_data.received_at), ("incident_date", case_data.incident_date)):
        try:
            check_past_event(value, name)
        except ValidationError as error:
            errors.update(error.message_dict)
    if "received_at" not in errors:
        try:
            check_date_of_birth(child_data.date_of_birth, case_data.received_at)
        except ValidationError as error:
            errors.update(error.message_dict)
    for name in ("abuse_forms", "abuse_subtypes", "special_groups"):
        try:
            setattr(case_data, name, unique_bounded(getattr(case_data, name), name))
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def do_create_case(
    *,
    acting_user: User,
    child: ChildInput,
    case: CaseInput,
    reporter: ReporterInput,
    caregivers: list[CaregiverInput] | None = None,
    existing_child: Child | None = None,
    draft: bool = False,
) -> Case:
    """Record a case. `existing_child` links the report to a child already known (after the duplicate check);
    otherwise a new child is created. `draft=True` saves what there is without a number or deadlines."""
    if not can_create_case_in(acting_user, child.commune):
        raise NotAllowed(_("Bạn không thể ghi nhận vụ việc cho xã, phường này."))
    if existing_child is not None and not can_create_case_in(acting_user, existing_child.commune):
        # Linking is only offered for children of a commune the user works in (likely_existing_children).
        raise NotAllowed(_("Không thể liên kết với trẻ này."))
    check_sane(case, child)
    if not draft:
        check_submittable(case, child)
    child_row = existing_child or Child(created_by=acting_user)
    _apply_child(child_row, child, received_at=case.received_at)
    child_row.save()
    for caregiver in caregivers or []:
        Caregiver.objects.create(child=child_row, **caregiver.__dict__)
    province = child.commune.province()
    row = Case(
        child=child_row,
        commune=child.commune,
        province=province,
        unit_path=child.commune.path,
        created_by=acting_user,
        status=CaseStatus.DRAFT,
    )
    if acting_user.role in {Role.COMMUNE_OFFICER}:
        row.assigned_officer = acting_user
    _apply_case(row, case)
    row.save()
    Reporter.objects.create(case=row, **reporter.__dict__)
    record_case_event(
        row,
        actor=acting_user,
        event_type=CaseEventType.DRAFT_SAVED if draft else CaseEventType.CREATED,
        audit_action="create",
        details={"linked_existing_child": existing_child is not None},
    )
    if not draft:
        _receive(row, actor=acting_user)
    return row


@transaction.atomic
def do_update_draft(
    *,
    acting_user: User,
    case: Case,
    expected_version: int,
    child: ChildInput,
    case_data: CaseInput,
    reporter: ReporterInput,
    submit: bool = False,
    caregivers: list[CaregiverInput] | None = None,
    existing_child: Child | None = None,
) -> Case:
    """Save more of a draft, or submit it (`submit=True`): then it gets its number and deadlines.

    `caregivers` (when given) replace the caregivers of the draft's own child; `existing_child` moves the
    draft to a child already known (chosen after the duplicate check): the child the draft created is removed
    if no other case refers to it, and the caregivers typed are added to the known child."""
    if case.created_by_id != acting_user.pk:
        raise NotAllowed(_("Chỉ người tạo mới sửa được bản nháp, và chỉ khi hồ sơ còn là bản nháp."))
    if case.status != CaseStatus.DRAFT:
        raise RuleViolation(_("Chỉ người tạo mới sửa được bản nháp, và chỉ khi hồ sơ còn là bản nháp."))
    if not can_create_case_in(acting_user, child.commune):
        raise NotAllowed(_("Bạn không thể ghi nhận vụ việc cho xã, phường này."))
    check_sane(case_data, child)
    if submit:
        check_submittable(case_data, child)
    claim_version(case, expected_version)
    draft_child = case.child
    relinked = existing_child is not None and existing_child.pk != draft_child.pk
    if existing_child is not None and relinked:
        case.child = existing_child
    _apply_child(case.child, child, received_at=case_data.received_at)
    case.child.save()
    if caregivers is not None:
        if not relinked:
            case.child.caregivers.all().delete()
        for caregiver in caregivers:
            Caregiver.objects.create(child=case.child, **caregiver.__dict__)
    _apply_case(case, case_data)
    case.commune = child.commune
    case.province = child.commune.province()
    case.unit_path = child.commune.path
    case.save()
    if relinked and not draft_child.cases.exists():
        draft_child.delete()
    Reporter.objects.update_or_create(case=case, defaults=reporter.__dict__)
    record_case_event(
        case, actor=acting_user, event_type=CaseEventType.DRAFT_SAVED, details={"linked_existing_child": relinked}
    )
    if submit:
        _receive(case, actor=acting_user)
    return case


def _receive(case: Case, *, actor: User) -> None:
    """Give the number, mark received, open the deadlines that run from receipt."""
    from cases.calendar import working_days_deadline
    from cases.deadlines import open_deadline

    year = timezone.localtime(case.received_at).year
    case.case_number = next_case_number(case.province, year)
    fields = ["case_number"]
    if case.incident_commune_id is None and case.kind != CaseKind.SPECIAL_CIRCUMSTANCE:
        # The intake form says to leave the place blank when it happened where the child lives: record it so,
        # and the figures by place of incident and the reports' data check count it there.
        case.incident_commune = case.commune
        fields.append("incident_commune")
    case.save(update_fields=fields)
    set_status(case, CaseStatus.RECEIVED, actor=actor, details={"case_number": case.case_number})
    if case.assigned_officer_id is not None:
        record_assignment(case, officer=case.assigned_officer, previous=None, by=actor)
    if actor.role == Role.HOTLINE_OPERATOR:
        # The commune's queue: its officers and chair hear of the case (its number only) and assign it.
        notify(
            User.objects.commune_workers_of(case.commune_id),
            kind=NotificationKind.CASE_NEW_FROM_HOTLINE,
            params={"number": case.case_number},
            url=f"/cases/{case.pk}/",
            target=case,
            unit_path=case.unit_path,
        )
    if case.kind == CaseKind.ACCIDENT:
        return  # an incident recorded for the statistics: no protection procedure unless one is opened
    if case.immediate_danger:
        open_deadline(case, DeadlineStep.EMERGENCY, case.received_at + datetime.timedelta(hours=EMERGENCY_HOURS))
    if AbuseForm.SEXUAL_ABUSE in case.abuse_forms:
        # TTLT 01/2022: sexual abuse reaches the police immediately; a required step until a police referral exists.
        open_deadline(case, DeadlineStep.POLICE_NOTIFICATION, case.received_at)
    open_deadline(case, DeadlineStep.PLAN_DRAFT, working_days_deadline(case.received_at, PLAN_DRAFT_WORKING_DAYS))


def case_summary_for_log(case: Case) -> dict[str, Any]:
    """What may appear in logs and emails about a case: ids and codes, never the child."""
    return {"case_id": case.pk, "case_number": case.case_number, "status": case.status}
