"""The dashboard's figures for a province with known cases: exactly those numbers in the JSON, each linking to
a case list that shows exactly the cases it counts, computed in a bounded number of queries."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.utils import timezone

from reporting.figures.compute import compute_figures
from reporting.figures.types import Scope
from reporting.summaries import bring_up_to_date
from tests.reporting.conftest import YEAR

pytestmark = pytest.mark.django_db


def _dashboard(client, **params):
    response = client.get("/api/v1/dashboard/", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_the_province_figures_are_exactly_the_known_ones(personas, client_for, known_year) -> None:
    data = _dashboard(
        client_for(personas.province_officer_a), unit="19", **{"from": f"{YEAR}-01-01", "to": f"{YEAR}-12-31"}
    )
    f = data["figures"]
    assert data["unit"]["code"] == "19"
    assert f["abuse_forms.sexual_abuse.cases"] == 33
    assert f["accidents.drowning.death"] == 21
    assert f["accidents.traffic.death"] == 11
    assert f["accidents.traffic.injury"] == 4
    assert f["accidents.total.death"] == 32
    assert f["abuse_forms.violence.cases"] == 5
    assert f["abuse_subtypes.sexual_abuse.molestation.cases"] == 20
    assert f["abuse_settings.family.cases"] == 20
    assert f["abuse_settings.school.cases"] == 13
    assert f["cases_by_kind.abuse.cases"] == 33
    assert f["cases_by_kind.accident.cases"] == 36
    assert f["cases_by_kind.special_circumstance.cases"] == 9
    assert f["cases_by_kind.at_risk.cases"] == 2
    assert f["cases_by_kind.total.cases"] == 80
    # Children: each child once. Sexes as built; ages at receipt from the date or the year of birth.
    assert f["children_by_sex.total.children"] == 80
    assert f["children_by_sex.female.children"] == 20 + 11 + 9 + 2
    assert f["children_by_sex.male.children"] == 13 + 21
    assert f["children_by_sex.unknown.children"] == 4
    assert f["children_by_age.6-10.children"] == 20 + 21
    assert f["children_by_age.11-15.children"] == 13 + 11 + 4
    assert f["children_by_age.0-5.children"] == 6
    assert f["children_by_age.16-17.children"] == 3
    assert f["children_by_age.unknown.children"] == 2
    assert f["children_by_ethnicity.kinh.children"] == 80 - 13
    assert f["children_by_ethnicity.02.children"] == 13
    assert f["children_by_ethnicity.minority.children"] == 13
    assert f["special_groups.a.children"] == 6
    assert f["special_groups.a.supported"] == 2
    assert f["special_groups.d.children"] == 3
    # The 33 sexually abused children count in group l (Law on Children Art. 10) without a ticked box.
    assert f["special_groups.l.children"] == 33
    assert f["special_groups.total.children"] == 9 + 33
    assert f["cases_by_status.closed.cases"] == 5
    assert f["overdue_steps.plan_draft.cases"] == 2
    assert f["overdue_steps.total.cases"] == 2
    assert f["cases_by_area.05713.total"] == 20 + 21 + 6 + 2
    assert f["cases_by_area.05767.total"] == 13 + 11 + 4 + 3
    assert sum(f[f"cases_by_month.{YEAR}-{m:02d}.total"] for m in range(1, 13)) == 80
    assert f[f"cases_by_month.{YEAR}-12.total"] == 5  # received 30/12 at 23:00 local time: still December
    assert data["totals"]["cases"] == 80


def test_a_commune_officer_sees_only_the_commune(personas, client_for, known_year) -> None:
    data = _dashboard(client_for(personas.officer_a2), **{"from": f"{YEAR}-01-01", "to": f"{YEAR}-12-31"})
    assert data["unit"]["code"] == "05767"
    f = data["figures"]
    assert f["abuse_forms.sexual_abuse.cases"] == 13
    assert f["accidents.traffic.death"] == 11
    assert f["accidents.drowning.death"] == 0
    assert "cases_by_area.05713.total" not in f  # no breakdown below a commune


def test_the_admin_sees_the_country_by_province(personas, client_for, known_year) -> None:
    data = _dashboard(client_for(personas.admin), **{"from": f"{YEAR}-01-01", "to": f"{YEAR}-12-31"})
    f = data["figures"]
    assert data["unit"] is None
    assert f["abuse_forms.sexual_abuse.cases"] == 40
    assert f["accidents.drowning.death"] == 24
    assert f["cases_by_area.19.total"] == 80
    assert f["cases_by_area.01.total"] == 10


def test_a_kind_narrows_every_figure(personas, client_for, known_year) -> None:
    data = _dashboard(
        client_for(personas.province_officer_a), kind="accident", **{"from": f"{YEAR}-01-01", "to": f"{YEAR}-12-31"}
    )
    f = data["figures"]
    assert f["cases_by_kind.total.cases"] == 36
    assert f["abuse_forms.sexual_abuse.cases"] == 0
    abuse_link = next(
        row["links"]["cases"]
        for section in data["sections"]
        for table in section["tables"]
        if table["key"] == "abuse_forms"
        for row in table["rows"]
        if row["key"] == "sexual_abuse"
    )
    assert abuse_link == ""  # another kind than the scope's: 0 by construction, no link


def _list_count(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    page = response.content.decode()
    found = re.search(r"Tìm thấy ([\d.]+) hồ sơ", page)
    return int(found.group(1).replace(".", "")) if found else 0


def test_every_case_figure_links_to_a_list_of_exactly_those_cases(personas, client_for, known_year) -> None:
    client = client_for(personas.province_officer_a)
    data = _dashboard(client, **{"from": f"{YEAR}-01-01", "to": f"{YEAR}-12-31"})
    checked = 0
    for section in data["sections"]:
        if section["key"] not in {"cases", "accidents", "progress", "areas"}:
            continue  # children are counted once each; their links list the cases of those children
        for table in section["tables"]:
            for row in table["rows"]:
                for column, value in row["values"].items():
                    url = row["links"][column]
                    assert url.startswith("/cases/?")
                    assert "recorded=true" in url and "province=19" in url
                    if value or checked % 5 == 0:
                        assert _list_count(client, url) == value, (table["key"], row["key"], column, url)
                    checked += 1
    assert checked > 40


def test_children_links_list_their_cases(personas, client_for, known_year) -> None:
    client = client_for(personas.province_officer_a)
    f = _dashboard(client, **{"from": f"{YEAR}-01-01", "to": f"{YEAR}-12-31"})
    rows = {(t["key"], r["key"]): r for s in f["sections"] for t in s["tables"] for r in t["rows"]}
    # One case per child in this data set, so the lists count the children.
    for key in [
        ("children_by_sex", "male"),
        ("children_by_age", "11-15"),
        ("children_by_age", "unknown"),
        ("children_by_ethnicity", "02"),
        ("children_by_ethnicity", "minority"),
        ("special_groups", "a"),
    ]:
        row = rows[key]
        column = next(iter(row["values"]))
        assert _list_count(client, row["links"][column]) == row["values"][column], key
    supported = rows[("special_groups", "a")]["links"]["supported"]
    assert parse_qs(urlparse(supported).query)["status"] == ["plan_approved", "in_progress", "review", "closed"]
    assert _list_count(client, supported) == 2


def test_figures_take_a_bounded_number_of_queries(personas, known_year, django_assert_max_num_queries) -> None:
    scope = Scope(unit=personas.province_a, start=known_year.start, end=known_year.end, as_of=timezone.now())
    # Cases: 1 age bands, 2 the one aggregate, 3 ethnicity, 4 months, 5 by commune, 6 the communes' names.
    # Referrals (reporting/figures/referrals.py): 7 per agency, 8 the total row (its median over all agencies).
    # Directive tasks (reporting/figures/directive_tasks.py): 9 per lead (the total row sums those rows).
    with django_assert_max_num_queries(9):
        compute_figures(personas.province_officer_a, scope)


def test_the_summaries_give_the_same_figures_in_a_fixed_number_of_queries(
    personas, known_year, django_assert_num_queries
) -> None:
    """The dashboard reads the summary tables (reporting/summaries.py): the same numbers as counting the cases,
    in the same number of queries for a province and for the whole country whatever the number of cases."""
    bring_up_to_date()
    for viewer, unit in ((personas.province_officer_a, personas.province_a), (personas.admin, None)):
        scope = Scope(unit=unit, start=known_year.start, end=known_year.end, as_of=timezone.now())
        live = compute_figures(viewer, scope).flat()
        # 1 pending changes? 2 age bands, 3 the summaries by figure and month, 4 overdue steps due today before
        # now per area (the headline figures sum it, the area table reads it), 5 the areas' summaries, 6 the
        # areas' names; referrals 7, 8; tasks 9. The whole country's areas are read with parallel plans off (a
        # savepoint here, in the test's transaction, and SET LOCAL): 3 more.
        with django_assert_num_queries(9 if unit is not None else 12):
            summed = compute_figures(viewer, scope, summaries=True).flat()
        assert summed == live


def test_the_dashboard_page_shows_charts_tables_and_links(
    personas, client_for, known_year, django_assert_num_queries
) -> None:
    client = client_for(personas.province_officer_a)
    client.get("/")
    bring_up_to_date()
    # session, user, OTP device, unit, the communes of the picker, the nine of the figures (read
    # from the summaries: see the test above).
    with django_assert_num_queries(14):
        response = client.get("/reports/dashboard/", {"from": f"{YEAR}-01-01", "to": f"{YEAR}-12-31"})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('<svg class="chart"') >= 10
    assert 'role="img"' in page and '<desc id="chart-abuse_forms-desc">' in page
    assert "Xâm hại tình dục: 33" in page  # the chart's text for screen readers
    assert (
        'href="/cases/?recorded=true&amp;received_from=2024-01-01&amp;received_to=2024-12-31&amp;province=19&amp;kind=abuse&amp;abuse_form=sexual_abuse">33</a>'
        in page
    )
    assert "Phan Đình Phùng" in page and "Đại Phúc" in page
    assert "style=" not in page  # CSP: no inline styles
