"""What applies to every page: the language a page speaks, the TOTP second factor, the idle-session timeout, and
the site's own 404 page under DEBUG."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.defaults import page_not_found


class UserLanguageMiddleware:
    """The language of a page (in place of Django's LocaleMiddleware, which follows the browser's Accept-Language).

    Pages speak Vietnamese to everyone until they choose English: a signed-in user gets the language stored on their
    account (`User.language`, saved by the switcher, so it follows them to a new browser); otherwise the switcher's
    cookie; otherwise LANGUAGE_CODE. The browser's language is not asked: officials' laptops are often set to English
    though their users read Vietnamese. The API keeps Django's rule (cookie, then `Accept-Language: en`), as its
    schema documents. Placed after AuthenticationMiddleware, so that it can read the user.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        translation.activate(self.language_for(request))
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",) if not request.path.startswith("/api/") else ("Accept-Language",))
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response

    @staticmethod
    def language_for(request: HttpRequest) -> str:
        if request.path.startswith("/api/"):
            return translation.get_language_from_request(request)
        user = getattr(request, "user", None)
        chosen = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        chosen = chosen or request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if chosen:
            try:
                return translation.get_supported_language_variant(chosen)
            except LookupError:
                pass
        return settings.LANGUAGE_CODE


class SiteNotFoundPageMiddleware:
    """Under DEBUG (`make run`), a page that does not exist or is not the user's shows the site's own 404 page —
    Vietnamese, with a way home — instead of Django's technical page, which lists every URL pattern. Outside DEBUG
    Django already renders templates/404.html; the API answers its own JSON 404 either way.

    An unknown address never reaches a view (no `resolver_match`); a view's 404 arrives as Http404.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and getattr(request, "resolver_match", None) is None
            and not _is_api(request)
        ):
            return page_not_found(request, Http404())
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if settings.DEBUG and isinstance(exception, Http404) and not _is_api(request):
            return page_not_found(request, exception)
        return None


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


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
