"""Issue 6: referrals by agency (median time to accept, % answered on time) and directive tasks per lead (on time,
late, overdue) on the dashboard, in its JSON, and in the periodic report's XLSX and PDF — exactly the known
figures (known_sections.py), each count linking to a list of exactly what it counts, never a figure of another
province, in a fixed number of queries."""

from __future__ import annotations

import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from reporting.figures.compute import compute_figures
from reporting.figures.types import Scope
from reporting.models import ReportRun
from tests.reporting.conftest import YEAR, pdf_text, request_report
from tests.reporting.known_sections import (
    REFERRAL_COLUMNS,
    REFERRALS,
    TASK_COLUMNS,
    TASKS,
    KnownSections,
    build_known_sections,
)

pytestmark = pytest.mark.django_db

PERIOD = {"from": f"{YEAR}-01-01", "to": f"{YEAR}-12-31"}


@pytest.fixture
def known(personas) -> KnownSections:
    return build_known_sections(personas)


def _dashboard(client, **params):
    response = client.get("/api/v1/dashboard/", params)
    assert response.status_code == 200, response.content
    return response.json()


def _rows(figures: dict, table: str, columns: tuple[str, ...]) -> dict[str, tuple]:
    keys = {key.split(".")[1] for key in figures if key.startswith(f"{table}.")}
    return {key: tuple(figures[f"{table}.{key}.{column}"] for column in columns) for key in keys}


def test_the_known_figures_in_the_dashboard_json_the_xlsx_and_the_pdf(
    personas,
    client_for,
    known,
    calendar_year_schedule,
    eager_celery,
    report_storage,
    tmp_path,
    django_capture_on_commit_callbacks,
) -> None:
    client = client_for(personas.province_officer_a)
    data = _dashboard(client, unit="19", **PERIOD)
    figures = data["figures"]
    assert _rows(figures, "referrals_by_agency", REFERRAL_COLUMNS) == REFERRALS
    assert _rows(figures, "directive_tasks_by_lead", TASK_COLUMNS) == TASKS
    assert data["totals"]["referrals"] == 4 and data["totals"]["referrals_overdue"] == 1
    assert data["totals"]["directive_deadlines_overdue"] == 1
    keys = [section["key"] for section in data["sections"]]
    assert keys.index("progress") < keys.index("referrals") < keys.index("directive_tasks") < keys.index("trend")
    referrals = next(s for s in data["sections"] if s["key"] == "referrals")["tables"][0]
    assert [c["key"] for c in referrals["columns"]] == list(REFERRAL_COLUMNS)
    assert [r["label"] for r in referrals["rows"]] == [
        "Công an tỉnh Thái Nguyên",
        "Sở Y tế tỉnh Thái Nguyên",
        "Tổng cộng",
    ]
    # Nothing renamed: the case figures and the top-level keys are as before.
    assert set(data) == {"unit", "from", "to", "kind", "as_of", "totals", "sections", "figures"}
    assert figures["cases_by_kind.total.cases"] == 1 and data["totals"]["cases"] == 1

    # The annual report of province A for YEAR: the same tables in the XLSX and the PDF.
    with django_capture_on_commit_callbacks(execute=True):
        response = request_report(client)
    assert response.status_code == 202, response.content
    run = ReportRun.objects.get(pk=response.json()["id"])
    detail = client.get(f"/api/v1/reports/{run.pk}/").json()
    assert detail["status"] == "ready", detail
    assert _rows(detail["figures"]["figures"], "referrals_by_agency", REFERRAL_COLUMNS) == REFERRALS
    assert _rows(detail["figures"]["figures"], "directive_tasks_by_lead", TASK_COLUMNS) == TASKS

    book = load_workbook(io.BytesIO(b"".join(client.get(detail["xlsx"]).streaming_content)), read_only=True)
    rows = list(book["Số liệu"].iter_rows(values_only=True))
    titles = [i for i, r in enumerate(rows) if r and isinstance(r[0], str) and r[0].startswith("Bảng ")]
    by_table = {}
    for start, end in zip(titles, [*titles[1:], len(rows)], strict=True):
        by_table[rows[start][0].split(". ", 1)[1]] = {r[0]: r[1:] for r in rows[start + 2 : end] if r and r[0]}
    referral_rows = by_table["Chuyển gửi theo cơ quan nhận"]
    assert referral_rows["Công an tỉnh Thái Nguyên"][:6] == REFERRALS["CA-19"]
    assert referral_rows["Sở Y tế tỉnh Thái Nguyên"][:6] == REFERRALS["SYT-19"]
    assert referral_rows["Tổng cộng"][:6] == REFERRALS["total"]
    task_rows = by_table["Nhiệm vụ theo văn bản chỉ đạo, theo đơn vị chủ trì"]
    assert task_rows["Sở Giáo dục và Đào tạo tỉnh Thái Nguyên"][:4] == TASKS["SGDDT-19"]
    assert task_rows["Công an tỉnh Thái Nguyên"][:4] == TASKS["CA-19"]
    assert task_rows["Phường Phan Đình Phùng"][:4] == TASKS["05713"]
    assert task_rows["Tổng cộng"][:4] == TASKS["total"]

    text = " ".join(pdf_text(b"".join(client.get(detail["pdf"]).streaming_content), tmp_path).split())
    assert "Chuyển gửi theo cơ quan nhận" in text
    assert "Công an tỉnh Thái Nguyên 3 3 0 0 6 66,7" in text
    assert "Sở Y tế tỉnh Thái Nguyên 1 0 0 1 — 0" in text
    assert "Tổng cộng 4 3 0 1 6 50" in text
    assert "Nhiệm vụ theo văn bản chỉ đạo, theo đơn vị chủ trì" in text
    assert "Công an tỉnh Thái Nguyên 0 0 1 0" in text
    assert "Phường Phan Đình Phùng 1 0 0 100" in text
    assert "Tổng cộng 2 1 1 50" in text
    assert (
        "Chuyển gửi liên ngành: 4 lượt chuyển gửi đến các cơ quan, 3 lượt được tiếp nhận; thời gian tiếp nhận "
        "trung vị 6 giờ; 50% được phản hồi đúng hạn." in text
    )
    assert (
        "Thực hiện văn bản chỉ đạo: trong 4 hạn thực hiện nhiệm vụ đã đến, 2 hạn hoàn thành đúng hạn, 1 hạn hoàn "
        "thành trễ hạn và 1 hạn quá hạn chưa hoàn thành." in text
    )


