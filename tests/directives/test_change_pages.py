"""Changing saved tasks through the pages and the API: the province officer adds, hands over, re-dates and
cancels tasks; the lead sees the change and its history; everyone else gets 404; a stale version gets 409 with
nothing overwritten and nothing typed lost."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from directives.models import DirectiveTask, TaskChange, TaskOccurrence
from directives.services import LeadChoice
from tests.directives.conftest import Departments, dated, make_directive, task_input

ORDER = {"order_text": "Công văn số 812/UBND-KGVX ngày 04/3/2026", "reason": "Theo kết luận giao ban quý I."}
FUTURE = timezone.localdate() + datetime.timedelta(days=40)
PAST = timezone.localdate() - datetime.timedelta(days=5)


@pytest.fixture
def tasks(dept: Departments) -> dict[str, DirectiveTask]:
    directive = make_directive(
        dept.p.province_officer_a,
        task_input(LeadChoice(agency=dept.police), rule=dated(PAST), label="1"),
        task_input(LeadChoice(agency=dept.labour), rule=dated(FUTURE), label="2"),
    )
    return {t.lead_agency.code: t for t in directive.tasks.select_related("lead_agency")}


def test_the_officer_cancels_a_task_and_its_lead_sees_why(dept: Departments, client_for, tasks) -> None:
    police = tasks["CA-19"]
    officer = client_for(dept.p.province_officer_a)
    page = officer.get(f"/directives/tasks/{police.pk}/").content.decode()
    assert f'href="/directives/tasks/{police.pk}/cancel/"' in page
    form = officer.get(f"/directives/tasks/{police.pk}/cancel/")
    assert form.status_code == 200 and 'name="version" value="1"' in form.content.decode()
    response = officer.post(f"/directives/tasks/{police.pk}/cancel/", {**ORDER, "version": "1"})
    assert response.status_code == 302 and response["Location"] == f"/directives/tasks/{police.pk}/"

    lead = client_for(dept.p.police_a)
    page = lead.get(f"/directives/tasks/{police.pk}/").content.decode()
    assert "Đã hủy" in page and "Nhiệm vụ đã được hủy ngày" in page
    assert "Theo kết luận giao ban quý I." in page and "Công văn số 812/UBND-KGVX" in page
    assert "Báo cáo tiến độ" not in page  # no report form on a cancelled task
    listing = lead.get("/directives/tasks/mine/?status=overdue").content.decode()
    assert "mục 1" not in listing  # no longer overdue


def test_a_stale_version_gets_409_and_keeps_what_was_typed(dept: Departments, client_for, tasks) -> None:
    labour = tasks["SLDTBXH-19"]
    officer = client_for(dept.p.province_officer_a)
    data = {
        **ORDER,
        "version": "1",
        "deadline_kind": "date",
        "deadline_date": (FUTURE + datetime.timedelta(days=10)).isoformat(),
    }
    assert officer.post(f"/directives/tasks/{labour.pk}/redate/", data).status_code == 302
    data["deadline_date"] = (FUTURE + datetime.timedelta(days=20)).isoformat()
    data["reason"] = "Lý do của người thứ hai"
    response = officer.post(f"/directives/tasks/{labour.pk}/redate/", data)  # still version 1
    assert response.status_code == 409
    page = response.content.decode()
    assert "vừa được người khác thay đổi" in page and "Lý do của người thứ hai" in page
    assert 'name="version" value="2"' in page  # the page now carries the current version
    occurrence = TaskOccurrence.objects.get(task=labour)
    assert occurrence.due_on == FUTURE + datetime.timedelta(days=10)  # the first change stands
    assert occurrence.original_due_on == FUTURE
    assert TaskChange.objects.filter(task=labour).count() == 1


def test_handing_over_through_the_page_opens_the_new_leads_task(dept: Departments, client_for, tasks) -> None:
    labour = tasks["SLDTBXH-19"]
    officer = client_for(dept.p.province_officer_a)
    page = officer.get(f"/directives/tasks/{labour.pk}/reassign/").content.decode()
    assert f'value="a{dept.health.pk}"' in page and 'value="communes"' not in page  # one lead, no shortcut
    response = officer.post(
        f"/directives/tasks/{labour.pk}/reassign/", {**ORDER, "version": "1", "lead": f"a{dept.health.pk}"}
    )
    new = DirectiveTask.objects.get(replaces=labour)
    assert response["Location"] == f"/directives/tasks/{new.pk}/"
    page = client_for(dept.labour_fp).get(f"/directives/tasks/{labour.pk}/").content.decode()
    assert "Đã giao lại" in page and "Nhiệm vụ đã được giao cho Sở Y tế tỉnh Thái Nguyên" in page
    assert f"/directives/tasks/{new.pk}/" not in page  # the old lead does not see the new task
    assert client_for(dept.labour_fp).get(f"/directives/tasks/{new.pk}/").status_code == 404


def test_adding_a_task_through_the_page(dept: Departments, client_for, tasks) -> None:
    directive = tasks["CA-19"].directive
    officer = client_for(dept.p.province_officer_a)
    assert (
        f'href="/directives/{directive.pk}/tasks/new/"' in officer.get(f"/directives/{directive.pk}/").content.decode()
    )
    data = {
        **ORDER,
        "version": str(directive.version),
        "label": "3",
        "text": "Tổ chức tập huấn kỹ năng phòng, chống xâm hại cho học sinh.",
        "leads": [f"a{dept.education.pk}"],
        "deadline_kind": "date",
        "deadline_date": FUTURE.isoformat(),
    }
    response = officer.post(f"/directives/{directive.pk}/tasks/new/", data)
    assert response.status_code == 302
    added = DirectiveTask.objects.get(directive=directive, lead_agency=dept.education)
    assert added.item_label == "3" and TaskChange.objects.get(task=added).kind == "added"
    response = officer.post(f"/directives/{directive.pk}/tasks/new/", {**data, "leads": [f"a{dept.finance.pk}"]})
    assert response.status_code == 409  # the directive's version moved on


def test_a_change_without_reason_or_document_keeps_the_page(dept: Departments, client_for, tasks) -> None:
    police = tasks["CA-19"]
    response = client_for(dept.p.province_officer_a).post(f"/directives/tasks/{police.pk}/cancel/", {"version": "1"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nêu lý do thay đổi." in page and "Ghi văn bản chỉ đạo việc thay đổi." in page
    assert not TaskChange.objects.exists()


@pytest.mark.parametrize("who", ["police_a", "officer_a1", "chair_a1", "province_officer_b", "hotline", "nobody"])
def test_every_change_page_and_endpoint_is_404_for_anyone_else(dept: Departments, client_for, tasks, who) -> None:
    police = tasks["CA-19"]
    directive = police.directive
    client = client_for(getattr(dept.p, who))
    for url in (
        f"/directives/tasks/{police.pk}/reassign/",
        f"/directives/tasks/{police.pk}/redate/",
        f"/directives/tasks/{police.pk}/cancel/",
        f"/directives/{directive.pk}/tasks/new/",
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {**ORDER, "version": "1"}).status_code == 404, url
    for url in (
        f"/api/v1/directive-tasks/{police.pk}/reassign/",
        f"/api/v1/directive-tasks/{police.pk}/redate/",
        f"/api/v1/directive-tasks/{police.pk}/cancel/",
        f"/api/v1/directives/{directive.pk}/tasks/",
    ):
        assert client.post(url, {}, content_type="application/json").status_code == 404, url
    history = client.get(f"/api/v1/directive-tasks/{police.pk}/changes/")
    assert history.status_code == (200 if who == "police_a" else 404)  # the lead reads its task's history
    assert not TaskChange.objects.exists()


def _api(client: Client, url: str, body: dict[str, Any]):
    return client.post(url, body, content_type="application/json")


def test_the_api_changes_tasks_with_versions(dept: Departments, client_for, tasks) -> None:
    police, labour = tasks["CA-19"], tasks["SLDTBXH-19"]
    client = client_for(dept.p.province_officer_a)
    order = {"order": ORDER["order_text"], "reason": ORDER["reason"]}

    moved = _api(
        client,
        f"/api/v1/directive-tasks/{police.pk}/redate/",
        {**order, "version": 1, "deadline": {"kind": "date", "date": FUTURE.isoformat()}},
    )
    assert moved.status_code == 200, moved.json()
    body = moved.json()
    assert body["version"] == 2 and body["status"] == "not_started"
    assert body["occurrences"][0]["original_due_on"] == PAST.isoformat()

    stale = _api(client, f"/api/v1/directive-tasks/{police.pk}/cancel/", {**order, "version": 1})
    assert stale.status_code == 409 and stale.json()["version"] == 2
    assert not TaskChange.objects.filter(kind="cancelled").exists()

    handed = _api(
        client, f"/api/v1/directive-tasks/{labour.pk}/reassign/", {**order, "version": 1, "lead": {"agency": "SYT-19"}}
    )
    assert handed.status_code == 200 and handed.json()["lead"]["code"] == "SYT-19"
    unknown = _api(
        client, f"/api/v1/directive-tasks/{police.pk}/reassign/", {**order, "version": 2, "lead": {"agency": "CA-01"}}
    )
    assert unknown.status_code == 400 and "lead" in unknown.json()  # another province's police

    cancelled = _api(client, f"/api/v1/directive-tasks/{police.pk}/cancel/", {**order, "version": 2})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    again = _api(client, f"/api/v1/directive-tasks/{police.pk}/cancel/", {**order, "version": 3})
    assert again.status_code == 409 and again.json()["code"] == "rule_violation" and "hủy" in again.json()["detail"]

    added = _api(
        client,
        f"/api/v1/directives/{police.directive_id}/tasks/",
        {
            **order,
            "version": police.directive.version,
            "task": {"label": "3", "text": "Tập huấn.", "lead": [{"agency": "SGDDT-19"}]},
        },
    )
    assert added.status_code == 201 and [t["lead"]["code"] for t in added.json()] == ["SGDDT-19"]

    history = client.get(f"/api/v1/directive-tasks/{police.pk}/changes/").json()
    assert [c["kind"] for c in history] == ["redated", "cancelled"]
    assert history[0]["order_symbol"] == "UBND-KGVX" and history[0]["before"]["due"] == [PAST.isoformat()]

    missing = _api(client, f"/api/v1/directive-tasks/{labour.pk}/cancel/", {"version": 1})
    assert missing.status_code == 400 and {"order", "reason"} <= set(missing.json())
