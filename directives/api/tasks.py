"""Tasks, reports and compliance in the API.

- GET /api/v1/directive-tasks/?agency=&commune=&status=&directive=&review=&mine= — tasks the caller may see,
  each with its computed status (filters: directives/filters.py).
- GET /api/v1/directive-tasks/{id}/ — one task with its occurrences and their statuses.
- GET/POST /api/v1/directive-tasks/{id}/reports/ — its reports; a new report (JSON or multipart with a file),
  by the lead only (anyone else: 404, as for a task they cannot see).
- GET /api/v1/directive-reports/{id}/, POST …/accept/, POST …/return/ {"reason"}, GET …/attachment/ — a
  report; review by a province officer of the task's province.
- GET /api/v1/directive-compliance/?from=&to= — the board's figures per lead (compliance.py).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.mixins import ListModelMixin, RetrieveModelMixin
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.viewsets import GenericViewSet

from childprotect.api.base import ScopedViewSetMixin
from childprotect.api.parsers import BoundedJSONParser
from childprotect.models.audit import AuditAction
from childprotect.services import record_audit_event
from childprotect.uploads import download_responses
from directives.access import access_report, access_task
from directives.api.serializers.tasks import (
    DirectiveTaskDetailSerializer,
    DirectiveTaskSerializer,
    LeadComplianceSerializer,
    ReturnReportSerializer,
    TaskReportCreateSerializer,
    TaskReportSerializer,
)
from directives.compliance import compliance_by_lead
from directives.filters import DirectiveTaskFilter
from directives.models import DirectiveTask, TaskReport
from directives.services import do_accept_report, do_report_task, do_return_report
from directives.views.browse import file_response

_NOT_FOUND = OpenApiResponse(description="Không có, hoặc không thuộc phạm vi được xem.")


@extend_schema_view(
    list=extend_schema(summary="Nhiệm vụ trong phạm vi được xem, với tình trạng", tags=["directives"]),
    retrieve=extend_schema(
        summary="Một nhiệm vụ, với các kỳ hạn và tình trạng từng kỳ",
        responses={200: DirectiveTaskDetailSerializer, 404: _NOT_FOUND},
        tags=["directives"],
    ),
)
class DirectiveTaskViewSet(ScopedViewSetMixin, ListModelMixin, RetrieveModelMixin, GenericViewSet[DirectiveTask]):
    serializer_class = DirectiveTaskSerializer
    filterset_class = DirectiveTaskFilter
    parser_classes = [BoundedJSONParser, MultiPartParser, FormParser]
    lookup_value_regex = r"[0-9]+"

    def scoped_queryset(self, user: Any) -> QuerySet[DirectiveTask]:
        return (
            DirectiveTask.objects.visible_to(user)
            .for_listing(timezone.localdate())
            .order_by("-directive__created_at", "directive_id", "position", "id")
        )

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        task = access_task(request.user, kwargs["pk"])
        listed = self.scoped_queryset(request.user).prefetch_related("coordinating", "occurrences").get(pk=task.pk)
        return Response(DirectiveTaskDetailSerializer(listed, context={"request": request}).data)

    @extend_schema(
        methods=["GET"],
        summary="Báo cáo của nhiệm vụ",
        responses={200: TaskReportSerializer(many=True), 404: _NOT_FOUND},
        filters=False,
        tags=["directives"],
    )
    @extend_schema(
        methods=["POST"],
        summary="Báo cáo tiến độ hoặc hoàn thành (đơn vị chủ trì)",
        request={"application/json": TaskReportCreateSerializer, "multipart/form-data": TaskReportCreateSerializer},
        responses={
            201: TaskReportSerializer,
            400: OpenApiResponse(description="Thiếu nội dung, kỳ đã hoàn thành, tệp không hợp lệ…"),
            409: OpenApiResponse(description="Mọi kỳ của nhiệm vụ đã được báo cáo hoàn thành."),
            404: _NOT_FOUND,
        },
        tags=["directives"],
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_class=None)
    def reports(self, request: Request, pk: str) -> Response:
        if request.method == "POST":
            task = access_task(request.user, pk, for_report=True)
            incoming = TaskReportCreateSerializer(data=request.data)
            incoming.is_valid(raise_exception=True)
            data = incoming.validated_data
            occurrence = None
            if data.get("occurrence") is not None:
                occurrence = task.occurrences.filter(pk=data["occurrence"]).first()
                if occurrence is None:
                    raise serializers.ValidationError({"occurrence": ["Kỳ báo cáo không thuộc nhiệm vụ này."]})
            report = do_report_task(
                acting_user=request.user,
                task=task,
                text=data["text"],
                completes=data["completes"],
                occurrence=occurrence,
                attachment=data.get("attachment"),
            )
            return Response(TaskReportSerializer(report).data, status=status.HTTP_201_CREATED)
        task = access_task(request.user, pk)
        reports = task.reports.select_related("author", "reviewed_by", "occurrence").order_by("submitted_at", "id")
        return Response(TaskReportSerializer(reports, many=True).data)


@extend_schema_view(
    retrieve=extend_schema(
        summary="Một báo cáo", responses={200: TaskReportSerializer, 404: _NOT_FOUND}, tags=["directives"]
    ),
)
class TaskReportViewSet(ScopedViewSetMixin, RetrieveModelMixin, GenericViewSet[TaskReport]):
    serializer_class = TaskReportSerializer
    lookup_value_regex = r"[0-9]+"

    def scoped_queryset(self, user: Any) -> QuerySet[TaskReport]:
        return TaskReport.objects.visible_to(user).select_related("author", "reviewed_by", "occurrence")

    @extend_schema(
        summary="Chấp nhận báo cáo (cán bộ cấp tỉnh)",
        request=None,
        responses={200: TaskReportSerializer, 409: OpenApiResponse(description="Đã được xem xét.")},
        tags=["directives"],
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        report = access_report(request.user, pk, for_review=True)
        do_accept_report(acting_user=request.user, report=report)
        return Response(TaskReportSerializer(report).data)

    @extend_schema(
        summary="Trả lại báo cáo để bổ sung, kèm lý do (cán bộ cấp tỉnh)",
        request=ReturnReportSerializer,
        responses={
            200: TaskReportSerializer,
            400: OpenApiResponse(description="Thiếu lý do."),
            409: OpenApiResponse(description="Đã được xem xét."),
            404: _NOT_FOUND,
        },
        tags=["directives"],
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_report(self, request: Request, pk: str) -> Response:
        report = access_report(request.user, pk, for_review=True)
        incoming = ReturnReportSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        do_return_report(acting_user=request.user, report=report, reason=incoming.validated_data["reason"])
        return Response(TaskReportSerializer(report).data)

    @extend_schema(
        summary="Tải tệp đính kèm của báo cáo (mỗi lần tải được ghi nhật ký)",
        responses={**download_responses(), 404: _NOT_FOUND},
        tags=["directives"],
    )
    @action(detail=True, methods=["get"])
    def attachment(self, request: Request, pk: str) -> FileResponse:
        report = access_report(request.user, pk)
        if not report.attachment:
            from childprotect.access import not_found

            raise not_found()
        record_audit_event(
            actor=request.user,
            action=AuditAction.VIEW,
            target=report,
            unit_path=report.task.unit_path,
            details={"task_id": report.task_id, "file": "report"},
        )
        return file_response(report.attachment, report.attachment_type, report.attachment_name, f"bao-cao-{report.pk}")


def _date_param(request: Request, name: str, default: datetime.date) -> datetime.date:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise serializers.ValidationError({name: ["Ngày theo dạng YYYY-MM-DD."]}) from None


class DirectiveComplianceView(APIView):
    """The board's figures per lead over a period (default: this calendar year)."""

    @extend_schema(
        summary="Tình hình thực hiện theo đơn vị chủ trì (đúng hạn, trễ hạn, quá hạn)",
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, description="Từ ngày (hạn), mặc định 01/01 năm nay"),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Đến ngày (hạn), mặc định 31/12 năm nay"),
        ],
        responses={200: LeadComplianceSerializer(many=True)},
        tags=["directives"],
    )
    def get(self, request: Request) -> Response:
        today = timezone.localdate()
        start = _date_param(request, "from", datetime.date(today.year, 1, 1))
        end = _date_param(request, "to", datetime.date(today.year, 12, 31))
        rows = compliance_by_lead(DirectiveTask.objects.visible_to(request.user), start, end, today=today)
        return Response(LeadComplianceSerializer([row.as_dict() for row in rows], many=True).data)
