"""The report as a document an official can sign (issue 12, "The document"): the issuing body's symbol and signer
as data an admin edits, "DỰ THẢO" on every page until the run is locked after its cut-off, captions kept with
their tables, every header cell filled, zero rows folded into one line (the XLSX keeps them), unit names in lower
case inside sentences, one date format in the XLSX and no formula in any cell (issue 13). The rendered PDFs are
kept in tests/.artifacts/ for a person to look at (pdftoppm -png -r 60)."""

from __future__ import annotations

import datetime
import io
import subprocess
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from openpyxl import Workbook, load_workbook

from childprotect.official_documents import abbreviation, body_without_unit, unit_heading, unit_in_sentence
from childprotect.services import do_create_agency
from childprotect.spreadsheets import cell
from reporting.document import issuer_for
from reporting.models import ReportIssuer, ReportRun
from reporting.services import do_lock_report
from tests.reporting.conftest import YEAR, request_report

pytestmark = pytest.mark.django_db(transaction=False)

ARTIFACTS = Path(settings.BASE_DIR) / "tests" / ".artifacts"
DRAFT = "DỰ THẢO"


@pytest.fixture
def generate(
    personas,
    client_for,
    known_year,
    calendar_year_schedule,
    eager_celery,
    report_storage,
    django_capture_on_commit_callbacks,
):
    client = client_for(personas.province_officer_a)

    def run() -> ReportRun:
        with django_capture_on_commit_callbacks(execute=True):
            response = request_report(client, document_number="5")
        assert response.status_code == 202, response.content
        return ReportRun.objects.get(pk=response.json()["id"])

    return client, run


def _download(client, run: ReportRun, file_format: str = "pdf") -> bytes:
    response = client.get(f"/api/v1/reports/{run.pk}/{file_format}/")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def _keep(name: str, data: bytes) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    path.write_bytes(data)
    return path


