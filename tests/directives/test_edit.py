"""Correcting a saved directive: a draft gets its number, date and signed file once signed; only the province's
officers edit; a stale version is refused with everything typed kept."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from childprotect.models import AuditEvent
from directives.models import Directive
from directives.services import LeadChoice, ReferenceInput
from tests.directives.conftest import Departments, make_directive, task_input


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


def _form_data(directive: Directive, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "doc_type": directive.doc_type,
        "number": directive.number,
        "symbol": directive.symbol,
        "issuer": directive.issuer,
        "place": directive.place,
        "issued_on": directive.issued_on.isoformat() if directive.issued_on else "",
        "subject": directive.subject,
        "recipients": "\n".join(directive.recipients),
        "references": "\n".join(r.text for r in directive.references.all()),
        "signer_authority": directive.signer_authority,
        "signer_title": directive.signer_title,
        "signer_name": directive.signer_name,
        "full_text": directive.full_text,
        "version": directive.version,
    }
    data.update(changes)
    return data


def test_a_signed_draft_gets_its_number_date_and_file(dept: Departments, client_for) -> None:
    p = dept.p
    draft = make_directive(
        p.province_officer_a, task_input(LeadChoice(agency=dept.education)), number="", symbol="UBND-VX", issued_on=None
    )
    # An earlier directive already cites the number the draft will get.
    citing = make_directive(
        p.province_officer_a,
        number="9",
        references=[ReferenceInput(text="Công văn số 450/UBND-VX ngày 12/3/2024", number="450", symbol="UBND-VX")],
    )
    client = client_for(p.province_officer_a)
    page = client.get(f"/directives/{draft.pk}/edit/").content.decode()
    assert "Văn bản không ghi số (dự thảo?)" in page
    signed = SimpleUploadedFile("CV 450.pdf", b"%PDF-1.4 signed", content_type="application/pdf")
    response = client.post(
        f"/directives/{draft.pk}/edit/",
        _form_data(draft, number="450", issued_on="2024-03-12", signer_name="Lâm Hải Giang", signed_file=signed),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.number, draft.issued_on, draft.signer_name, draft.version) == (
        "450",
        datetime.date(2024, 3, 12),
        "Lâm Hải Giang",
        2,
    )
    assert draft.signed_file_name == "CV 450.pdf"
    assert citing.references.get().implements == draft
    event = AuditEvent.objects.filter(
        target_type="directives.directive", target_id=str(draft.pk), action="update"
    ).get()
    assert set(event.details["fields"]) == {"number", "issued_on", "signer_name", "signed_file"}
    download = client.get(f"/directives/{draft.pk}/signed-file/")
    assert b"".join(download.streaming_content) == b"%PDF-1.4 signed"
    assert draft.tasks.count() == 1  # tasks untouched


def test_a_stale_version_is_refused_and_nothing_typed_is_lost(dept: Departments, client_for) -> None:
    p = dept.p
    directive = make_directive(p.province_officer_a, task_input(LeadChoice(agency=dept.education)))
    client = client_for(p.province_officer_a)
    assert (
        client.post(f"/directives/{directive.pk}/edit/", _form_data(directive, subject="Lần sửa thứ nhất")).status_code
        == 302
    )
    response = client.post(f"/directives/{directive.pk}/edit/", _form_data(directive, subject="Sửa từ bản cũ"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "vừa được người khác sửa" in page and "Sửa từ bản cũ" in page
    directive.refresh_from_db()
    assert directive.subject == "Lần sửa thứ nhất" and directive.version == 2


def test_duplicates_are_refused(dept: Departments, client_for) -> None:
    p = dept.p
    make_directive(p.province_officer_a, number="1", symbol="UBND-VX")
    other = make_directive(p.province_officer_a, number="2", symbol="UBND-VX")
    response = client_for(p.province_officer_a).post(f"/directives/{other.pk}/edit/", _form_data(other, number="1"))
    assert response.status_code == 200 and "đã có trong hệ thống" in response.content.decode()


@pytest.mark.parametrize("who", ["province_officer_b", "officer_a1", "police_a", "admin", "hotline"])
def test_only_the_provinces_officers_edit(dept: Departments, client_for, who: str) -> None:
    p = dept.p
    directive = make_directive(p.province_officer_a, task_input(LeadChoice(agency=dept.police)))
    client = client_for(getattr(p, who))
    assert client.get(f"/directives/{directive.pk}/edit/").status_code == 404
    assert client.post(f"/directives/{directive.pk}/edit/", _form_data(directive, number="9")).status_code == 404
