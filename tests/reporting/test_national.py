"""The national role (Cục Bà mẹ và Trẻ em, Bộ Y tế): every province's figures, exactly those its own officers
see, the whole country the sum of the provinces; the drill-down country → province → commune; the report
archive of every province, read only; every province's directives, read only. Never a link to a case list."""

from __future__ import annotations

import datetime
import json
import re

import pytest
import time_machine

from reporting.models import ReportRun
from tests.reporting.conftest import YEAR, request_report
from tests.reporting.known_sections import build_known_sections

pytestmark = pytest.mark.django_db

PERIOD = {"from": f"{YEAR}-01-01", "to": f"{YEAR}-12-31"}
# Columns that are rates or medians, not counts: a country's is not the sum of its provinces'.
NOT_ADDITIVE = ("median_hours", "on_time_pct", "on_time_rate")


@pytest.fixture
def known_everything(personas, known_year):
    """The known cases (conftest.py) and the known referrals and directive tasks (known_sections.py)."""
    build_known_sections(personas)
    return known_year


def _dashboard(client, **params):
    response = client.get("/api/v1/dashboard/", {**PERIOD, **params})
    assert response.status_code == 200, response.content
    return response.json()


def test_the_national_officer_sees_each_unit_exactly_as_its_own_officers(
    personas, client_for, known_everything
) -> None:
    national = client_for(personas.national)
    own = {
        "19": client_for(personas.province_officer_a),
        "01": client_for(personas.province_officer_b),
        "05713": client_for(personas.officer_a1),
        "05767": client_for(personas.officer_a2),
        "00004": client_for(personas.province_officer_b),
    }
    for code, client in own.items():
        theirs = _dashboard(client, unit=code)
        ours = _dashboard(national, unit=code)
        assert ours["unit"] == theirs["unit"]
        assert ours["figures"] == theirs["figures"], code
        assert ours["totals"] == theirs["totals"], code
    # The known numbers themselves (test_dashboard_figures.py), through the national role.
    f = _dashboard(national, unit="19")["figures"]
    assert f["abuse_forms.sexual_abuse.cases"] == 33
    assert f["accidents.total.death"] == 32
    assert f["abuse_settings.school.cases"] == 13


def test_the_whole_country_is_the_sum_of_the_provinces(personas, client_for, known_everything) -> None:
    national = client_for(personas.national)
    country = _dashboard(national)
    assert country["unit"] is None
    provinces = {code: _dashboard(national, unit=code) for code in ("19", "01")}
    checked = 0
    for key, value in country["figures"].items():
        table, _row, column = key.split(".", 2)
        if table == "cases_by_area" or column in NOT_ADDITIVE:
            continue
        total = sum(p["figures"].get(key) or 0 for p in provinces.values())
        assert value == total, key
        checked += 1
    assert checked > 100
    for code, province in provinces.items():
        assert country["figures"][f"cases_by_area.{code}.total"] == province["figures"]["cases_by_kind.total.cases"]
    assert country["totals"]["cases"] == sum(p["totals"]["cases"] for p in provinces.values())
    # And it is what an admin sees of the whole country.
    assert country["figures"] == _dashboard(client_for(personas.admin))["figures"]


def test_the_figures_link_to_no_list_only_to_other_dashboards(personas, client_for, known_everything) -> None:
    national = client_for(personas.national)
    for params in ({}, {"unit": "19"}, {"unit": "05713"}):
        data = _dashboard(national, **params)
        links = [
            link
            for section in data["sections"]
            for table in section["tables"]
            for row in table["rows"]
            for link in row["links"].values()
            if link
        ]
        assert all(link.startswith("/reports/dashboard/?") for link in links), links[:5]
        assert "/cases/" not in json.dumps(data) and "/directives/" not in json.dumps(data)
    # The drill-down: the country's rows are provinces, a province's rows are its communes.
    areas = {
        row["key"]: row["links"]["total"]
        for section in _dashboard(national)["sections"]
        for table in section["tables"]
        if table["key"] == "cases_by_area"
        for row in table["rows"]
    }
    assert set(areas) >= {"19", "01"}
    assert "unit=19" in areas["19"] and f"from={YEAR}-01-01" in areas["19"]


def test_the_dashboard_page_drills_down_from_the_country_to_a_commune(personas, client_for, known_everything) -> None:
    national = client_for(personas.national)
    country = national.get("/reports/dashboard/", PERIOD)
    assert country.status_code == 200
    page = country.content.decode()
    assert "Toàn quốc" in page and "Thái Nguyên" in page and "Hà Nội" in page
    assert f'href="/reports/dashboard/?from={YEAR}-01-01&amp;to={YEAR}-12-31&amp;unit=19"' in page
    assert 'href="/cases/' not in page
    province = national.get("/reports/dashboard/", {**PERIOD, "unit": "19"}).content.decode()
    assert "Phan Đình Phùng" in province and "Đại Phúc" in province
    assert f'href="/reports/dashboard/?from={YEAR}-01-01&amp;to={YEAR}-12-31&amp;unit=05713"' in province
    assert 'href="/cases/' not in province
    commune = national.get("/reports/dashboard/", {**PERIOD, "unit": "05713"})
    assert commune.status_code == 200
    body = commune.content.decode()
    # The way back up: the country, then the province.
    assert 'aria-current="page">Phường Phan Đình Phùng' in body
    assert f'href="/reports/dashboard/?from={YEAR}-01-01&amp;to={YEAR}-12-31&amp;unit=19">Tỉnh Thái Nguyên' in body
    assert 'href="/cases/' not in body
    # A unit that does not exist is the same 404 as everywhere.
    assert national.get("/reports/dashboard/", {"unit": "99999"}).status_code == 404