def _pages(path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout
    return [page for page in text.split("\f") if page.strip()]


def _flat(pages: list[str]) -> str:
    return " ".join(" ".join(pages).split())


def _health_department(personas):
    return do_create_agency(
        acting_user=None,
        code="SYT-19",
        name="Sở Y tế tỉnh Thái Nguyên",
        sector="child_protection",
        level="province",
        unit=personas.province_a,
    )


def test_unit_names_read_in_lower_case_inside_a_sentence() -> None:
    assert unit_in_sentence("Tỉnh Thái Nguyên") == "tỉnh Thái Nguyên"
    assert unit_in_sentence("Thành phố Hồ Chí Minh") == "thành phố Hồ Chí Minh"
    assert unit_in_sentence("Đặc khu Phú Quốc") == "đặc khu Phú Quốc"
    assert unit_in_sentence("Phường Phan Đình Phùng") == "phường Phan Đình Phùng"
    assert unit_in_sentence("Thái Nguyên") == "Thái Nguyên"  # no kind of unit: a proper name stays as it is
    assert unit_heading("tỉnh Thái Nguyên") == "Tỉnh Thái Nguyên"
    assert body_without_unit("Sở Y tế tỉnh Thái Nguyên", ["Tỉnh Thái Nguyên", "Thái Nguyên"]) == "Sở Y tế"
    assert abbreviation("Sở Y tế") == "SYT" and abbreviation("Phòng Văn hóa - Xã hội") == "PVHXH"


def test_the_symbol_is_bc_and_the_bodys_abbreviation_and_an_admin_sets_the_signer(personas) -> None:
    _health_department(personas)
    issuer = issuer_for(personas.province_a)
    assert issuer.symbol == "BC-SYT"  # not "BC-SYTTTN": the province is the parent body, not part of the name
    assert issuer.parent_body == "UBND TỈNH THÁI NGUYÊN" and issuer.issuer_lines == ["SỞ Y TẾ"]
    assert issuer.recipients[1] == "UBND tỉnh Thái Nguyên"

    configured = ReportIssuer.objects.create(
        unit=personas.province_a,
        parent_body="UBND tỉnh Thái Nguyên",
        issuer_name="Sở Y tế",
        issuer_abbreviation="syt",
        signer_authority="KT. Giám đốc",
        signer_title="Phó Giám đốc",
        signer_name="Nguyễn Thị Hòa",
    )
    issuer = issuer_for(personas.province_a)
    assert issuer.symbol == "BC-SYT"
    [signer] = issuer.signers
    assert (signer.authority, signer.title, signer.name) == ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Thị Hòa")
    configured.document_symbol = "BC-SYT-BVTE"
    configured.save()
    assert issuer_for(personas.province_a).symbol == "BC-SYT-BVTE"


def test_the_pdf_is_a_draft_on_every_page_until_locked_then_signed(personas, generate) -> None:
    client, make = generate
    _health_department(personas)
    ReportIssuer.objects.create(
        unit=personas.province_a,
        parent_body="UBND tỉnh Thái Nguyên",
        issuer_name="Sở Y tế",
        issuer_abbreviation="SYT",
        signer_authority="KT. GIÁM ĐỐC",
        signer_title="PHÓ GIÁM ĐỐC",
        signer_name="Nguyễn Thị Hòa",
    )
    run = make()
    draft = _pages(_keep("annual-draft.pdf", _download(client, run)))
    assert len(draft) >= 2
    assert all(DRAFT in page for page in draft)  # the first page included
    flat = _flat(draft)
    assert "Số: 05/BC-SYT " in flat and "SỞ Y TẾ" in flat and "UBND TỈNH THÁI NGUYÊN" in flat
    assert "KT. GIÁM ĐỐC" in flat and "PHÓ GIÁM ĐỐC" in flat and "Nguyễn Thị Hòa" in flat

    assert client.post(f"/api/v1/reports/{run.pk}/lock/").status_code == 200
    signed = _pages(_keep("annual-locked.pdf", _download(client, run)))
    assert len(signed) == len(draft)
    assert not any(DRAFT in page for page in signed)
    assert "Nguyễn Thị Hòa" in _flat(signed)
    fonts = subprocess.run(
        ["pdffonts", str(ARTIFACTS / "annual-locked.pdf")], capture_output=True, check=True, text=True
    ).stdout
    families = {line.split()[0].split("+")[-1].split("-")[0] for line in fonts.splitlines()[2:]}
    assert families <= {"Tinos", "LiberationSerif"}, fonts  # a Times-compatible face, embedded, no fallback
    assert all(" yes " in line for line in fonts.splitlines()[2:])


def test_a_run_before_its_cutoff_stays_a_draft_once_locked(personas, generate) -> None:
    _client, make = generate
    with time_machine.travel(datetime.datetime(YEAR, 12, 20, 3, 0, tzinfo=datetime.UTC), tick=False):
        run = make()
    # The session began after the trip back in time; the service locks as the page would.
    run = do_lock_report(acting_user=personas.province_officer_a, run=run)
    pages = _pages(_keep("annual-provisional-locked.pdf", run.pdf.read()))
    assert all(DRAFT in page for page in pages)
    assert f"tạm tính đến ngày 20/12/{YEAR}; chốt số liệu ngày 31/12/{YEAR}" in _flat(pages)
    about = list(load_workbook(io.BytesIO(run.xlsx.read()))["Thông tin"].iter_rows(values_only=True))
    assert ("Số liệu", "Dự thảo: số liệu lấy trước ngày chốt, sẽ thay đổi.") in [r[:2] for r in about]


def test_tables_keep_their_captions_fill_the_header_and_fold_zero_rows(personas, generate) -> None:
    client, make = generate
    run = make()
    pages = _pages(_keep("annual-tables.pdf", _download(client, run)))
    for page in pages:
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        assert not lines[-1].startswith("Bảng "), lines[-1]  # no caption left alone at a page's foot
    flat = _flat(pages)
    assert "trên địa bàn tỉnh Thái Nguyên đã tiếp nhận" in flat
    assert "Chỉ tiêu Số vụ việc" in flat  # the first header cell says what the rows are
    starts = {line.split()[0] for page in pages for line in page.splitlines() if line.strip()}
    assert {"Tháng", "Đơn", "Cơ"} <= starts  # "Tháng", "Đơn vị", "Cơ quan nhận" head the other tables
    assert "Các chỉ tiêu sau đều bằng 0: Bóc lột; Mua bán; Bỏ rơi; Bỏ mặc; Hình thức gây tổn hại khác." in flat
    assert "Bóc lột 0" not in flat and "Xâm hại tình dục 33" in flat
    assert "01/2024 0 0 0 0 0" in flat  # a time series keeps its zero months
    assert len(pages) <= 8  # 10 before the zero rows were folded (the demo province: 14 before, 8 now)
    assert "Giới tính" in flat and "Nhóm tuổi" in flat  # an indicator's disaggregations, as groups of one table

    # The XLSX keeps every row, names its first column, and holds dates as dates.
    book = load_workbook(io.BytesIO(_download(client, run, "xlsx")))
    rows = list(book["Số liệu"].iter_rows(values_only=True))
    forms = rows.index(next(r for r in rows if r[0] == "Bảng 1.2. Vụ việc xâm hại theo hình thức"))
    assert rows[forms + 1][:2] == ("Chỉ tiêu", "Số vụ việc")
    assert ("Bóc lột", 0) in [r[:2] for r in rows[forms + 2 : forms + 10]]
    about = book["Thông tin"]
    dates = {
        about.cell(row=r, column=1).value: about.cell(row=r, column=2)
        for r in range(1, about.max_row + 1)
        if about.cell(row=r, column=1).value in {"Từ ngày", "Đến ngày", "Chốt số liệu", "Hạn gửi", "Ngày lập"}
    }
    assert len(dates) == 5
    assert dates["Từ ngày"].value == datetime.datetime(YEAR, 1, 1)  # noqa: DTZ001 (a spreadsheet date is naive)
    assert {c.number_format for name, c in dates.items() if name != "Chốt số liệu"} == {"dd/mm/yyyy"}
    assert dates["Chốt số liệu"].number_format == "dd/mm/yyyy hh:mm"
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for value in row:
                assert value.data_type != "f", (sheet.title, value.coordinate, value.value)


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x","y")', "+1+2", "-3", "@SUM(A1)", "\t=1", "\r=1"])
def test_text_that_looks_like_a_formula_is_written_as_text(text) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("x")
    sheet.append([cell(sheet, text), cell(sheet, 5), cell(sheet, datetime.date(2027, 4, 30))])
    out = io.BytesIO()
    book.save(out)
    read = load_workbook(io.BytesIO(out.getvalue()))["x"]
    # (XML reads a carriage return back as a line feed)
    assert read["A1"].value == text.replace("\r", "\n") and read["A1"].data_type == "s" and read["A1"].quotePrefix
    assert read["B1"].value == 5 and read["B1"].data_type == "n"
    assert read["C1"].value == datetime.datetime(2027, 4, 30)  # noqa: DTZ001 (a spreadsheet date is naive)
    assert read["C1"].number_format == "dd/mm/yyyy"


def test_an_admin_edits_the_issuing_body_and_its_signer(personas, client_for, settings) -> None:
    client = client_for(personas.admin)
    page = client.get(f"/{settings.ADMIN_URL}reporting/reportissuer/add/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Người ký (NĐ 30/2020)" in text
    for name in ("document_symbol", "signer_authority", "signer_title", "signer_name"):
        assert f'name="{name}"' in text
