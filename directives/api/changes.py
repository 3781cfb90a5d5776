"""Changes after saving in the API (services/changes.py), each with the version the client saw:

- POST /api/v1/directives/{id}/tasks/ {version, order, reason, task} → 201, the new tasks (one per lead);
- POST /api/v1/directive-tasks/{id}/reassign/ {version, order, reason, lead} → 200, the new lead's task;
- POST /api/v1/directive-tasks/{id}/redate/ {version, order, reason, deadline, effective_from} → 200, the task;
- POST /api/v1/directive-tasks/{id}/cancel/ {version, order, reason} → 200, the task;
- GET /api/v1/directive-tasks/{id}/changes/ → the task's history (anyone who sees the task).

Writes are for the province officers of the directive's province; to anyone else the directive or task does not
exist (404, as for one they cannot see). Refusals answer in the API's one shape (childprotect/api/errors.py):
a stale version 409 `version_conflict` with the current `version`, nothing written; bad input 400 by field; a
change the task no longer allows (cancelled or handed over, all done) 409 `rule_violation`.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from directives.access import access_directive, access_task
from directives.api.serializers.changes import (
    AddTaskSerializer,
    ChangeOrderSerializer,
    ReassignSerializer,
    RedateSerializer,
    TaskChangeSerializer,
)
from directives.api.serializers.directives import deadline_rule_from, lead_from_codes, task_input_from
from directives.api.serializers.tasks import DirectiveTaskDetailSerializer
from directives.models import DirectiveTask
from directives.proposal import Directory
from directives.services import do_add_task, do_cancel_task, do_reassign_task, do_redate_task

# The services name the follow-up document "order_text" and the deadline's parts as the pages do; the requests
# call them "order" and "deadline.kind", … (childprotect/api/errors.py renames them in the 400 answer).
CHANGE_ERROR_FIELDS = {
    "order_text": "order",
    "deadline_kind": "deadline.kind",
    "deadline_date": "deadline.date",
    "frequency": "deadline.frequency",
    "deadline_day": "deadline.day",
    "deadline_month": "deadline.month",
}
# Adding a task: the assignment's fields are under "task", as in the request.
ADD_ERROR_FIELDS = {
    "order_text": "order",
    **{name: f"task.{name}" for name in ("text", "coordinating", "report_to", "recurs_from", "recurs_until")},
    "leads": "task.lead",
    **{name: f"task.{path}" for name, path in CHANGE_ERROR_FIELDS.items() if path.startswith("deadline.")},
}


def _task_data(request: Request, task: DirectiveTask) -> dict[str, Any]:
    listed = (
        DirectiveTask.objects.visible_to(request.user)
        .for_listing(timezone.localdate())
        .prefetch_related("coordinating", "occurrences")
        .get(pk=task.pk)
    )
    return dict(DirectiveTaskDetailSerializer(listed, context={"request": request}).data)


class TaskReassignView(APIView):
    service_error_fields = CHANGE_ERROR_FIELDS

    @extend_schema(
        summary="Giao nhiệm vụ cho đơn vị khác (theo văn bản chỉ đạo sau)",
        request=ReassignSerializer,
        responses={200: DirectiveTaskDetailSerializer},
        tags=["directives"],
    )
    def post(self, request: Request, pk: int) -> Response:
        task = access_task(request.user, pk, for_change=True)
        incoming = ReassignSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        lead, error = lead_from_codes(incoming.validated_data["lead"], Directory.for_user(request.user))
        if lead is None:
            raise serializers.ValidationError({"lead": [error]})
        new = do_reassign_task(
            acting_user=request.user,
            task=task,
            expected_version=incoming.validated_data["version"],
            lead=lead,
            order=incoming.change_order(),
        )
        return Response(_task_data(request, new))


class TaskRedateView(APIView):
    service_error_fields = CHANGE_ERROR_FIELDS

    @extend_schema(
        summary="Đổi thời hạn nhiệm vụ (theo văn bản chỉ đạo sau)",
        request=RedateSerializer,
        responses={200: DirectiveTaskDetailSerializer},
        tags=["directives"],
    )
    def post(self, request: Request, pk: int) -> Response:
        task = access_task(request.user, pk, for_change=True)
        incoming = RedateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        do_redate_task(
            acting_user=request.user,
            task=task,
            expected_version=incoming.validated_data["version"],
            rule=deadline_rule_from(incoming.validated_data["deadline"]),
            order=incoming.change_order(),
            effective_from=incoming.validated_data["effective_from"],
        )
        return Response(_task_data(request, task))


class TaskCancelView(APIView):
    service_error_fields = CHANGE_ERROR_FIELDS

    @extend_schema(
        summary="Hủy nhiệm vụ (theo văn bản chỉ đạo sau): các kỳ chưa hoàn thành thôi được tính",
        request=ChangeOrderSerializer,
        responses={200: DirectiveTaskDetailSerializer},
        tags=["directives"],
    )
    def post(self, request: Request, pk: int) -> Response:
        task = access_task(request.user, pk, for_change=True)
        incoming = ChangeOrderSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        do_cancel_task(
            acting_user=request.user,
            task=task,
            expected_version=incoming.validated_data["version"],
            order=incoming.change_order(),
        )
        return Response(_task_data(request, task))


class TaskChangesView(APIView):
    @extend_schema(
        summary="Lịch sử thay đổi của nhiệm vụ",
        responses={200: TaskChangeSerializer(many=True)},
        tags=["directives"],
    )
    def get(self, request: Request, pk: int) -> Response:
        task = access_task(request.user, pk)
        changes = task.changes.select_related("changed_by").order_by("changed_at", "id")
        return Response(TaskChangeSerializer(changes, many=True).data)


class DirectiveTaskAddView(APIView):
    service_error_fields = ADD_ERROR_FIELDS

    @extend_schema(
        summary="Thêm nhiệm vụ cho văn bản đã lưu (theo văn bản chỉ đạo sau)",
        request=AddTaskSerializer,
        responses={201: DirectiveTaskDetailSerializer(many=True)},
        tags=["directives"],
    )
    def post(self, request: Request, pk: int) -> Response:
        directive = access_directive(request.user, pk, for_change=True)
        incoming = AddTaskSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        task, errors = task_input_from(incoming.validated_data["task"], Directory.for_user(request.user))
        if errors:
            raise serializers.ValidationError({"task": {key: [message] for key, message in errors.items()}})
        tasks = do_add_task(
            acting_user=request.user,
            directive=directive,
            expected_version=incoming.validated_data["version"],
            task=task,
            order=incoming.change_order(),
        )
        return Response([_task_data(request, t) for t in tasks], status=status.HTTP_201_CREATED)
