"""What schemathesis found where the API was not what its schema says (issue 13, finding 8), one test each:
an address no route matches, a filter it cannot read, an unknown agency, the documented example of an intake."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from drf_spectacular.generators import SchemaGenerator

from cases.api.intake import _EXAMPLE_ABUSE, _EXAMPLE_ACCIDENT
from tests.conftest import make_case

NOT_FOUND = {"detail": "Không tìm thấy.", "code": "not_found"}


@pytest.fixture
def api(personas: Any, client_for: Any) -> Any:
    return client_for(personas.officer_a1)


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/cases/abc/",
        "/api/v1/audit-events/9.78e-254/",
        "/api/v1/referrals/1.5/accept/",
        "/api/v1/auth/tokens/%C2%84/",
        "/api/v1/no-such-thing/",
    ],
)
def test_an_api_address_no_route_matches_answers_the_json_404(api: Any, path: str) -> None:
    response = api.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == NOT_FOUND


@pytest.mark.django_db
def test_a_page_address_no_route_matches_still_answers_the_page(api: Any) -> None:
    response = api.get("/cases/abc/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_every_404_of_a_lookup_has_its_code(api: Any) -> None:
    for path in ("/api/v1/directives/999999/", "/api/v1/notifications/999999/", "/api/v1/cases/999999/"):
        assert api.get(path).json() == NOT_FOUND, path


@pytest.mark.django_db
def test_a_page_a_list_does_not_have_is_a_documented_404(api: Any, schema: dict[str, Any]) -> None:
    # (The case list answers a page past its end with no rows, as its page does; a page it cannot read is a 404.)
    for path, pages in (("/api/v1/cases/", ["0", "abc"]), ("/api/v1/referrals/", ["0", "abc", "99999"])):
        for page in pages:
            response = api.get(path, {"page": page})
            assert response.status_code == 404 and response.json()["code"] == "not_found", (path, page)
        assert "404" in schema["paths"][path]["get"]["responses"]
    assert api.get("/api/v1/cases/", {"page": ["1", "2"]}).status_code == 404


def test_every_operation_with_a_query_string_documents_400_and_every_list_404(schema: dict[str, Any]) -> None:
    undocumented = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            query = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
            expected = ({"400"} if query else set()) | ({"404"} if "page" in query else set())
            if missing := expected - set(operation["responses"]):
                undocumented.append(f"{method.upper()} {path}: {sorted(missing)}")
    assert not undocumented


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("/api/v1/notifications/", {"unread": "275"}, "unread"),
        ("/api/v1/referrals/", {"urgency": ""}, "urgency"),
        ("/api/v1/referrals/", {"overdue": "maybe"}, "overdue"),
        ("/api/v1/cases/", {"received_to": ""}, "received_to"),
        ("/api/v1/directive-tasks/", {"due_to": ""}, "due_to"),
        ("/api/v1/dashboard/", {"to": ""}, "to"),
    ],
)
def test_a_filter_value_the_schema_does_not_allow_is_a_400(api: Any, path: str, query: dict, field: str) -> None:
    response = api.get(path, query)
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert all(message.isascii() is False for message in response.json()[field])  # Vietnamese


@pytest.mark.django_db
def test_filters_the_schema_allows_still_work(api: Any) -> None:
    assert api.get("/api/v1/notifications/", {"unread": "true"}).status_code == 200
    assert api.get("/api/v1/referrals/", {"urgency": "urgent", "agency": ""}).status_code == 200


@pytest.mark.django_db
def test_an_unknown_agency_is_a_vietnamese_field_error(personas: Any, api: Any) -> None:
    case = make_case(personas.officer_a1, personas.commune_a1)
    body = {"case": case.pk, "agency": ".", "reason": "Đề nghị xác minh."}
    response = api.post("/api/v1/referrals/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"agency": ["Không có cơ quan nào mã “.” trong danh bạ."]}
    english = api.post("/api/v1/referrals/", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json() == {"agency": ["There is no agency with code “.” in the directory."]}


@pytest.mark.django_db
def test_a_yes_no_field_is_true_or_false(api: Any) -> None:
    for body in ({}, {"email_enabled": "yes"}, {"email_enabled": 1}):
        answer = api.put("/api/v1/notifications/preferences/", body, content_type="application/json")
        assert answer.status_code == 400, body
    answer = api.put("/api/v1/notifications/preferences/", {"email_enabled": False}, content_type="application/json")
    assert answer.status_code == 200 and answer.json() == {"email_enabled": False}


@pytest.mark.django_db
def test_options_names_the_endpoint_without_building_its_serializers(api: Any) -> None:
    response = api.options("/api/v1/notifications/preferences/")
    assert response.status_code == 200 and "actions" not in response.json()


def test_the_intake_examples_name_communes_of_the_official_list() -> None:
    path = Path(settings.BASE_DIR) / "childprotect" / "data" / "admin_units.json.gz"
    data = json.loads(gzip.open(path).read())
    communes = {row[2] for row in data["units"] if row[0] == "qd19_2025" and row[1] == "commune"}
    named = {_EXAMPLE_ABUSE["child"]["commune"], _EXAMPLE_ABUSE["incident_commune"]}
    named |= {_EXAMPLE_ACCIDENT["child"]["commune"]}
    assert named <= communes
