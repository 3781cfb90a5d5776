"""POST /api/v1/cases/ and GET /api/v1/cases/duplicates/: the intake contract for integrations."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from cases.models import Case, CaseStatus, Child, Reporter
from cases.services.intake import CaseInput, ChildInput, ReporterInput, do_create_case

pytestmark = pytest.mark.django_db

URL = "/api/v1/cases/"


def payload(**overrides):
    body = {
        "child": {
            "full_name": "Nguyễn Thị Hương",
            "date_of_birth": "2014-05-02",
            "sex": "female",
            "ethnicity_code": "01",
            "id_number": "019314000123",
            "commune": "05713",
        },
        "kind": "abuse",
        "abuse_forms": ["violence", "sexual_abuse"],
        "abuse_subtypes": ["sexual_abuse.molestation"],
        "setting": "family",
        "received_at": timezone.now().isoformat(),
        "incident_date": "2025-08-31",
        "incident_commune": "05713",
        "immediate_danger": True,
        "reporter": {"channel": "hotline_111", "name": "Trần Văn Bình", "phone": "0912345678"},
        "summary": "Hàng xóm báo trẻ bị đánh.",
    }
    body.update(overrides)
    return body


def post(client, body):
    return client.post(URL, body, content_type="application/json")


def test_it_creates_a_case_with_the_contract_shape(personas, client_for):
    response = post(
        client_for(personas.officer_a1),
        payload(caregivers=[{"full_name": "Lê Văn Cường", "relationship": "bố", "is_alleged_perpetrator": True}]),
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == {
        "id", "case_number", "status", "next_deadline", "next_deadline_step", "version", "possible_duplicates"
    }  # fmt: skip
    assert re.fullmatch(r"19-\d{4}-000001", body["case_number"])
    assert body["status"] == "received"
    assert body["next_deadline"] and body["next_deadline_step"]
    assert body["possible_duplicates"] == []
    case = Case.objects.get(pk=body["id"])
    assert case.child.caregivers.get().is_alleged_perpetrator
    assert case.abuse_subtypes == ["sexual_abuse.molestation"]
    assert case.incident_commune == personas.commune_a1
    reporter = Reporter.objects.get(case=case)
    assert (reporter.channel, reporter.name, reporter.phone) == ("hotline_111", "Trần Văn Bình", "0912345678")
    assert "Trần Văn Bình" not in response.content.decode()


def test_it_records_an_accident_incident(personas, client_for):
    body = payload(
        kind="accident", accident_type="drowning", outcome="death", abuse_forms=[], abuse_subtypes=[],
        child={"full_name": "Lò Văn Sáng", "age_years": 9, "sex": "male", "commune": "05767"},
    )  # fmt: skip
    response = post(client_for(personas.officer_a2), body)
    assert response.status_code == 201, response.json()
    case = Case.objects.get(pk=response.json()["id"])
    assert (case.kind, case.accident_type, case.accident_outcome) == ("accident", "drowning", "death")
    assert case.child.birth_year == timezone.localdate().year - 9 and case.child.birth_date_estimated
    assert response.json()["next_deadline"] is None


def test_an_accident_needs_its_type_and_outcome(personas, client_for):
    response = post(client_for(personas.officer_a1), payload(kind="accident", abuse_forms=[], abuse_subtypes=[]))
    assert response.status_code == 400
    errors = response.json()
    assert errors["accident_type"] == ["Chọn loại tai nạn, thương tích."]
    assert "tử vong" in errors["outcome"][0]


def test_it_answers_400_with_vietnamese_field_errors(personas, client_for):
    body = payload(kind="unknown", child={**payload()["child"], "id_number": "12345", "commune": "123"})
    response = post(client_for(personas.officer_a1), body)
    assert response.status_code == 400
    errors = response.json()
    assert errors["child"]["id_number"] == ["Số định danh cá nhân gồm đúng 12 chữ số."]
    assert errors["child"]["commune"] == ["Mã xã, phường gồm đúng 5 chữ số."]
    assert errors["kind"] == ["“unknown” không phải là lựa chọn hợp lệ."]
    assert Case.objects.count() == 0


def test_it_needs_forms_of_abuse_a_reporter_channel_and_a_birth_date_or_age(personas, client_for):
    child = {k: v for k, v in payload()["child"].items() if k != "date_of_birth"}
    response = post(client_for(personas.officer_a1), payload(child=child, abuse_forms=[], abuse_subtypes=[]))
    assert response.status_code == 400
    assert "ngày sinh hoặc tuổi" in response.json()["child"]["date_of_birth"][0]
    response = post(client_for(personas.officer_a1), payload(abuse_forms=[], abuse_subtypes=[]))
    assert response.json() == {"abuse_forms": ["Chọn ít nhất một hình thức xâm hại."]}
    response = post(client_for(personas.officer_a1), payload(reporter={}))
    assert response.json()["reporter"]["channel"] == ["Trường này là bắt buộc."]


def test_it_refuses_roles_that_do_not_record_cases(personas, client_for):
    assert post(client_for(personas.police_a), payload()).status_code == 403
    assert post(client_for(personas.admin), payload()).status_code == 403
    assert Case.objects.count() == 0


def test_it_refuses_communes_outside_the_callers_area(personas, client_for):
    response = post(client_for(personas.officer_a2), payload())
    assert response.status_code == 403
    assert "xã, phường này" in response.json()["detail"]
    assert Case.objects.count() == 0


def test_hotline_records_for_any_commune_and_the_commune_sees_it(personas, client_for):
    body = payload(child={**payload()["child"], "commune": "00004"}, incident_commune="00004")
    response = post(client_for(personas.hotline), body)
    assert response.status_code == 201
    case = Case.objects.get(pk=response.json()["id"])
    assert case.case_number.startswith("01-")
    assert case.reporter.channel == "hotline_111"
    assert Case.objects.visible_to(personas.hotline).filter(pk=case.pk).exists()
    commune_b1_officer = personas.province_officer_b
    assert Case.objects.visible_to(commune_b1_officer).filter(pk=case.pk).exists()
    assert not Case.objects.visible_to(personas.officer_a1).filter(pk=case.pk).exists()


def test_hotline_case_is_seen_by_the_commune_officer(personas, client_for):
    response = post(client_for(personas.hotline), payload())
    case = Case.objects.get(pk=response.json()["id"])
    assert Case.objects.visible_to(personas.officer_a1).filter(pk=case.pk).exists()
    assert case.assigned_officer is None


def test_a_draft_gets_no_number(personas, client_for):
    child = {"full_name": "Chưa rõ tên", "commune": "05713"}
    response = post(
        client_for(personas.officer_a1), payload(child=child, draft=True, abuse_forms=[], abuse_subtypes=[])
    )
    assert response.status_code == 201, response.json()
    assert response.json()["case_number"] is None and response.json()["status"] == "draft"


def test_possible_duplicates_and_linking_an_existing_child(personas, client_for):
    known = do_create_case(
        acting_user=personas.officer_a1,
        child=ChildInput(full_name="Nguyễn Thị Hương", commune=personas.commune_a1),
        case=CaseInput(kind="at_risk", received_at=timezone.now()),
        reporter=ReporterInput(channel="phone"),
    ).child
    client = client_for(personas.officer_a1)
    body = payload(child={**payload()["child"], "full_name": "NGUYEN THI HUONG", "id_number": ""})
    response = post(client, body)
    assert response.json()["possible_duplicates"] == [known.pk]
    assert Child.objects.count() == 2

    response = post(client, payload(existing_child=known.pk))
    assert response.status_code == 201 and response.json()["possible_duplicates"] == []
    assert known.cases.count() == 2

    # A child of another commune cannot be linked.
    other = post(client_for(personas.officer_a2), payload(child={**payload()["child"], "commune": "05767"}))
    other_child = Case.objects.get(pk=other.json()["id"]).child_id
    response = post(client, payload(existing_child=other_child))
    assert response.status_code == 400 and "existing_child" in response.json()


def test_duplicates_endpoint_for_integrations(personas, client_for, django_assert_max_num_queries):
    for name in ("Nguyễn Thị Hương", "Nguyễn Thị Hường", "Trần Văn Nam"):
        do_create_case(
            acting_user=personas.officer_a1,
            child=ChildInput(
                full_name=name, commune=personas.commune_a1, id_number="019314000999" if "Nam" in name else ""
            ),
            case=CaseInput(kind="at_risk", received_at=timezone.now()),
            reporter=ReporterInput(channel="phone"),
        )
    client = client_for(personas.officer_a1)
    client.get("/api/v1/cases/duplicates/", {"full_name": "x", "commune": "05713"})
    with django_assert_max_num_queries(8):
        found = client.get("/api/v1/cases/duplicates/", {"full_name": "nguyen thi huong", "commune": "05713"})
    assert found.status_code == 200
    rows = found.json()
    assert rows[0]["full_name"] == "Nguyễn Thị Hương" and rows[0]["commune"] == "05713"
    assert {r["full_name"] for r in rows} >= {"Nguyễn Thị Hương", "Nguyễn Thị Hường"}
    assert "Trần Văn Nam" not in {r["full_name"] for r in rows}
    by_id = client.get("/api/v1/cases/duplicates/", {"id_number": "019314000999", "commune": "05713"}).json()
    assert [r["full_name"] for r in by_id] == ["Trần Văn Nam"] and by_id[0]["id_number_last4"] == "0999"
    # Outside the caller's area: refused; the hotline may check anywhere, and only sees that commune's children.
    assert client.get("/api/v1/cases/duplicates/", {"full_name": "Hương", "commune": "05767"}).status_code == 403
    # The hotline opens no commune's records: it lists none, and hears only that a match exists (no personal data).
    hotline = client_for(personas.hotline)
    elsewhere = hotline.get("/api/v1/cases/duplicates/", {"full_name": "Nguyễn Thị Hương", "commune": "05767"})
    assert elsewhere.json() == [] and "Possible-Match-Elsewhere" not in elsewhere.headers
    here = hotline.get("/api/v1/cases/duplicates/", {"full_name": "Nguyễn Thị Hương", "commune": "05713"})
    assert here.json() == [] and here.headers["Possible-Match-Elsewhere"] == "true"
    assert client.get("/api/v1/cases/duplicates/", {"commune": "05713"}).status_code == 400
    assert (
        client_for(personas.police_a)
        .get("/api/v1/cases/duplicates/", {"full_name": "Hương", "commune": "05713"})
        .status_code
        == 403
    )


def test_the_schema_documents_the_intake(personas, client_for):
    schema = client_for(personas.officer_a1).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    paths = schema.json()["paths"]
    assert "post" in paths["/api/v1/cases/"]
    assert "/api/v1/cases/duplicates/" in paths
    assert CaseStatus.DRAFT in str(schema.json()["components"]["schemas"])
