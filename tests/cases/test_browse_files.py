"""Notes and attachments: who may add them, the size and type limits (Vietnamese messages), private storage
under opaque names, downloads only through the access rules."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import CaseAttachment, CaseNote
from childprotect.models import AuditEvent
from tests.conftest import make_case

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def case(personas, private_storage):
    return make_case(personas.officer_a1, personas.commune_a1, "Nguyễn Thị Hương", id_number="019123456789")


def _upload(client, case, name: str, content: bytes, **extra):
    return client.post(
        f"/cases/{case.pk}/attachments/",
        {"file": SimpleUploadedFile(name, content), "description": "Biên bản", **extra},
    )


def test_commune_officer_uploads_and_downloads(personas, client_for, case, private_storage):
    client = client_for(personas.officer_a1)
    response = _upload(client, case, "Biên bản Nguyễn Thị Hương.pdf", PDF)
    assert response.status_code == 302 and response["Location"].endswith(f"/cases/{case.pk}/#attachments")
    attachment = CaseAttachment.objects.get(case=case)
    assert attachment.content_type == "application/pdf" and attachment.size == len(PDF)
    # Stored under an opaque name: nothing of the child (or of the file's own name) in the path.
    assert re.fullmatch(rf"cases/{case.pk}/[0-9a-f]{{32}}", attachment.file.name)
    for fragment in ("Nguy", "nguyen", "Huong", "Hương", "019123456789", "Biên", "pdf"):
        assert fragment.lower() not in attachment.file.name.lower()
    assert (private_storage / attachment.file.name).read_bytes() == PDF

    page = client.get(f"/cases/{case.pk}/").content.decode()
    url = f"/cases/{case.pk}/attachments/{attachment.pk}/"
    assert url in page and "Biên bản Nguyễn Thị Hương.pdf" in page
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    disposition = download["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="tai-lieu-{case.pk}-{attachment.pk}.pdf"')
    assert disposition.encode("ascii")  # the header is plain ASCII; the Vietnamese name only percent-encoded
    assert "filename*=UTF-8''Bi%C3%AAn%20b%E1%BA%A3n" in disposition
    assert download["Content-Type"] == "application/pdf"
    assert "no-store" in download["Cache-Control"]

    api = client.get(f"/api/v1/cases/{case.pk}/attachments/{attachment.pk}/download/")
    assert api.status_code == 200 and b"".join(api.streaming_content) == PDF
    listed = client.get(f"/api/v1/cases/{case.pk}/attachments/").json()
    assert listed[0]["download_url"] == f"/api/v1/cases/{case.pk}/attachments/{attachment.pk}/download/"


def test_the_timeline_records_who_uploaded(personas, client_for, case):
    client = client_for(personas.officer_a1)
    _upload(client, case, "anh.png", PNG)
    event = case.events.get(event_type="attachment")
    assert event.actor == personas.officer_a1
    assert AuditEvent.objects.filter(target_id=str(case.pk), details__event="attachment").exists()
    assert "anh.png" in client.get(f"/cases/{case.pk}/").content.decode()


def test_outsiders_cannot_download(personas, client_for, case):
    _upload(client_for(personas.officer_a1), case, "a.pdf", PDF)
    attachment = CaseAttachment.objects.get(case=case)
    for who in ("officer_a2", "province_officer_b", "police_a", "hotline", "nobody"):
        client = client_for(getattr(personas, who))
        assert client.get(f"/cases/{case.pk}/attachments/{attachment.pk}/").status_code == 404, who
        assert client.get(f"/api/v1/cases/{case.pk}/attachments/{attachment.pk}/download/").status_code == 404, who
    # An attachment id of another case through this case: 404 as well.
    other = make_case(personas.officer_a2, personas.commune_a2, "Lê Văn Anh")
    client = client_for(personas.officer_a2)
    assert client.get(f"/cases/{other.pk}/attachments/{attachment.pk}/").status_code == 404


def test_too_big_is_refused_in_vietnamese(personas, client_for, case, settings):
    settings.CASE_ATTACHMENT_MAX_BYTES = 1024
    client = client_for(personas.officer_a1)
    response = _upload(client, case, "lon.pdf", PDF + b"0" * 2000)
    assert response.status_code == 400
    assert "Tệp quá lớn: tối đa 1,0\xa0KB cho mỗi tệp." in response.content.decode()
    api = client.post(f"/api/v1/cases/{case.pk}/attachments/", {"file": SimpleUploadedFile("lon.pdf", PDF * 100)})
    assert api.status_code == 400 and "Tệp quá lớn" in api.json()["file"][0]
    assert not CaseAttachment.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("virus.exe", b"MZ\x90\x00"),
        ("gia-pdf.pdf", b"MZ\x90\x00 not a pdf"),
        ("anh.jpg", PNG),
        ("van-ban.docx", b"PK\x03\x04 not really a zip"),
        ("bang.xlsx", _docx()),  # a Word file renamed .xlsx
        ("ghi-chu.txt", b"\x00\x01\x02binary"),
        ("khong-duoi", PDF),
    ],
)
def test_wrong_type_is_refused_in_vietnamese(personas, client_for, case, name, content):
    client = client_for(personas.officer_a1)
    response = _upload(client, case, name, content)
    assert response.status_code == 400
    assert "Loại tệp không được chấp nhận" in response.content.decode()
    assert not CaseAttachment.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("bao-cao.docx", _docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("ghi-chu.txt", "Trẻ đã được đưa đến trạm y tế.".encode(), "text/plain; charset=utf-8"),
        ("anh.jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 16, "image/jpeg"),
    ],
)
def test_allowed_types_are_accepted_by_content(personas, client_for, case, name, content, content_type):
    response = client_for(personas.officer_a1).post(
        f"/api/v1/cases/{case.pk}/attachments/", {"file": SimpleUploadedFile(name, content), "description": "x"}
    )
    assert response.status_code == 201, response.content
    assert response.json()["content_type"] == content_type


def test_read_only_roles_cannot_add(personas, client_for, case):
    client = client_for(personas.province_officer_a)
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    assert _upload(client, case, "a.pdf", PDF).status_code == 404
    assert client.post(f"/cases/{case.pk}/notes/", {"text": "x"}).status_code == 404
    assert client.post(f"/api/v1/cases/{case.pk}/notes/", {"text": "x"}).status_code == 404
    assert not CaseAttachment.objects.exists() and not CaseNote.objects.exists()
    assert "Lưu ghi chú" not in client.get(f"/cases/{case.pk}/").content.decode()


def test_note_through_htmx_returns_the_timeline(personas, client_for, case):
    client = client_for(personas.officer_a1)
    response = client.post(f"/cases/{case.pk}/notes/", {"text": "Đã gặp mẹ của trẻ."}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card" id="timeline"')
    assert "Đã gặp mẹ của trẻ." in html and "Đã lưu ghi chú." in html
    note = CaseNote.objects.get(case=case)
    assert note.author == personas.officer_a1
    assert case.events.filter(event_type="note", details__note_id=note.pk).exists()

    empty = client.post(f"/cases/{case.pk}/notes/", {"text": "   "}, HTTP_HX_REQUEST="true")
    assert empty.status_code == 400 and "Lỗi:" in empty.content.decode()

    plain = client.post(f"/cases/{case.pk}/notes/", {"text": "Không dùng htmx."})
    assert plain.status_code == 302 and plain["Location"].endswith("#timeline")


def test_notes_through_the_api(personas, client_for, case):
    client = client_for(personas.chair_a1)
    created = client.post(
        f"/api/v1/cases/{case.pk}/notes/", {"text": "Chủ tịch đã nắm thông tin."}, content_type="application/json"
    )
    assert created.status_code == 201 and created.json()["author"]["username"] == "chair_a1"
    assert (
        client.post(f"/api/v1/cases/{case.pk}/notes/", {"text": ""}, content_type="application/json").status_code == 400
    )
    notes = client_for(personas.province_officer_a).get(f"/api/v1/cases/{case.pk}/notes/").json()
    assert [n["text"] for n in notes] == ["Chủ tịch đã nắm thông tin."]
    timeline = client.get(f"/api/v1/cases/{case.pk}/timeline/").json()
    assert timeline[-1]["event_type"] == "note" and timeline[-1]["note"] == "Chủ tịch đã nắm thông tin."
