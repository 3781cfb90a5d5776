"""The case list and the case page, with notes and attachments.

Every case reaches these views through `Case.objects.visible_to(user)` (the list) or `access_case` (one case,
audited as a read): outsiders get the same 404 as for a case that does not exist. Writes go through
cases/services/files.py. The reporter's identity is shown only where `can_see_reporter` allows.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from cases.access import access_case, can_read_history, can_work_case, is_case_worker
from cases.casefile import CaseFile, child_items, load_case_file, reporter_items
from cases.filter_words import case_filter_line
from cases.filters import CaseFilter
from cases.forms.assignment import AssignmentForm
from cases.history import assignment_history, correction_history
from cases.home import case_counts
from cases.models import AbuseForm, Case, CaseAttachment, CaseStatus, DeadlineStep
from cases.models.choices import FINAL_STATUSES
from cases.pagination import paginate_cases
from cases.printing.forms import printable_forms_by_section
from cases.querysets import child_age, deadline_state
from cases.services.files import (
    NOTE_MAX_CHARS,
    do_add_attachment,
    do_add_note,
    max_attachment_bytes,
)
from cases.services.transfers import pending_transfer
from cases.steps import ProcedureFacts
from cases.timeline import describe_events
from cases.views.referrals import referral_section
from cases.views.workflow import workflow_context
from childprotect.access import get_visible_or_404
from childprotect.errors import refusals_on
from childprotect.http import AuthenticatedHttpRequest
from childprotect.models.audit import AuditAction
from childprotect.notifications import do_mark_read_on_open
from childprotect.roles import COMMUNE_ROLES
from childprotect.services import record_audit_event, record_list_read
from childprotect.uploads import ACCEPT_ATTRIBUTE, allowed_types_label

PAGE_SIZE = 25
POLICE_REQUIRED_TEXT = gettext_lazy("Phải thông báo ngay cho cơ quan công an (xâm hại tình dục)")


class NoteForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Ghi chú mới"),
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Ghi chú được lưu vào hồ sơ và hiện trên dòng thời gian; không sửa hay xóa được."),
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tệp"))
    description = forms.CharField(label=gettext_lazy("Mô tả"), max_length=255, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.template.defaultfilters import filesizeformat

        self.fields["file"].help_text = _("Các loại %(types)s, tối đa %(limit)s mỗi tệp.") % {
            "types": allowed_types_label(),
            "limit": filesizeformat(max_attachment_bytes()),
        }
        self.fields["file"].widget.attrs["accept"] = ACCEPT_ATTRIBUTE


# ---------- The list ----------


def visible_cases(user: Any) -> Any:
    return (
        Case.objects.visible_to(user)
        .select_related("child", "commune", "assigned_officer")
        .order_by("-received_at", "-id")
    )


def decorate_rows(cases: list[Case]) -> list[Case]:
    """Adds what each row shows but the database does not store: age, deadline state, labels of forms."""
    now, today = timezone.now(), timezone.localdate()
    for case in cases:
        case.child_age = child_age(case.child, today)  # type: ignore[attr-defined]
        case.deadline_state = deadline_state(case.next_deadline_at, now, case.next_deadline_step)  # type: ignore[attr-defined]
        case.abuse_form_labels = [  # type: ignore[attr-defined]
            label for value, label in AbuseForm.choices if value in case.abuse_forms
        ]
    return cases


@login_required
@require_GET
def case_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    visible = visible_cases(request.user)
    filterset = CaseFilter(request.GET or None, queryset=visible, request=request)
    cases = filterset.qs if filterset.is_bound and filterset.is_valid() else visible
    page = paginate_cases(
        cases,
        ordering=filterset.form.cleaned_data.get("ordering") if filterset.is_bound and filterset.is_valid() else None,
        size=PAGE_SIZE,
        cursor=request.GET.get("cursor"),
        page=request.GET.get("page"),
    )
    decorate_rows(page.rows)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("cursor", None)
    active_filters = len({name for name, values in query.lists() if name != "q" and any(values)})
    context: dict[str, Any] = {
        "filter": filterset,
        "page": page,
        "query": query.urlencode(),
        "counts": case_counts(request.user),
        "active_filters": active_filters,
        # The same filters in words, each removable (the dashboard's links carry folded-away ones).
        "filter_line": case_filter_line(filterset, reverse("cases:list"), request.GET),
        "list_url": reverse("cases:list"),
        # A commune officer's cases are all of one commune: no commune column or filter for them.
        "show_commune": request.user.role not in COMMUNE_ROLES,
    }
    # A filter the form refuses (a day beyond the calendar, a list too long) is a 400 with the form's message.
    refused = filterset.is_bound and not filterset.is_valid()
    record_list_read(
        actor=request.user, list_name="cases", params=request.GET, allowed=filterset.filters, rows=len(page.rows)
    )
    return render(request, "cases/list.html", context, status=400 if refused else 200)


# ---------- One case ----------


def timeline_of(casefile: CaseFile) -> list[Any]:
    """The case events in order, each note and attachment attached to the event that recorded it, and each
    summarised with a link to where the case page keeps it (cases/timeline.py)."""
    notes = {note.pk: note for note in casefile.notes}
    files = {attachment.pk: attachment for attachment in casefile.attachments}
    events = casefile.events
    for event in events:
        details = event.details or {}
        # For the template: the note or the file the event recorded.
        event.note = notes.get(details.get("note_id", 0)) if event.event_type == "note" else None  # type: ignore[attr-defined]
        event.attachment = files.get(details.get("attachment_id", 0))  # type: ignore[attr-defined]
    describe_events(events, casefile)
    return events


def case_page_context(
    request: AuthenticatedHttpRequest,
    case: Case,
    *,
    note_form: NoteForm | None = None,
    attachment_form: AttachmentForm | None = None,
) -> dict[str, Any]:
    user = request.user
    casefile = load_case_file(case, user=user)
    sections = casefile.sections
    forms_by_section = printable_forms_by_section(casefile)
    for section in sections:
        section.print_forms = forms_by_section.get(section.key, [])
    can_work = can_work_case(user, case)
    transfer = pending_transfer(case)
    facts = ProcedureFacts(
        case,
        plan=casefile.current_plan,
        separation=casefile.active_separation,
        review=casefile.reviews[-1] if casefile.reviews else None,
        transfer_pending=transfer is not None,
    )
    workflow = workflow_context(user, case, facts)
    referrals = referral_section(user, case)
    worker = is_case_worker(user, case)
    open_case = case.status not in FINAL_STATUSES and case.status != CaseStatus.DRAFT
    return {
        "case": case,
        "casefile": casefile,
        "sections": sections,
        "child": case.child,
        "child_items": child_items(casefile),
        "show_reporter": casefile.show_reporter,
        "reporter_items": reporter_items(casefile),
        "deadlines": casefile.deadlines,
        "next_deadline_state": deadline_state(case.next_deadline_at, timezone.now(), case.next_deadline_step),
        "police_required": any(d.step == DeadlineStep.POLICE_NOTIFICATION for d in casefile.deadlines),
        "police_required_text": POLICE_REQUIRED_TEXT,
        "events": timeline_of(casefile),
        "attachments": casefile.attachments,
        "can_work": can_work,
        "note_form": note_form or NoteForm(),
        "attachment_form": attachment_form or AttachmentForm(),
        "workflow": workflow,
        "is_closed": case.status in FINAL_STATUSES,
        "print_url": reverse("cases:print", args=[case.pk]),
        **referrals,
        "pending_transfer": transfer,
        # Correcting and assigning (cases/views/corrections.py), and the history of both (cases/history.py).
        "can_correct": worker and case.status != CaseStatus.DRAFT,
        "assignment_form": AssignmentForm(case=case) if worker and open_case else None,
        "assignments": assignment_history(case),
        "corrections": correction_history(case, user),
        "can_read_history": can_read_history(user, case),
    }


@login_required
@require_GET
def case_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = access_case(request.user, pk)
    do_mark_read_on_open(request.user, request.path, case)
    return render(request, "cases/detail.html", case_page_context(request, case))


@login_required
@require_POST
def note_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = access_case(request.user, pk, for_write=True, audit=False)
    form = NoteForm(request.POST)
    status = 200
    if form.is_valid():
        with refusals_on(form):
            do_add_note(acting_user=request.user, case=case, text=form.cleaned_data["text"])
    if form.errors:
        status = 400
    elif not request.htmx:  # type: ignore[attr-defined]
        messages.success(request, _("Đã lưu ghi chú."))
        return redirect(reverse("cases:detail", args=[case.pk]) + "#timeline")
    else:
        form = NoteForm()
    if request.htmx:  # type: ignore[attr-defined]
        context = case_page_context(request, case, note_form=form)
        context["note_saved"] = status == 200
        return render(request, "cases/partials/timeline.html", context, status=status)
    return render(request, "cases/detail.html", case_page_context(request, case, note_form=form), status=status)


@login_required
@require_POST
def attachment_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = access_case(request.user, pk, for_write=True, audit=False)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        with refusals_on(form) as refused:
            do_add_attachment(
                acting_user=request.user,
                case=case,
                uploaded=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
            )
        if not refused:
            messages.success(request, _("Đã thêm tài liệu vào hồ sơ."))
            return redirect(reverse("cases:detail", args=[case.pk]) + "#attachments")
    context = case_page_context(request, case, attachment_form=form)
    return render(request, "cases/detail.html", context, status=400)


def attachment_response(case: Case, attachment: CaseAttachment) -> FileResponse:
    """The file as a download. The plain-ASCII file name carries only numbers; the original name (which the
    officer chose) goes in the RFC 6266 `filename*` form, never in a URL."""
    extension = attachment.original_name.rsplit(".", 1)[-1].lower() if "." in attachment.original_name else "bin"
    extension = "".join(ch for ch in extension if ch.isascii() and ch.isalnum())[:5] or "bin"
    fallback = f"tai-lieu-{case.pk}-{attachment.pk}.{extension}"
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(attachment.original_name, safe='')}"
    )
    response["Cache-Control"] = "private, no-store"
    return response


def access_attachment(user: Any, case_id: int | str, attachment_id: int | str) -> tuple[Case, CaseAttachment]:
    """The case (through access_case) and one of its attachments; the download is audited with its id."""
    case = access_case(user, case_id, audit=False)
    attachment: CaseAttachment = get_visible_or_404(case.attachments.all(), pk=attachment_id)
    record_audit_event(
        actor=user,
        action=AuditAction.VIEW,
        target=case,
        unit_path=case.unit_path,
        details={"case_number": case.case_number, "attachment_id": attachment.pk},
    )
    return case, attachment


@login_required
@require_GET
def attachment_download(request: AuthenticatedHttpRequest, pk: int, attachment_id: int) -> FileResponse:
    case, attachment = access_attachment(request.user, pk, attachment_id)
    return attachment_response(case, attachment)
