"""GET /api/v1/directives/ (`?q=`), GET /api/v1/directives/{id}/, POST /api/v1/directives/.

Reads start from `Directive.objects.visible_to(user)` (ScopedViewSetMixin): a directive outside the caller's
reach is 404. The detail lists only the tasks the caller may see. Creating is for province officers (others get
403); the body is the reviewed proposal (serializers/directives.py), saved by `do_create_directive`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import permissions, status
from rest_framework.mixins import CreateModelMixin, ListModelMixin, RetrieveModelMixin
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.viewsets import GenericViewSet

from childprotect.api.base import ScopedViewSetMixin
from directives.access import access_directive, can_create_directives
from directives.api.serializers.directives import (
    DirectiveCreateSerializer,
    DirectiveDetailSerializer,
    DirectiveListSerializer,
)
from directives.models import Directive, DirectiveTask
from directives.proposal import Directory
from directives.services import do_create_directive

_NOT_FOUND = OpenApiResponse(description="Không có, hoặc không thuộc phạm vi được xem.")


class CanCreateDirectives(permissions.BasePermission):
    """Anyone signed in reads (scoped); only province officers create."""

    message = "Chỉ cán bộ cấp tỉnh được nhập văn bản chỉ đạo."

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return can_create_directives(request.user)


def directive_detail_data(request: Request, directive: Directive) -> dict[str, Any]:
    tasks = (
        DirectiveTask.objects.visible_to(request.user)
        .for_listing(timezone.localdate())
        .filter(directive=directive)
        .order_by("position", "id")
    )
    data: dict[str, Any] = DirectiveDetailSerializer(
        Directive.objects.visible_to(request.user)
        .filter(pk=directive.pk)
        .with_task_counts(request.user, timezone.localdate())
        .get(),
        context={"request": request, "tasks": list(tasks)},
    ).data
    return data


@extend_schema_view(
    list=extend_schema(
        summary="Văn bản chỉ đạo trong phạm vi được xem",
        parameters=[OpenApiParameter("q", OpenApiTypes.STR, description="Tìm theo số, ký hiệu, trích yếu, cơ quan")],
        tags=["directives"],
    ),
    retrieve=extend_schema(
        summary="Một văn bản, với các nhiệm vụ được xem",
        responses={200: DirectiveDetailSerializer, 404: _NOT_FOUND},
        tags=["directives"],
    ),
    create=extend_schema(
        summary="Lưu văn bản đã kiểm tra (cán bộ cấp tỉnh)",
        description=(
            "Thân yêu cầu có dạng kết quả của POST /api/v1/directives/parse/, sau khi chọn chủ trì cho từng nhiệm "
            "vụ: lead = [{agency: mã} | {commune: mã xã} | {all_communes: true}]. Mỗi chủ trì nhận một nhiệm vụ riêng."
        ),
        request=DirectiveCreateSerializer,
        responses={
            201: DirectiveDetailSerializer,
            400: OpenApiResponse(description="Trường thiếu hoặc sai; lỗi theo từng trường."),
            403: OpenApiResponse(description="Không phải cán bộ cấp tỉnh."),
        },
        tags=["directives"],
    ),
)
class DirectiveViewSet(
    ScopedViewSetMixin, ListModelMixin, RetrieveModelMixin, CreateModelMixin, GenericViewSet[Directive]
):
    serializer_class = DirectiveListSerializer
    permission_classes = [permissions.IsAuthenticated, CanCreateDirectives]
    filterset_class = None
    lookup_value_regex = r"[0-9]+"

    def scoped_queryset(self, user: Any) -> QuerySet[Directive]:
        directives = (
            Directive.objects.visible_to(user)
            .with_task_counts(user, timezone.localdate())
            .order_by("-created_at", "-id")
        )
        query = (self.request.query_params.get("q") or "").strip()[:100] if self.action == "list" else ""
        if query:
            directives = directives.filter(
                Q(subject__icontains=query) | Q(symbol__icontains=query) | Q(number=query) | Q(issuer__icontains=query)
            )
        return directives

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        directive = access_directive(request.user, kwargs["pk"])
        return Response(directive_detail_data(request, directive))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incoming = DirectiveCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.to_input(Directory.for_user(request.user))
        directive = do_create_directive(acting_user=request.user, data=data)
        return Response(directive_detail_data(request, directive), status=status.HTTP_201_CREATED)
