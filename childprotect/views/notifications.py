"""The notification list, marking read, and the bell (a link with the unread count, polled by htmx)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from childprotect.http import AuthenticatedHttpRequest
from childprotect.notifications import (
    do_mark_all_read,
    do_mark_read,
    do_set_email_preference,
    email_enabled_for,
    notifications_for,
    unread_count,
)


@login_required
@require_GET
def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = notifications_for(request.user).order_by("-created_at", "-id")
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "childprotect/notifications.html",
        {
            "page": page,
            "unread_count": unread_count(request.user),
            "email_enabled": email_enabled_for(request.user),
            "has_email": bool(request.user.email),
        },
    )


@login_required
@require_POST
def notification_read(request: AuthenticatedHttpRequest, notification_id: int) -> HttpResponse:
    """Mark one read; with `open`, go on to what it is about (a relative link of our own), else back to the list."""
    row = do_mark_read(request.user, notification_id)
    if request.POST.get("open") and row.url and url_has_allowed_host_and_scheme(row.url, allowed_hosts=None):
        return HttpResponseRedirect(row.url)
    return redirect("notifications")


@login_required
@require_POST
def notification_read_all(request: AuthenticatedHttpRequest) -> HttpResponse:
    do_mark_all_read(request.user)
    return redirect("notifications")


@never_cache
@require_GET
def notification_bell(request: HttpRequest) -> HttpResponse:
    """The bell partial alone, for htmx to swap in every minute. Signed out: 286, which tells htmx to stop polling."""
    if not request.user.is_authenticated:
        return HttpResponse(status=286)
    return render(
        request,
        "includes/notification_bell.html",
        {"unread_count": unread_count(request.user), "bell_counted": True},
    )


@login_required
@require_POST
def notification_preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The user's choice about emails (a checkbox: absent means off). In-app notifications always stay."""
    enabled = request.POST.get("email_enabled") == "on"
    do_set_email_preference(request.user, enabled=enabled)
    if enabled:
        messages.success(request, _("Bạn sẽ nhận thông báo qua email (chỉ có số hồ sơ và đường dẫn)."))
    else:
        messages.success(request, _("Đã tắt thông báo qua email; thông báo trong ứng dụng vẫn giữ nguyên."))
    return redirect("notifications")
