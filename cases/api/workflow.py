"""The procedure's API: `POST /api/v1/cases/{id}/actions/{action}/` (one path per action, each with its own
request body) and `GET`/`PUT /api/v1/cases/{id}/plan/`.

Same rules as the pages: `access_case(user, id, for_write=True)` (404 for outsiders), every write through
cases/services/workflow.py. Answers: 200 with the case's new status, version and next deadline; 400 with field
errors (or {"detail"} when the procedure does not allow the step now); 409 when `version` is stale.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.access import access_case
from cases.models import Case
from cases.models.choices import ProtectionLevel
from cases.models.procedure import EmergencyKind, HarmLevel, PlanStatus, ReviewOutcome, RiskLevel
from cases.services import workflow as wf
from cases.services.common import CaseRuleViolation, CaseVersionConflict
from childprotect.models import AdministrativeUnit, Agency
from childprotect.models.units import UnitKind

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
    serious_danger = serializers.BooleanField()
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
    child_safe = serializers.BooleanField()
    child_stable = serializers.BooleanField()
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


ACTION_SERIALIZERS: dict[str, type[ActionSerializer]] = {
    wf.INITIAL_ASSESSMENT: InitialAssessmentSerializer,
    wf.NOT_SUBSTANTIATED: NotSubstantiatedSerializer,
    wf.EMERGENCY_MEASURE: EmergencyMeasureSerializer,
    wf.EXTEND_SEPARATION: ExtendSeparationSerializer,
    wf.REVOKE_SEPARATION: RevokeSeparationSerializer,
    wf.DETAILED_ASSESSMENT: DetailedAssessmentSerializer,
    wf.NEEDS_MEETING: NeedsMeetingSerializer,
    wf.SUBMIT_PLAN: SubmitPlanSerializer,
    wf.APPROVE_PLAN: ApprovePlanSerializer,
    wf.RETURN_PLAN: ReturnPlanSerializer,
    wf.START_IMPLEMENTATION: StartImplementationSerializer,
    wf.REVIEW: ReviewSerializer,
    wf.CLOSE: CloseCaseSerializer,
    wf.NEW_CYCLE: NewCycleSerializer,
    wf.TRANSFER: TransferSerializer,
}

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


ErrorSerializer = inline_serializer("WorkflowError", {"detail": serializers.CharField()})
ConflictSerializer = inline_serializer(
    "WorkflowConflict", {"detail": serializers.CharField(), "version": serializers.IntegerField()}
)


def case_state(case: Case) -> dict[str, Any]:
    case.refresh_from_db(fields=["status", "version", "next_deadline_at", "next_deadline_step"])
    deadline = {"step": case.next_deadline_step, "due_at": case.next_deadline_at} if case.next_deadline_at else None
    return CaseStateSerializer(
        {
            "id": case.pk,
            "case_number": case.case_number,
            "status": case.status,
            "status_display": str(case.get_status_display()),
            "version": case.version,
            "next_deadline": deadline,
        }
    ).data


def _refusal(error: Exception, case: Case) -> Response:
    """The answer for a write the service refused (nothing was saved)."""
    case.refresh_from_db(fields=["version", "status"])
    if isinstance(error, CaseVersionConflict):
        return Response({"detail": str(error), "version": case.version}, status=status.HTTP_409_CONFLICT)
    if isinstance(error, wf.PlanItemsInvalid):
        # Keyed by row index, like DRF's own errors for a list of items.
        rows = {str(i): {f: [m] for f, m in errors.items()} for i, errors in enumerate(error.item_errors) if errors}
        return Response({"items": rows}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return Response(error.message_dict, status=status.HTTP_400_BAD_REQUEST)
    messages = error.messages if isinstance(error, ValidationError) else [str(error)]
    return Response({"detail": " ".join(messages)}, status=status.HTTP_400_BAD_REQUEST)


class CaseActionView(APIView):
    """One step of the procedure; subclasses (made below, one per action) set `action` and `serializer_class`."""

    action = ""
    serializer_class: type[ActionSerializer] = ActionSerializer

    def post(self, request: Request, case_id: int) -> Response:
        case = access_case(request.user, case_id, for_write=True)
        serializer = self.serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            wf.ACTION_SERVICES[self.action](
                acting_user=request.user,
                case=case,
                expected_version=serializer.validated_data["version"],
                **serializer.service_kwargs(),
            )
        except (CaseVersionConflict, CaseRuleViolation, ValidationError) as error:
            return _refusal(error, case)
        return Response(case_state(case))


def _action_view(action: str) -> type[CaseActionView]:
    serializer = ACTION_SERIALIZERS[action]
    name = "".join(part.capitalize() for part in action.split("-"))

    def post(self: CaseActionView, request: Request, case_id: int) -> Response:
        return CaseActionView.post(self, request, case_id)

    who = "Chủ tịch UBND xã" if wf.TRANSITIONS[action][1] == "chair" else "cán bộ hoặc Chủ tịch UBND xã"

    # Each generated class gets its own post function, so each path documents its own body.
    post = extend_schema(
        operation_id=f"cases_action_{action.replace('-', '_')}",
        summary=str(wf.ACTION_LABELS[action]),
        description=(
            f"Bước “{wf.ACTION_LABELS[action]}” của quy trình (Nghị định 56/2017/NĐ-CP). Người thực hiện: {who}."
        ),
        request=serializer,
        responses={200: CaseStateSerializer, 400: ErrorSerializer, 404: ErrorSerializer, 409: ConflictSerializer},
        tags=["cases"],
    )(post)
    return type(
        f"{name}ActionView", (CaseActionView,), {"action": action, "serializer_class": serializer, "post": post}
    )


ACTION_VIEWS: dict[str, type[CaseActionView]] = {action: _action_view(action) for action in ACTION_SERIALIZERS}


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
    items = PlanItemSerializer(many=True)


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


def plan_state(user: Any, case: Case) -> dict[str, Any]:
    plan = wf.current_plan(case)
    items = list(plan.items.select_related("responsible_agency")) if plan else []
    return PlanReadSerializer(
        {
            "case_version": case.version,
            "cycle": plan.cycle if plan else None,
            "status": plan.status if plan else None,
            "goals": plan.goals if plan else "",
            "submitted_at": plan.submitted_at if plan else None,
            "approved_at": plan.approved_at if plan else None,
            "decision_number": plan.decision_number if plan else "",
            "return_reason": plan.return_reason if plan else "",
            "editable": wf.SAVE_PLAN in wf.available_actions(user, case),
            "items": items,
        }
    ).data


class CasePlanView(APIView):
    """The plan of the case's current cycle: read it, or replace the draft's items."""

    @extend_schema(
        operation_id="cases_plan_read",
        summary="Kế hoạch hỗ trợ, can thiệp của chu kỳ hiện tại",
        responses={200: PlanReadSerializer, 404: ErrorSerializer},
        tags=["cases"],
    )
    def get(self, request: Request, case_id: int) -> Response:
        case = access_case(request.user, case_id, for_write=True)
        return Response(plan_state(request.user, case))

    @extend_schema(
        operation_id="cases_plan_save",
        summary="Lưu dự thảo kế hoạch",
        description="Thay toàn bộ các dòng của dự thảo kế hoạch (chu kỳ hiện tại). Không đổi trạng thái hồ sơ.",
        request=PlanWriteSerializer,
        responses={200: PlanReadSerializer, 400: ErrorSerializer, 404: ErrorSerializer, 409: ConflictSerializer},
        tags=["cases"],
    )
    def put(self, request: Request, case_id: int) -> Response:
        case = access_case(request.user, case_id, for_write=True)
        serializer = PlanWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            wf.do_save_plan(
                acting_user=request.user,
                case=case,
                expected_version=data["version"],
                goals=data["goals"],
                items=[wf.PlanItemInput(**item) for item in data["items"]],
            )
        except (CaseVersionConflict, CaseRuleViolation, ValidationError) as error:
            return _refusal(error, case)
        return Response(plan_state(request.user, case))
