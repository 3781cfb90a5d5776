"""/api/v1/reports/ — request a periodic report (202, generated in the background), read runs, review and lock
them, download their files. Same access rules as the archive pages: the list and every lookup start from
`ReportRun.objects.visible_to(user)` (ScopedViewSetMixin), so another jurisdiction's run answers 404; a unit
outside the caller's jurisdiction answers 404 when requesting. Downloads are audited."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.mixins import ListModelMixin, RetrieveModelMixin
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from childprotect.access import not_found
from childprotect.api.base import ScopedViewSetMixin
from childprotect.http import AuthenticatedRequest
from reporting.access import can_generate_report, can_use_reporting, find_unit
from reporting.api.serializers import ReportAcceptedSerializer, ReportRequestSerializer, ReportRunSerializer
from reporting.models import ReportRun
from reporting.services import do_lock_report, do_request_report, do_review_report, record_download
from reporting.views.reports import file_response

_NOT_FOUND = OpenApiResponse(description="Không có, hoặc không thuộc phạm vi được xem.")
_REFUSED = OpenApiResponse(description="Không thực hiện được ở trạng thái này (409) hoặc với vai trò này (403).")


@extend_schema_view(
    list=extend_schema(summary="Báo cáo định kỳ trong phạm vi được xem"),
    retrieve=extend_schema(summary="Một lần lập báo cáo", responses={200: ReportRunSerializer, 404: _NOT_FOUND}),
)
class ReportRunViewSet(ScopedViewSetMixin, ListModelMixin, RetrieveModelMixin, GenericViewSet[ReportRun]):
    serializer_class = ReportRunSerializer
    lookup_value_regex = r"[0-9]+"

    def scoped_queryset(self, user: Any) -> QuerySet[ReportRun]:
        return (
            ReportRun.objects.visible_to(user).select_related("unit", "generated_by").order_by("-requested_at", "-id")
        )

    @extend_schema(
        summary="Yêu cầu lập báo cáo 6 tháng hoặc năm",
        request=ReportRequestSerializer,
        responses={
            202: ReportAcceptedSerializer,
            400: OpenApiResponse(description="Dữ liệu không hợp lệ."),
            404: _NOT_FOUND,
        },
    )
    def create(self, request: AuthenticatedRequest) -> Response:
        user = request.user
        if not can_use_reporting(user):
            raise not_found()
        body = ReportRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        unit = find_unit(body.validated_data["unit"])
        if unit is None or not can_generate_report(user, unit):
            raise not_found()
        run = do_request_report(
            acting_user=user,
            kind=body.validated_data["kind"],
            year=body.validated_data["year"],
            unit=unit,
            document_number=body.validated_data["document_number"],
            remarks=body.validated_data["remarks"],
        )
        run.refresh_from_db(fields=["status"])
        return Response({"id": run.pk, "status": run.status}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(summary="Ghi nhận đã rà soát", request=None, responses={200: ReportRunSerializer, 409: _REFUSED})
    @action(detail=True, methods=["post"])
    def review(self, request: AuthenticatedRequest, pk: str) -> Response:
        run = self.get_object()
        run = do_review_report(acting_user=request.user, run=run, note=str(request.data.get("note", ""))[:2000])
        return Response(self.get_serializer(run).data)

    @extend_schema(
        summary="Khóa (gửi) báo cáo: không thay đổi được nữa",
        request=None,
        responses={200: ReportRunSerializer, 404: _NOT_FOUND, 409: _REFUSED},
    )
    @action(detail=True, methods=["post"])
    def lock(self, request: AuthenticatedRequest, pk: str) -> Response:
        run = self.get_object()
        run = do_lock_report(acting_user=request.user, run=run)
        return Response(self.get_serializer(run).data)

    def _download(self, request: AuthenticatedRequest, file_format: str) -> FileResponse:
        run = self.get_object()
        response = file_response(run, file_format)
        record_download(acting_user=request.user, run=run, file_format=file_format)
        return response

    @extend_schema(
        summary="Tệp PDF của báo cáo", responses={(200, "application/pdf"): OpenApiTypes.BINARY, 404: _NOT_FOUND}
    )
    @action(detail=True, methods=["get"], url_path="pdf", url_name="pdf")
    def pdf(self, request: AuthenticatedRequest, pk: str) -> FileResponse:
        return self._download(request, "pdf")

    @extend_schema(
        summary="Tệp XLSX của báo cáo",
        responses={
            (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiTypes.BINARY,
            404: _NOT_FOUND,
        },
    )
    @action(detail=True, methods=["get"], url_path="xlsx", url_name="xlsx")
    def xlsx(self, request: AuthenticatedRequest, pk: str) -> FileResponse:
        return self._download(request, "xlsx")
