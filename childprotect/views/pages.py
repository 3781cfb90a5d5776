"""Home per role, the user directory, the audit log browser, the language switch. Every record goes through
childprotect.access."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views import i18n
from django.views.decorators.http import require_POST

from childprotect.access import (
    access_audit_event,
    access_user,
    can_browse_audit_log,
    jurisdiction_path,
)
from childprotect.filters import AuditEventFilter
from childprotect.home import children_shown, home_panels, todo_groups
from childprotect.http import AuthenticatedHttpRequest
from childprotect.models import AuditEvent, User
from childprotect.models.audit import AuditAction
from childprotect.services import do_set_language, record_audit_event, record_list_read


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    todo = todo_groups(request.user)
    # The to-do groups name children (overdue steps with the child's name, referrals' case numbers): one audit row
    # for the page, saying which groups showed how many; none when no child is shown.
    if shown := children_shown(todo):
        record_list_read(
            actor=request.user, list_name="home", params={}, allowed=(), rows=sum(shown.values()), panels=shown
        )
    return render(
        request,
        "childprotect/home.html",
        {"todo": todo, "panels": home_panels(request.user), "today": timezone.localdate()},
    )


@login_required
def user_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    users = User.objects.visible_to(request.user).select_related("unit", "agency").order_by("username")
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(request, "childprotect/user_list.html", {"page": page})


@login_required
def user_detail(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    shown = access_user(request.user, user_id)
    record_audit_event(
        actor=request.user,
        action=AuditAction.VIEW,
        target=shown,
        unit_path=shown.unit.path if shown.unit is not None else "",
    )
    return render(request, "childprotect/user_detail.html", {"shown": shown})


def _require_audit_reader(request: AuthenticatedHttpRequest) -> None:
    # Same 404 as everywhere: the audit log's existence is not advertised to other roles.
    if not can_browse_audit_log(request.user) or jurisdiction_path(request.user) is None:
        raise Http404


@login_required
def audit_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_audit_reader(request)
    filterset = AuditEventFilter(request.GET or None, queryset=AuditEvent.objects.visible_to(request.user))
    events = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    page = Paginator(events.order_by("-at", "-id"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context: dict[str, Any] = {"filter": filterset, "page": page, "query": query.urlencode()}
    refused = filterset.is_bound and not filterset.is_valid()
    return render(request, "childprotect/audit_log.html", context, status=400 if refused else 200)


@login_required
def audit_event_detail(request: AuthenticatedHttpRequest, event_id: int) -> HttpResponse:
    _require_audit_reader(request)
    event = access_audit_event(request.user, event_id)
    details_json = json.dumps(event.details, indent=2, ensure_ascii=False, sort_keys=True, default=str)
    return render(request, "childprotect/audit_event.html", {"event": event, "details_json": details_json})


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch; for a signed-in user the choice is also remembered, so that the emails of their
    notifications are written in it."""
    response = i18n.set_language(request)
    if request.user.is_authenticated:
        do_set_language(request.user, language=request.POST.get("language", ""))
    return response
