from __future__ import annotations

from typing import Any

from rest_framework.authentication import SessionAuthentication
from rest_framework.request import Request


class VerifiedSessionAuthentication(SessionAuthentication):
    """Browser sessions count for the API only once the second factor is done (for roles that need it)."""

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        if user.requires_second_factor and not user.is_verified():
            return None
        return result


# Registers the OpenAPI description of the class above with drf-spectacular (import for its side effect).
from childprotect.api import schema as _schema  # noqa: E402, F401
