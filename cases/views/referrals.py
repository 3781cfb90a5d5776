"""Referral pages: the referrals section and "Chuyển gửi" form of the case page, the referral list (a focal
point's inbox, a case worker's sent referrals), and the referral page with the agency's answers.

Access: creating needs `access_case(user, id, for_write=True)` (404 unless the user works the case); every other
page starts from `access_referral` (404 for a referral of another agency or of a case the user does not see). A
focal point sees the case only through `cases/need_to_know.py`: never the case page, never the reporter.
Writes go through cases/services/referrals.py; refused input comes back with what was typed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.access import access_case, access_referral, can_send_referrals, is_focal_point_for
from cases.filters import ReferralFilter
from cases.forms.referrals import (
    CompleteForm,
    DeclineForm,
    ProgressForm,
    ReferralForm,
    WithdrawForm,
    initial_for,
)
from cases.models import Case, CaseEventType, Referral, ReferralStatus
from cases.models.choices import OPEN_STATUSES
from cases.models.referral import OPEN_REFERRAL_STATUSES
from cases.need_to_know import case_rows, shares_case
from cases.querysets import referral_state_q
from cases.services import referrals as svc
from cases.timeline import describe_events
from childprotect.access import not_found
from childprotect.errors import refusals_on
from childprotect.http import AuthenticatedHttpRequest
from childprotect.models import Sector, User
from childprotect.notifications import do_mark_read_on_open
from childprotect.roles import Role
from childprotect.services import record_list_read
from childprotect.text.dates import local_time

PAGE_SIZE = 25
S = ReferralStatus


# --- The case page's section --------------------------------------------------------------------------------------


def referral_section(user: User, case: Case) -> dict[str, Any]:
    """What the case page's "Chuyển gửi" section shows: the case's referrals, and for whoever works the case the
    form and the suggested sectors (police for sexual abuse, health for injuries)."""
    referrals = list(case.referrals.select_related("agency").order_by("sent_at", "id"))
    now = timezone.now()
    for referral in referrals:
        referral.overdue = referral.status == S.SENT and referral.due_at <= now  # type: ignore[attr-defined]
    can_refer = can_send_referrals(user, case) and case.status in OPEN_STATUSES
    labels = dict(Sector.choices)
    suggestions = [
        {"sector": sector, "label": labels[sector], "url": new_referral_url(case, sector)}
        for sector in (svc.suggested_sectors(case, referrals) if can_refer else [])
    ]
    return {
        "referrals": referrals,
        "can_refer": can_refer,
        "referral_form": ReferralForm(case=case, initial=initial_for(case, {})) if can_refer else None,
        "referral_url": reverse("cases:referral-new", args=[case.pk]),
        "police_referral_url": new_referral_url(case, Sector.POLICE) if can_refer else "",
        "suggestions": suggestions,
    }


def new_referral_url(case: Case, sector: str) -> str:
    urgency = "immediate" if sector == Sector.POLICE else "urgent"
    return reverse("cases:referral-new", args=[case.pk]) + f"?sector={sector}&urgency={urgency}"


def _case_referrals(case: Case) -> str:
    return reverse("cases:detail", args=[case.pk]) + "#referrals"


# --- Creating ----------------------------------------------------------------------------------------------------


def _unbound(form_data: Any, case: Case) -> ReferralForm:
    """The form again with what was typed, without judging it yet (the list of agencies was narrowed)."""
    return ReferralForm(case=case, initial={key: form_data.get(key) for key in ReferralForm.base_fields})


@login_required
@require_http_methods(["GET", "POST"])
def referral_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = access_case(request.user, pk, for_write=True, audit=False)
    status = 200
    if request.method == "POST" and "filter" in request.POST:
        form = _unbound(request.POST, case)
    elif request.method == "POST":
        form = ReferralForm(request.POST, case=case)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            with refusals_on(form) as refused:
                referral = svc.do_create_referral(
                    acting_user=request.user,
                    case=case,
                    agency=data["agency"],
                    reason=data["reason"],
                    services=data["services"],
                    urgency=data["urgency"],
                    due_at=data["due_at"],
                )
            if not refused:
                messages.success(
                    request,
                    _("Đã chuyển gửi tới %(agency)s. Cơ quan đã được thông báo; hạn phản hồi %(due)s.")
                    % {"agency": referral.agency.name, "due": local_time(referral.due_at)},
                )
                return redirect(_case_referrals(case))
    else:
        form = ReferralForm(case=case, initial=initial_for(case, request.GET))
    return render(
        request,
        "cases/referrals/new.html",
        {"case": case, "form": form, "case_url": _case_referrals(case)},
        status=status,
    )


@login_required
@require_GET
def referral_agencies(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The agency field alone, narrowed by ?sector=&area= (htmx swaps it into the form)."""
    case = access_case(request.user, pk, for_write=True, audit=False)
    form = _unbound(request.GET, case)
    return render(request, "cases/referrals/partials/agency_field.html", {"form": form})


