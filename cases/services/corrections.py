"""Correcting the case file after receipt: a wrong date of birth, a caregiver found later, the incident's commune.

`do_correct_record` changes the fields of one record (cases/corrections.py says which records and fields may be
corrected) and keeps every change as a `CaseCorrection` row: the field, its old and new value in typed form, who,
when it took effect, and why. `do_add_caregiver` records a caregiver found after receipt the same way (every field
from empty to its value). Both are atomic, claim the case's version first (a stale version is refused with
VersionConflict and nothing is written), need a reason, write one timeline entry and one audit row, and never
touch a locked report (those keep their own stored figures; the history lets a figure be computed "as of" a
moment).

Who: the officers and the chair of the case's commune (`is_case_worker`); the reporter's identity only by those
who may see it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access import can_see_reporter, is_case_worker
from cases.corrections import RECORDS, CorrectableRecord, stored, value_type
from cases.models import AbuseForm, Case, CaseCorrection, CaseEventType, CaseKind, CaseStatus, DeadlineStep
from cases.models.choices import MAX_CHILD_AGE
from cases.models.people import Caregiver
from cases.services.common import claim_version, record_case_event
from childprotect.access import not_found
from childprotect.errors import NotAllowed, RuleViolation
from childprotect.models import User
from childprotect.services import checked_text

REASON_MAX_CHARS = 1000


def _check_worker(acting_user: User, case: Case, record: CorrectableRecord) -> None:
    if not is_case_worker(acting_user, case):
        raise NotAllowed(_("Chỉ cán bộ bảo vệ trẻ em hoặc Chủ tịch UBND xã phụ trách hồ sơ mới sửa được hồ sơ."))
    if record.reporter and not can_see_reporter(acting_user, case):
        raise NotAllowed(_("Bạn không được xem, sửa thông tin người báo tin."))
    if case.status == CaseStatus.DRAFT:
        raise RuleViolation(_("Hồ sơ còn là bản nháp: hãy sửa ngay trên trang tiếp nhận."))


def _clean(record: CorrectableRecord, row: models.Model, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The fields that really change, each checked by its model field's own rules (choices, lengths, ids)."""
    errors: dict[str, str] = {}
    changed: dict[str, Any] = {}
    for name, value in changes.items():
        if name not in record.fields:
            errors[name] = _("Trường này không sửa được ở đây.")
            continue
        field = record.field(name)
        if not isinstance(field, models.ForeignKey):
            try:
                value = field.clean(value, row)
            except ValidationError as error:
                errors[name] = " ".join(error.messages)
                continue
        if getattr(row, name) != value:
            changed[name] = value
    if errors:
        raise ValidationError(errors)
    return changed


def _check_consistency(record: CorrectableRecord, row: Any) -> None:
    """The rules that tie fields together, as intake applies them (the corrected record must still hold)."""
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if record.key == "child":
        if not (row.full_name or "").strip():
            errors["full_name"] = _("Nhập họ và tên của trẻ (có thể ghi “Chưa rõ tên” nếu chưa biết).")
        if row.date_of_birth and row.date_of_birth > today:
            errors["date_of_birth"] = _("Ngày sinh không thể ở tương lai.")
        elif row.date_of_birth and today.year - row.date_of_birth.year > MAX_CHILD_AGE + 1:
            errors["date_of_birth"] = _("Trẻ em trong hệ thống từ %(age)s tuổi trở xuống.") % {"age": MAX_CHILD_AGE}
    if record.key == "case":
        if row.kind == CaseKind.ABUSE and not row.abuse_forms:
            errors["abuse_forms"] = _("Chọn ít nhất một hình thức xâm hại.")
        stray = [code for code in row.abuse_subtypes if code.split(".", 1)[0] not in row.abuse_forms]
        if stray:
            errors["abuse_subtypes"] = _("Chi tiết hình thức phải thuộc một hình thức xâm hại đã chọn.")
        if row.kind == CaseKind.ACCIDENT and not (row.accident_type and row.accident_outcome):
            errors["accident_type"] = _("Chọn loại tai nạn, thương tích và hậu quả.")
        if row.incident_date and row.incident_date > today:
            errors["incident_date"] = _("Ngày xảy ra không thể ở tương lai.")
    if record.key == "plan-item" and row.expected_end_date < row.start_date:
        errors["expected_end_date"] = _("Ngày dự kiến kết thúc phải sau ngày bắt đầu.")
    if errors:
        raise ValidationError(errors)


def _record_changes(
    case: Case,
    *,
    acting_user: User,
    record: CorrectableRecord,
    row: models.Model,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    reason: str,
) -> list[CaseCorrection]:
    """One timeline entry (and its audit row) for the correction, and one history row per changed field."""
    names = list(after)
    event = record_case_event(
        case,
        actor=acting_user,
        event_type=CaseEventType.CORRECTED,
        details={"record": record.key, "record_id": row.pk, "fields": names, "reason": reason},
        audit_details={"record": record.key, "record_id": row.pk, "fields": names},
    )
    now = timezone.now()
    rows = []
    for name in names:
        kind = value_type(record.field(name))
        rows.append(
            CaseCorrection(
                case=case,
                event=event,
                record=record.key,
                record_id=row.pk,
                field=name,
                value_type=kind,
                old_value=stored(before.get(name), kind),
                new_value=stored(after[name], kind),
                reason=reason,
                actor=acting_user,
                effective_at=now,
            )
        )
    return CaseCorrection.objects.bulk_create(rows)


