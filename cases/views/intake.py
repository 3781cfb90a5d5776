"""The intake page: record a reported case, save it as a draft, check for a child already known.

- GET `cases/new/` shows the form (and the officer's drafts); `cases/drafts/<id>/` continues a draft.
- POST with `action=draft` ("Lưu nháp") saves whatever is valid, even with fields missing or wrong; the page
  comes back with everything that was typed, the invalid values marked next to their fields.
- POST with `action=submit` ("Ghi nhận") validates everything. Before a new child is created, likely
  existing children are listed and the officer links one or confirms a new child (`child_choice`).
- `cases/new/duplicates/` (htmx, as the officer types) and `cases/new/communes/` (the hotline's commune
  search) return partials.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases.access import access_case, linkable_child, may_record_cases
from cases.forms.intake import CaregiverFormSet, CaseForm, ChildForm, ReporterForm
from cases.models import Case, CaseStatus
from cases.querysets import DUPLICATE_FILTERS, duplicate_candidates, match_elsewhere
from cases.services.intake import do_create_case, do_update_draft
from childprotect.access import not_found
from childprotect.errors import refusals_on
from childprotect.http import AuthenticatedHttpRequest
from childprotect.querysets import commune_label, find_commune, search_communes
from childprotect.services import record_list_read


def _require_recorder(request: AuthenticatedHttpRequest) -> None:
    if not may_record_cases(request.user):
        raise PermissionDenied(_("Vai trò của bạn không ghi nhận vụ việc."))


class IntakeForms:
    """The four forms of one intake, bound together."""

    def __init__(
        self,
        user: Any,
        data: QueryDict | None = None,
        *,
        submitting: bool = False,
        initial: dict[str, Any] | None = None,
    ) -> None:
        initial = initial or {}
        self.child = ChildForm(data, user=user, submitting=submitting, initial=initial.get("child"))
        self.case = CaseForm(data, submitting=submitting, initial=initial.get("case"))
        self.reporter = ReporterForm(data, prefix="reporter", submitting=submitting, initial=initial.get("reporter"))
        self.caregivers = CaregiverFormSet(
            data, prefix="caregivers", initial=initial.get("caregivers"), form_kwargs={"submitting": submitting}
        )

    def service_forms(self) -> list[Any]:
        """Where the intake service's field errors belong: the form with that field (case facts first)."""
        return [self.case, self.child, self.reporter]

    def all_forms(self) -> list[Any]:
        return [self.child, self.case, self.reporter, *self.caregivers.forms]

    def is_valid(self) -> bool:
        results = [self.child.is_valid(), self.case.is_valid(), self.reporter.is_valid(), self.caregivers.is_valid()]
        return all(results)

    def error_count(self) -> int:
        return sum(len(f.errors) for f in self.all_forms()) + len(self.caregivers.non_form_errors())

    def missing(self) -> list[str]:
        return [*self.child.missing_for_submit(), *self.case.missing_for_submit(), *self.reporter.missing_for_submit()]

    def caregiver_inputs(self) -> list[Any]:
        return [c for c in (f.to_input() for f in self.caregivers.forms) if c is not None]


def _initial_from_draft(case: Case) -> dict[str, Any]:
    child = case.child
    reporter = getattr(case, "reporter", None)
    age = None
    if child.date_of_birth is None and child.birth_year:
        age = timezone.localtime(case.received_at).year - child.birth_year
    return {
        "child": {
            "full_name": child.full_name,
            "date_of_birth": child.date_of_birth,
            "age_years": age,
            "sex": child.sex,
            "ethnicity_code": child.ethnicity_code,
            "id_number": child.id_number,
            "disability": child.disability,
            "commune": child.commune.code,
        },
        "case": {
            "kind": case.kind,
            "received_at": timezone.localtime(case.received_at),
            "immediate_danger": "yes" if case.immediate_danger else "no",
            "abuse_forms": case.abuse_forms,
            "abuse_subtypes": case.abuse_subtypes,
            "special_groups": case.special_groups,
            "setting": case.setting,
            "accident_type": case.accident_type,
            "accident_outcome": case.accident_outcome,
            "incident_date": case.incident_date,
            "incident_commune": case.incident_commune.code if case.incident_commune is not None else "",
            "summary": case.summary,
        },
        "reporter": (
            {
                "channel": reporter.channel,
                "name": reporter.name,
                "phone": reporter.phone,
                "relationship": reporter.relationship,
            }
            if reporter
            else {}
        ),
        "caregivers": [
            {
                "full_name": c.full_name,
                "relationship": c.relationship,
                "phone": c.phone,
                "address": c.address,
                "is_alleged_perpetrator": c.is_alleged_perpetrator,
            }
            for c in child.caregivers.order_by("pk")
        ],
    }


