"""Serializers of the procedure's API (cases/api/workflow.py): one request body per step of the procedure (field
names are the `do_*` parameters of cases/services/workflow.py; each step's record in cases/steps.py names its
serializer), the case's state after a step, and the plan."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from cases.models.choices import ProtectionLevel
from cases.models.procedure import EmergencyKind, HarmLevel, PlanStatus, ReviewOutcome, RiskLevel
from cases.services import workflow as wf
from childprotect.api.serializers import StrictBooleanField, list_errors
from childprotect.models import AdministrativeUnit, Agency
from childprotect.models.units import UnitKind
from childprotect.validators import MAX_LIST_ITEMS

# --- Request bodies (field names are the do_* parameters) --------------------------------------------------------


class ActionSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(help_text="Phiên bản hồ sơ mà thay đổi dựa trên (khóa lạc quan).")

    def service_kwargs(self) -> dict[str, Any]:
        return {name: value for name, value in self.validated_data.items() if name != "version"}


def _text(required: bool = True, **kwargs: Any) -> serializers.CharField:
    return serializers.CharField(required=required, allow_blank=not required, **kwargs)


class InitialAssessmentSerializer(ActionSerializer):
    harm_level = serializers.ChoiceField(choices=HarmLevel.choices)
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices)
    serious_danger = StrictBooleanField()
    findings = _text(required=False)
    assessed_at = serializers.DateTimeField(required=False, allow_null=True)


class ReasonSerializer(ActionSerializer):
    reason = _text()


class NotSubstantiatedSerializer(ReasonSerializer):
    pass


class EmergencyMeasureSerializer(ActionSerializer):
    kind = serializers.ChoiceField(choices=EmergencyKind.choices)
    started_at = serializers.DateTimeField(required=False, allow_null=True)
    ends_at = serializers.DateTimeField(required=False, allow_null=True)
    decision_number = _text(required=False, max_length=40)
    placement = _text(required=False, max_length=255)
    description = _text(required=False)


class ExtendSeparationSerializer(ActionSerializer):
    ends_at = serializers.DateTimeField()
    authority = _text(max_length=200)


class RevokeSeparationSerializer(ReasonSerializer):
    pass


class DetailedAssessmentSerializer(ActionSerializer):
    harm_level = serializers.ChoiceField(choices=HarmLevel.choices)
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices)
    serious_danger = serializers.BooleanField(required=False)
    child_condition = _text()
    family_situation = _text(required=False)
    risk_factors = _text(required=False)
    learning_and_self_protection = _text(required=False)
    community_safety = _text(required=False)
    needs = _text()
    child_views = _text(required=False)
    caregiver_views = _text(required=False)
    findings = _text(required=False)
    assessed_at = serializers.DateTimeField(required=False, allow_null=True)


class NeedsMeetingSerializer(ActionSerializer):
    held_on = serializers.DateField()
    participants = _text()
    decisions = _text()


class SubmitPlanSerializer(ActionSerializer):
    pass


class ApprovePlanSerializer(ActionSerializer):
    decision_number = _text(required=False, max_length=40)


class ReturnPlanSerializer(ReasonSerializer):
    pass


class StartImplementationSerializer(ActionSerializer):
    pass


class ReviewSerializer(ActionSerializer):
    child_safe = StrictBooleanField()
    child_stable = StrictBooleanField()
    findings = _text()
    outcome = serializers.ChoiceField(choices=ReviewOutcome.choices)
    reviewed_at = serializers.DateTimeField(required=False, allow_null=True)


class CloseCaseSerializer(ActionSerializer):
    decision_number = _text(required=False, max_length=40)
    note = _text(required=False)


class NewCycleSerializer(ActionSerializer):
    pass


class TransferSerializer(ActionSerializer):
    to_commune = serializers.SlugRelatedField(
        slug_field="code",
        queryset=AdministrativeUnit.objects.current().filter(kind=UnitKind.COMMUNE),
        help_text="Mã xã, phường nhận hồ sơ (5 chữ số).",
    )
    reason = _text()


# --- Answers -----------------------------------------------------------------------------------------------------


class NextDeadlineSerializer(serializers.Serializer[Any]):
    step = serializers.CharField()
    due_at = serializers.DateTimeField()


class CaseStateSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    case_number = serializers.CharField(allow_null=True)
    status = serializers.CharField()
    status_display = serializers.CharField()
    version = serializers.IntegerField()
    next_deadline = NextDeadlineSerializer(allow_null=True)


# --- The plan ----------------------------------------------------------------------------------------------------


class PlanItemSerializer(serializers.Serializer[Any]):
    service = serializers.CharField(max_length=255)
    level = serializers.ChoiceField(choices=ProtectionLevel.choices)
    measure_code = serializers.CharField(max_length=12, required=False, allow_blank=True, default="")
    responsible_agency = serializers.SlugRelatedField(
        slug_field="code", queryset=Agency.objects.active(), required=False, allow_null=True, default=None
    )
    responsible_person = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    start_date = serializers.DateField()
    expected_end_date = serializers.DateField()
    estimated_cost_vnd = serializers.IntegerField(required=False, default=0)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors = wf.validate_plan_item(wf.PlanItemInput(**attrs))
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class PlanWriteSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField()
    goals = serializers.CharField(required=False, allow_blank=True, default="")
    items = PlanItemSerializer(many=True, max_length=MAX_LIST_ITEMS, error_messages=list_errors())


class PlanReadSerializer(serializers.Serializer[Any]):
    case_version = serializers.IntegerField()
    cycle = serializers.IntegerField(allow_null=True)
    status = serializers.ChoiceField(choices=PlanStatus.choices, allow_null=True)
    goals = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    approved_at = serializers.DateTimeField(allow_null=True)
    decision_number = serializers.CharField()
    return_reason = serializers.CharField()
    editable = serializers.BooleanField()
    items = PlanItemSerializer(many=True)
