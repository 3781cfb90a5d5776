"""The API contract: POST/GET /api/v1/directives/, GET /api/v1/directive-tasks/?agency=&status=,
POST /api/v1/directive-tasks/{id}/reports/, the review actions and the compliance figures."""

from __future__ import annotations

import copy
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from directives.models import Directive, ReportStatus, TaskReport
from directives.services import LeadChoice
from tests.directives.conftest import Departments, dated, make_directive, read_sample, task_input

THAI_NGUYEN = "thai-nguyen-5310-UBND-KGVX-2023.txt"
PAST = datetime.date(2020, 6, 30)
FUTURE = datetime.date(2030, 6, 30)


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


def _parsed(client: Client) -> dict:
    response = client.post(
        "/api/v1/directives/parse/", {"text": read_sample(THAI_NGUYEN)}, content_type="application/json"
    )
    assert response.status_code == 200
    return response.json()


def test_the_parse_result_goes_back_as_the_create_body_once_every_lead_is_chosen(dept: Departments, client_for) -> None:
    client = client_for(dept.p.province_officer_a)
    parsed = _parsed(client)
    assert parsed["tasks"][1]["lead"] == [{"name": "Sở Giáo dục và Đào tạo", "agency": "SGDDT-19"}]

    # As proposed, items 1 and 5 name no single agency: refused, with the reason next to each.
    response = client.post("/api/v1/directives/", parsed, content_type="application/json")
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"tasks.0", "tasks.4"} and "lead" in errors["tasks.0"]
    assert not Directive.objects.exists()

    body = copy.deepcopy(parsed)
    body["tasks"][0]["lead"] = [{"name": "Sở Y tế", "agency": "SYT-19"}, {"agency": "STC-19"}]
    body["tasks"][4]["lead"] = [{"name": "UBND các huyện, thành phố", "all_communes": True}]
    body["tasks"][2]["deadline"] = {"kind": "date", "date": PAST.isoformat()}
    response = client.post("/api/v1/directives/", body, content_type="application/json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["number"], data["symbol"], data["reference"], data["issued_on"]) == (
        "5310",
        "UBND-KGVX",
        "5310/UBND-KGVX",
        "2023-10-10",
    )
    assert data["signer"] == {"name": "Lê Quang Tiến", "title": "", "authority": ""}
    assert data["references"][0]["number"] == "1740" and data["references"][0]["implements"] is None
    leads = [(t["item_label"], t["lead"]["code"], t["status"]) for t in data["tasks"]]
    assert leads == [
        ("1", "SYT-19", "not_started"), ("1", "STC-19", "not_started"), ("2", "SGDDT-19", "not_started"),
        ("3", "CA-19", "overdue"), ("4", "SLDTBXH-19", "not_started"), ("5", "05767", "not_started"),
        ("5", "05713", "not_started"),
    ]  # fmt: skip
    assert data["task_count"] == 7 and data["overdue_count"] == 1
    police = next(t for t in data["tasks"] if t["lead"]["code"] == "CA-19")
    assert police["deadline"]["kind"] == "date" and police["next_due"] == PAST.isoformat()


def test_create_accepts_codes_and_names_and_refuses_other_provinces(dept: Departments, client_for) -> None:
    client = client_for(dept.p.province_officer_a)
    body = {
        "doc_type": "kế hoạch",
        "number": "12",
        "symbol": "KH-UBND",
        "issued_on": "2025-02-03",
        "subject": "Tháng hành động vì trẻ em",
        "recurrence_start": "2025-02-03",  # tracked since it was issued (the default would be today)
        "tasks": [
            {
                "label": "1",
                "text": "Báo cáo 6 tháng và năm.",
                "lead": [{"agency": "SLDTBXH-19"}, {"commune": "05713"}],
                "coordinating": [
                    {"name": "Công an tỉnh", "agency": "CA-19"},
                    {"name": "các hội, đoàn thể", "agency": None},
                ],
                "deadline": {"kind": "recurring", "frequency": "semiannual", "day": 15, "month": 5},
                "report_to": {"name": "Sở Lao động", "agency": "SLDTBXH-19"},
            }
        ],
    }
    response = client.post("/api/v1/directives/", body, content_type="application/json")
    assert response.status_code == 201, response.json()
    directive = Directive.objects.get()
    assert directive.doc_type == "ke_hoach"
    task = directive.tasks.get(lead_agency=dept.labour)
    assert task.coordinating_as_written == ["các hội, đoàn thể"] and task.report_to == dept.labour
    assert [o.due_on for o in task.occurrences.order_by("due_on")][:2] == [
        datetime.date(2025, 5, 15),
        datetime.date(2025, 11, 15),
    ]

    body["number"] = "13"
    body["tasks"][0]["lead"] = [{"agency": "CA-01"}]  # Hà Nội's police: not in this officer's province
    response = client.post("/api/v1/directives/", body, content_type="application/json")
    assert response.status_code == 400 and "CA-01" in response.json()["tasks.0"]["lead"][0]
    body["tasks"][0]["lead"] = [{"agency": "SLDTBXH-19"}]
    body["tasks"][0]["deadline"] = {"kind": "recurring", "frequency": "annual", "day": 31, "month": 4}
    response = client.post("/api/v1/directives/", body, content_type="application/json")
    assert response.status_code == 400 and "tasks.0.deadline_day" in response.json()
    body["doc_type"] = "không rõ"
    assert client.post("/api/v1/directives/", body, content_type="application/json").status_code == 400


