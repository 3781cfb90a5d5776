"""Printing the case file: one statutory form of one record, or the whole file, as PDF.

`access_form_pdf` and `access_case_file_pdf` are the only way a page or an endpoint gets a printed document. Both
start from `access_case` (404 for a case the user may not see, exactly as for one that does not exist), print only
what the case page would show this user (the informant's identity only where `can_see_reporter` allows), and
write one audit row (export) naming the case, the form and the record by id. File names carry ids, never a name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access import access_case
from cases.casefile import CaseFile, load_case_file, person, when
from cases.printing.forms import (
    FORMS_BY_SLUG,
    WHOLE_FILE,
    Filled,
    PrintedForm,
    commune_issuer,
    fill,
    printable_forms,
    record_for,
)
from childprotect.access import not_found
from childprotect.models import User
from childprotect.models.audit import AuditAction
from childprotect.official_documents import place_and_date, render_pdf
from childprotect.services import record_audit_event


@dataclass
class PrintedDocument:
    filename: str
    pdf: bytes


def _audit(user: User, cf: CaseFile, form: str, record_id: int | None) -> None:
    case = cf.case
    details: dict[str, Any] = {"case_number": case.case_number, "printed": form}
    if record_id is not None:
        details["record_id"] = record_id
    record_audit_event(actor=user, action=AuditAction.EXPORT, target=case, unit_path=case.unit_path, details=details)


def form_html(form: PrintedForm) -> str:
    return render_to_string(
        "cases/print/document.html", {"title": f"{form.title} – {form.subject}", "forms": [form], "annexes": []}
    )


def access_form_pdf(user: User, case_id: int | str, slug: str, record_id: int | str) -> PrintedDocument:
    """One form (`slug`, e.g. "mau-02") filled from one of the case's records; 404 for an unknown form, a record
    of another case, or a case the user may not see."""
    spec = FORMS_BY_SLUG.get(slug)
    case = access_case(user, case_id, audit=False)
    if spec is None:
        raise not_found()
    cf = load_case_file(case, user=user)
    record = record_for(spec, cf, record_id)
    if record is None:
        raise not_found()
    _audit(user, cf, slug, record.pk)
    pdf = render_pdf(form_html(fill(spec, cf, record)))
    return PrintedDocument(filename=f"ho-so-{case.pk}-{slug}-{record.pk}.pdf", pdf=pdf)


def case_file_html(cf: CaseFile) -> str:
    """The whole file: a cover with its contents, every form of every record in the order of the file, then the
    implementation notes, the referrals and the list of attached documents."""
    case = cf.case
    forms = [fill(p.spec, cf, record_for(p.spec, cf, p.record_id)) for p in printable_forms(cf)]
    cover_issuer = commune_issuer(Filled(cf=cf, record=case))
    commune = case.commune
    cover = {
        "issuer": cover_issuer,
        "number_line": _("Số hồ sơ: %(number)s") % {"number": case.case_number or "—"},
        "place_date": place_and_date(commune.place_name or commune.name, timezone.localdate()),
        "subject": case.child.full_name,
        "lines": [
            {"label": _("Loại vụ việc"), "value": case.get_kind_display()},
            {"label": _("Tiếp nhận lúc"), "value": when(case.received_at)},
            {"label": _("Trạng thái"), "value": case.get_status_display()},
            {"label": _("Cán bộ phụ trách"), "value": person(case.assigned_officer) or _("Chưa phân công")},
            {"label": _("Kết thúc lúc"), "value": when(case.closed_at) or "—"},
        ],
    }
    referrals = list(case.referrals.select_related("agency").order_by("sent_at", "id"))
    # Records no statutory form prints: emergency interventions, plans sent back, the closure.
    sections = {section.key: section for section in cf.sections}
    separations = {f"measure-{m.pk}" for m in cf.separations}  # printed as Mẫu 07
    unprinted = [
        *(r for r in sections["emergency"].records if r.anchor not in separations),
        *(r for r in sections["approval"].records if r.anchor.startswith("event-")),
        *sections["closure"].records,
    ]
    annexes = [
        {
            "title": _("Các bước khác của hồ sơ"),
            "entries": [
                {
                    "meta": f"{record.title} ({record.meta})",
                    "text": "\n".join(f"{item.label}: {item.value}" for item in record.items),
                }
                for record in unprinted
            ],
        },
        {
            "title": _("Nhật ký thực hiện (ghi chú của hồ sơ)"),
            "entries": [{"meta": f"{when(n.created_at)}, {person(n.author)}", "text": n.text} for n in cf.notes],
        },
        {
            "title": _("Chuyển gửi liên ngành"),
            "entries": [
                {
                    "meta": f"{when(r.sent_at)}, {r.agency.name}",
                    "text": " · ".join(
                        x for x in (r.get_status_display(), r.reason, r.outcome or r.decline_reason) if x
                    ),
                }
                for r in referrals
            ],
        },
        {
            "title": _("Danh mục tài liệu đính kèm"),
            "entries": [
                {
                    "meta": when(a.uploaded_at),
                    "text": " — ".join(x for x in (a.original_name, a.description) if x),
                }
                for a in cf.attachments
            ],
        },
    ]
    title = _("Hồ sơ %(number)s") % {"number": case.case_number or case.pk}
    return render_to_string(
        "cases/print/document.html", {"title": title, "cover": cover, "forms": forms, "annexes": annexes}
    )


def access_case_file_pdf(user: User, case_id: int | str) -> PrintedDocument:
    """The whole case file as one PDF; 404 for a case the user may not see."""
    case = access_case(user, case_id, audit=False)
    cf = load_case_file(case, user=user)
    _audit(user, cf, WHOLE_FILE, None)
    return PrintedDocument(filename=f"ho-so-{case.pk}.pdf", pdf=render_pdf(case_file_html(cf)))
