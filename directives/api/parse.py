"""Directive API: import a pasted directive text into proposed fields (nothing is saved)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from directives.access import can_import_directives, import_directory
from directives.api.serializers.parse import DirectiveParseSerializer, ParsedDirectiveSerializer
from directives.importer import parse_directive


class CanImportDirectives(permissions.BasePermission):
    """Province officers and administrators import directives; other roles get 403."""

    message = "Chỉ cán bộ cấp tỉnh hoặc quản trị hệ thống được nhập văn bản chỉ đạo."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return can_import_directives(request.user)


class DirectiveParseView(APIView):
    """POST {"text"} → every field the importer can propose, with warnings for what it cannot find."""

    permission_classes = [permissions.IsAuthenticated, CanImportDirectives]

    @extend_schema(
        operation_id="directives_parse",
        summary="Đọc văn bản chỉ đạo dán vào (không lưu)",
        description=(
            "Đề xuất loại, số, ký hiệu, cơ quan ban hành, địa danh, ngày, trích yếu, nơi nhận, người ký, văn bản "
            "được thực hiện và các nhiệm vụ (chủ trì, phối hợp, thời hạn). Trường không tìm thấy để trống kèm "
            "cảnh báo. Không lưu gì."
        ),
        request=DirectiveParseSerializer,
        responses={200: ParsedDirectiveSerializer},
        tags=["directives"],
    )
    def post(self, request: Request) -> Response:
        serializer = DirectiveParseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        agencies = list(import_directory(request.user).only("code", "name", "short_name"))
        parsed = parse_directive(serializer.validated_data["text"], agencies)
        return Response(parsed.to_dict())
