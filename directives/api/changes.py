"""Changes after saving in the API (services/changes.py), each with the version the client saw:

- POST /api/v1/directives/{id}/tasks/ {version, order, reason, task} → 201, the new tasks (one per lead);
- POST /api/v1/directive-tasks/{id}/reassign/ {version, order, reason, lead} → 200, the new lead's task;
- POST /api/v1/directive-tasks/{id}/redate/ {version, order, reason, deadline, effective_from} → 200, the task;
- POST /api/v1/directive-tasks/{id}/cancel/ {version, order, reason} → 200, the task;
- GET /api/v1/directive-tasks/{id}/changes/ → the task's history (anyone who sees the task).

Writes are for the province officers of the directive's province; to anyone else the directive or task does not
exist (404, as for one they cannot see). A stale version: 409 {"detail", "version"}, nothing written. Bad input:
400 with the errors by field; a change the task no longer allows (cancelled, all done): 400 {"detail"}.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from childprotect.access import not_found
from directives.access import access_directive, access_task
from directives.models import DirectiveTask
from directives.proposal import Directory
from directives.recurrence import DeadlineRule
from directives.serializers.changes import (
    AddTaskSerializer,
    ChangeOrderSerializer,
    ReassignSerializer,
    RedateSerializer,
    TaskChangeSerializer,
)
from directives.serializers.directives import lead_from_codes, task_input_from
from directives.serializers.tasks import DirectiveTaskDetailSerializer
from directives.services import (
    DirectiveRuleViolation,
    TaskVersionConflict,
    can_change_tasks,
    do_add_task,
    do_cancel_task,
    do_reassign_task,
    do_redate_task,
)

_NOT_FOUND = OpenApiResponse(description="Không có, hoặc không thuộc phạm vi được xem / được thay đổi.")
ConflictSerializer = inline_serializer(
    "TaskChangeConflict", {"detail": serializers.CharField(), "version": serializers.IntegerField()}
)
_RESPONSES = {
    400: OpenApiResponse(description="Thiếu lý do, văn bản chỉ đạo; dữ liệu không hợp lệ; nhiệm vụ đã hủy."),
    404: _NOT_FOUND,
    409: OpenApiResponse(ConflictSerializer, description="Nhiệm vụ vừa được người khác thay đổi: không lưu gì."),
}


def _refusal(error: Exception) -> Response:
    """The answer for a change the service refused (nothing was saved)."""
    if isinstance(error, TaskVersionConflict):
        return Response({"detail": str(error), "version": error.version}, status=status.HTTP_409_CONFLICT)
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return Response(error.message_dict, status=status.HTTP_400_BAD_REQUEST)
    messages = error.messages if isinstance(error, ValidationError) else [str(error)]
    return Response({"detail": " ".join(messages)}, status=status.HTTP_400_BAD_REQUEST)


def _task_data(request: Request, task: DirectiveTask) -> dict[str, Any]:
    listed = (
        DirectiveTask.objects.visible_to(request.user)
        .for_listing(timezone.localdate())
        .prefetch_related("coordinating", "occurrences")
        .get(pk=task.pk)
    )
    return dict(DirectiveTaskDetailSerializer(listed, context={"request": request}).data)


def _changeable_task(request: Request, pk: int) -> DirectiveTask:
    task = access_task(request.user, pk)
    if not can_change_tasks(request.user, task.directive):
        raise not_found()
    return task


class TaskReassignView(APIView):
    @extend_schema(
        summary="Giao nhiệm vụ cho đơn vị khác (theo văn bản chỉ đạo sau)",
        request=ReassignSerializer,
        responses={200: DirectiveTaskDetailSerializer, **_RESPONSES},
        tags=["directives"],
    )
    def post(self, request: Request, pk: int) -> Response:
        task = _changeable_task(request, pk)
        incoming = ReassignSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        lead, error = lead_from_codes(incoming.validated_data["lead"], Directory.for_user(request.user))
        if lead is None:
            raise serializers.ValidationError({"lead": [error]})
        try:
            new = do_reassign_task(
                acting_user=request.user,
                task=task,
                expected_version=incoming.validated_data["version"],
                lead=lead,
                order=incoming.change_order(),
            )
        except (TaskVersionConflict, DirectiveRuleViolation, ValidationError) as error:
            return _refusal(error)
        return Response(_task_data(request, new))


class TaskRedateView(APIView):
    @extend_schema(
        summary="Đổi thời hạn nhiệm vụ (theo văn bản chỉ đạo sau)",
        request=RedateSerializer,
        responses={200: DirectiveTaskDetailSerializer, **_RESPONSES},
        tags=["directives"],
    )
    def post(self, request: Request, pk: int) -> Response:
        task = _changeable_task(request, pk)
        incoming = RedateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        deadline = incoming.validated_data["deadline"]
        rule = DeadlineRule(
            kind=deadline["kind"],
            date=deadline.get("date"),
            frequency=deadline.get("frequency") or "",
            day=deadline.get("day"),
            month=deadline.get("month") if deadline.get("frequency") != "monthly" else None,
        )
        try:
            do_redate_task(
                acting_user=request.user,
                task=task,
                expected_version=incoming.validated_data["version"],
                rule=rule,
                order=incoming.change_order(),
                effective_from=incoming.validated_data["effective_from"],
            )
        except (TaskVersionConflict, DirectiveRuleViolation, ValidationError) as error:
            return _refusal(error)
        return Response(_task_data(request, task))


class TaskCancelView(APIView):
    @extend_schema(
        summary="Hủy nhiệm vụ (theo văn bản chỉ đạo sau): các kỳ chưa hoàn thành thôi được tính",
        request=ChangeOrderSerializer,
        responses={200: DirectiveTaskDetailSerializer, **_RESPONSES},
        tags=["directives"],
    )
    def post(self, request: Request, pk: int) -> Response:
        task = _changeable_task(request, pk)
        incoming = ChangeOrderSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            do_cancel_task(
                acting_user=request.user,
                task=task,
                expected_version=incoming.validated_data["version"],
                order=incoming.change_order(),
            )
        except (TaskVersionConflict, DirectiveRuleViolation, ValidationError) as error:
            return _refusal(error)
        return Response(_task_data(request, task))


class TaskChangesView(APIView):
    @extend_schema(
        summary="Lịch sử thay đổi của nhiệm vụ",
        responses={200: TaskChangeSerializer(many=True), 404: _NOT_FOUND},
        tags=["directives"],
    )
    def get(self, request: Request, pk: int) -> Response:
        task = access_task(request.user, pk)
        changes = task.changes.select_related("changed_by").order_by("changed_at", "id")
        return Response(TaskChangeSerializer(changes, many=True).data)


class DirectiveTaskAddView(APIView):
    @extend_schema(
        summary="Thêm nhiệm vụ cho văn bản đã lưu (theo văn bản chỉ đạo sau)",
        request=AddTaskSerializer,
        responses={201: DirectiveTaskDetailSerializer(many=True), **_RESPONSES},
        tags=["directives"],
    )
    def post(self, request: Request, pk: int) -> Response:
        directive = access_directive(request.user, pk)
        if not can_change_tasks(request.user, directive):
            raise not_found()
        incoming = AddTaskSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        task, errors = task_input_from(incoming.validated_data["task"], Directory.for_user(request.user))
        if errors:
            raise serializers.ValidationError({f"task.{key}": [message] for key, message in errors.items()})
        try:
            tasks = do_add_task(
                acting_user=request.user,
                directive=directive,
                expected_version=incoming.validated_data["version"],
                task=task,
                order=incoming.change_order(),
            )
        except (TaskVersionConflict, DirectiveRuleViolation, ValidationError) as error:
            return _refusal(error)
        return Response([_task_data(request, t) for t in tasks], status=status.HTTP_201_CREATED)
