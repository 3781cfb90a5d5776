"""Finding 6 of issue 13: the duplicate check shows only children with a case the caller may open. A draft is
private to its author: before, the chair, the province officer and the hotline saw another user's draft's child
(name, birth year, commune) in the check, while the draft itself answered 404 to them. The hotline, which opens
no commune's records, learns only that a possible match exists elsewhere: a yes, without personal data."""

from __future__ import annotations

import pytest
from django.utils import timezone

from cases.models import Case
from cases.services.intake import CaseInput, ChildInput, ReporterInput, do_create_case

pytestmark = pytest.mark.django_db

SECRET_NAME = "Lê Thị Bí Mật"
SECRET_ID = "019314000777"
API = "/api/v1/cases/duplicates/"
PAGE = "/cases/new/duplicates/"
HEADER = "Possible-Match-Elsewhere"


def record(personas, *, draft: bool, name: str = SECRET_NAME, id_number: str = SECRET_ID) -> Case:
    return do_create_case(
        acting_user=personas.officer_a1,
        child=ChildInput(full_name=name, commune=personas.commune_a1, age_years=11, id_number=id_number),
        case=CaseInput(kind="at_risk", received_at=timezone.now()),
        reporter=ReporterInput(channel="phone"),
        draft=draft,
    )


def assert_nothing_of_the_draft(text: str, draft: Case) -> None:
    assert "Bí Mật" not in text and "Bi Mat" not in text
    assert str(draft.child.birth_year) not in text
    assert SECRET_ID[-4:] not in text


@pytest.mark.parametrize("who", ["chair_a1", "province_officer_a", "hotline"])
def test_another_users_draft_is_not_in_the_duplicate_check(personas, client_for, who):
    draft = record(personas, draft=True)
    client = client_for(getattr(personas, who))
    for query in ({"full_name": SECRET_NAME, "commune": "05713"}, {"id_number": SECRET_ID, "commune": "05713"}):
        response = client.get(API, query)
        assert response.status_code == 200
        assert response.json() == []
        assert_nothing_of_the_draft(response.content.decode(), draft)
        assert HEADER not in response.headers  # a draft is nobody's business but its author's, the hotline's too
        page = client.get(PAGE, query)
        assert page.status_code == 200
        assert_nothing_of_the_draft(page.content.decode(), draft)
    # Nor can its child be linked by id: the draft's child is not "linkable" for them.
    body = {
        "child": {"full_name": "Lê Thị B", "age_years": 11, "commune": "05713"},
        "kind": "at_risk",
        "reporter": {"channel": "phone"},
        "existing_child": draft.child_id,
    }
    linked = client.post("/api/v1/cases/", body, content_type="application/json")
    assert linked.status_code == 400 and "existing_child" in linked.json()


def test_the_author_still_sees_their_own_draft(personas, client_for):
    draft = record(personas, draft=True)
    rows = client_for(personas.officer_a1).get(API, {"full_name": SECRET_NAME, "commune": "05713"}).json()
    assert [row["id"] for row in rows] == [draft.child_id]


def test_a_recorded_case_is_shown_to_who_may_open_it(personas, client_for):
    case = record(personas, draft=False)
    for who in ("officer_a1", "chair_a1", "province_officer_a"):
        rows = client_for(getattr(personas, who)).get(API, {"full_name": SECRET_NAME, "commune": "05713"}).json()
        assert [row["id"] for row in rows] == [case.child_id], who


def test_the_hotline_hears_of_a_match_elsewhere_without_personal_data(personas, client_for):
    case = record(personas, draft=False)
    hotline = client_for(personas.hotline)
    by_name = hotline.get(API, {"full_name": SECRET_NAME, "commune": "05713"})
    assert by_name.status_code == 200 and by_name.json() == []
    assert by_name.headers[HEADER] == "true"
    assert_nothing_of_the_draft(by_name.content.decode(), case)
    # The same child's ID number reported in another commune (the family moved): the hotline hears of it.
    by_id = hotline.get(API, {"id_number": SECRET_ID, "commune": "00004"})
    assert by_id.json() == [] and by_id.headers[HEADER] == "true"
    page = hotline.get(PAGE, {"full_name": SECRET_NAME, "commune": "05713"})
    text = page.content.decode()
    assert "xã, phường khác" in text
    assert_nothing_of_the_draft(text, case)
    # No match: no notice.
    other = hotline.get(API, {"full_name": "Phạm Văn Khác", "commune": "05713"})
    assert HEADER not in other.headers
    # Other roles never get the notice: they see what they may open, and nothing of other jurisdictions.
    outsider = client_for(personas.province_officer_b).get(API, {"id_number": SECRET_ID, "commune": "00004"})
    assert outsider.json() == [] and HEADER not in outsider.headers