@pytest.mark.parametrize("who", ["officer_a1", "chair_a1", "police_a", "hotline", "admin", "nobody"])
def test_only_province_officers_create(dept: Departments, client_for, who: str) -> None:
    body = {"doc_type": "cong_van", "tasks": []}
    response = client_for(getattr(dept.p, who)).post("/api/v1/directives/", body, content_type="application/json")
    assert response.status_code == 403


def test_anonymous_callers_get_nothing(dept: Departments) -> None:
    for url in ("/api/v1/directives/", "/api/v1/directive-tasks/", "/api/v1/directive-compliance/"):
        assert Client().get(url).status_code in (401, 403)


def _setup(dept: Departments) -> Directive:
    p = dept.p
    return make_directive(
        p.province_officer_a,
        task_input(
            LeadChoice(agency=dept.police),
            LeadChoice(agency=dept.labour),
            coordinating=[dept.education],
            rule=dated(PAST),
        ),
        task_input(LeadChoice(agency=dept.education), LeadChoice(all_communes=True), label="2", rule=dated(FUTURE)),
    )


def test_task_list_filters_by_agency_commune_and_status(dept: Departments, client_for) -> None:
    _setup(dept)
    officer = client_for(dept.p.province_officer_a)
    rows = officer.get("/api/v1/directive-tasks/", {"agency": "CA-19", "status": "overdue"}).json()
    assert rows["count"] == 1 and rows["results"][0]["lead"] == {
        "kind": "agency",
        "code": "CA-19",
        "name": "Công an tỉnh Thái Nguyên",
    }
    assert (
        rows["results"][0]["status"] == "overdue" and rows["results"][0]["directive"]["reference"] == "5310/UBND-KGVX"
    )
    assert officer.get("/api/v1/directive-tasks/", {"agency": "CA-19", "status": "done_on_time"}).json()["count"] == 0
    assert officer.get("/api/v1/directive-tasks/", {"status": "overdue"}).json()["count"] == 2
    assert officer.get("/api/v1/directive-tasks/", {"commune": "05713"}).json()["count"] == 1
    assert (
        officer.get("/api/v1/directive-tasks/", {"agency": str(dept.education.pk)}).json()["count"] == 1
    )  # an id works too
    assert officer.get("/api/v1/directive-tasks/", {"status": "later"}).status_code == 400

    # The education department leads one task and coordinates two; `mine=true` keeps only what it leads.
    lead = client_for(dept.education_fp)
    assert lead.get("/api/v1/directive-tasks/").json()["count"] == 3
    mine = lead.get("/api/v1/directive-tasks/", {"mine": "true"}).json()
    assert [r["lead"]["code"] for r in mine["results"]] == ["SGDDT-19"]
    # Another province's officer and agency see none of it.
    assert client_for(dept.p.province_officer_b).get("/api/v1/directive-tasks/").json()["count"] == 0
    assert client_for(dept.police_b_fp).get("/api/v1/directive-tasks/").json()["count"] == 0


