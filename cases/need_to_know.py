"""The need-to-know view of a referred case: what an agency's focal point sees of the case, by the agency's sector.

Which fields each sector gets is configured in settings.REFERRAL_FIELDS_BY_SECTOR (sector → field names; "*" for
sectors not listed). Only the names in CASE_FIELDS exist: the reporter's identity is not among them, so no
configuration can ever show it (NĐ56 Art. 24). cases/checks.py refuses unknown names at start-up.

The view is shown only while the referral is open or completed (SHARED_REFERRAL_STATUSES): a declined or withdrawn
referral keeps its own record in the agency's inbox, but no longer shows the child.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import Case
from cases.models.choices import AbuseForm, AbuseSubtype
from cases.models.referral import SHARED_REFERRAL_STATUSES, Referral
from cases.querysets import child_age

DEFAULT_SECTOR = "*"


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _birth(case: Case) -> str | None:
    child = case.child
    if child.date_of_birth:
        return child.date_of_birth.isoformat()
    return str(child.birth_year) if child.birth_year else None


def _caregivers(case: Case, *, contacts: bool) -> list[dict[str, Any]]:
    rows = []
    for caregiver in case.child.caregivers.all():
        row: dict[str, Any] = {
            "full_name": caregiver.full_name,
            "relationship": caregiver.relationship,
            "is_alleged_perpetrator": caregiver.is_alleged_perpetrator,
        }
        if contacts:
            row.update(phone=caregiver.phone, address=caregiver.address)
        rows.append(row)
    return rows


def _labels(values: list[str], choices: Any) -> str:
    names = dict(choices)
    return ", ".join(str(names.get(value, value)) for value in values)


@dataclass(frozen=True)
class CaseField:
    label: Any  # lazily translated
    value: Callable[[Case], Any]  # JSON-ready value, for the API
    display: Callable[[Case], Any] | None = None  # what the page shows, when it differs from `value`


CASE_FIELDS: dict[str, CaseField] = {
    "child_name": CaseField(gettext_lazy("Họ và tên trẻ"), lambda c: c.child.full_name),
    "child_age": CaseField(gettext_lazy("Tuổi"), lambda c: child_age(c.child)),
    "child_birth": CaseField(
        gettext_lazy("Ngày sinh / năm sinh"),
        _birth,
        lambda c: c.child.date_of_birth.strftime("%d/%m/%Y") if c.child.date_of_birth else c.child.birth_year,
    ),
    "child_sex": CaseField(gettext_lazy("Giới tính"), lambda c: c.child.sex, lambda c: c.child.get_sex_display()),
    "child_id_number": CaseField(gettext_lazy("Số định danh cá nhân"), lambda c: c.child.id_number or None),
    "child_disability": CaseField(
        gettext_lazy("Khuyết tật"), lambda c: c.child.disability, lambda c: c.child.get_disability_display()
    ),
    "caregivers": CaseField(gettext_lazy("Cha mẹ, người chăm sóc"), lambda c: _caregivers(c, contacts=False)),
    "caregiver_contacts": CaseField(
        gettext_lazy("Liên hệ của cha mẹ, người chăm sóc"), lambda c: _caregivers(c, contacts=True)
    ),
    "kind": CaseField(gettext_lazy("Loại vụ việc"), lambda c: c.kind, lambda c: c.get_kind_display()),
    "abuse_forms": CaseField(
        gettext_lazy("Hình thức xâm hại"),
        lambda c: list(c.abuse_forms),
        lambda c: _labels(c.abuse_forms, AbuseForm.choices),
    ),
    "abuse_subtypes": CaseField(
        gettext_lazy("Chi tiết hình thức"),
        lambda c: list(c.abuse_subtypes),
        lambda c: _labels(c.abuse_subtypes, AbuseSubtype.choices),
    ),
    "setting": CaseField(
        gettext_lazy("Môi trường xảy ra"), lambda c: c.setting or None, lambda c: c.get_setting_display()
    ),
    "accident": CaseField(
        gettext_lazy("Tai nạn, thương tích"),
        lambda c: {"type": c.accident_type, "outcome": c.accident_outcome} if c.accident_type else None,
        lambda c: " — ".join(str(x) for x in (c.get_accident_type_display(), c.get_accident_outcome_display()) if x),
    ),
    "incident_date": CaseField(
        gettext_lazy("Ngày xảy ra"),
        lambda c: _date(c.incident_date),
        lambda c: c.incident_date.strftime("%d/%m/%Y") if c.incident_date else None,
    ),
    "incident_place": CaseField(
        gettext_lazy("Nơi xảy ra"),
        lambda c: c.incident_commune.code if c.incident_commune is not None else None,
        lambda c: c.incident_commune.full_name if c.incident_commune is not None else None,
    ),
    "immediate_danger": CaseField(
        gettext_lazy("Trẻ đang gặp nguy hiểm"),
        lambda c: c.immediate_danger,
        lambda c: _("Có") if c.immediate_danger else _("Không"),
    ),
    "received_at": CaseField(
        gettext_lazy("Tiếp nhận lúc"), lambda c: c.received_at.isoformat(), lambda c: c.received_at
    ),
    "summary": CaseField(gettext_lazy("Tóm tắt sự việc"), lambda c: c.summary or None),
}


def fields_for_sector(sector: str) -> list[str]:
    configured: dict[str, list[str]] = getattr(settings, "REFERRAL_FIELDS_BY_SECTOR", {})
    names = [name for name in configured.get(sector, configured.get(DEFAULT_SECTOR, [])) if name in CASE_FIELDS]
    if "caregiver_contacts" in names and "caregivers" in names:
        names.remove("caregivers")  # the contacts list names them too
    return names


def shares_case(referral: Referral) -> bool:
    """Whether the agency still sees the case through this referral (open or completed)."""
    return referral.status in SHARED_REFERRAL_STATUSES


def case_fields(referral: Referral) -> dict[str, Any]:
    """The JSON-ready need-to-know fields of the referral's case for its agency's sector ({} when not shared)."""
    if not shares_case(referral):
        return {}
    case = referral.case
    return {name: CASE_FIELDS[name].value(case) for name in fields_for_sector(referral.agency.sector)}


def case_rows(referral: Referral) -> list[dict[str, Any]]:
    """The same fields for the page: name, label, and the value to show (caregivers stay a list of dicts)."""
    if not shares_case(referral):
        return []
    case = referral.case
    rows = []
    for name in fields_for_sector(referral.agency.sector):
        field = CASE_FIELDS[name]
        rows.append({"name": name, "label": field.label, "value": (field.display or field.value)(case)})
    return rows
