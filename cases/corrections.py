"""What may be corrected after receipt, one declared record per part of the case file.

Each `CorrectableRecord` says, once: its key (in URLs, the API and `CaseCorrection.record`), its label, the model,
the fields a case worker may correct (in the order the form shows them), how to find its rows on a case, and
whether only those who may see the reporter may touch it. The service (cases/services/corrections.py), the page's
form (cases/forms/corrections.py), the API (cases/api/corrections.py) and the history shown on the case page all
read this table, so a field is correctable everywhere or nowhere.

Not correctable here: the moment of receipt and the commune (they drive the statutory deadlines and the
jurisdiction: a wrong commune is a transfer), the status and the procedure's own dates (they are the procedure).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.ethnicity import ethnicity_name
from cases.models.history import ValueType

if TYPE_CHECKING:
    from cases.models import Case


@dataclass(frozen=True)
class CorrectableRecord:
    key: str
    label: Any  # a lazy translation
    model_label: str  # "cases.Child"
    fields: tuple[str, ...]
    rows: Callable[[Case], Iterable[models.Model]]
    reporter: bool = False  # the reporter's identity: only for those who may see who reported

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.model_label)

    def field(self, name: str) -> Any:
        return self.model._meta.get_field(name)

    def field_label(self, name: str) -> str:
        return str(capfirst(self.field(name).verbose_name))

    def row(self, case: Case, record_id: int | str) -> models.Model | None:
        """The record `record_id` of this kind on `case`, or None (another case's record is never reached)."""
        return next((row for row in self.rows(case) if str(row.pk) == str(record_id)), None)


def _one(value: Any) -> list[Any]:
    return [value] if value is not None else []


def _reporter(case: Case) -> list[Any]:
    from cases.models import Reporter

    return list(Reporter.objects.filter(case=case)[:1])


def _plan_items(case: Case) -> Any:
    from cases.models import PlanItem

    return PlanItem.objects.filter(plan__case=case).order_by("plan__cycle", "start_date", "id")


RECORDS: dict[str, CorrectableRecord] = {
    record.key: record
    for record in (
        CorrectableRecord(
            "child",
            gettext_lazy("Thông tin về trẻ"),
            "cases.Child",
            ("full_name", "date_of_birth", "birth_year", "sex", "ethnicity_code", "id_number", "disability"),
            lambda case: _one(case.child),
        ),
        CorrectableRecord(
            "caregiver",
            gettext_lazy("Cha mẹ, người chăm sóc"),
            "cases.Caregiver",
            ("full_name", "relationship", "phone", "address", "is_alleged_perpetrator"),
            lambda case: case.child.caregivers.order_by("id"),
        ),
        CorrectableRecord(
            "case",
            gettext_lazy("Sự việc"),
            "cases.Case",
            (
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
            ),
            lambda case: [case],
        ),
        CorrectableRecord(
            "reporter",
            gettext_lazy("Người báo tin"),
            "cases.Reporter",
            ("channel", "name", "phone", "relationship"),
            _reporter,
            reporter=True,
        ),
        CorrectableRecord(
            "assessment",
            gettext_lazy("Đánh giá"),
            "cases.Assessment",
            (
                "harm_level",
                "risk_level",
                "serious_danger",
                "findings",
                "child_condition",
                "family_situation",
                "risk_factors",
                "learning_and_self_protection",
                "community_safety",
                "needs",
                "child_views",
                "caregiver_views",
            ),
            lambda case: case.assessments.order_by("assessed_at", "id"),
        ),
        CorrectableRecord(
            "emergency",
            gettext_lazy("Biện pháp khẩn cấp, tạm thời cách ly"),
            "cases.EmergencyMeasure",
            ("decision_number", "placement", "description"),
            lambda case: case.emergency_measures.order_by("started_at", "id"),
        ),
        CorrectableRecord(
            "needs-meeting",
            gettext_lazy("Họp xác định nhu cầu"),
            "cases.NeedsMeeting",
            ("held_on", "participants", "decisions"),
            lambda case: case.meetings.order_by("held_on", "id"),
        ),
        CorrectableRecord(
            "plan",
            gettext_lazy("Kế hoạch"),
            "cases.Plan",
            ("goals", "decision_number"),
            lambda case: case.plans.order_by("cycle"),
        ),
        CorrectableRecord(
            "plan-item",
            gettext_lazy("Dòng kế hoạch"),
            "cases.PlanItem",
            (
                "service",
                "responsible_agency",
                "responsible_person",
                "start_date",
                "expected_end_date",
                "estimated_cost_vnd",
            ),
            _plan_items,
        ),
        CorrectableRecord(
            "review",
            gettext_lazy("Rà soát, đánh giá"),
            "cases.Review",
            ("child_safe", "child_stable", "findings"),
            lambda case: case.reviews.order_by("reviewed_at", "id"),
        ),
    )
}


# --- Values in typed form, and in words ---------------------------------------------------------------------------


def value_type(field: Any) -> str:
    """How a field's values are kept in the history (CaseCorrection.value_type)."""
    if isinstance(field, models.ForeignKey):
        return ValueType.AGENCY if field.related_model._meta.model_name == "agency" else ValueType.UNIT
    if isinstance(field, models.DateTimeField):
        return ValueType.DATETIME
    if isinstance(field, models.DateField):
        return ValueType.DATE
    if isinstance(field, models.BooleanField):
        return ValueType.BOOLEAN
    if isinstance(field, models.IntegerField):
        return ValueType.INTEGER
    if getattr(field, "base_field", None) is not None:
        return ValueType.CHOICES
    if field.choices:
        return ValueType.CHOICE
    return ValueType.TEXT


def stored(value: Any, kind: str) -> Any:
    """A Python value as the history keeps it (JSON): dates in ISO 8601, a unit or agency by its id."""
    if value is None:
        return None
    if kind in {ValueType.UNIT, ValueType.AGENCY}:
        return value.pk if isinstance(value, models.Model) else value
    if kind in {ValueType.DATE, ValueType.DATETIME}:
        return value.isoformat()
    if kind == ValueType.CHOICES:
        return list(value)
    return value


def typed(value: Any, kind: str) -> Any:
    """A kept value back in Python (the reverse of `stored`; a unit or agency stays its id)."""
    if value is None:
        return None
    if kind == ValueType.DATE:
        return datetime.date.fromisoformat(value)
    if kind == ValueType.DATETIME:
        return datetime.datetime.fromisoformat(value)
    return value


def in_words(record: CorrectableRecord, field_name: str, value: Any, names: Mapping[tuple[str, int], str]) -> str:
    """A kept value as a person reads it: choices by their names, dates as dd/mm/yyyy, a unit or agency by name
    (`names`: {("unit"|"agency", id): name}, loaded once for a whole history)."""
    field = record.field(field_name)
    kind = value_type(field)
    if value is None or value == "" or value == []:
        return _("(trống)")
    if kind == ValueType.BOOLEAN:
        return _("Có") if value else _("Không")
    if kind == ValueType.DATE:
        return typed(value, kind).strftime("%d/%m/%Y")
    if kind == ValueType.DATETIME:
        return timezone.localtime(typed(value, kind)).strftime("%H:%M %d/%m/%Y")
    if kind in {ValueType.UNIT, ValueType.AGENCY}:
        return names.get((kind, int(value)), f"#{value}")
    if kind == ValueType.CHOICES:
        labels = dict(field.base_field.choices or [])
        if field_name == "abuse_subtypes":
            from cases.models.choices import AbuseSubtype

            labels = dict(AbuseSubtype.choices)
        if field_name == "special_groups":
            from cases.models.choices import SPECIAL_GROUP_LABELS

            labels = SPECIAL_GROUP_LABELS
        return ", ".join(str(labels.get(item, item)) for item in value)
    if kind == ValueType.CHOICE:
        return str(dict(field.choices).get(value, value))
    if field_name == "ethnicity_code":
        return ethnicity_name(str(value)) or str(value)
    if kind == ValueType.INTEGER and field_name == "estimated_cost_vnd":
        return f"{int(value):,}".replace(",", ".") + " đ"
    return str(value)
