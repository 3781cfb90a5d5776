"""The directive list and the directive page (with its tasks grouped by assignment), and the signed file.

Directives reach these views only through `Directive.objects.visible_to(user)` and `access_directive`; the
tasks shown are those `DirectiveTask.objects.visible_to(user)` allows (an agency sees its own tasks of the
directive, not the others').
"""

from __future__ import annotations

from itertools import groupby
from typing import Any
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from childprotect.access import not_found
from childprotect.http import AuthenticatedHttpRequest
from childprotect.models.audit import AuditAction
from childprotect.services import record_audit_event
from directives.access import access_directive, can_change_tasks, can_create_directives, can_edit_directive
from directives.models import Directive, DirectiveTask, TaskStatus
from directives.recurrence import DeadlineRule

PAGE_SIZE = 25


@login_required
@require_GET
def directive_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    directives = (
        Directive.objects.visible_to(request.user)
        .with_task_counts(request.user, timezone.localdate())
        .order_by("-created_at", "-id")
    )
    query = (request.GET.get("q") or "").strip()[:100]
    if query:
        directives = directives.filter(
            Q(subject__icontains=query) | Q(symbol__icontains=query) | Q(number=query) | Q(issuer__icontains=query)
        )
    page = Paginator(directives, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "directives/list.html",
        {
            "page": page,
            "q": query,
            "query": f"q={quote(query)}" if query else "",
            "can_create": can_create_directives(request.user),
        },
    )


def group_tasks(tasks: list[DirectiveTask]) -> list[dict[str, Any]]:
    """Tasks of one directive grouped by assignment (position): each group with its tasks and status counts."""
    groups: list[dict[str, Any]] = []
    for _position, members in groupby(tasks, key=lambda t: t.position):
        items = list(members)
        counts = {status: 0 for status in TaskStatus.values}
        for task in items:
            counts[task.status] += 1  # type: ignore[attr-defined]
        closed = counts[TaskStatus.CANCELLED] + counts[TaskStatus.REASSIGNED]
        first = next((t for t in items if t.cancelled_at is None), items[0])
        groups.append(
            {
                "label": first.item_label,
                "text": first.text,
                "lead_as_written": first.lead_as_written,
                "rule": DeadlineRule.of_task(first).describe(),
                "tasks": items,
                "done": counts[TaskStatus.DONE_ON_TIME] + counts[TaskStatus.DONE_LATE],
                "overdue": counts[TaskStatus.OVERDUE],
                # A cancelled or handed-over task is listed, but the leads counted are those still answering.
                "count": len(items) - closed,
                "closed": closed,
            }
        )
    return groups


@login_required
@require_GET
def directive_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    directive = access_directive(request.user, pk)
    today = timezone.localdate()
    tasks = list(
        DirectiveTask.objects.visible_to(request.user)
        .for_listing(today)
        .filter(directive=directive)
        .order_by("position", "id")
    )
    references = list(directive.references.all())
    linked_ids = {r.implements_id for r in references if r.implements_id}
    visible_links = (
        set(Directive.objects.visible_to(request.user).filter(pk__in=linked_ids).values_list("pk", flat=True))
        if linked_ids
        else set()
    )
    for ref in references:
        ref.visible_link = ref.implements_id in visible_links  # type: ignore[attr-defined]
    implemented_by = list(
        Directive.objects.visible_to(request.user).filter(references__implements=directive).distinct()
    )
    return render(
        request,
        "directives/detail.html",
        {
            "directive": directive,
            "groups": group_tasks(tasks),
            "task_count": len(tasks),
            "references": references,
            "implemented_by": implemented_by,
            "can_edit": can_edit_directive(request.user, directive),
            "can_add_task": can_change_tasks(request.user, directive),
        },
    )


@login_required
@require_GET
def signed_file_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    directive = access_directive(request.user, pk)
    if not directive.signed_file:
        raise not_found()
    record_audit_event(
        actor=request.user,
        action=AuditAction.VIEW,
        target=directive,
        unit_path=directive.unit_path,
        details={"file": "signed"},
    )
    return file_response(
        directive.signed_file, directive.signed_file_type, directive.signed_file_name, f"van-ban-{directive.pk}"
    )


def file_response(stored: Any, content_type: str, original_name: str, fallback_stem: str) -> FileResponse:
    """A private file as a download: an ASCII fallback name of ids, the original name in RFC 6266 form."""
    extension = original_name.rsplit(".", 1)[-1].lower() if "." in original_name else "bin"
    extension = "".join(ch for ch in extension if ch.isascii() and ch.isalnum())[:5] or "bin"
    response = FileResponse(stored.open("rb"), content_type=content_type or "application/octet-stream")
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback_stem}.{extension}\"; filename*=UTF-8''{quote(original_name, safe='')}"
    )
    response["Cache-Control"] = "private, no-store"
    return response