def _police_duty_if_now_required(case: Case, before: Mapping[str, Any]) -> None:
    """A correction that adds sexual abuse opens the duty to tell the police, as intake would have (TTLT 01/2022),
    unless it was met already (a police referral)."""
    from cases.deadlines import open_deadline

    if "abuse_forms" not in before or AbuseForm.SEXUAL_ABUSE in (before["abuse_forms"] or []):
        return
    if case.kind != CaseKind.ABUSE or AbuseForm.SEXUAL_ABUSE not in case.abuse_forms:
        return
    if case.deadlines.filter(step=DeadlineStep.POLICE_NOTIFICATION).exists():
        return
    open_deadline(case, DeadlineStep.POLICE_NOTIFICATION, timezone.now())


@transaction.atomic
def do_correct_record(
    *,
    acting_user: User,
    case: Case,
    record: str,
    record_id: int | str,
    expected_version: int | None,
    changes: Mapping[str, Any],
    reason: str,
) -> list[CaseCorrection]:
    """Correct fields of one record of the case (`record`: a key of cases/corrections.py RECORDS) and keep each
    change in the history. `changes` holds typed values ({"date_of_birth": date(2013, 3, 14)}); fields whose
    value does not change are left out. Refuses: NotAllowed (not a case worker of this commune; the reporter
    without the right to see them), RuleViolation (a draft), VersionConflict (stale `expected_version`),
    ValidationError keyed by field (no reason, nothing changed, a value or combination the record may not hold).
    A record that is not this case's is 404."""
    spec = RECORDS.get(record)
    if spec is None:
        raise not_found()
    claim_version(case, expected_version)
    _check_worker(acting_user, case, spec)
    row = spec.row(case, record_id)
    if row is None:
        raise not_found()
    reason = checked_text("reason", reason, max_chars=REASON_MAX_CHARS)
    changed = _clean(spec, row, changes)
    if not changed:
        raise ValidationError({"__all__": _("Không có thông tin nào thay đổi: hãy sửa ít nhất một trường.")})
    before = {name: getattr(row, name) for name in changed}
    for name, value in changed.items():
        setattr(row, name, value)
    update_fields = list(changed)
    if spec.key == "child":
        if changed.get("date_of_birth") is not None:
            row.birth_year, row.birth_date_estimated = None, False  # type: ignore[attr-defined]
            update_fields += ["birth_year", "birth_date_estimated"]
        if "full_name" in changed:
            row.full_name = " ".join(row.full_name.split())  # type: ignore[attr-defined]
            changed["full_name"] = row.full_name  # type: ignore[attr-defined]
            update_fields += ["name_search", "name_sort"]  # Child.save() derives them
    _check_consistency(spec, row)
    row.save(update_fields=sorted(set(update_fields)))
    corrections = _record_changes(
        case, acting_user=acting_user, record=spec, row=row, before=before, after=changed, reason=reason
    )
    if spec.key == "case":
        case.refresh_from_db()
        _police_duty_if_now_required(case, before)
    return corrections


@transaction.atomic
def do_add_caregiver(
    *,
    acting_user: User,
    case: Case,
    expected_version: int | None,
    full_name: str,
    relationship: str,
    reason: str,
    phone: str = "",
    address: str = "",
    is_alleged_perpetrator: bool = False,
) -> Caregiver:
    """A parent or caregiver found after receipt, added to the child's record; each of its fields enters the
    history (from empty to its value) with the reason. Same refusals as `do_correct_record`."""
    spec = RECORDS["caregiver"]
    claim_version(case, expected_version)
    _check_worker(acting_user, case, spec)
    reason = checked_text("reason", reason, max_chars=REASON_MAX_CHARS)
    caregiver = Caregiver(child=case.child)
    values = {
        "full_name": " ".join((full_name or "").split()),
        "relationship": (relationship or "").strip(),
        "phone": (phone or "").strip(),
        "address": (address or "").strip(),
        "is_alleged_perpetrator": bool(is_alleged_perpetrator),
    }
    errors = {name: _("Trường này là bắt buộc.") for name in ("full_name", "relationship") if not values[name]}
    if errors:
        raise ValidationError(errors)
    cleaned = _clean(spec, caregiver, values)
    for name, value in values.items():
        setattr(caregiver, name, value)
    caregiver.save()
    _record_changes(
        case,
        acting_user=acting_user,
        record=spec,
        row=caregiver,
        before={},
        after={name: values[name] for name in spec.fields if name in cleaned or values[name]},
        reason=reason,
    )
    return caregiver
