"""The schema class of the API (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]): every operation documents the error
answers it can give, in their one shape (childprotect/api/errors.py)."""

from __future__ import annotations

from typing import Any

import drf_spectacular.openapi
from drf_spectacular.utils import OpenApiResponse


class AutoSchema(drf_spectacular.openapi.AutoSchema):
    """Every operation documents the error answers it can give (childprotect/api/errors.py), with their shape:
    401 wherever a caller must be signed in (a token is checked first, so a request without one is asked for
    it); 404 wherever the path names a record; 400 for writes, and 403 and 409 for those of a signed-in user. An
    endpoint's own description of one of these codes is kept, and gets the shape if it had none."""

    WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        from childprotect.api.errors import INVALID, NOT_ALLOWED, NOT_AUTHENTICATED, NOT_FOUND, REFUSED

        responses: dict[str, Any] = super()._get_response_bodies(direction)
        defaults: dict[str, OpenApiResponse] = {}
        if self.get_auth():  # the token endpoint is open
            defaults["401"] = NOT_AUTHENTICATED
        if "{" in self.path:
            defaults["404"] = NOT_FOUND
        if self.method in self.WRITES:
            defaults["400"] = INVALID
            if self.get_auth():  # the token endpoint is open: it only says 400
                defaults |= {"403": NOT_ALLOWED, "409": REFUSED}
        for code, default in defaults.items():
            generated = self._get_response_for_code(default, code, direction=direction)
            if code not in responses:
                responses[code] = generated
            elif "content" not in responses[code]:
                responses[code]["content"] = generated["content"]
        return responses


def add_error_components(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """POSTPROCESSING_HOOKS: the `ValidationErrors` component that the 400 answers refer to."""
    from childprotect.api.errors import VALIDATION_ERRORS_SCHEMA

    result.setdefault("components", {}).setdefault("schemas", {})["ValidationErrors"] = VALIDATION_ERRORS_SCHEMA
    return result
