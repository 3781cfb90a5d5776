"""Finding 5 (lists) of issue 13: the lists and searches that show children leave an audit row — who, which list,
which filters, how many rows — through the append-only audit log, and never the child's data: a search by name
or ID number is recorded as "a search happened", not as what was typed. Before, they left nothing."""

from __future__ import annotations

import json

import pytest

from childprotect.models import AuditEvent
from childprotect.models.audit import AuditAction
from tests.conftest import make_case

pytestmark = pytest.mark.django_db

NAME = "Nguyễn Thị Hương"
ID_NUMBER = "019314000123"


def list_rows():
    return list(AuditEvent.objects.filter(action=AuditAction.LIST).order_by("id"))


def assert_no_child_data(event: AuditEvent) -> None:
    text = json.dumps(event.details, ensure_ascii=False).lower()
    for secret in ("hương", "huong", ID_NUMBER, "2014-05-02"):
        assert secret not in text, event.details


@pytest.mark.parametrize(
    ("path", "search"),
    [("/cases/", "q"), ("/api/v1/cases/", "search")],
)
def test_the_case_list_and_its_search_are_audited_without_the_term(personas, client_for, path, search):
    make_case(personas.officer_a1, personas.commune_a1, NAME, id_number=ID_NUMBER)
    make_case(personas.officer_a1, personas.commune_a1, "Trần Văn Nam")
    client = client_for(personas.province_officer_a)
    response = client.get(path, {search: "huong", "status": ["received", "emergency"], "commune": "05713"})
    assert response.status_code == 200
    client.get(path, {search: ID_NUMBER})
    first, second = list_rows()
    assert first.actor_id == personas.province_officer_a.pk
    assert first.unit_path == personas.province_a.path  # province officers read their province's rows
    assert first.details == {
        "list": "cases",
        "query": {"commune": "05713", "status": ["received", "emergency"]},
        "rows": 1,
        "search": True,
    }
    assert second.details["search"] is True and second.details["query"] == {}
    for event in (first, second):
        assert_no_child_data(event)


def test_a_plain_list_is_audited_with_its_row_count(personas, client_for):
    make_case(personas.officer_a1, personas.commune_a1, NAME)
    client_for(personas.officer_a1).get("/cases/", {"received_from": "2020-01-01", "page": "1"})
    (event,) = list_rows()
    assert event.details == {"list": "cases", "query": {"received_from": "2020-01-01"}, "rows": 1}
    assert "search" not in event.details


def test_the_agency_inbox_and_referral_lists_are_audited(personas, client_for):
    from cases.services.referrals import do_create_referral

    case = make_case(personas.officer_a1, personas.commune_a1, NAME)
    do_create_referral(
        acting_user=personas.officer_a1, case=case, agency=personas.police_agency_a, reason="Cần điều tra",
        urgency="normal",
    )  # fmt: skip
    police = client_for(personas.police_a)
    assert police.get("/cases/referrals/", {"state": "open"}).status_code == 200
    assert police.get("/api/v1/referrals/", {"status": "sent"}).status_code == 200
    page, api = list_rows()
    assert page.actor_id == api.actor_id == personas.police_a.pk
    assert page.details == {"list": "referrals", "query": {"state": "open"}, "rows": 1}
    assert api.details == {"list": "referrals", "query": {"status": "sent"}, "rows": 1}


def test_the_duplicate_check_is_a_search_of_children(personas, client_for):
    make_case(personas.officer_a1, personas.commune_a1, NAME, id_number=ID_NUMBER)
    client = client_for(personas.officer_a1)
    client.get("/api/v1/cases/duplicates/", {"full_name": NAME, "commune": "05713"})
    client.get("/cases/new/duplicates/", {"full_name": NAME, "commune": "05713", "date_of_birth": "2014-05-02"})
    api, page = list_rows()
    for event in (api, page):
        assert event.details == {"list": "duplicates", "query": {"commune": "05713"}, "rows": 1, "search": True}
        assert_no_child_data(event)


def test_a_refused_or_unlisted_request_leaves_no_list_row(personas, client_for):
    client = client_for(personas.officer_a1)
    assert client.get("/api/v1/cases/", {"received_to": "9999-12-31"}).status_code == 400
    assert client.get("/api/v1/cases/999999/").status_code == 404
    assert list_rows() == []


def test_the_audit_row_is_one_insert(personas, client_for, django_assert_num_queries):
    from childprotect.services import record_list_read

    with django_assert_num_queries(1):
        record_list_read(
            actor=personas.officer_a1, list_name="cases", params={"q": "x", "kind": "abuse"}, allowed=["q"], rows=3
        )