def test_reports_through_the_api(dept: Departments, client_for) -> None:
    directive = _setup(dept)
    task = directive.tasks.get(lead_agency=dept.police)
    url = f"/api/v1/directive-tasks/{task.pk}/reports/"
    police = client_for(dept.p.police_a)
    response = police.post(
        url, {"text": "Đã rà soát các vụ việc tồn đọng.", "completes": True}, content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    report = response.json()
    assert report["status"] == "submitted" and report["completes"] and report["due_on"] == PAST.isoformat()
    assert report["author"]["username"] == "police_a" and report["attachment"] is None
    detail = police.get(f"/api/v1/directive-tasks/{task.pk}/").json()
    assert detail["status"] == "done_late" and detail["occurrences"][0]["status"] == "done_late"

    # Coordinating, another agency, another province, the officer: none may report (404 as for a missing task).
    for who in (dept.education_fp, dept.labour_fp, dept.police_b_fp, dept.p.province_officer_a):
        response = client_for(who).post(url, {"text": "x"}, content_type="application/json")
        assert response.status_code == 404, who.username
    assert client_for(dept.education_fp).get(url).status_code == 200  # coordinating agencies read

    # A file, by multipart.
    labour_task = directive.tasks.get(lead_agency=dept.labour)
    upload = SimpleUploadedFile("Kết quả.pdf", b"%PDF-1.4 data", content_type="application/pdf")
    response = client_for(dept.labour_fp).post(
        f"/api/v1/directive-tasks/{labour_task.pk}/reports/", {"text": "Kèm báo cáo", "attachment": upload}
    )
    assert response.status_code == 201, response.json()
    file_url = response.json()["attachment"]["url"]
    assert file_url.startswith("/api/v1/directive-reports/")
    download = client_for(dept.p.province_officer_a).get(file_url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 data"
    assert client_for(dept.police_b_fp).get(file_url).status_code == 404

    # Review: the officer returns the completion with a reason; the task is overdue again.
    report_id = report["id"]
    officer = client_for(dept.p.province_officer_a)
    assert police.post(f"/api/v1/directive-reports/{report_id}/accept/").status_code == 404
    response = officer.post(
        f"/api/v1/directive-reports/{report_id}/return/", {"reason": ""}, content_type="application/json"
    )
    assert response.status_code == 400
    response = officer.post(
        f"/api/v1/directive-reports/{report_id}/return/", {"reason": "Thiếu số liệu"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["status"] == "returned"
    assert police.get(f"/api/v1/directive-tasks/{task.pk}/").json()["status"] == "overdue"
    assert officer.post(f"/api/v1/directive-reports/{report_id}/accept/").status_code == 409  # already reviewed
    second = TaskReport.objects.exclude(pk=report_id).get()
    response = officer.post(f"/api/v1/directive-reports/{second.pk}/accept/")
    assert response.status_code == 200 and response.json()["status"] == ReportStatus.ACCEPTED


def test_directive_list_and_detail_are_scoped(dept: Departments, client_for) -> None:
    directive = _setup(dept)
    officer = client_for(dept.p.province_officer_a)
    listed = officer.get("/api/v1/directives/").json()
    assert (
        listed["count"] == 1 and listed["results"][0]["task_count"] == 5 and listed["results"][0]["overdue_count"] == 2
    )
    assert officer.get("/api/v1/directives/", {"q": "5310"}).json()["count"] == 1
    assert officer.get("/api/v1/directives/", {"q": "không có"}).json()["count"] == 0
    commune = client_for(dept.p.officer_a1).get(f"/api/v1/directives/{directive.pk}/").json()
    assert [t["lead"]["code"] for t in commune["tasks"]] == ["05713"] and commune["task_count"] == 1
    assert client_for(dept.p.province_officer_b).get(f"/api/v1/directives/{directive.pk}/").status_code == 404
    assert client_for(dept.p.province_officer_b).get("/api/v1/directives/").json()["count"] == 0
    assert client_for(dept.p.hotline).get(f"/api/v1/directives/{directive.pk}/").status_code == 404


def test_compliance_figures(dept: Departments, client_for) -> None:
    _setup(dept)
    rows = (
        client_for(dept.p.province_officer_a)
        .get("/api/v1/directive-compliance/", {"from": "2020-01-01", "to": "2030-12-31"})
        .json()
    )
    by_code = {row["code"]: row for row in rows}
    assert by_code["CA-19"]["overdue"] == 1 and by_code["CA-19"]["on_time_rate"] == 0.0
    assert by_code["SGDDT-19"]["open"] == 1 and by_code["SGDDT-19"]["on_time_rate"] is None
    assert by_code["05713"]["kind"] == "commune"
    response = client_for(dept.p.province_officer_a).get("/api/v1/directive-compliance/", {"from": "hôm qua"})
    assert response.status_code == 400


@pytest.mark.parametrize("count", [2, 10])
def test_api_lists_cost_the_same_for_few_and_many(
    dept: Departments, client_for, django_assert_num_queries, count
) -> None:
    for n in range(count):
        make_directive(
            dept.p.province_officer_a,
            task_input(LeadChoice(agency=dept.police), LeadChoice(all_communes=True), rule=dated(PAST)),
            number=str(100 + n),
        )
    officer = client_for(dept.p.province_officer_a)
    officer.get("/api/v1/directives/")
    # 1 session, 2 user, 3 second-factor device, 4 unit, 5 count, 6 page with task and overdue counts.
    with django_assert_num_queries(6):
        officer.get("/api/v1/directives/")
    # 1-4, 5 count, 6 a page of tasks with status, next due date, pending flag, directive and lead.
    with django_assert_num_queries(6):
        officer.get("/api/v1/directive-tasks/", {"status": "overdue"})
    # 1-4, 5 the one aggregate.
    with django_assert_num_queries(5):
        officer.get("/api/v1/directive-compliance/")
