from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.personas import Personas

URL = "/api/v1/directives/parse/"
SAMPLE = (Path(__file__).resolve().parent / "samples" / "thai-nguyen-5310-UBND-KGVX-2023.txt").read_text("utf-8")


def test_it_parses_for_a_province_officer_and_saves_nothing(personas: Personas, client_for) -> None:
    client = client_for(personas.province_officer_a)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(URL, {"text": SAMPLE}, content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["number"], body["symbol"], body["issued_on"]) == ("5310", "UBND-KGVX", "2023-10-10")
    police_task = body["tasks"][2]
    # Matched to the province's own directory: "Công an tỉnh" → Công an tỉnh Thái Nguyên.
    assert police_task["lead"] == [{"name": "Công an tỉnh", "agency": "CA-19"}]
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")) and "django_session" not in q["sql"]
    ]
    assert writes == []


def test_it_matches_only_the_callers_province(personas: Personas, client_for) -> None:
    response = client_for(personas.province_officer_b).post(URL, {"text": SAMPLE}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["tasks"][2]["lead"] == [{"name": "Công an tỉnh", "agency": None}]


def test_it_lets_an_admin_match_every_agency(personas: Personas, client_for) -> None:
    response = client_for(personas.admin).post(URL, {"text": SAMPLE}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["tasks"][2]["lead"][0]["agency"] == "CA-19"


@pytest.mark.parametrize("who", ["officer_a1", "chair_a1", "police_a", "hotline"])
def test_it_refuses_other_roles(personas: Personas, client_for, who: str) -> None:
    response = client_for(getattr(personas, who)).post(URL, {"text": SAMPLE}, content_type="application/json")
    assert response.status_code == 403


def test_it_refuses_anonymous_callers(db) -> None:
    response = Client().post(URL, {"text": SAMPLE}, content_type="application/json")
    assert response.status_code in (401, 403)


def test_it_rejects_oversized_text(personas: Personas, client_for) -> None:
    client = client_for(personas.province_officer_a)
    response = client.post(URL, {"text": "a" * 200_001}, content_type="application/json")
    assert response.status_code == 400
    assert "quá dài" in response.json()["text"][0]


def test_it_rejects_empty_text(personas: Personas, client_for) -> None:
    response = client_for(personas.province_officer_a).post(URL, {"text": "  "}, content_type="application/json")
    assert response.status_code == 400


def test_it_proposes_the_tasks_of_a_quyet_dinh_and_of_the_plan_it_issues(personas: Personas, client_for) -> None:
    text = (Path(__file__).resolve().parent / "samples" / "written" / "quyet-dinh-ha-tinh.txt").read_text("utf-8")
    response = client_for(personas.province_officer_a).post(URL, {"text": text}, content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["doc_type"] == "quyết định"
    assert [t["label"] for t in body["tasks"]] == ["Điều 2", "II.1", "II.2", "II.3", "II.4"]
