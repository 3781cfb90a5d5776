"""The 500 handler (handler500), for pages and the API alike: a database that is down (PostgreSQL restarting, the
pool's wait for a connection running out) answers 503 with Retry-After, a page that says so and that nothing is
wrong with what the user did; every other error answers 500 with the site's 500 page. Under /api/ the body is the
API's one error shape (childprotect/api/errors.py): `{"detail": "…", "code": "database_unavailable"}` or
`"server_error"` — DRF's handler leaves these errors to Django, so they arrive here. Either way nothing is
half-written: each write is one transaction. Django calls this inside the except clause of the failed request, so
sys.exc_info() is its error."""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token

RETRY_AFTER_SECONDS = 30
UNAVAILABLE = "database_unavailable"


def database_unavailable(error: BaseException | None) -> bool:
    return isinstance(error, OperationalError | InterfaceError)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    error = sys.exc_info()[1]
    unavailable = database_unavailable(error)
    status = 503 if unavailable else 500
    if unavailable:
        connection.close()  # hand a broken connection back; the pool checks it before lending it again
    if request.path.startswith("/api/"):
        body = (
            {"detail": _("Cơ sở dữ liệu tạm thời không truy cập được; hãy thử lại sau ít phút."), "code": UNAVAILABLE}
            if unavailable
            else {"detail": _("Lỗi hệ thống."), "code": "server_error"}
        )
        response: HttpResponse = JsonResponse(body, status=status)
    else:
        page = loader.get_template("500.html").render({"database_unavailable": unavailable})
        response = HttpResponse(page, status=status)
    if unavailable:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 404 handler (handler404): under /api/ the API's one error shape (childprotect/api/errors.py), so that an
    address no route matches (`/api/v1/cases/abc/`) answers like a record that does not exist; the site's page
    elsewhere."""
    if request.path.startswith("/api/"):
        from childprotect.api.errors import api_not_found

        return api_not_found(request, exception)
    return defaults.page_not_found(request, exception)
