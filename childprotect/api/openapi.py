"""The schema class of the API (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]): every operation documents the error
answers it can give, in their one shape (childprotect/api/errors.py)."""

from __future__ import annotations

from typing import Any

import drf_spectacular.openapi
from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated


class AutoSchema(drf_spectacular.openapi.AutoSchema):
    """Every operation documents the error answers it can give (childprotect/api/errors.py), with their shape:
    401 wherever a caller must be signed in (a token is checked first, so a request without one is asked for
    it); 404 wherever the path names a record, and on a list asked for a page it does not have; 400 for writes
    and wherever the query string has filters; 415 for a body in a format the endpoint does not read; 403 and
    409 for the writes of a signed-in user, and 403 wherever the endpoint is closed to some roles. An endpoint's
    own description of one of these codes is kept, and gets the shape if it had none."""

    WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        from childprotect.api.errors import (
            CLOSED_TO_ROLE,
            INVALID,
            NO_SUCH_PAGE,
            NOT_ALLOWED,
            NOT_AUTHENTICATED,
            NOT_FOUND,
            REFUSED,
            THROTTLED,
            UNSUPPORTED_MEDIA_TYPE,
        )

        responses: dict[str, Any] = super()._get_response_bodies(direction)
        defaults: dict[str, OpenApiResponse] = {}
        query = [p for p in self._get_parameters() if p.get("in") == "query"]
        if self.get_auth():  # the token endpoint is open
            defaults["401"] = NOT_AUTHENTICATED
            if any(permission is not IsAuthenticated for permission in self.view.permission_classes):
                defaults["403"] = CLOSED_TO_ROLE
        if self.view.throttle_classes:
            defaults["429"] = THROTTLED
        if "{" in self.path:
            defaults["404"] = NOT_FOUND
        elif any(p["name"] == "page" for p in query):
            defaults["404"] = NO_SUCH_PAGE
        if query:
            defaults["400"] = INVALID
        if self.method in self.WRITES:
            defaults["400"] = INVALID
            if self._get_request_body():
                defaults["415"] = UNSUPPORTED_MEDIA_TYPE
            if self.get_auth():  # the token endpoint is open: it only says 400
                defaults |= {"403": NOT_ALLOWED, "409": REFUSED}
        for code, default in defaults.items():
            generated = self._get_response_for_code(default, code, direction=direction)
            if code not in responses:
                responses[code] = generated
            elif "content" not in responses[code]:
                responses[code]["content"] = generated["content"]
        return responses

    def _map_serializer_field(self, field: Any, direction: Any, bypass_extensions: bool = False) -> Any:
        """A read-only choice of a model field that may be blank answers `""` when it is: say so (DRF builds
        a read-only field without `allow_blank`, so drf-spectacular would leave `""` out of the enum)."""
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if (
            isinstance(field, serializers.ChoiceField)
            and field.read_only
            and "" not in schema.get("enum", [""])
            and _blank_model_field(field)
        ):
            schema["enum"] = [*schema["enum"], ""]
        return schema


def _blank_model_field(field: Any) -> bool:
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or not field.source or "." in field.source:
        return False
    try:
        return bool(model._meta.get_field(field.source).blank)
    except FieldDoesNotExist:
        return False


def add_error_components(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """POSTPROCESSING_HOOKS: the `ValidationErrors` component that the 400 answers refer to."""
    from childprotect.api.errors import VALIDATION_ERRORS_SCHEMA

    result.setdefault("components", {}).setdefault("schemas", {})["ValidationErrors"] = VALIDATION_ERRORS_SCHEMA
    return result
