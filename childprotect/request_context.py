"""Where the current request came from, for audit rows written deep inside services.

Services take `acting_user` explicitly but not the request; the address and browser of the request are
recorded by this middleware in a context variable, so every audit row carries "from where" without every
service signature growing a request argument. Outside a request (Celery, management commands) it is empty.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse

from childprotect.client_address import client_address


@dataclass(frozen=True)
class RequestOrigin:
    ip_address: str | None = None
    user_agent: str = ""


_NO_REQUEST = RequestOrigin()
_current_origin: contextvars.ContextVar[RequestOrigin | None] = contextvars.ContextVar(
    "childprotect_request_origin", default=None
)


def current_origin() -> RequestOrigin:
    return _current_origin.get() or _NO_REQUEST


def origin_of(request: HttpRequest) -> RequestOrigin:
    return RequestOrigin(
        ip_address=client_address(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
    )


class RequestOriginMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current_origin.set(origin_of(request))
        try:
            return self.get_response(request)
        finally:
            _current_origin.reset(token)
