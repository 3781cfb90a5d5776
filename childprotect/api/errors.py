"""The API's one answer to every refusal (REST_FRAMEWORK["EXCEPTION_HANDLER"]), and its OpenAPI description.

The error shape is part of the API contract (README, "Errors"; the OpenAPI components `Error`,
`VersionConflictError` and `ValidationErrors`, which every operation's error responses refer to):

- 400 — the input is wrong: `{"<field>": ["message", …], …}` as DRF words it (nested for nested fields, rows of a
  list keyed by their index as a string); errors that belong to no field: `{"detail": "…", "code": "invalid"}`
  (`"parse_error"` for a body that is not JSON, or too big or nested too deep: childprotect/api/parsers.py).
- 401 / 403 / 404 / 405 / 429 and 409 — `{"detail": "message", "code": "<code>"}`. 401 `not_authenticated` (no
  token, no session) or `authentication_failed` (a wrong, expired or revoked token); 403 `not_allowed`: the role
  may not take this step (or DRF's `permission_denied`); 404 `not_found`: missing and forbidden alike; 409
  `rule_violation`: the record's state does not allow it now; 409 `version_conflict`, which adds `"version"`
  (the record's current version) when it is known.
- 500, and 503 with Retry-After while the database is unreachable — the same shape with `server_error` or
  `database_unavailable`, written by the site's 500 handler (childprotect/views/errors.py), since DRF leaves
  such errors to Django.

Messages are Vietnamese unless the request asks for English (`Accept-Language: en`). Nothing was saved when an
error is returned.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from childprotect.errors import RowErrors, ServiceError, VersionConflict


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, after turning service refusals into their status, and adding `code` to every `detail`."""
    if isinstance(exc, ServiceError):
        body: dict[str, Any] = {"detail": exc.message, "code": exc.code}
        if isinstance(exc, VersionConflict) and exc.version is not None:
            body["version"] = exc.version
        return Response(body, status=exc.status_code)
    if isinstance(exc, ValidationError):
        return Response(validation_body(exc, context.get("view")), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        # Every 404 in one words and shape, whoever raised it: an `access_*` fetcher, a scoped lookup, or DRF's
        # own (an "Invalid page", in English, that names the page asked for).
        exc = exceptions.NotFound(not_found_message(), code="not_found")
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.APIException) and isinstance(response.data, dict):
        if "detail" in response.data and "code" not in response.data:
            codes = exc.get_codes()
            response.data["code"] = codes if isinstance(codes, str) else exc.default_code
    return response


def not_found_message() -> str:
    return gettext("Không tìm thấy.")


def api_not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    """The 404 of an /api/ address that no route matches (childprotect/views/errors.py `not_found`): a path
    parameter that is not a number, a code with a dot in it; the same answer as a record that does not exist."""
    return JsonResponse({"detail": not_found_message(), "code": "not_found"}, status=status.HTTP_404_NOT_FOUND)


def validation_body(error: ValidationError, view: Any = None) -> dict[str, Any]:
    """A service's ValidationError as DRF words field errors. A view may rename the service's field names to its
    request's (`service_error_fields = {"full_name": "child.full_name"}`: dotted for nested fields)."""
    if isinstance(error, RowErrors):
        rows = {str(i): {field: [text] for field, text in row.items()} for i, row in enumerate(error.rows) if row}
        return {error.field: rows}
    if not hasattr(error, "error_dict"):
        return {"detail": " ".join(str(message) for message in error.messages), "code": "invalid"}
    renames: dict[str, str] = getattr(view, "service_error_fields", {}) or {}
    body: dict[str, Any] = {}
    for key, texts in error.message_dict.items():
        *parents, leaf = renames[key].split(".") if key in renames else [key]
        level = body
        for parent in parents:
            level = level.setdefault(parent, {})
        level[leaf] = texts
    return body


# --- OpenAPI ------------------------------------------------------------------------------------------------------

ErrorSerializer = inline_serializer(
    "Error",
    {
        "detail": serializers.CharField(help_text="Vietnamese message (English with Accept-Language: en)."),
        "code": serializers.CharField(
            help_text="not_allowed · rule_violation · version_conflict · not_found · permission_denied · "
            "not_authenticated · authentication_failed · invalid · parse_error · throttled · method_not_allowed · "
            "database_unavailable …"
        ),
    },
)
VersionConflictSerializer = inline_serializer(
    "VersionConflictError",
    {
        "detail": serializers.CharField(),
        "code": serializers.CharField(help_text="version_conflict, or rule_violation"),
        "version": serializers.IntegerField(required=False, help_text="The record's current version."),
    },
)
# DRF's field errors are keyed by the request's own field names, so they are described as an open object: a
# component added by childprotect/api/openapi.py (drf-spectacular has no serializer for "any key").
VALIDATION_ERRORS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Messages per request field: a list of strings, or an object for a nested field or a list "
    "of rows (keyed by the row's index). An error of no field in particular: `detail` with `code` "
    "`invalid` (`parse_error`: the body is not JSON, or too big or nested too deep).",
    "properties": {
        "detail": {"type": "string", "description": "An error of no field in particular."},
        "code": {"type": "string", "enum": ["invalid", "parse_error"]},
    },
    "additionalProperties": {
        "oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "object", "additionalProperties": True}]
    },
}
VALIDATION_ERRORS_REF = {"$ref": "#/components/schemas/ValidationErrors"}

INVALID = OpenApiResponse(VALIDATION_ERRORS_REF, description="Dữ liệu không hợp lệ: lỗi theo từng trường.")
NOT_AUTHENTICATED = OpenApiResponse(
    ErrorSerializer,
    description="Chưa đăng nhập, hoặc mã API sai, đã hết hạn hay đã bị thu hồi (not_authenticated, "
    "authentication_failed).",
)
NOT_ALLOWED = OpenApiResponse(ErrorSerializer, description="Vai trò của bạn không thực hiện được bước này.")
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="Không có, hoặc không thuộc phạm vi được xem.")
REFUSED = OpenApiResponse(
    VersionConflictSerializer,
    description="Trạng thái hiện tại của bản ghi không cho phép bước này (rule_violation), hoặc bản ghi vừa được "
    "người khác cập nhật (version_conflict, kèm version hiện tại). Không có gì được lưu.",
)
NO_SUCH_PAGE = OpenApiResponse(ErrorSerializer, description="Danh sách không có trang này (not_found).")
CLOSED_TO_ROLE = OpenApiResponse(
    ErrorSerializer, description="Vai trò của bạn không dùng được chức năng này (permission_denied)."
)
UNSUPPORTED_MEDIA_TYPE = OpenApiResponse(
    ErrorSerializer, description="Nội dung gửi lên không ở định dạng chức năng này đọc được (unsupported_media_type)."
)
THROTTLED = OpenApiResponse(ErrorSerializer, description="Quá nhiều yêu cầu; thử lại sau Retry-After giây (throttled).")
