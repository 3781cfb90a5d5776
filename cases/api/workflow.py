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
    ACTION_SERIALIZERS,
    ActionSerializer,
    CaseStateSerializer,
    PlanReadSerializer,
    PlanWriteSerializer,
)
from cases.models import Case
from cases.services import workflow as wf

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
    """One step of the procedure; subclasses (made below, one per action) set `action` and `serializer_class`."""

    action = ""
    serializer_class: type[ActionSerializer] = ActionSerializer

    def post(self, request: Request, case_id: int) -> Response:
        case = access_case(request.user, case_id, for_write=True)
        serializer = self.serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        wf.ACTION_SERVICES[self.action](
            acting_user=request.user,
            case=case,
            expected_version=serializer.validated_data["version"],
            **serializer.service_kwargs(),
        )
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
        responses={200: CaseStateSerializer},
        tags=["cases"],
    )(post)
    return type(
        f"{name}ActionView", (CaseActionView,), {"action": action, "serializer_class": serializer, "post": post}
    )


ACTION_VIEWS: dict[str, type[CaseActionView]] = {action: _action_view(action) for action in ACTION_SERIALIZERS}


# --- The plan ----------------------------------------------------------------------------------------------------


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
