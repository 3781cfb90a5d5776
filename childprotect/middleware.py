"""Login hardening that applies to every page: the TOTP second factor and the idle-session timeout."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# Paths a half-logged-in user (password given, second factor not yet) may still reach.
_SECOND_FACTOR_EXEMPT_PREFIXES = ("/static/", "/healthz", "/i18n/", "/api/")


class RequireSecondFactorMiddleware:
    """Roles in OTP_REQUIRED_ROLES must verify a TOTP code (or enrol one) before any page.

    The API is exempt here because its session authentication refuses unverified sessions itself
    (childprotect/api/authentication.py) and tokens are only issued after the second factor.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and user.requires_second_factor
            and not user.is_verified()
            and not request.path.startswith(_SECOND_FACTOR_EXEMPT_PREFIXES)
        ):
            allowed = {reverse("otp-verify"), reverse("otp-setup"), reverse("logout")}
            if request.path not in allowed:
                return redirect(f"{reverse('otp-verify')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


@functools.cache
def _background_paths() -> frozenset[str]:
    return frozenset({reverse("notification-bell")})


class IdleSessionTimeoutMiddleware:
    """Log out a session left idle longer than SESSION_IDLE_TIMEOUT_SECONDS (shared office computers).

    SESSION_COOKIE_AGE bounds a login absolutely; this bounds the time between two requests.
    """

    SESSION_KEY = "_last_activity"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            last = request.session.get(self.SESSION_KEY)
            if last is not None and now - int(last) > settings.SESSION_IDLE_TIMEOUT_SECONDS:
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                return redirect(f"{reverse('login')}?{urlencode({'next': request.get_full_path(), 'expired': 1})}")
            # Write at most once a minute: saving the session on every request costs a query each time. Requests
            # a page makes by itself (the notification bell's polling) are not the user's activity.
            if request.path in _background_paths():
                return self.get_response(request)
            if last is None or now - int(last) >= 60:
                request.session[self.SESSION_KEY] = now
        return self.get_response(request)