# --- The list ----------------------------------------------------------------------------------------------------

STATES: dict[str, Any] = {
    "waiting": gettext_lazy("Chờ phản hồi"),
    "overdue": gettext_lazy("Quá hạn phản hồi"),
    "working": gettext_lazy("Đang thực hiện"),
    "open": gettext_lazy("Đang mở"),
    "closed": gettext_lazy("Đã kết thúc"),
    "all": gettext_lazy("Tất cả"),
}
# Waiting and overdue referrals: the one whose answer is due first (overdue ones) on top.
URGENT_FIRST = frozenset({"waiting", "overdue"})


@login_required
@require_GET
def referral_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A focal point's inbox (referrals to their agency), or the referrals of the cases a case worker sees;
    narrowed by ReferralFilter of cases/filters.py (the dashboard's figures link here with them)."""
    user = request.user
    now = timezone.now()
    state = request.GET.get("state", "open")
    if state not in STATES:
        state = "open"
    inbox = user.role == Role.AGENCY_FOCAL_POINT
    filters = ReferralFilter(request.GET, queryset=Referral.objects.visible_to(user), case_filters=not inbox)
    visible = filters.qs
    narrowing = urlencode(filters.narrowing())
    counts = visible.aggregate(**{name: Count("id", filter=referral_state_q(name, now)) for name in STATES})
    rows = (
        visible.filter(referral_state_q(state, now))
        .select_related("case", "case__commune", "agency", "sent_by")
        .order_by(*(("due_at", "id") if state in URGENT_FIRST else ("-sent_at", "-id")))
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for referral in page.object_list:
        referral.overdue = referral.status == S.SENT and referral.due_at <= now
    tab_prefix = f"{narrowing}&" if narrowing else ""
    record_list_read(
        actor=user,
        list_name="referrals",
        params=request.GET,
        allowed=[*filters.filters, "state"],
        rows=len(page.object_list),
    )
    return render(
        request,
        "cases/referrals/list.html",
        {
            "page": page,
            "inbox": inbox,
            "state": state,
            "filter": filters,
            "narrowed": filters.described(),
            "filtered": bool(narrowing),
            "states": [
                {
                    "key": key,
                    "label": label,
                    "count": counts[key],
                    "current": key == state,
                    "query": f"{tab_prefix}state={key}",
                }
                for key, label in STATES.items()
            ],
            "query": f"{tab_prefix}state={state}",
            "title": _("Hộp chuyển gửi") if inbox else _("Chuyển gửi liên ngành"),
        },
        status=200 if filters.is_valid() else 400,  # a filter the form refuses: the page with its message
    )


# --- One referral ------------------------------------------------------------------------------------------------


@dataclass
class Answer:
    form: type[forms.Form] | None
    service: Callable[..., Any]
    done: Any  # message once done
    agency_side: bool


ANSWERS: dict[str, Answer] = {
    "accept": Answer(None, svc.do_accept_referral, gettext_lazy("Đã tiếp nhận chuyển gửi."), True),
    "decline": Answer(DeclineForm, svc.do_decline_referral, gettext_lazy("Đã từ chối chuyển gửi."), True),
    "progress": Answer(ProgressForm, svc.do_add_referral_progress, gettext_lazy("Đã ghi tiến độ."), True),
    "complete": Answer(CompleteForm, svc.do_complete_referral, gettext_lazy("Đã hoàn thành chuyển gửi."), True),
    "withdraw": Answer(WithdrawForm, svc.do_withdraw_referral, gettext_lazy("Đã rút lại chuyển gửi."), False),
}


def referral_page_context(user: User, referral: Referral, **bound: forms.Form) -> dict[str, Any]:
    """The referral page: the referral, its history, the need-to-know view of the case, and the forms of the
    steps this user may take now (bound ones, with errors, replace the empty ones)."""
    focal = is_focal_point_for(user, referral)
    sender = can_send_referrals(user, referral.case)
    history = list(
        referral.case.events.filter(event_type=CaseEventType.REFERRAL, details__referral_id=referral.pk)
        .select_related("actor")
        .order_by("at", "id")
    )
    describe_events(history)
    forms_now: dict[str, forms.Form | None] = {}
    if focal and referral.status == S.SENT:
        forms_now["decline"] = bound.get("decline") or DeclineForm()
    if focal and referral.status in {S.ACCEPTED, S.IN_PROGRESS}:
        forms_now["progress"] = bound.get("progress") or ProgressForm()
        forms_now["complete"] = bound.get("complete") or CompleteForm()
    if sender and referral.status in OPEN_REFERRAL_STATUSES:
        forms_now["withdraw"] = bound.get("withdraw") or WithdrawForm()
    return {
        "referral": referral,
        "case": referral.case,
        "agency": referral.agency,
        "focal": focal,
        "sender": sender,
        "can_accept": focal and referral.status == S.SENT,
        "forms": forms_now,
        "answer_urls": {name: reverse("cases:referral-answer", args=[referral.pk, name]) for name in ANSWERS},
        "history": history,
        "case_shared": shares_case(referral),
        "case_rows": case_rows(referral),
        "overdue": referral.status == S.SENT and referral.due_at <= timezone.now(),
        # Focal points never get the case page: only the need-to-know view above.
        "case_url": "" if user.role == Role.AGENCY_FOCAL_POINT else reverse("cases:detail", args=[referral.case_id]),
        "list_url": reverse("cases:referral-list"),
    }


@login_required
@require_GET
def referral_detail(request: AuthenticatedHttpRequest, referral_id: int) -> HttpResponse:
    referral = access_referral(request.user, referral_id)
    do_mark_read_on_open(request.user, request.path, referral)
    return render(
        request,
        "cases/referrals/detail.html",
        referral_page_context(request.user, referral),
    )


@login_required
@require_POST
def referral_answer(request: AuthenticatedHttpRequest, referral_id: int, answer: str) -> HttpResponse:
    referral = access_referral(request.user, referral_id, audit=False)
    spec = ANSWERS.get(answer)
    if spec is None:
        raise not_found()
    form = spec.form(request.POST) if spec.form is not None else None
    problem = False
    if form is None or form.is_valid():
        kwargs = form.cleaned_data if form is not None else {}
        # A refusal of the step itself is said on top of the page; bad input, next to its field.
        with refusals_on(form, request=request) as refused:
            spec.service(acting_user=request.user, referral=referral, **kwargs)
        if not refused:
            messages.success(request, str(spec.done))
            return redirect(reverse("cases:referral-detail", args=[referral.pk]))
        problem = refused.of_step or form is None
    referral.refresh_from_db()
    bound = {answer: form} if form is not None and not problem else {}
    context = referral_page_context(request.user, referral, **bound)
    return render(request, "cases/referrals/detail.html", context, status=400)