def test_a_commune_sees_its_own_referrals_and_tasks(personas, client_for, known) -> None:
    a1 = _dashboard(client_for(personas.officer_a1), **PERIOD)["figures"]
    assert _rows(a1, "referrals_by_agency", REFERRAL_COLUMNS) == {
        "CA-19": REFERRALS["CA-19"],
        "total": REFERRALS["CA-19"],
    }
    assert _rows(a1, "directive_tasks_by_lead", TASK_COLUMNS) == {"05713": TASKS["05713"], "total": TASKS["05713"]}
    # The province officer's view of the same commune is the same.
    picked = _dashboard(client_for(personas.province_officer_a), unit="05713", **PERIOD)["figures"]
    assert _rows(picked, "referrals_by_agency", REFERRAL_COLUMNS) == _rows(a1, "referrals_by_agency", REFERRAL_COLUMNS)
    assert _rows(picked, "directive_tasks_by_lead", TASK_COLUMNS) == _rows(a1, "directive_tasks_by_lead", TASK_COLUMNS)
    a2 = _dashboard(client_for(personas.officer_a2), **PERIOD)["figures"]
    assert _rows(a2, "referrals_by_agency", REFERRAL_COLUMNS) == {
        "SYT-19": REFERRALS["SYT-19"],
        "total": REFERRALS["SYT-19"],
    }
    assert _rows(a2, "directive_tasks_by_lead", TASK_COLUMNS) == {"total": (0, 0, 0, None)}


def test_the_period_is_the_days_of_sending_and_of_the_due_dates(personas, client_for, known) -> None:
    client = client_for(personas.province_officer_a)
    first_quarter = _dashboard(client, unit="19", **{"from": f"{YEAR}-01-01", "to": f"{YEAR}-03-31"})["figures"]
    assert _rows(first_quarter, "referrals_by_agency", ("referrals", "median_hours")) == {
        "CA-19": (1, 2.0),
        "total": (1, 2.0),
    }
    assert _rows(first_quarter, "directive_tasks_by_lead", TASK_COLUMNS) == {
        "SGDDT-19": (1, 0, 0, 100.0),
        "total": (1, 0, 0, 100.0),
    }
    year_before = _dashboard(client, unit="19", **{"from": f"{YEAR - 1}-01-01", "to": f"{YEAR - 1}-12-31"})
    assert year_before["figures"]["referrals_by_agency.CA-19.referrals"] == 1
    assert year_before["figures"]["directive_tasks_by_lead.SYT-19.overdue"] == 1
    # A kind of case narrows the referrals (of cases of that kind), not the directive tasks.
    accidents = _dashboard(client, unit="19", kind="accident", **PERIOD)["figures"]
    assert _rows(accidents, "referrals_by_agency", ("referrals",)) == {"total": (0,)}
    assert _rows(accidents, "directive_tasks_by_lead", TASK_COLUMNS)["total"] == TASKS["total"]


