"""Task pages: the task list ("my agency's tasks" for leads, every task of the province for its officers), the
task page with its due dates, reports and the report form, and the officers' accept / return actions.

Reads go through `DirectiveTask.objects.visible_to(user)` and the access_* fetchers: a task of another agency
or province is the same 404 as one that does not exist. Reporting needs the lead (`access_task(for_report=True)`),
reviewing a province officer of the task's province (`access_report(for_review=True)`).
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from childprotect.access import not_found
from childprotect.errors import refusals_on
from childprotect.http import AuthenticatedHttpRequest
from childprotect.models.audit import AuditAction
from childprotect.notifications import do_mark_read_on_open
from childprotect.roles import Role
from childprotect.services import record_audit_event
from directives.access import access_report, access_task, can_change_tasks, can_report_on, can_review
from directives.filter_words import task_filter_line
from directives.filters import DirectiveTaskFilter
from directives.forms import ReportForm, ReturnForm
from directives.models import DirectiveTask, TaskOccurrence, TaskReport, TaskStatus
from directives.proposal import Directory
from directives.recurrence import DeadlineRule
from directives.services import do_accept_report, do_report_task, do_return_report
from directives.status import occurrence_status
from directives.views.browse import file_response

PAGE_SIZE = 25


def _filter_form_choices(filterset: DirectiveTaskFilter, user: Any) -> None:
    """Province officers pick the lead from their directory. Everyone else gets no lead or review field to pick
    from, but a link that narrows by them (the board's figures) still narrows: the form carries them hidden."""
    form = filterset.form
    if user.role in (Role.PROVINCE_OFFICER,):
        directory = Directory.for_user(user)
        form.fields["agency"].label = _("Cơ quan chủ trì")
        form.fields["commune"].label = _("Xã, phường chủ trì")
        form.fields["agency"].widget = forms.Select(
            choices=[("", _("Tất cả")), *[(a.code, a.name) for a in directory.agencies]]
        )
        form.fields["commune"].widget = forms.Select(
            choices=[("", _("Tất cả")), *[(c.code, c.full_name) for c in directory.communes]]
        )
    else:
        for name in ("agency", "commune", "review"):
            form.fields[name].widget = forms.HiddenInput()


def _task_list(request: AuthenticatedHttpRequest, *, mine: bool) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    visible = DirectiveTask.objects.visible_to(user).for_listing(today)
    data = request.GET.copy()
    if mine:
        data["mine"] = "true"
    filterset = DirectiveTaskFilter(data, queryset=visible, request=request)
    _filter_form_choices(filterset, user)
    tasks = filterset.qs if filterset.is_valid() else visible
    tasks = tasks.order_by("-directive__created_at", "directive_id", "position", "id")
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = dict(
        DirectiveTask.objects.visible_to(user)
        .with_status(today)
        .order_by()
        .values_list("status")  # type: ignore[misc] # `status` is annotated by with_status(), not a field
        .annotate(n=Count("pk"))
    )
    query = request.GET.copy()
    query.pop("page", None)
    url = reverse("directives:my-tasks" if mine else "directives:tasks")
    return render(
        request,
        "directives/tasks.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "mine": mine,
            "list_url": url,
            "status_counts": [
                {"value": value, "label": label, "n": counts.get(value, 0)} for value, label in TaskStatus.choices
            ],
            # A lead following a board figure of a task it coordinates sees whose task it is (the lead is hidden).
            "show_lead": (user.role in (Role.PROVINCE_OFFICER, Role.ADMIN, Role.NATIONAL_OFFICER) and not mine)
            or bool(request.GET.get("agency") or request.GET.get("commune")),
            # What the list is narrowed to, in words: the board's links set filters the form does not show.
            "filter_line": task_filter_line(filterset, user, url, request.GET),
        },
    )


@login_required
@require_GET
def task_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _task_list(request, mine=False)