def test_the_national_officer_reads_every_provinces_reports_and_makes_none(
    personas, client_for, known_year, calendar_year_schedule, eager_celery, report_storage,
    django_capture_on_commit_callbacks,
) -> None:  # fmt: skip
    runs = []
    for who, unit in ((personas.province_officer_a, "19"), (personas.province_officer_b, "01")):
        with django_capture_on_commit_callbacks(execute=True):
            response = request_report(client_for(who), unit=unit)
        assert response.status_code == 202, response.content
        runs.append(ReportRun.objects.get(pk=response.json()["id"]))
    national = client_for(personas.national)
    listed = national.get("/api/v1/reports/").json()
    assert {row["id"] for row in listed["results"]} == {run.pk for run in runs}
    archive = national.get("/reports/")
    assert archive.status_code == 200
    page = archive.content.decode()
    assert "Thái Nguyên" in page and "Hà Nội" in page
    assert 'action="/reports/generate/"' not in page
    # One province's reports: the archive narrowed by the province picker.
    narrowed = national.get("/reports/", {"unit": "01"}).content.decode()
    assert f'href="/reports/{runs[1].pk}/"' in narrowed and f'href="/reports/{runs[0].pk}/"' not in narrowed
    assert '<option value="01" selected>' in narrowed
    for run in runs:
        detail = national.get(f"/reports/{run.pk}/")
        assert detail.status_code == 200
        body = detail.content.decode()
        assert 'href="/cases/' not in body
        assert f'action="/reports/{run.pk}/lock/"' not in body and f'action="/reports/{run.pk}/review/"' not in body
        assert national.get(f"/reports/{run.pk}/download/pdf/").status_code == 200
        assert national.get(f"/api/v1/reports/{run.pk}/xlsx/").status_code == 200
        # Read only: no review, no lock, no new version, through the page or the API.
        assert national.post(f"/api/v1/reports/{run.pk}/lock/").status_code in (403, 404)
        assert national.post(f"/api/v1/reports/{run.pk}/review/", {}).status_code in (403, 404)
        assert national.post(f"/reports/{run.pk}/lock/").status_code in (400, 403, 404)
    assert request_report(national, unit="19").status_code in (400, 403, 404)
    assert national.post("/reports/generate/", {"kind": "annual", "year": YEAR, "unit": "19"}).status_code in (
        400,
        404,
    )
    assert ReportRun.objects.count() == 2
    assert all(run.status == "ready" for run in ReportRun.objects.all())


def test_the_national_officer_follows_every_provinces_directives_read_only(personas, client_for) -> None:
    from tests.reporting.known_sections import build_known_sections

    build_known_sections(personas)
    national = client_for(personas.national)
    province = client_for(personas.province_officer_a)
    theirs = province.get("/api/v1/directive-tasks/").json()["count"]
    ours = national.get("/api/v1/directive-tasks/").json()["count"]
    assert ours >= theirs > 0
    # The board: one row per province, each what that province's officer sees on their own board; a province's
    # row opens the board of that province (its leads).
    year = {"year": YEAR}
    board = national.get("/directives/board/", year)
    assert board.status_code == 200
    by_province = {row.lead.code: row.lead for row in board.context["by_province"]}
    assert set(by_province) == {"19", "01"}
    for code, who in (("19", personas.province_officer_a), ("01", personas.province_officer_b)):
        theirs = client_for(who).get("/directives/board/", year).context
        assert {key: by_province[code].as_dict()[key] for key in theirs["totals"]} == theirs["totals"], code
        narrowed = national.get("/directives/board/", {**year, "province": code}).context
        assert narrowed["totals"] == theirs["totals"]
        assert [r.lead.code for r in narrowed["rows"]] == [r.lead.code for r in theirs["rows"]]
    assert f'href="/directives/board/?year={YEAR}&amp;province=19"' in board.content.decode()
    assert national.get("/api/v1/directive-compliance/").status_code == 200
    assert national.get("/directives/").status_code == 200
    assert national.get("/directives/new/").status_code == 404


def test_the_national_home_page_shows_the_country_and_where_to_go(
    personas, client_for, known_everything, django_assert_max_num_queries
) -> None:
    national = client_for(personas.national)
    national.get("/")
    with time_machine.travel(datetime.datetime(YEAR, 12, 31, 12, tzinfo=datetime.UTC), tick=False):
        # session, user, OTP device; the units; the figures of the country (see test_dashboard_figures.py); the
        # locked reports; the directive tasks by status; the bell and the to-do list.
        with django_assert_max_num_queries(25):
            response = national.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Chưa được giao địa bàn" not in page
    assert "Cán bộ Cục Bà mẹ và Trẻ em (Bộ Y tế)" in page and "Toàn quốc" in page
    # This year's headline of the country, the very cells of the country dashboard.
    country = _dashboard(national, **{"from": f"{YEAR}-01-01", "to": f"{YEAR}-12-31"})
    received = country["figures"]["cases_by_kind.total.cases"]
    assert re.search(rf'<dt>Vụ việc tiếp nhận</dt>\s*<dd><a href="/reports/dashboard/">{received}</a>', page)
    for link in ('href="/reports/dashboard/"', 'href="/reports/"', 'href="/directives/board/"'):
        assert link in page, link
    # Statistics only: no case, referral or transfer entry in the menu or on the page.
    assert 'href="/cases/' not in page
