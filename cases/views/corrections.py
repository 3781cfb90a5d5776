"""Correcting the case file after receipt, and assigning the case: the pages.

`correction_page`: one record's correctable fields (cases/corrections.py) with their current values and a
required reason; what changed goes to cases/services/corrections.py. `caregiver_add`: a caregiver found later.
`assign_case`: the chair or an officer sets the responsible officer (cases/services/assignment.py). Every page
fetches the case through `access_case(for_write=True)` (404 for outsiders), the reporter's record only for those
who may see it. A refusal keeps what the person typed; a version conflict shows the form again on the current
version, so nothing is overwritten silently.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.access import access_case, can_see_reporter
from cases.corrections import RECORDS
from cases.forms.assignment import AssignmentForm
from cases.forms.corrections import INCIDENT_COMMUNE_OPTIONS, AddCaregiverForm, correction_form
from cases.models import Case
from cases.services.assignment import do_assign_case
from cases.services.corrections import do_add_caregiver, do_correct_record
from childprotect.access import not_found
from childprotect.errors import refusals_on
from childprotect.http import AuthenticatedHttpRequest


def _case_page(case: Case, anchor: str = "") -> str:
    return reverse("cases:detail", args=[case.pk]) + (f"#{anchor}" if anchor else "")


def _on_current_version(form: forms.Form, case: Case) -> None:
    """After a version conflict: keep what was typed, on the case's current version, to send again on purpose."""
    case.refresh_from_db(fields=["version"])
    data = form.data.copy()  # type: ignore[attr-defined] # a QueryDict: the page's forms are bound to request.POST
    data["version"] = str(case.version)
    form.data = data


@login_required
@require_http_methods(["GET", "POST"])
def correction_page(request: AuthenticatedHttpRequest, pk: int, record: str, record_id: int) -> HttpResponse:
    case = access_case(request.user, pk, for_write=True, audit=request.method == "GET")
    spec = RECORDS.get(record)
    if spec is None or (spec.reporter and not can_see_reporter(request.user, case)):
        raise not_found()
    row = spec.row(case, record_id)
    if row is None:
        raise not_found()
    form = correction_form(spec, case, row, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            with refusals_on(form) as refused:
                do_correct_record(
                    acting_user=request.user,
                    case=case,
                    record=spec.key,
                    record_id=row.pk,
                    expected_version=form.cleaned_data["version"],
                    changes=form.changes(),
                    reason=form.cleaned_data["reason"],
                )
            if not refused:
                messages.success(
                    request, _("Đã sửa %(record)s; lịch sử hồ sơ giữ giá trị cũ.") % {"record": spec.label}
                )
                return redirect(_case_page(case, "history"))
            status = refused.status
            if refused.conflict:
                _on_current_version(form, case)
    return render(
        request,
        "cases/corrections/form.html",
        {
            "case": case,
            "record": spec,
            "form": form,
            "commune_options": INCIDENT_COMMUNE_OPTIONS,
            "action_url": request.path,
            "case_url": _case_page(case),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def caregiver_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = access_case(request.user, pk, for_write=True, audit=request.method == "GET")
    form = AddCaregiverForm(request.POST or None, initial={"version": case.version})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            with refusals_on(form) as refused:
                do_add_caregiver(
                    acting_user=request.user,
                    case=case,
                    expected_version=data["version"],
                    full_name=data["full_name"],
                    relationship=data["relationship"],
                    phone=data["phone"],
                    address=data["address"],
                    is_alleged_perpetrator=data["is_alleged_perpetrator"],
                    reason=data["reason"],
                )
            if not refused:
                messages.success(request, _("Đã thêm người chăm sóc vào hồ sơ."))
                return redirect(_case_page(case, "child"))
            status = refused.status
            if refused.conflict:
                _on_current_version(form, case)
    return render(
        request,
        "cases/corrections/form.html",
        {
            "case": case,
            "record": RECORDS["caregiver"],
            "adding": True,
            "form": form,
            "action_url": request.path,
            "case_url": _case_page(case),
        },
        status=status,
    )


@login_required
@require_POST
def assign_case(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = access_case(request.user, pk, for_write=True, audit=False)
    form = AssignmentForm(request.POST, case=case)
    if form.is_valid():
        with refusals_on(form) as refused:
            do_assign_case(
                acting_user=request.user,
                case=case,
                expected_version=form.cleaned_data["version"],
                officer=form.cleaned_data["officer"],
                note=form.cleaned_data["note"],
            )
        if not refused:
            messages.success(request, _("Đã phân công cán bộ phụ trách hồ sơ."))
            return redirect(_case_page(case, "assignment"))
        if refused.conflict:
            _on_current_version(form, case)
        status = refused.status
    else:
        status = 400
    return render(
        request,
        "cases/corrections/assign.html",
        {"case": case, "form": form, "case_url": _case_page(case)},
        status=status,
    )