@login_required
@require_GET
def my_tasks(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _task_list(request, mine=True)


def _occurrence_rows(task: DirectiveTask, today: datetime.date) -> list[TaskOccurrence]:
    occurrences = list(task.occurrences.all().order_by("due_on", "pk"))
    undated = [o for o in occurrences if o.due_on is None]
    occurrences = [o for o in occurrences if o.due_on is not None] + undated
    for occ in occurrences:
        occ.status = occurrence_status(  # type: ignore[attr-defined]
            due_on=occ.due_on,
            completed_on=occ.completed_on,
            has_report=occ.first_report_at is not None,
            today=today,
            cancelled=occ.cancelled_on is not None,
        )
        occ.label = (  # type: ignore[attr-defined]
            _("Hạn %(date)s") % {"date": occ.due_on.strftime("%d/%m/%Y")} if occ.due_on else _("Không có hạn cụ thể")
        )
    return occurrences


def task_page_context(
    request: AuthenticatedHttpRequest,
    task: DirectiveTask,
    *,
    report_form: ReportForm | None = None,
    return_forms: dict[int, ReturnForm] | None = None,
) -> dict[str, Any]:
    user = request.user
    today = timezone.localdate()
    occurrences = _occurrence_rows(task, today)
    reports = list(task.reports.select_related("author", "reviewed_by").order_by("submitted_at", "id"))
    by_occurrence: dict[int, list[TaskReport]] = {}
    for report in reports:
        by_occurrence.setdefault(report.occurrence_id, []).append(report)
    for occ in occurrences:
        occ.report_list = by_occurrence.get(occ.pk, [])  # type: ignore[attr-defined]
    open_occurrences = [o for o in occurrences if o.completed_on is None and o.cancelled_on is None]
    may_report = can_report_on(user, task) and not task.is_closed
    may_review = can_review(user, task)
    return_forms = return_forms or {}
    for report in reports:
        report.return_form = return_forms.get(report.pk) or ReturnForm(prefix=f"r{report.pk}")  # type: ignore[attr-defined]
    from directives.status import task_status

    replaced_by = task.replaced_by if task.replaced_by_id else None
    return {
        "task": task,
        "directive": task.directive,
        "rule": DeadlineRule.of_task(task).describe(),
        "status": task_status(
            [o.status for o in occurrences],  # type: ignore[attr-defined]
            cancelled=task.cancelled_at is not None,
            reassigned=replaced_by is not None,
        ),
        "replaced_by": replaced_by,
        "replaced_by_visible": replaced_by is not None
        and DirectiveTask.objects.visible_to(user).filter(pk=replaced_by.pk).exists(),
        "changes": list(task.changes.select_related("changed_by", "order_directive").order_by("changed_at", "id")),
        "officer_view": (officer_view := can_change_tasks(user, task.directive)),
        "can_change": officer_view and not task.is_closed,
        "occurrences": occurrences,
        "coordinating": list(task.coordinating.all()),
        "may_report": may_report and bool(open_occurrences),
        "all_done": may_report and not open_occurrences,
        "may_review": may_review,
        "report_form": report_form
        or (ReportForm(occurrences=open_occurrences) if may_report and open_occurrences else None),
        "report_count": len(reports),
    }


@login_required
@require_GET
def task_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = access_task(request.user, pk)
    do_mark_read_on_open(request.user, request.path, task)
    return render(request, "directives/task_detail.html", task_page_context(request, task))


@login_required
@require_POST
def task_report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = access_task(request.user, pk, for_report=True)
    rows = _occurrence_rows(task, timezone.localdate())
    open_occurrences = [o for o in rows if o.completed_on is None and o.cancelled_on is None]
    form = ReportForm(request.POST, request.FILES, occurrences=open_occurrences)
    if form.is_valid():
        occurrence = next((o for o in open_occurrences if o.pk == form.cleaned_data["occurrence"]), None)
        with refusals_on(form) as refused:
            report = do_report_task(
                acting_user=request.user,
                task=task,
                text=form.cleaned_data["text"],
                completes=form.cleaned_data["completes"],
                occurrence=occurrence,
                attachment=form.cleaned_data.get("attachment"),
            )
        if not refused:
            messages.success(
                request,
                _("Đã gửi báo cáo hoàn thành. Cán bộ cấp tỉnh sẽ xem xét.")
                if report.completes
                else _("Đã gửi báo cáo tiến độ."),
            )
            return redirect(reverse("directives:task", args=[task.pk]) + "#reports")
    context = task_page_context(request, task, report_form=form)
    return render(request, "directives/task_detail.html", context)


@login_required
@require_POST
def report_accept(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponse:
    report = access_report(request.user, report_id, for_review=True)
    with refusals_on(request=request) as refused:
        do_accept_report(acting_user=request.user, report=report)
    if not refused:
        messages.success(request, _("Đã chấp nhận báo cáo."))
    return redirect(reverse("directives:task", args=[report.task_id]) + "#reports")


@login_required
@require_POST
def report_return(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponse:
    report = access_report(request.user, report_id, for_review=True)
    form = ReturnForm(request.POST, prefix=f"r{report.pk}")
    if form.is_valid():
        with refusals_on(form, request=request) as refused:
            do_return_report(acting_user=request.user, report=report, reason=form.cleaned_data["reason"])
        if not refused:
            messages.success(request, _("Đã trả lại báo cáo để đơn vị bổ sung."))
        if not refused or refused.of_step:
            return redirect(reverse("directives:task", args=[report.task_id]) + "#reports")
    task = access_task(request.user, report.task_id)
    context = task_page_context(request, task, return_forms={report.pk: form})
    return render(request, "directives/task_detail.html", context)


@login_required
@require_GET
def report_attachment(request: AuthenticatedHttpRequest, report_id: int) -> FileResponse:
    report = access_report(request.user, report_id)
    if not report.attachment:
        raise not_found()
    record_audit_event(
        actor=request.user,
        action=AuditAction.VIEW,
        target=report,
        unit_path=report.task.unit_path,
        details={"task_id": report.task_id, "file": "report"},
    )
    return file_response(report.attachment, report.attachment_type, report.attachment_name, f"bao-cao-{report.pk}")
