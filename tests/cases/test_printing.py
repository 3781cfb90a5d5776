"""Printing the case file (cases/printing/): each statutory form filled from its record, the whole file as one PDF,
in one Times-compatible font with every Vietnamese letter (no fallback), through the access rules (outsiders 404,
page and API), audited, with no child data in a URL; the informant printed only for who may see them."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from unittest import mock

import pytest
from django.urls import reverse

from cases.casefile import load_case_file
from cases.printing.forms import FORMS, printable_forms
from childprotect.models import AuditEvent
from tests.cases.conftest import CASEFILE_CHILD, CASEFILE_REPORTER, TYPED, make_full_case
from tests.conftest import ALLOWED_FONTS, pdf_fonts, pdf_text
from tests.personas import Personas

ARTIFACTS = Path(__file__).resolve().parent.parent / ".artifacts"

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is missing")


@pytest.fixture(autouse=True)
def _no_broker():
    with mock.patch("childprotect.tasks.deliver_email_task.delay"):
        yield


def test_every_form_prints_from_its_record(personas: Personas, client_for, tmp_path: Path) -> None:
    case = make_full_case(personas)
    cf = load_case_file(case, user=personas.officer_a1)
    printable = printable_forms(cf)
    assert {p.spec.slug for p in printable} == {spec.slug for spec in FORMS}
    client = client_for(personas.officer_a1)
    expected = {
        "mau-01": [
            CASEFILE_CHILD,
            TYPED["id_number"],
            TYPED["caregiver"],
            TYPED["summary"],
            CASEFILE_REPORTER,
            "Thái",
            "Dâm ô",
        ],
        "mau-02": [TYPED["initial_findings"], "Cao"],
        "mau-07": [TYPED["separation_number"], TYPED["placement"], "QUYẾT ĐỊNH", "CHỦ TỊCH"],
        "mau-03": [TYPED["child_condition"], TYPED["self_protection"], TYPED["child_views"], "d) Khả năng học tập"],
        "bien-ban-hop": [TYPED["participants"], TYPED["decisions"]],
        "mau-04": [TYPED["goals"], TYPED["service"], TYPED["responsible_person"], TYPED["cost"]],
        "mau-05": [TYPED["approval_number"], TYPED["service"], "Căn cứ Luật Trẻ em"],
        "mau-06": [TYPED["review_findings"], "Đề nghị kết thúc kế hoạch"],
    }
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for item in printable:
        response = client.get(item.url)
        assert response.status_code == 200, item.url
        assert response["Content-Type"] == "application/pdf"
        assert re.fullmatch(r'attachment; filename="ho-so-\d+-[a-z0-9-]+-\d+\.pdf"', response["Content-Disposition"])
        (ARTIFACTS / f"print-{item.spec.slug}.pdf").write_bytes(response.content)
        text = pdf_text(response.content, tmp_path, item.spec.slug)
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
        for value in expected[item.spec.slug]:
            assert value in text, f"{item.spec.slug}: {value!r} missing"
        fonts = pdf_fonts(response.content, tmp_path)
        assert fonts and all(any(ok in font for ok in ALLOWED_FONTS) for font in fonts), fonts


def test_the_whole_file_is_one_pdf_with_every_typed_value(personas: Personas, client_for, tmp_path: Path) -> None:
    case = make_full_case(personas)
    response = client_for(personas.officer_a1).get(reverse("cases:print-file", args=[case.pk]))
    assert response.status_code == 200
    (ARTIFACTS / "print-ho-so.pdf").write_bytes(response.content)
    text = pdf_text(response.content, tmp_path)
    for name, value in TYPED.items():
        assert value in text, f"{name}: {value!r} missing from the whole file"
    fonts = pdf_fonts(response.content, tmp_path)
    assert all(any(ok in font for ok in ALLOWED_FONTS) for font in fonts), fonts


def test_printing_is_audited_without_child_data(personas: Personas, client_for) -> None:
    case = make_full_case(personas, until="received")
    client_for(personas.officer_a1).get(reverse("cases:print-form", args=[case.pk, "mau-01", case.pk]))
    event = AuditEvent.objects.filter(action="export", target_id=str(case.pk)).get()
    assert event.details == {"case_number": case.case_number, "printed": "mau-01", "record_id": case.pk}
    assert CASEFILE_CHILD not in str(event.details)


def test_urls_carry_no_child_data(personas: Personas) -> None:
    case = make_full_case(personas)
    for item in printable_forms(load_case_file(case, user=personas.officer_a1)):
        assert re.fullmatch(r"/cases/\d+/print/[a-z0-9-]+/\d+\.pdf", item.url), item.url


def test_outsiders_get_404_on_page_and_api(personas: Personas, client_for) -> None:
    case = make_full_case(personas)
    initial = case.assessments.get(kind="initial")
    urls = [
        reverse("cases:print", args=[case.pk]),
        reverse("cases:print-file", args=[case.pk]),
        reverse("cases:print-form", args=[case.pk, "mau-02", initial.pk]),
        f"/api/v1/cases/{case.pk}/forms/",
        f"/api/v1/cases/{case.pk}/forms/mau-02/{initial.pk}/pdf/",
        f"/api/v1/cases/{case.pk}/file/pdf/",
    ]
    for outsider in (personas.officer_a2, personas.province_officer_b, personas.police_a, personas.nobody):
        client = client_for(outsider)
        for url in urls:
            assert client.get(url).status_code == 404, (outsider.username, url)
    assert not AuditEvent.objects.filter(action="export").exists()


def test_a_record_of_another_case_or_an_unknown_form_is_404(personas: Personas, client_for) -> None:
    case = make_full_case(personas)
    other = make_full_case(personas, until="received")
    initial = case.assessments.get(kind="initial")
    client = client_for(personas.officer_a1)
    assert client.get(reverse("cases:print-form", args=[other.pk, "mau-02", initial.pk])).status_code == 404
    assert client.get(reverse("cases:print-form", args=[case.pk, "mau-99", initial.pk])).status_code == 404
    # A form whose step is not recorded yet cannot be printed.
    assert client.get(reverse("cases:print-form", args=[other.pk, "mau-06", other.pk])).status_code == 404


def test_the_informant_is_printed_only_for_who_may_see_them(personas: Personas, client_for, tmp_path: Path) -> None:
    case = make_full_case(personas, until="received")
    url = reverse("cases:print-form", args=[case.pk, "mau-01", case.pk])
    assert CASEFILE_REPORTER in pdf_text(client_for(personas.officer_a1).get(url).content, tmp_path)
    admin_text = pdf_text(client_for(personas.admin).get(url).content, tmp_path)
    assert CASEFILE_REPORTER not in admin_text and "Được bảo mật" in admin_text


def test_the_api_lists_what_can_be_printed(personas: Personas, client_for, tmp_path: Path) -> None:
    case = make_full_case(personas, until="plan")
    client = client_for(personas.officer_a1)
    rows = client.get(f"/api/v1/cases/{case.pk}/forms/").json()
    forms = [row["form"] for row in rows]
    assert forms == ["mau-01", "mau-02", "mau-07", "mau-03", "bien-ban-hop", "mau-04", "mau-05", "ho-so"]
    draft = next(row for row in rows if row["form"] == "mau-05")
    response = client.get(draft["url"])
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    # Submitted, not yet approved: the decision prints as a draft for the chair to sign.
    assert "DỰ THẢO" in pdf_text(response.content, tmp_path)
    whole = client.get(rows[-1]["url"])
    assert whole.status_code == 200 and CASEFILE_CHILD in pdf_text(whole.content, tmp_path)


def test_the_print_page_lists_forms(personas: Personas, client_for) -> None:
    case = make_full_case(personas, until="received")
    body = client_for(personas.officer_a1).get(reverse("cases:print", args=[case.pk])).content.decode()
    assert "Mẫu 01" in body and reverse("cases:print-file", args=[case.pk]) in body
    assert "Mẫu 06" in body  # listed under what cannot be printed yet
