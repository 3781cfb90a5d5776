"""The procedure's API: POST /api/v1/cases/{id}/actions/{action}/ and GET/PUT /api/v1/cases/{id}/plan/."""

from __future__ import annotations

import pytest

from cases.models import CaseStatus, DeadlineStep
from cases.models.procedure import PlanStatus
from cases.services import workflow as wf
from tests.cases.conftest import procedure_case, run, to_needs_meeting
from tests.personas import Personas

pytestmark = pytest.mark.usefixtures("no_broker")


def action(case, name: str) -> str:
    return f"/api/v1/cases/{case.pk}/actions/{name}/"


def plan_url(case) -> str:
    return f"/api/v1/cases/{case.pk}/plan/"


def test_an_action_answers_the_new_status_version_and_next_deadline(personas: Personas, client_for) -> None:
    case = procedure_case(personas, danger=True)
    response = client_for(personas.officer_a1).post(
        action(case, wf.INITIAL_ASSESSMENT),
        {"version": case.version, "harm_level": "low", "risk_level": "low", "serious_danger": False},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == CaseStatus.INITIAL_ASSESSMENT and body["version"] == case.version + 1
    # The emergency clock is met; the plan draft deadline is next.
    assert body["next_deadline"]["step"] == DeadlineStep.PLAN_DRAFT


def test_field_errors_answer_400_by_field(personas: Personas, client_for) -> None:
    case = procedure_case(personas)
    client = client_for(personas.officer_a1)
    response = client.post(
        action(case, wf.INITIAL_ASSESSMENT),
        {"version": case.version, "harm_level": "huge"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert {"harm_level", "risk_level", "serious_danger"} <= set(response.json())
    refused = client.post(
        action(case, wf.REVIEW),
        {"version": case.version, "child_safe": True, "child_stable": True, "findings": "x", "outcome": "close"},
        content_type="application/json",
    )
    assert refused.status_code == 409 and "Không thể" in refused.json()["detail"]
    assert refused.json()["code"] == "rule_violation"


def test_a_stale_version_answers_409_and_changes_nothing(personas: Personas, client_for) -> None:
    case = procedure_case(personas)
    stale = case.version
    run(wf.INITIAL_ASSESSMENT, personas.officer_a1, case, harm_level="low", risk_level="low", serious_danger=False)
    response = client_for(personas.chair_a1).post(
        action(case, wf.NOT_SUBSTANTIATED), {"version": stale, "reason": "Không đúng"}, content_type="application/json"
    )
    assert response.status_code == 409
    assert response.json()["version"] == stale + 1 and response.json()["code"] == "version_conflict"
    case.refresh_from_db()
    assert case.status == CaseStatus.INITIAL_ASSESSMENT and case.version == stale + 1


def test_only_the_chair_orders_separation_through_the_api(personas: Personas, client_for) -> None:
    case = procedure_case(personas, danger=True)
    body = {"version": case.version, "kind": "temporary_separation", "placement": "Cơ sở trợ giúp xã hội"}
    officer = client_for(personas.officer_a1).post(
        action(case, wf.EMERGENCY_MEASURE), body, content_type="application/json"
    )
    assert officer.status_code == 403 and "Chủ tịch" in officer.json()["detail"]
    assert officer.json()["code"] == "not_allowed"
    chair = client_for(personas.chair_a1).post(
        action(case, wf.EMERGENCY_MEASURE), body, content_type="application/json"
    )
    assert chair.status_code == 200
    assert chair.json()["status"] == CaseStatus.EMERGENCY
    assert chair.json()["next_deadline"]["step"] == DeadlineStep.PLAN_DRAFT


def test_transfer_by_commune_code(personas: Personas, client_for) -> None:
    case = procedure_case(personas)
    response = client_for(personas.officer_a1).post(
        action(case, wf.TRANSFER),
        {"version": case.version, "to_commune": personas.commune_a2.code, "reason": "Trẻ chuyển nơi ở"},
        content_type="application/json",
    )
    # A request: the case stays (and keeps its status) until the receiving commune accepts.
    assert response.status_code == 200 and response.json()["status"] == CaseStatus.RECEIVED
    case.refresh_from_db()
    assert case.commune == personas.commune_a1
    assert case.transfers.get().to_commune == personas.commune_a2


def test_the_plan_is_read_and_saved(personas: Personas, client_for) -> None:
    p = personas
    case = procedure_case(p)
    to_needs_meeting(p, case)
    case.refresh_from_db()
    client = client_for(p.officer_a1)
    empty = client.get(plan_url(case)).json()
    assert empty["cycle"] is None and empty["items"] == [] and empty["editable"] is True

    item = {
        "service": "Trợ giúp pháp lý",
        "level": "support",
        "measure_code": "49.1.c",
        "responsible_agency": p.police_agency_a.code,
        "start_date": "2025-09-15",
        "expected_end_date": "2025-09-30",
        "estimated_cost_vnd": 0,
    }
    bad = client.put(
        plan_url(case),
        {"version": case.version, "items": [item, {**item, "expected_end_date": "2025-09-01"}]},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert bad.json()["items"]["1"] == {"expected_end_date": ["Ngày dự kiến kết thúc phải từ ngày bắt đầu trở đi."]}
    saved = client.put(
        plan_url(case), {"version": case.version, "goals": "An toàn", "items": [item]}, content_type="application/json"
    )
    assert saved.status_code == 200, saved.content
    body = saved.json()
    assert body["status"] == PlanStatus.DRAFT and body["items"][0]["responsible_agency"] == p.police_agency_a.code
    stale = client.put(plan_url(case), {"version": case.version, "items": []}, content_type="application/json")
    assert stale.status_code == 409
    submit = client.post(
        action(case, wf.SUBMIT_PLAN), {"version": body["case_version"]}, content_type="application/json"
    )
    assert submit.status_code == 200 and submit.json()["next_deadline"]["step"] == DeadlineStep.PLAN_APPROVAL


@pytest.mark.parametrize("who", ["officer_a2", "province_officer_b", "police_a", "province_officer_a"])
def test_outsiders_get_404(personas: Personas, client_for, who: str) -> None:
    case = procedure_case(personas)
    client = client_for(getattr(personas, who))
    body = {"version": case.version, "harm_level": "low", "risk_level": "low", "serious_danger": False}
    assert client.post(action(case, wf.INITIAL_ASSESSMENT), body, content_type="application/json").status_code == 404
    assert client.get(plan_url(case)).status_code == 404
    assert client.put(plan_url(case), {"version": 1, "items": []}, content_type="application/json").status_code == 404
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED
