"""Who may see which figures: the dashboard's units stay inside the user's jurisdiction (404 otherwise, like a
unit that does not exist), roles without a jurisdiction see no dashboard, bad input gets a clear 400."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "unit", "status"),
    [
        ("province_officer_a", "19", 200),
        ("province_officer_a", "05713", 200),
        ("province_officer_a", "01", 404),
        ("province_officer_a", "00004", 404),
        ("province_officer_b", "19", 404),
        ("officer_a1", "05713", 200),
        ("chair_a1", "05713", 200),
        ("officer_a1", "05767", 404),
        ("officer_a1", "19", 404),
        ("admin", "01", 200),
        ("admin", "05713", 200),
        ("admin", "77777", 404),
        ("national", "01", 200),
        ("national", "05713", 200),
        ("national", "", 200),
        ("national", "77777", 404),
        ("police_a", "19", 404),
        ("hotline", "19", 404),
        ("nobody", "05713", 404),
    ],
)
def test_dashboard_units_stay_inside_the_jurisdiction(personas, client_for, who, unit, status) -> None:
    client = client_for(getattr(personas, who))
    assert client.get("/api/v1/dashboard/", {"unit": unit}).status_code == status
    assert client.get("/reports/dashboard/", {"unit": unit}).status_code == status


@pytest.mark.parametrize("who", ["police_a", "hotline", "nobody"])
def test_no_dashboard_without_a_case_working_jurisdiction(personas, client_for, who) -> None:
    client = client_for(getattr(personas, who))
    assert client.get("/api/v1/dashboard/").status_code == 404
    assert client.get("/reports/dashboard/").status_code == 404
    assert client.get("/reports/").status_code == 404
    assert "/reports/dashboard/" not in client.get("/").content.decode()


def test_nav_entries(personas, client_for) -> None:
    page = client_for(personas.province_officer_a).get("/").content.decode()
    assert 'href="/reports/dashboard/"' in page and 'href="/reports/"' in page


def test_bad_input_gets_a_clear_message(personas, client_for) -> None:
    client = client_for(personas.province_officer_a)
    response = client.get("/api/v1/dashboard/", {"from": "2025-12-31", "to": "2025-01-01"})
    assert response.status_code == 400
    assert response.json() == {"to": ["Ngày kết thúc phải bằng hoặc sau ngày bắt đầu."]}
    assert client.get("/api/v1/dashboard/", {"from": "31/12/2025"}).status_code == 400
    page = client.get("/reports/dashboard/", {"from": "2025-12-31", "to": "2025-01-01"})
    assert page.status_code == 400
    html = page.content.decode()
    assert "Ngày kết thúc phải bằng hoặc sau ngày bắt đầu." in html
    assert 'value="2025-12-31"' in html  # what was typed is kept


def test_defaults_are_this_year_and_the_users_unit(personas, client_for) -> None:
    from django.utils import timezone

    data = client_for(personas.officer_a1).get("/api/v1/dashboard/").json()
    today = timezone.localdate()
    assert data["unit"]["code"] == "05713"
    assert (data["from"], data["to"]) == (f"{today.year}-01-01", today.isoformat())
    assert data["figures"]["cases_by_kind.total.cases"] == 0
