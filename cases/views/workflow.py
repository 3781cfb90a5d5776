"""The procedure's pages: the actions panel of the case page, one POST endpoint per action, and the plan page.

Every view starts from `access_case(user, id, for_write=True)` (404 for anyone who does not work the case) and
writes only through cases/services/workflow.py. On any refusal the form comes back with what the user typed:
field errors next to the fields, rule and version-conflict messages on top. After a version conflict the form
carries the current version, so the user can check the case and send the same input again on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.access import access_case, is_case_worker
from cases.forms.workflow import PlanForm, PlanItemForm, PlanItemFormSet, WorkflowForm, agencies_for
from cases.models import Case
from cases.querysets import current_plan
from cases.services import workflow as wf
from cases.steps import SAVE_PLAN, STEPS, Step, StepRole, available_actions
from childprotect.access import not_found
from childprotect.errors import refusals_on
from childprotect.http import AuthenticatedHttpRequest
from childprotect.models import User

PLAN_PREFIX = "items"


@dataclass
class WorkflowAction:
    name: str
    label: str
    form: WorkflowForm
    url: str
    chair_only: bool

    @property
    def has_fields(self) -> bool:
        return bool(self.form.visible_fields())


def _action(step: Step, form: WorkflowForm, case: Case) -> WorkflowAction:
    return WorkflowAction(
        name=step.action,
        label=str(step.label),
        form=form,
        url=reverse("cases:workflow-action", args=[case.pk, step.action]),
        chair_only=step.role == StepRole.CHAIR,
    )


def _form(step: Step, user: User, case: Case, data: QueryDict | None = None) -> WorkflowForm:
    form: WorkflowForm = step.form(data, user=user, case=case, action=step.action)
    return form


def workflow_context(user: User, case: Case) -> dict[str, Any]:
    """What the case page's actions panel shows this user now: each available action with its empty form, and
    the plan page link. Read-only viewers (province officers, admins) get no actions."""
    names = available_actions(user, case)
    worker = is_case_worker(user, case)
    plan = current_plan(case) if worker else None
    return {
        "actions": [
            _action(STEPS[name], _form(STEPS[name], user, case), case) for name in names if not STEPS[name].own_page
        ],
        "can_edit_plan": SAVE_PLAN in names,
        "plan": plan,
        "plan_url": reverse("cases:plan", args=[case.pk]) if worker and (plan or SAVE_PLAN in names) else "",
    }


def _case_page(case: Case) -> str:
    return reverse("cases:detail", args=[case.pk]) + "#workflow"


def _with_version(data: QueryDict, version: int, field: str = "version") -> QueryDict:
    """What the user posted, now based on the case's current version: after a version conflict the form comes
    back like this, so the user can check the case and send the same input again on purpose."""
    data = data.copy()
    data[field] = str(version)
    return data


def _again_from(form: Any) -> Any:
    form.is_valid()
    return form


@login_required
@require_POST
def workflow_action(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    case = access_case(request.user, pk, for_write=True)
    step = STEPS.get(action)
    if step is None or step.own_page:
        raise not_found()
    form = _form(step, request.user, case, request.POST)
    status = 400
    if form.is_valid():
        with refusals_on(form) as refused:
            step.service(
                acting_user=request.user,
                case=case,
                expected_version=form.cleaned_data["version"],
                **form.service_kwargs(),
            )
        if not refused:
            messages.success(request, _("Đã thực hiện: %(action)s.") % {"action": step.label})
            return redirect(_case_page(case))
        case.refresh_from_db()
        status = refused.status
        if refused.conflict:
            form = _again_from(_form(step, request.user, case, _with_version(request.POST, case.version)))
            refused.show_on(form)
    return render(
        request,
        "cases/workflow/action.html",
        {"case": case, "action": _action(step, form, case), "case_url": _case_page(case)},
        status=status,
    )


# --- The plan page -----------------------------------------------------------------------------------------------


def _item_initial(item: Any) -> dict[str, Any]:
    return {
        "service": item.service,
        "level": item.level,
        "measure_code": item.measure_code,
        "responsible_agency": item.responsible_agency_id,
        "responsible_person": item.responsible_person,
        "start_date": item.start_date,
        "expected_end_date": item.expected_end_date,
        "estimated_cost_vnd": item.estimated_cost_vnd,
    }


def _rows_as_posted(data: QueryDict, *, add: bool) -> list[dict[str, Any]]:
    """The rows the user typed (minus those marked for removal), as initial data: adding a row re-renders the
    page without validating anything yet."""
    try:
        total = min(int(data.get(f"{PLAN_PREFIX}-TOTAL_FORMS", "0")), 200)
    except ValueError:
        total = 0
    rows: list[dict[str, Any]] = []
    for index in range(total):
        prefix = f"{PLAN_PREFIX}-{index}-"
        if data.get(prefix + "DELETE"):
            continue
        rows.append({name: data.get(prefix + name, "") for name in PlanItemForm.base_fields})
    if add or not rows:
        rows.append({"estimated_cost_vnd": 0})
    return rows


def _unbound_formset(rows: list[dict[str, Any]], agencies: Any) -> Any:
    return PlanItemFormSet(initial=rows, prefix=PLAN_PREFIX, form_kwargs={"agencies": agencies})


@login_required
@require_http_methods(["GET", "POST"])
def plan_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Edit the draft plan of the current cycle (rows added with "Thêm dòng", removed with their checkbox), save
    it, or save and submit it for approval."""
    case = access_case(request.user, pk, for_write=True)
    plan = current_plan(case)
    editable = SAVE_PLAN in available_actions(request.user, case)
    agencies = agencies_for(case)
    status = 200
    if request.method == "POST" and editable and "add_row" in request.POST:
        plan_form = PlanForm(initial={"version": request.POST.get("version"), "goals": request.POST.get("goals", "")})
        formset = _unbound_formset(_rows_as_posted(request.POST, add=True), agencies)
    elif request.method == "POST" and editable:
        plan_form = PlanForm(request.POST)
        formset = PlanItemFormSet(request.POST, prefix=PLAN_PREFIX, form_kwargs={"agencies": agencies})
        status = 400
        if plan_form.is_valid() and formset.is_valid():
            kept = [form for form in formset.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
            with refusals_on(plan_form, rows={"items": kept}) as refused, transaction.atomic():
                wf.do_save_plan(
                    acting_user=request.user,
                    case=case,
                    expected_version=plan_form.cleaned_data["version"],
                    items=[form.as_input() for form in kept],
                    goals=plan_form.cleaned_data["goals"],
                )
                if "submit" in request.POST:
                    wf.do_submit_plan(acting_user=request.user, case=case, expected_version=case.version)
            if refused:
                case.refresh_from_db()
                status = refused.status
                if refused.conflict:
                    plan_form = _again_from(PlanForm(_with_version(request.POST, case.version)))
                    refused.show_on(plan_form)
            else:
                if "submit" in request.POST:
                    messages.success(request, _("Đã trình kế hoạch để Chủ tịch UBND xã phê duyệt."))
                    return redirect(_case_page(case))
                messages.success(request, _("Đã lưu dự thảo kế hoạch."))
                return redirect(reverse("cases:plan", args=[case.pk]))
    else:
        if request.method == "POST":
            messages.error(request, _("Kế hoạch hiện không sửa được ở bước này của hồ sơ."))
            status = 400
        plan_form = PlanForm(initial={"version": case.version, "goals": plan.goals if plan else ""})
        rows = [_item_initial(item) for item in plan.items.all()] if plan else []
        formset = _unbound_formset(rows or [{"estimated_cost_vnd": 0}], agencies)
    return render(
        request,
        "cases/plan.html",
        {
            "case": case,
            "plan": plan,
            "items": list(plan.items.select_related("responsible_agency")) if plan else [],
            "editable": editable,
            "plan_form": plan_form,
            "formset": formset,
            "case_url": _case_page(case),
        },
        status=status,
    )
