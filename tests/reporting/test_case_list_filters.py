"""The statistical filters added to the case list (cases/filters.py) for the dashboard's links: each selects
exactly what its figure counts, inside what the user may see; the older filter names keep working."""

from __future__ import annotations

import datetime

import pytest

from tests.reporting.factories import at, bulk_cases

pytestmark = pytest.mark.django_db


def _numbers(client, **params) -> set[str]:
    response = client.get("/api/v1/cases/", {**params, "page_size": 100})
    assert response.status_code == 200, response.content
    return {row["case_number"] for row in response.json()["results"]}


def _n(cases) -> set[str]:
    return {c.case_number for c in cases}


@pytest.fixture
def mix(personas):
    p = personas
    girls = bulk_cases(
        p.commune_a1,
        2,
        received_at=at(2025, 3, 1),
        forms=["sexual_abuse"],
        subtypes=["sexual_abuse.rape"],
        setting="school",
        birth_year=2016,
        ethnicity_code="08",
        incident_commune=p.commune_a1,
    )
    boys = bulk_cases(
        p.commune_a2, 1, received_at=at(2025, 3, 2), sex="male", date_of_birth=datetime.date(2010, 6, 1), setting=""
    )
    drowned = bulk_cases(
        p.commune_a1,
        1,
        received_at=at(2025, 6, 1),
        kind="accident",
        accident_type="drowning",
        accident_outcome="death",
        sex="unknown",
        ethnicity_code="",
    )
    orphans = bulk_cases(
        p.commune_a2,
        1,
        received_at=at(2025, 7, 1),
        kind="special_circumstance",
        special_groups=["a", "d"],
        next_deadline_at=at(2025, 7, 5),
        next_deadline_step="plan_draft",
    )
    draft = bulk_cases(p.commune_a1, 1, received_at=at(2025, 7, 2), status="draft")
    other = bulk_cases(p.commune_b1, 1, received_at=at(2025, 3, 1), forms=["sexual_abuse"], setting="school")
    return {"girls": girls, "boys": boys, "drowned": drowned, "orphans": orphans, "draft": draft, "other": other}


def test_each_statistical_filter(personas, client_for, mix) -> None:
    client = client_for(personas.province_officer_a)
    girls, boys, drowned, orphans = mix["girls"], mix["boys"], mix["drowned"], mix["orphans"]
    assert _numbers(client, sex="male") == _n(boys)
    assert _numbers(client, sex="unknown") == _n(drowned)
    assert _numbers(client, setting="school") == _n(girls)  # province B's is not visible
    assert _numbers(client, setting="unknown", kind="abuse") == _n(boys)
    assert _numbers(client, abuse_subtype="sexual_abuse.rape") == _n(girls)
    assert _numbers(client, accident_type="drowning", accident_outcome="death") == _n(drowned)
    assert _numbers(client, special_group="d") == _n(orphans)
    # Ages at receipt: born 2016 → 9 in 2025; born 1/6/2010 → 14 on 2/3/2025 (birthday not yet reached).
    assert _numbers(client, age_min=9, age_max=9) == _n(girls)
    assert _numbers(client, age_min=14, age_max=14) == _n(boys)
    assert _numbers(client, age_min=15) == set()
    assert _numbers(client, ethnicity="08") == _n(girls)
    assert _numbers(client, ethnicity="minority") == _n(girls)
    assert _numbers(client, ethnicity="kinh") == _n(boys + orphans)
    assert _numbers(client, ethnicity="unknown") == _n(drowned)
    assert _numbers(client, next_step="plan_draft") == _n(orphans)
    assert _numbers(client, incident_place_missing="true") == _n(boys + drowned)
    assert _numbers(client, province="19", received_from="2025-03-01", received_to="2025-03-01") == _n(girls)


def test_recorded_leaves_out_the_users_own_drafts(personas, client_for, mix) -> None:
    from cases.models import Case

    Case.objects.filter(pk=mix["draft"][0].pk).update(created_by=personas.officer_a1)
    client = client_for(personas.officer_a1)
    assert mix["draft"][0].case_number in _numbers(client)
    assert mix["draft"][0].case_number not in _numbers(client, recorded="true")


def test_the_province_filter_stays_inside_the_jurisdiction(personas, client_for, mix) -> None:
    officer = client_for(personas.province_officer_a)
    bad = officer.get("/api/v1/cases/", {"province": "01"})
    assert bad.status_code == 400  # not a choice for this user: nothing of province B is revealed
    admin = client_for(personas.admin)
    assert _numbers(admin, province="01") == _n(mix["other"])


def test_older_filter_names_still_work(personas, client_for, mix) -> None:
    client = client_for(personas.province_officer_a)
    assert _numbers(client, kind="accident") == _n(mix["drowned"])
    assert _numbers(client, abuse_form="sexual_abuse") == _n(mix["girls"])
    assert _numbers(client, commune="05767", status=["received"]) == _n(mix["boys"] + mix["orphans"])
    page = client.get("/cases/", {"sex": "male", "age_min": "14"}).content.decode()
    assert "Tìm thấy 1 hồ sơ" in page
    assert client.get("/cases/", {"age_min": "abc"}).status_code == 400  # bad input: the form says so (400), no crash
