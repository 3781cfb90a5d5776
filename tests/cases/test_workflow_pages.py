"""The procedure's pages: the actions panel (workflow_context + partial), the action endpoints, the plan page,
errors that keep what was typed, version conflicts, and 404 for everyone who does not work the case."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.template.loader import render_to_string
from django.urls import reverse

from cases.models import CaseStatus
from cases.models.procedure import PlanStatus
from cases.querysets import current_plan
from cases.services import workflow as wf
from cases.views.workflow import workflow_context
from tests.cases.conftest import MONDAY, procedure_case, run, save_plan, to_needs_meeting
from tests.personas import Personas

pytestmark = pytest.mark.usefixtures("no_broker")


def action_url(case, action: str) -> str:
    return reverse("cases:workflow-action", args=[case.pk, action])


def test_the_panel_lists_the_actions_of_this_user_now(personas: Personas) -> None:
    case = procedure_case(personas, danger=True)
    officer = workflow_context(personas.officer_a1, case)
    names = [action.name for action in officer["actions"]]
    assert names[:2] == [wf.INITIAL_ASSESSMENT, wf.EMERGENCY_MEASURE] and wf.TRANSFER in names
    emergency = next(a for a in officer["actions"] if a.name == wf.EMERGENCY_MEASURE)
    assert [value for value, _label in emergency.form.fields["kind"].choices] == ["emergency_intervention"]
    chair = workflow_context(personas.chair_a1, case)
    chair_emergency = next(a for a in chair["actions"] if a.name == wf.EMERGENCY_MEASURE)
    assert "temporary_separation" in [value for value, _label in chair_emergency.form.fields["kind"].choices]
    assert workflow_context(personas.province_officer_a, case)["actions"] == []

    page = render_to_string("cases/partials/workflow_actions.html", {"case": case, "workflow": officer})
    assert 'id="workflow"' in page and action_url(case, wf.INITIAL_ASSESSMENT) in page
    assert f'name="version" value="{case.version}"' in page
    assert "Đánh giá nguy cơ ban đầu (Mẫu 02)" in page
    assert render_to_string("cases/partials/workflow_actions.html", {"case": case, "workflow": {}}).strip() == ""


def test_an_action_posts_and_returns_to_the_case_page(personas: Personas, client_for) -> None:
    case = procedure_case(personas)
    response = client_for(personas.officer_a1).post(
        action_url(case, wf.INITIAL_ASSESSMENT),
        {"version": case.version, "harm_level": "low", "risk_level": "low", "findings": "Không nguy hiểm"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.pk]) + "#workflow"
    case.refresh_from_db()
    assert case.status == CaseStatus.INITIAL_ASSESSMENT


def test_field_errors_are_shown_next_to_the_fields_and_nothing_typed_is_lost(personas: Personas, client_for) -> None:
    case = procedure_case(personas)
    response = client_for(personas.officer_a1).post(
        action_url(case, wf.INITIAL_ASSESSMENT),
        {"version": case.version, "harm_level": "", "risk_level": "low", "findings": "Bé kể bị đánh"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "field-has-error" in page and "Bé kể bị đánh" in page
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED


def test_a_refused_step_says_why_in_vietnamese(personas: Personas, client_for) -> None:
    case = procedure_case(personas)
    response = client_for(personas.officer_a1).post(
        action_url(case, wf.EMERGENCY_MEASURE),
        {"version": case.version, "kind": "temporary_separation", "placement": "Nhà bà ngoại"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    # The officer's form offers no separation at all: the choice itself is refused, the placement kept.
    assert "Nhà bà ngoại" in page and "field-has-error" in page
    response = client_for(personas.chair_a1).post(action_url(case, wf.CLOSE), {"version": case.version})
    assert response.status_code == 400
    assert "Không thể “Kết thúc hồ sơ” khi hồ sơ đang ở trạng thái “Đã tiếp nhận”." in response.content.decode()
    assert client_for(personas.chair_a1).post(action_url(case, "no-such-step"), {}).status_code == 404


def test_a_version_conflict_keeps_the_input_and_says_to_check_the_case(personas: Personas, client_for) -> None:
    case = procedure_case(personas)
    stale = case.version
    run(wf.INITIAL_ASSESSMENT, personas.chair_a1, case, harm_level="low", risk_level="low", serious_danger=False)
    response = client_for(personas.officer_a1).post(
        action_url(case, wf.NOT_SUBSTANTIATED), {"version": stale, "reason": "Người báo tin nhầm địa chỉ"}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "vừa được người khác cập nhật" in page and "Người báo tin nhầm địa chỉ" in page
    case.refresh_from_db()
    assert case.status == CaseStatus.INITIAL_ASSESSMENT
    assert f'name="version" value="{case.version}"' in page  # sending it again is a deliberate second step


def test_the_plan_page_adds_rows_saves_and_submits(personas: Personas, client_for) -> None:
    p = personas
    case = procedure_case(p)
    to_needs_meeting(p, case)
    case.refresh_from_db()
    client = client_for(p.officer_a1)
    url = reverse("cases:plan", args=[case.pk])
    page = client.get(url)
    assert page.status_code == 200 and "items-TOTAL_FORMS" in page.content.decode()

    row = {
        "items-0-service": "Khám sức khỏe",
        "items-0-level": "intervention",
        "items-0-measure_code": "50.2.a",
        "items-0-start_date": "2025-09-15",
        "items-0-expected_end_date": "2025-09-20",
        "items-0-estimated_cost_vnd": "300000",
    }
    form = {"version": case.version, "goals": "Trẻ an toàn", "items-TOTAL_FORMS": "1", "items-INITIAL_FORMS": "0"}
    added = client.post(url, {**form, **row, "add_row": "1"})
    assert added.status_code == 200
    body = added.content.decode()
    assert 'name="items-TOTAL_FORMS" value="2"' in body and "Khám sức khỏe" in body and "field-has-error" not in body

    bad = client.post(url, {**form, **row, "items-0-expected_end_date": "2025-09-01", "items-0-measure_code": "x"})
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "Ngày dự kiến kết thúc phải từ ngày bắt đầu trở đi." in body and "Khám sức khỏe" in body
    assert not case.plans.exists()

    saved = client.post(url, {**form, **row, "save": "1"})
    assert saved.status_code == 302
    plan = current_plan(case)
    assert plan.status == PlanStatus.DRAFT and plan.items.get().service == "Khám sức khỏe"

    case.refresh_from_db()
    form["version"] = case.version
    submitted = client.post(url, {**form, **row, "submit": "1"})
    assert submitted.status_code == 302
    plan.refresh_from_db()
    case.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED and case.status == CaseStatus.PLAN_DRAFTED
    # Submitted: the page shows the plan read-only.
    assert "items-TOTAL_FORMS" not in client.get(url).content.decode()


def test_the_plan_page_removes_a_row_marked_for_removal(personas: Personas, client_for) -> None:
    p = personas
    case = procedure_case(p)
    to_needs_meeting(p, case)
    save_plan(p, case)
    case.refresh_from_db()
    client = client_for(p.officer_a1)
    url = reverse("cases:plan", args=[case.pk])
    form = {"version": case.version, "goals": "", "items-TOTAL_FORMS": "1", "items-INITIAL_FORMS": "0"}
    row = {
        "items-0-service": "Tư vấn",
        "items-0-level": "support",
        "items-0-start_date": "2025-09-15",
        "items-0-expected_end_date": "2025-09-20",
        "items-0-estimated_cost_vnd": "0",
        "items-0-DELETE": "on",
    }
    assert client.post(url, {**form, **row, "save": "1"}).status_code == 302
    assert not current_plan(case).items.exists()


@pytest.mark.parametrize("who", ["officer_a2", "province_officer_a", "province_officer_b", "police_a", "nobody"])
def test_outsiders_get_404_on_the_action_urls_and_the_plan_page(personas: Personas, client_for, who: str) -> None:
    case = procedure_case(personas)
    client = client_for(getattr(personas, who))
    data = {"version": case.version, "harm_level": "low", "risk_level": "low"}
    assert client.post(action_url(case, wf.INITIAL_ASSESSMENT), data).status_code == 404
    assert client.get(reverse("cases:plan", args=[case.pk])).status_code == 404
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED


def test_actions_are_post_only(personas: Personas, client_for) -> None:
    case = procedure_case(personas)
    assert client_for(personas.officer_a1).get(action_url(case, wf.INITIAL_ASSESSMENT)).status_code == 405


def test_the_chair_approves_from_the_page(personas: Personas, client_for) -> None:
    p = personas
    case = procedure_case(p)
    with time_machine.travel(MONDAY + datetime.timedelta(hours=1), tick=False):
        to_needs_meeting(p, case)
        save_plan(p, case)
        run(wf.SUBMIT_PLAN, p.officer_a1, case)
        case.refresh_from_db()
        officer = client_for(p.officer_a1).post(action_url(case, wf.APPROVE_PLAN), {"version": case.version})
        assert officer.status_code == 400 and "Chỉ Chủ tịch UBND xã" in officer.content.decode()
        chair = client_for(p.chair_a1).post(
            action_url(case, wf.APPROVE_PLAN), {"version": case.version, "decision_number": "7/QĐ-UBND"}
        )
    assert chair.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.PLAN_APPROVED