def _my_drafts(user: Any) -> list[Case]:
    return list(
        Case.objects.visible_to(user)
        .filter(status=CaseStatus.DRAFT, created_by=user)
        .select_related("child", "commune")
        .order_by("-updated_at")[:20]
    )


def _render(
    request: AuthenticatedHttpRequest,
    forms: IntakeForms,
    *,
    draft: Case | None,
    candidates: list[Any] | None = None,
    saved_draft: bool = False,
    missing: list[str] | None = None,
    show_errors: bool = False,
) -> HttpResponse:
    action = reverse("cases:intake-draft", args=[draft.pk]) if draft else reverse("cases:intake")
    drafts = _my_drafts(request.user)
    # The drafts (each named by its child) and the candidates of a submitted case are lists of children: one
    # audit row for the page, per panel how many rows; a search when candidates were looked for, never its terms.
    shown = {name: len(rows) for name, rows in (("drafts", drafts), ("duplicates", candidates or [])) if rows}
    if shown:
        record_list_read(
            actor=request.user,
            list_name="intake",
            params=request.POST if candidates else {},
            allowed=DUPLICATE_FILTERS if candidates else (),
            rows=sum(shown.values()),
            panels=shown,
        )
    return render(
        request,
        "cases/intake.html",
        {
            "forms": forms,
            "child_form": forms.child,
            "case_form": forms.case,
            "reporter_form": forms.reporter,
            "caregivers": forms.caregivers,
            "draft": draft,
            "form_action": action,
            "candidates": candidates,
            "child_choice": request.POST.get("child_choice", "") if request.method == "POST" else "",
            "saved_draft": saved_draft,
            "missing": missing or [],
            "error_count": forms.error_count() if show_errors else 0,
            "drafts": drafts,
        },
    )


def _case_page(case: Case) -> str:
    try:
        return reverse("cases:detail", args=[case.pk])
    except NoReverseMatch:  # the case page lives in another part of the app; until it is installed
        return f"/cases/{case.pk}/"


@login_required
@require_http_methods(["GET", "POST"])
def intake(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_recorder(request)
    return _intake(request, draft=None)


@login_required
@require_http_methods(["GET", "POST"])
def intake_draft(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    _require_recorder(request)
    draft = access_case(request.user, case_id, for_write=True)
    if draft.status != CaseStatus.DRAFT or draft.created_by_id != request.user.pk:
        if draft.status != CaseStatus.DRAFT:
            return HttpResponseRedirect(_case_page(draft))
        raise not_found()
    return _intake(request, draft=draft)


def _intake(request: AuthenticatedHttpRequest, *, draft: Case | None) -> HttpResponse:
    user = request.user
    if request.method == "GET":
        initial = _initial_from_draft(draft) if draft else None
        return _render(request, IntakeForms(user, initial=initial), draft=draft)

    action = request.POST.get("action", "submit")
    if action == "add_caregiver":
        data = request.POST.copy()
        total = int(data.get("caregivers-TOTAL_FORMS") or 0)
        data["caregivers-TOTAL_FORMS"] = str(min(total + 1, 10))
        forms = IntakeForms(user, data)
        return _render(request, forms, draft=draft)
    if action == "draft":
        return _save_draft(request, draft)
    return _submit(request, draft)


def _chosen_child(request: AuthenticatedHttpRequest, forms: IntakeForms, commune: Any) -> tuple[str, Any]:
    """("new"|"existing"|"", child): what the officer chose in the duplicate check."""
    choice = request.POST.get("child_choice", "")
    if choice == "new":
        return "new", None
    if choice:
        child = linkable_child(request.user, choice, commune)
        if child is not None:
            return "existing", child
    return "", None


def _save_draft(request: AuthenticatedHttpRequest, draft: Case | None) -> HttpResponse:
    forms = IntakeForms(request.user, request.POST, submitting=False)
    forms.is_valid()  # draft: whatever is valid is saved; errors stay next to their fields
    commune = forms.child.cleaned_data.get("commune") or (draft.commune if draft else None)
    if commune is None:
        forms.child.add_error(
            "commune",
            _("Chọn xã, phường nơi trẻ cư trú: bản nháp cần biết thuộc xã, phường nào."),
        )
        return _render(request, forms, draft=draft, show_errors=True)
    _kind, existing = _chosen_child(request, forms, commune)
    child, reporter = forms.child.to_input(commune=commune), forms.reporter.to_input()
    with refusals_on(forms.service_forms(), request=request) as refused:
        if draft is None:
            draft = do_create_case(
                acting_user=request.user,
                child=child,
                case=forms.case.to_input(),
                reporter=reporter,
                caregivers=forms.caregiver_inputs(),
                existing_child=existing,
                draft=True,
            )
        else:
            draft = do_update_draft(
                acting_user=request.user,
                case=draft,
                expected_version=_posted_version(request),
                child=child,
                case_data=forms.case.to_input(),
                reporter=reporter,
                caregivers=forms.caregiver_inputs(),
                existing_child=existing,
            )
    if refused:
        return _render(request, forms, draft=draft, show_errors=True)
    return _render(
        request, forms, draft=draft, saved_draft=True, missing=forms.missing(), show_errors=bool(forms.error_count())
    )


def _posted_version(request: AuthenticatedHttpRequest) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1  # refused as a conflict: nothing is overwritten on a guess


def _submit(request: AuthenticatedHttpRequest, draft: Case | None) -> HttpResponse:
    forms = IntakeForms(request.user, request.POST, submitting=True)
    if not forms.is_valid():
        return _render(request, forms, draft=draft, show_errors=True)
    commune = forms.child.cleaned_data["commune"]
    choice, existing = _chosen_child(request, forms, commune)
    if not choice:
        candidates = duplicate_candidates(
            request.user,
            full_name=forms.child.cleaned_data["full_name"],
            commune=commune,
            date_of_birth=forms.child.cleaned_data.get("date_of_birth"),
            id_number=forms.child.cleaned_data.get("id_number", ""),
            exclude_child_id=draft.child_id if draft else None,
        )
        if candidates:
            return _render(request, forms, draft=draft, candidates=candidates)
    with refusals_on(forms.service_forms(), request=request) as refused:
        if draft is None:
            case = do_create_case(
                acting_user=request.user,
                child=forms.child.to_input(),
                case=forms.case.to_input(),
                reporter=forms.reporter.to_input(),
                caregivers=forms.caregiver_inputs(),
                existing_child=existing,
            )
        else:
            case = do_update_draft(
                acting_user=request.user,
                case=draft,
                expected_version=_posted_version(request),
                child=forms.child.to_input(),
                case_data=forms.case.to_input(),
                reporter=forms.reporter.to_input(),
                caregivers=forms.caregiver_inputs(),
                existing_child=existing,
                submit=True,
            )
    if refused:
        return _render(request, forms, draft=draft, show_errors=True)
    messages.success(request, _("Đã ghi nhận vụ việc, số hồ sơ %(number)s.") % {"number": case.case_number})
    return HttpResponseRedirect(_case_page(case))


# ---------- Partials (htmx) ----------


def _parse_date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
@require_GET
def intake_duplicates(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Likely existing children for what has been typed so far (the live duplicate check)."""
    _require_recorder(request)
    params = request.GET
    full_name = " ".join(params.get("full_name", "").split())[:120]
    id_number = re.sub(r"[\s.-]", "", params.get("id_number", ""))
    id_number = id_number if re.fullmatch(r"\d{12}", id_number) else ""
    commune = find_commune(params.get("commune", ""))
    candidates = []
    if len(full_name) >= 3 or id_number:
        try:
            draft_child = int(params.get("draft_child", ""))
        except ValueError:
            draft_child = None
        candidates = duplicate_candidates(
            request.user,
            full_name=full_name,
            commune=commune,
            date_of_birth=_parse_date(params.get("date_of_birth", "")),
            id_number=id_number,
            exclude_child_id=draft_child,
        )
    if len(full_name) >= 3 or id_number:  # a search of children: audited (that it happened, not what was typed)
        record_list_read(
            actor=request.user,
            list_name="duplicates",
            params=request.GET,
            allowed=DUPLICATE_FILTERS,
            rows=len(candidates),
        )
    elsewhere = (len(full_name) >= 3 or bool(id_number)) and match_elsewhere(
        request.user, full_name=full_name, commune=commune, id_number=id_number
    )
    return render(
        request,
        "cases/partials/intake_duplicates.html",
        {
            "candidates": candidates,
            "elsewhere": elsewhere,
            "child_choice": params.get("child_choice", ""),
            "live": True,
        },
    )


# The names of the commune search boxes that ask this view: intake's two, and the transfer form's.
COMMUNE_SEARCH_PARAMS = ("q", "commune", "incident_commune", "to_commune")


@login_required
@require_GET
def intake_communes(request: AuthenticatedHttpRequest) -> HttpResponse:
    """<option>s for a commune search box's <datalist>: any current commune, by name or code."""
    _require_recorder(request)
    text = next((request.GET[name] for name in COMMUNE_SEARCH_PARAMS if request.GET.get(name)), "")
    units = search_communes(text[:80]) if len(text.strip()) >= 2 else []
    return render(request, "cases/partials/intake_communes.html", {"options": [commune_label(u) for u in units]})
