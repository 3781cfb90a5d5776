"""Import a directive: paste the text → review what the importer proposes → confirm (saves).

- GET `directives/new/`: the paste box.
- POST with `action=parse`: the importer reads the text (nothing is saved) and the review page comes back with
  every proposed field and one form per proposed task, the importer's warnings on top and next to each task.
- POST with `action=confirm`: everything is validated; on success the directive, its tasks (one per lead) and
  their due dates are saved. On any error the page comes back with everything as the officer left it (only the
  signed file must be chosen again), each message next to its field.
- POST `directives/new/check/` (HTMX, on every change of the review form): what is still missing, each
  recurring task's first due dates and, for a directive of an earlier year, the question from when recurring
  deadlines count (directives/review.py). Nothing is saved.
Only province officers import directives; for anyone else these URLs do not exist (404).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from childprotect.access import not_found
from childprotect.errors import refusals_on
from childprotect.http import AuthenticatedHttpRequest
from directives.access import can_create_directives
from directives.forms import DirectiveReviewForm, PasteForm, TaskFormSet, directive_input
from directives.importer import parse_directive
from directives.proposal import Directory, initial_from_proposal
from directives.review import ReviewState, TaskCheck, review_state
from directives.services import do_create_directive

# The fields marked next to themselves when empty (partials/missing_warning.html).
MISSING_SLOTS = ("number", "issued_on", "subject", "signer_name")


def _checks_by_index(state: ReviewState) -> dict[int, TaskCheck]:
    return {check.index: check for check in state.tasks}


def _review(
    request: AuthenticatedHttpRequest, form: DirectiveReviewForm, tasks: Any, notes: list[list[str]]
) -> HttpResponse:
    state = review_state(form, tasks, timezone.localdate())
    checks = _checks_by_index(state)
    rows = [
        {
            "form": task_form,
            "notes": notes[i] if i < len(notes) else [],
            "extra": i >= tasks.initial_form_count(),
            "lead_groups": task_form.choice_groups("leads"),
            "coordinating_groups": task_form.choice_groups("coordinating"),
            "check": checks.get(i),
        }
        for i, task_form in enumerate(tasks.forms)
    ]
    error_count = len(form.errors) + sum(len(f.errors) for f in tasks.forms) + len(tasks.non_form_errors())
    # Links to the tasks that need fixing: the page can be long.
    task_errors = [
        {"anchor": f"task-{i}", "label": f["label"].value() or str(i + 1)}
        for i, f in enumerate(tasks.forms)
        if f.is_bound and f.errors
    ]
    return render(
        request,
        "directives/review.html",
        {
            "form": form,
            "tasks": tasks,
            "task_rows": rows,
            "review": state,
            "error_count": error_count,
            "task_errors": task_errors,
            "missing": state.missing,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def directive_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_create_directives(request.user):
        raise not_found()
    directory = Directory.for_user(request.user)
    action = request.POST.get("action") if request.method == "POST" else None

    if action != "confirm":
        paste = PasteForm(request.POST if action == "parse" else None)
        if action == "parse" and paste.is_valid():
            parsed = parse_directive(paste.cleaned_data["text"], directory.agencies)
            initial = initial_from_proposal(parsed.to_dict(), directory)
            initial["directive"]["full_text"] = paste.cleaned_data["text"]
            initial["directive"]["recurrence_start"] = timezone.localdate()  # asked only for an earlier year's text
            form = DirectiveReviewForm(initial=initial["directive"])
            tasks = TaskFormSet(initial=initial["tasks"], prefix="tasks", directory=directory)
            return _review(request, form, tasks, initial["notes"])
        return render(request, "directives/paste.html", {"form": paste})

    form = DirectiveReviewForm(request.POST, request.FILES)
    tasks = TaskFormSet(request.POST, prefix="tasks", directory=directory)
    notes = [request.POST.getlist(f"tasks-{i}-note") for i in range(len(tasks.forms))]
    if form.is_valid() and tasks.is_valid():
        # The service's errors ("number", "tasks.2.leads", …) go next to their fields.
        with refusals_on(form, rows={"tasks": tasks.kept_forms()}) as refused:
            data = directive_input(form, tasks, timezone.localdate())
            directive = do_create_directive(acting_user=request.user, data=data)
        if not refused:
            count = directive.tasks.count()
            messages.success(
                request,
                _("Đã lưu văn bản %(ref)s với %(n)s nhiệm vụ.") % {"ref": directive.reference, "n": count},
            )
            return redirect("directives:detail", pk=directive.pk)
    # The page again, as the officer left it, with each error next to its field (200, as every form page).
    return _review(request, form, tasks, notes)


@login_required
@require_POST
def directive_review_check(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The review form as it stands → its warnings, due dates and recurrence question (nothing saved)."""
    if not can_create_directives(request.user):
        raise not_found()
    form = DirectiveReviewForm(request.POST)
    tasks = TaskFormSet(request.POST, prefix="tasks", directory=Directory.for_user(request.user))
    state = review_state(form, tasks, timezone.localdate())
    checks = _checks_by_index(state)
    return render(
        request,
        "directives/partials/review_live.html",
        {
            "form": form,
            "review": state,
            "missing": state.missing,
            "missing_slots": MISSING_SLOTS,
            "task_rows": [{"index": i, "check": checks.get(i)} for i in range(len(tasks.forms))],
            "recurrence_box_changed": bool(request.POST.get("recurrence_asked")) != state.ask_recurrence_start,
        },
    )