def test_another_province_never_sees_these_figures(personas, client_for, known) -> None:
    outsider = client_for(personas.province_officer_b)
    assert outsider.get("/api/v1/dashboard/", {"unit": "19", **PERIOD}).status_code == 404
    assert outsider.get("/reports/dashboard/", {"unit": "19", **PERIOD}).status_code == 404
    assert outsider.get("/api/v1/dashboard/", {"unit": "05713", **PERIOD}).status_code == 404
    own = _dashboard(outsider, **PERIOD)
    assert own["unit"]["code"] == "01"
    assert _rows(own["figures"], "referrals_by_agency", ("referrals",)) == {"CA-01": (1,), "total": (1,)}
    assert _rows(own["figures"], "directive_tasks_by_lead", TASK_COLUMNS) == {
        "CA-01": (0, 0, 1, 0.0),
        "total": (0, 0, 1, 0.0),
    }
    page = outsider.get("/reports/dashboard/", PERIOD).content.decode()
    assert "Thái Nguyên" not in page and "SGDDT-19" not in page
    # A commune officer of province A sees nothing of the other commune either.
    assert client_for(personas.officer_a1).get("/api/v1/dashboard/", {"unit": "05767", **PERIOD}).status_code == 404
    # The admin sees both provinces, country-wide.
    country = _dashboard(client_for(personas.admin), **PERIOD)["figures"]
    assert _rows(country, "referrals_by_agency", ("referrals",)) == {
        "CA-19": (3,),
        "SYT-19": (1,),
        "CA-01": (1,),
        "total": (5,),
    }
    assert country["directive_tasks_by_lead.CA-01.overdue"] == 1
    assert country["directive_tasks_by_lead.total.overdue"] == 2


def _listed(client, url: str, noun: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    found = re.search(rf"<caption[^>]*>(\d+) {noun}</caption>", response.content.decode())
    return int(found.group(1)) if found else 0


@pytest.mark.parametrize("who", ["province_officer_a", "officer_a1"])
def test_every_count_links_to_a_list_of_exactly_what_it_counts(personas, client_for, known, who) -> None:
    client = client_for(getattr(personas, who))
    data = _dashboard(client, **PERIOD)
    tables = {t["key"]: t for s in data["sections"] for t in s["tables"]}
    checked = 0
    for key, prefix, noun, counts in [
        ("referrals_by_agency", "/cases/referrals/?", "chuyển gửi", {"referrals", "accepted", "declined", "overdue"}),
        ("directive_tasks_by_lead", "/directives/tasks/?", "nhiệm vụ", {"on_time", "late", "overdue"}),
    ]:
        for row in tables[key]["rows"]:
            for column, value in row["values"].items():
                url = row["links"][column]
                if column not in counts:
                    assert url == "", (key, row["key"], column)  # a median or a rate lists nothing
                    continue
                assert url.startswith(prefix), url
                # One due date per task in this data set, so the task list counts the due dates.
                assert _listed(client, url, noun) == value, (key, row["key"], column, url)
                checked += 1
    assert checked >= (4 * 2 + 3 * 2 if who == "officer_a1" else 4 * 3 + 3 * 4)


def test_the_figures_take_nine_queries_whatever_the_number_of_agencies(
    personas, known, django_assert_num_queries
) -> None:
    scope = Scope(unit=personas.province_a, start=known.start, end=known.end, as_of=timezone.now())
    officer = personas.province_officer_a
    officer.unit  # noqa: B018 - the jurisdiction is loaded once, as in a request
    # Cases: 1 age bands, 2 the one aggregate, 3 ethnicity, 4 months, 5 by commune, 6 the communes' names.
    # Referrals: 7 per agency, 8 the total row. Directive tasks: 9 per lead (the total row sums those rows).
    with django_assert_num_queries(9):
        figures = compute_figures(officer, scope)
    assert figures.table("referrals_by_agency").value("total", "referrals") == 4


def test_the_dashboard_page_shows_both_sections(personas, client_for, known) -> None:
    page = client_for(personas.province_officer_a).get("/reports/dashboard/", PERIOD).content.decode()
    assert '<h2 id="section-referrals">Chuyển gửi liên ngành</h2>' in page
    assert '<h2 id="section-directive_tasks">Thực hiện văn bản chỉ đạo</h2>' in page
    assert "khi các chức năng đó được triển khai" not in page  # the old placeholder note is gone
    # Charts with their values in words: % answered on time per agency; on time / late / overdue per lead.
    assert "Công an tỉnh Thái Nguyên: 66,7; Sở Y tế tỉnh Thái Nguyên: 0." in page
    assert "Sở Giáo dục và Đào tạo tỉnh Thái Nguyên: Đúng hạn 1, Trễ hạn 1, Quá hạn 0" in page
    assert 'class="chart-part-2"' in page
    assert (
        'href="/cases/referrals/?sent_from=2024-01-01&amp;sent_to=2024-12-31&amp;province=19&amp;agency=CA-19'
        '&amp;state=all">3</a>' in page
    )
    assert (
        'href="/directives/tasks/?agency=CA-19&amp;due_from=2024-01-01&amp;due_to=2024-12-31'
        '&amp;due_status=overdue">1</a>' in page
    )
    assert "style=" not in page  # CSP: no inline styles


def test_the_sections_say_when_there_is_nothing(personas, client_for) -> None:
    data = _dashboard(client_for(personas.province_officer_a), **PERIOD)
    sections = {s["key"]: s for s in data["sections"]}
    assert "Không có chuyển gửi nào" in sections["referrals"]["note"]
    assert "Không có nhiệm vụ nào có hạn" in sections["directive_tasks"]["note"]
    assert data["figures"]["referrals_by_agency.total.on_time_pct"] is None
    page = client_for(personas.province_officer_a).get("/reports/dashboard/", PERIOD).content.decode()
    assert 'id="chart-referrals_by_agency-title"' not in page  # no empty chart
