"""Transfer pages: the list of transfer requests (to and from the user's communes) and one request, where the
receiving commune's officer or chair accepts or declines and the sending side may cancel.

Every page starts from `access_transfer` (404 for anyone on neither side). While a request is pending, the
receiving side sees a short view of the child and the case (to decide), never the reporter; the case file becomes
theirs once they accept. Writes go through cases/services/transfers.py.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases.access import access_transfer, can_cancel_transfer, can_work_case, is_receiving_commune_worker
from cases.forms.referrals import TransferDeclineForm
from cases.models import AbuseForm, CaseTransfer, TransferStatus
from cases.querysets import child_age
from cases.services import transfers as svc
from childprotect.access import not_found
from childprotect.errors import refusals_on
from childprotect.http import AuthenticatedHttpRequest
from childprotect.models import User
from childprotect.notifications import do_mark_read_on_open
from childprotect.services import record_list_read

PAGE_SIZE = 25


@login_required
@require_GET
def transfer_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    rows = (
        CaseTransfer.objects.visible_to(user)
        .select_related("case", "from_commune", "to_commune", "requested_by")
        .order_by("-requested_at", "-id")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    path = user.unit.path if user.unit_id and user.unit else None
    for transfer in page.object_list:
        transfer.incoming = path is not None and transfer.to_unit_path.startswith(path)
    record_list_read(actor=user, list_name="transfers", params=request.GET, allowed=(), rows=len(page.object_list))
    return render(request, "cases/transfers/list.html", {"page": page})


def transfer_page_context(user: User, transfer: CaseTransfer, *, decline_form: Any = None) -> dict[str, Any]:
    receiving = is_receiving_commune_worker(user, transfer)
    pending = transfer.status == TransferStatus.REQUESTED
    case = transfer.case
    sending = pending and can_cancel_transfer(user, transfer)
    labels = dict(AbuseForm.choices)
    return {
        "transfer": transfer,
        "case": case,
        "pending": pending,
        "can_answer": receiving and pending,
        "can_cancel": sending,
        "decline_form": decline_form or TransferDeclineForm(),
        # Enough to decide (who the child is, what the case is about): only while the request is pending.
        "child": case.child if pending else None,
        "child_age": child_age(case.child) if pending else None,
        "abuse_forms": ", ".join(str(labels.get(f, f)) for f in case.abuse_forms) if pending else "",
        "urls": {
            name: reverse(f"cases:transfer-{name}", args=[transfer.pk]) for name in ("accept", "decline", "cancel")
        },
        "case_url": reverse("cases:detail", args=[case.pk]) if can_work_case(user, case) else "",
    }


@login_required
@require_GET
def transfer_detail(request: AuthenticatedHttpRequest, transfer_id: int) -> HttpResponse:
    transfer = access_transfer(request.user, transfer_id)
    do_mark_read_on_open(request.user, request.path, transfer)
    return render(
        request,
        "cases/transfers/detail.html",
        transfer_page_context(request.user, transfer),
    )


@login_required
@require_POST
def transfer_answer(request: AuthenticatedHttpRequest, transfer_id: int, answer: str) -> HttpResponse:
    user = request.user
    transfer = access_transfer(user, transfer_id)
    form = TransferDeclineForm(request.POST) if answer == "decline" else None
    if answer not in {"accept", "decline", "cancel"}:
        raise not_found()
    problem = False
    if form is None or form.is_valid():
        with refusals_on(form, request=request) as refused:
            if answer == "accept":
                svc.do_accept_transfer(acting_user=user, transfer=transfer)
                done, next_url = _("Đã nhận hồ sơ. Từ nay xã, phường của bạn phụ trách hồ sơ này."), "cases:detail"
            elif answer == "decline":
                assert form is not None
                svc.do_decline_transfer(acting_user=user, transfer=transfer, reason=form.cleaned_data["reason"])
                done, next_url = _("Đã từ chối nhận hồ sơ; xã chuyển đã được thông báo."), "cases:transfer-detail"
            else:
                svc.do_cancel_transfer(acting_user=user, transfer=transfer)
                done, next_url = _("Đã hủy đề nghị chuyển hồ sơ."), "cases:transfer-detail"
        if not refused:
            messages.success(request, done)
            target = transfer.case_id if next_url == "cases:detail" else transfer.pk
            return redirect(reverse(next_url, args=[target]))
        problem = refused.of_step or form is None
    transfer.refresh_from_db()
    context = transfer_page_context(user, transfer, decline_form=form if not problem else None)
    return render(request, "cases/transfers/detail.html", context, status=400)
