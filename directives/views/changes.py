"""Changing a saved directive's tasks (services/changes.py): add an assignment (`directives/<id>/tasks/new/`),
hand a task to another lead (`tasks/<id>/reassign/`), give it a new deadline (`tasks/<id>/redate/`) or cancel
it (`tasks/<id>/cancel/`), each with the follow-up document and a reason.

Only the province officers of the directive's province: for anyone else these pages do not exist (404, as for
a task they cannot see). Each form carries the version the officer saw; a stale one is refused with 409 and the
page again, everything typed kept and the task as it is now on top. A task already cancelled or handed over
sends the officer back to its page with the reason.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from childprotect.errors import refusals_on
from childprotect.http import AuthenticatedHttpRequest
from directives.access import access_directive, access_task
from directives.forms import AddTaskForm, CancelForm, ChangeOrderForm, ReassignForm, RedateForm
from directives.models import Directive, DirectiveTask, TaskOccurrence
from directives.proposal import Directory
from directives.recurrence import DeadlineRule
from directives.services import do_add_task, do_cancel_task, do_reassign_task, do_redate_task

# Which change each page makes: its title and the message once done.
TITLES = {
    "reassign": gettext_lazy("Giao nhiệm vụ cho đơn vị khác"),
    "redate": gettext_lazy("Đổi thời hạn nhiệm vụ"),
    "cancel": gettext_lazy("Hủy nhiệm vụ"),
}


def _with_version(data: QueryDict, version: int) -> QueryDict:
    data = data.copy()
    data["version"] = str(version)
    return data


def _render(
    request: AuthenticatedHttpRequest, task: DirectiveTask, kind: str, form: ChangeOrderForm, status: int = 200
) -> HttpResponse:
    open_dues = list(
        TaskOccurrence.objects.open().filter(task=task).order_by("due_on").values_list("due_on", flat=True)[:6]
    )
    return render(
        request,
        "directives/task_change.html",
        {
            "task": task,
            "directive": task.directive,
            "kind": kind,
            "title": TITLES[kind],
            "form": form,
            "rule": DeadlineRule.of_task(task).describe(),
            "open_dues": open_dues,
        },
        status=status,
    )


def _change(request: AuthenticatedHttpRequest, pk: int, kind: str) -> HttpResponse:
    task = access_task(request.user, pk, for_change=True)
    if task.is_closed:
        messages.error(request, _("Nhiệm vụ này đã được hủy hoặc giao lại: không thay đổi được nữa."))
        return redirect("directives:task", pk=task.pk)

    def make(data: Any = None) -> ChangeOrderForm:
        if kind == "reassign":
            return ReassignForm(data, directory=Directory.for_user(request.user), initial={"version": task.version})
        if kind == "redate":
            initial = {
                "version": task.version,
                "deadline_kind": task.deadline_kind if task.deadline_kind != "none" else "",
                "deadline_date": task.deadline_date,
                "frequency": task.frequency,
                "deadline_day": task.deadline_day,
                "deadline_month": task.deadline_month,
            }
            return RedateForm(data, initial=initial)
        return CancelForm(data, initial={"version": task.version})

    if request.method == "GET":
        return _render(request, task, kind, make())
    form = make(request.POST)
    if not form.is_valid():
        return _render(request, task, kind, form, status=400)
    common = {"acting_user": request.user, "task": task, "expected_version": form.cleaned_data["version"]}
    with refusals_on(form) as refused:
        if isinstance(form, ReassignForm):
            result = do_reassign_task(**common, lead=form.lead_choice(), order=form.order())
        elif isinstance(form, RedateForm):
            result = do_redate_task(
                **common, rule=form.rule(), order=form.order(), effective_from=form.cleaned_data.get("effective_from")
            )
        else:
            result = do_cancel_task(**common, order=form.order())
    if refused:
        if refused.conflict:  # the task as it is now, and the form with its version: everything typed kept
            task = access_task(request.user, pk, for_change=True)
            form = make(_with_version(request.POST, task.version))
            form.is_valid()
            refused.show_on(form)
        return _render(request, task, kind, form, status=refused.status)
    done = {
        "reassign": _("Đã giao nhiệm vụ cho %(lead)s.") % {"lead": result.lead_name},
        "redate": _("Đã đổi thời hạn: %(rule)s.") % {"rule": DeadlineRule.of_task(result).describe()},
        "cancel": _("Đã hủy nhiệm vụ."),
    }[kind]
    messages.success(request, done)
    return redirect("directives:task", pk=result.pk)


@login_required
@require_http_methods(["GET", "POST"])
def task_reassign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _change(request, pk, "reassign")


@login_required
@require_http_methods(["GET", "POST"])
def task_redate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _change(request, pk, "redate")


@login_required
@require_http_methods(["GET", "POST"])
def task_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _change(request, pk, "cancel")


def _render_add(
    request: AuthenticatedHttpRequest, directive: Directive, form: AddTaskForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "directives/task_add.html",
        {
            "directive": directive,
            "form": form,
            "lead_groups": form.choice_groups("leads"),
            "coordinating_groups": form.choice_groups("coordinating"),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    directive = access_directive(request.user, pk, for_change=True)
    directory = Directory.for_user(request.user)
    if request.method == "GET":
        return _render_add(request, directive, AddTaskForm(directory=directory, initial={"version": directive.version}))
    form = AddTaskForm(request.POST, directory=directory)
    if not form.is_valid():
        return _render_add(request, directive, form, status=400)
    with refusals_on(form) as refused:
        tasks = do_add_task(
            acting_user=request.user,
            directive=directive,
            expected_version=form.cleaned_data["version"],
            task=form.to_input(),
            order=form.order(),
            today=timezone.localdate(),
        )
    if refused:
        if refused.conflict:  # the form again with the directive's current version: everything typed kept
            directive = access_directive(request.user, pk, for_change=True)
            form = AddTaskForm(_with_version(request.POST, directive.version), directory=directory)
            form.is_valid()
            refused.show_on(form)
        return _render_add(request, directive, form, status=refused.status)
    messages.success(request, _("Đã thêm nhiệm vụ cho %(n)s đơn vị.") % {"n": len(tasks)})
    return redirect("directives:detail", pk=directive.pk)
