"""The procedure's API: `POST /api/v1/cases/{id}/actions/{action}/` (one path per action, each with its own
request body) and `GET`/`PUT /api/v1/cases/{id}/plan/`.

Same rules as the pages: `access_case(user, id, for_write=True)` (404 for outsiders), every write through
cases/services/workflow.py. Answers: 200 with the case's new status, version and next deadline; refusals in the
shape of childprotect/api/errors.py (400 field errors, 403 not the chair, 409 not in this status or a stale
`version`).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.access import access_case
from cases.api.serializers.workflow import (
    ActionSerializer,
    CaseStateSerializer,
    PlanReadSerializer,
    PlanWriteSerializer,
)
from cases.models import Case
from cases.querysets import current_plan
from cases.services import workflow as wf
from cases.steps import SAVE_PLAN, STEPS, Step, available_actions, case_actions

# --- Answers -----------------------------------------------------------------------------------------------------


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


class CaseActionView(APIView):
    """One step of the procedure; subclasses (made below, one per step of cases/steps.py) set `action` and
    `serializer_class`."""

    action = ""
    serializer_class: type[ActionSerializer] = ActionSerializer

    def post(self, request: Request, case_id: int) -> Response:
        case = access_case(request.user, case_id, for_write=True)
        serializer = self.serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        STEPS[self.action].service(
            acting_user=request.user,
            case=case,
            expected_version=serializer.validated_data["version"],
            **serializer.service_kwargs(),
        )
        return Response(case_state(case))


def _action_view(step: Step) -> type[CaseActionView]:
    name = "".join(part.capitalize() for part in step.action.split("-"))

    def post(self: CaseActionView, request: Request, case_id: int) -> Response:
        return CaseActionView.post(self, request, case_id)

    # Each generated class gets its own post function, so each path documents its own body.
    post = extend_schema(
        operation_id=f"cases_action_{step.action.replace('-', '_')}",
        summary=str(step.label),
        description=(
            f"Bước “{step.label}” của quy trình (Nghị định 56/2017/NĐ-CP). Người thực hiện: {step.role.label}."
        ),
        request=step.serializer,
        responses={200: CaseStateSerializer},
        tags=["cases"],
    )(post)
    attributes = {"action": step.action, "serializer_class": step.serializer, "post": post}
    return type(f"{name}ActionView", (CaseActionView,), attributes)


ACTION_VIEWS: dict[str, type[CaseActionView]] = {step.action: _action_view(step) for step in case_actions()}


# --- The plan ----------------------------------------------------------------------------------------------------


def plan_state(user: Any, case: Case) -> dict[str, Any]:
    plan = current_plan(case)
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
            "editable": SAVE_PLAN in available_actions(user, case),
            "items": items,
        }
    ).data


class CasePlanView(APIView):
    """The plan of the case's current cycle: read it, or replace the draft's items."""

    @extend_schema(
        operation_id="cases_plan_read",
        summary="Kế hoạch hỗ trợ, can thiệp của chu kỳ hiện tại",
        responses={200: PlanReadSerializer},
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
        responses={200: PlanReadSerializer},
        tags=["cases"],
    )
    def put(self, request: Request, case_id: int) -> Response:
        case = access_case(request.user, case_id, for_write=True)
        serializer = PlanWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        wf.do_save_plan(
            acting_user=request.user,
            case=case,
            expected_version=data["version"],
            goals=data["goals"],
            items=[wf.PlanItemInput(**item) for item in data["items"]],
        )
        return Response(plan_state(request.user, case))
