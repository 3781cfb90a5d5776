"""Who sees a referral and what of its case (the issue's access tests).

- The police focal point sees the referral page and endpoint with the need-to-know view of the case, while the
  case file itself (list, page, API, timeline, notes, attachments) stays 404 for them.
- Another agency's focal point, an officer of another commune, another province: 404 on every referral page and
  endpoint, and an empty list.
- A focal point never receives the reporter's name or phone from any page or endpoint.
- Only the fields the agency's sector needs (REFERRAL_FIELDS_BY_SECTOR); nothing of the child once the referral
  is declined or withdrawn.
"""

from __future__ import annotations

import pytest

from cases.models import Case
from cases.services import referrals as svc
from tests.cases.conftest import CAREGIVER_NAME, CAREGIVER_PHONE, CHILD_NAME, refer, referral_case
from tests.conftest import REPORTER_NAME, REPORTER_PHONE
from tests.personas import Personas

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_broker")]


def referral_urls(referral) -> list[tuple[str, str, dict]]:
    pk = referral.pk
    return [
        ("get", f"/cases/referrals/{pk}/", {}),
        ("post", f"/cases/referrals/{pk}/accept/", {}),
        ("post", f"/cases/referrals/{pk}/decline/", {"reason": "x"}),
        ("post", f"/cases/referrals/{pk}/progress/", {"note": "x"}),
        ("post", f"/cases/referrals/{pk}/complete/", {"outcome": "x"}),
        ("post", f"/cases/referrals/{pk}/withdraw/", {}),
        ("get", f"/api/v1/referrals/{pk}/", {}),
        ("post", f"/api/v1/referrals/{pk}/accept/", {}),
        ("post", f"/api/v1/referrals/{pk}/decline/", {"reason": "x"}),
        ("post", f"/api/v1/referrals/{pk}/progress/", {"note": "x"}),
        ("post", f"/api/v1/referrals/{pk}/complete/", {"outcome": "x"}),
        ("post", f"/api/v1/referrals/{pk}/withdraw/", {}),
    ]


def case_file_urls(case: Case) -> list[str]:
    return [
        f"/cases/{case.pk}/",
        f"/api/v1/cases/{case.pk}/",
        f"/api/v1/cases/{case.pk}/timeline/",
        f"/api/v1/cases/{case.pk}/notes/",
        f"/api/v1/cases/{case.pk}/attachments/",
        f"/cases/{case.pk}/referrals/new/",
        f"/cases/{case.pk}/referrals/agencies/?sector=police",
    ]


@pytest.mark.parametrize("who", ["health_a", "officer_a2", "province_officer_b", "hotline", "nobody"])
def test_outsiders_get_404_on_every_referral_page_and_endpoint(personas, more, client_for, referral, who) -> None:
    user = getattr(more, who, None) or getattr(personas, who)
    client = client_for(user)
    for method, url, data in referral_urls(referral):
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, f"{who}: {method.upper()} {url} → {response.status_code}"
        assert CHILD_NAME.encode() not in response.content
    assert client.get("/api/v1/referrals/").json()["count"] == 0
    assert referral.case.case_number not in client.get("/cases/referrals/?state=all").content.decode()
    referral.refresh_from_db()
    assert referral.status == "sent"  # nothing anyone outside did changed it


def test_a_missing_referral_looks_the_same(personas: Personas, client_for, referral) -> None:
    client = client_for(personas.police_a)
    assert client.get("/cases/referrals/999999/").status_code == 404
    assert client.get("/api/v1/referrals/999999/").status_code == 404


def test_the_focal_point_gets_the_referral_but_never_the_case_file(personas: Personas, client_for, referral) -> None:
    client = client_for(personas.police_a)
    case = referral.case
    for url in case_file_urls(case):
        assert client.get(url).status_code == 404, url
    assert client.get("/api/v1/cases/").json()["count"] == 0
    assert case.case_number not in client.get("/cases/").content.decode()
    page = client.get(f"/cases/referrals/{referral.pk}/")
    assert page.status_code == 200
    assert CHILD_NAME in page.content.decode()
    assert f'href="/cases/{case.pk}/"' not in page.content.decode()  # no link to a page they cannot open
    data = client.get(f"/api/v1/referrals/{referral.pk}/").json()
    assert data["case"]["case_number"] == case.case_number
    assert data["case"]["need_to_know"]["child_name"] == CHILD_NAME


def _every_response_of_a_focal_point(client, referral) -> list[bytes]:
    pk = referral.pk
    bodies = [
        client.get("/").content,
        client.get("/cases/referrals/").content,
        client.get("/cases/referrals/?state=all").content,
        client.get(f"/cases/referrals/{pk}/").content,
        client.get("/api/v1/referrals/").content,
        client.get(f"/api/v1/referrals/{pk}/").content,
        client.get("/notifications/").content,
        client.get("/api/v1/notifications/").content,
        client.post(f"/api/v1/referrals/{pk}/accept/").content,
        client.post(f"/api/v1/referrals/{pk}/progress/", {"note": "Đang xác minh"}).content,
        client.get(f"/cases/referrals/{pk}/").content,
        client.post(f"/cases/referrals/{pk}/complete/", {"outcome": ""}).content,  # an error page too
        client.post(f"/api/v1/referrals/{pk}/complete/", {"outcome": "Đã chuyển cơ quan điều tra"}).content,
        client.get(f"/cases/referrals/{pk}/").content,
        client.get(f"/api/v1/referrals/{pk}/").content,
    ]
    return bodies


def test_a_focal_point_never_receives_the_reporters_name_or_phone(personas: Personas, client_for, referral) -> None:
    client = client_for(personas.police_a)
    for body in _every_response_of_a_focal_point(client, referral):
        text = body.decode()
        assert REPORTER_NAME not in text and REPORTER_PHONE not in text
        assert "reporter" not in text and "người báo tin" not in text.lower().replace("danh tính người báo tin", "")


def test_the_police_get_the_police_fields(personas: Personas, client_for, referral) -> None:
    fields = client_for(personas.police_a).get(f"/api/v1/referrals/{referral.pk}/").json()["case"]["need_to_know"]
    assert fields["child_name"] == CHILD_NAME and fields["child_id_number"] == "019212345678"
    assert fields["caregiver_contacts"][0]["phone"] == CAREGIVER_PHONE
    assert fields["abuse_forms"] == ["sexual_abuse"] and "summary" in fields
    assert "reporter" not in fields


def test_each_sector_gets_only_its_fields(personas: Personas, more, client_for, case_a1, settings) -> None:
    settings.REFERRAL_FIELDS_BY_SECTOR = {
        **settings.REFERRAL_FIELDS_BY_SECTOR,
        "health": ["child_age", "child_sex", "kind"],
    }
    referral = refer(personas, case_a1, agency=more.health_agency)
    client = client_for(more.health_a)
    fields = client.get(f"/api/v1/referrals/{referral.pk}/").json()["case"]["need_to_know"]
    assert set(fields) == {"child_age", "child_sex", "kind"}
    page = client.get(f"/cases/referrals/{referral.pk}/").content.decode()
    assert CHILD_NAME not in page and CAREGIVER_NAME not in page and "019212345678" not in page
    # A sector that is not listed falls back to "*".
    settings.REFERRAL_FIELDS_BY_SECTOR = {"*": ["kind"]}
    assert set(client.get(f"/api/v1/referrals/{referral.pk}/").json()["case"]["need_to_know"]) == {"kind"}


@pytest.mark.parametrize("closing", ["decline", "withdraw"])
def test_a_declined_or_withdrawn_referral_no_longer_shows_the_child(personas, client_for, referral, closing) -> None:
    if closing == "decline":
        svc.do_decline_referral(acting_user=personas.police_a, referral=referral, reason="Không thuộc thẩm quyền")
    else:
        svc.do_withdraw_referral(acting_user=personas.officer_a1, referral=referral)
    client = client_for(personas.police_a)
    page = client.get(f"/cases/referrals/{referral.pk}/")
    assert page.status_code == 200 and CHILD_NAME not in page.content.decode()
    data = client.get(f"/api/v1/referrals/{referral.pk}/").json()
    assert data["case"]["shared"] is False and data["case"]["need_to_know"] == {}
    # Closed: no answer forms on the page, and the API refuses writes.
    assert 'action="/cases/referrals/' not in page.content.decode()
    assert client.post(f"/api/v1/referrals/{referral.pk}/accept/").status_code == 409  # closed: the state refuses


def test_a_completed_referral_stays_readable_but_takes_no_writes(personas: Personas, client_for, referral) -> None:
    svc.do_accept_referral(acting_user=personas.police_a, referral=referral)
    svc.do_complete_referral(acting_user=personas.police_a, referral=referral, outcome="Đã xử lý")
    client = client_for(personas.police_a)
    page = client.get(f"/cases/referrals/{referral.pk}/").content.decode()
    assert CHILD_NAME in page and 'action="/cases/referrals/' not in page
    response = client.post(f"/cases/referrals/{referral.pk}/progress/", {"note": "thêm"})
    assert response.status_code == 400 and "đã kết thúc" in response.content.decode()
    assert client.post(f"/api/v1/referrals/{referral.pk}/progress/", {"note": "thêm"}).status_code == 409
    assert referral.notes.count() == 0


def test_the_case_workers_see_their_referrals_and_the_province_oversees(personas: Personas, client_for, referral):
    for who in ("officer_a1", "chair_a1", "province_officer_a", "admin"):
        client = client_for(getattr(personas, who))
        assert client.get(f"/cases/referrals/{referral.pk}/").status_code == 200, who
        assert client.get("/api/v1/referrals/").json()["count"] == 1, who


def test_every_read_of_the_referral_is_audited(personas: Personas, client_for, referral) -> None:
    from childprotect.models import AuditEvent

    client = client_for(personas.police_a)
    client.get(f"/cases/referrals/{referral.pk}/")
    client.get(f"/api/v1/referrals/{referral.pk}/")
    reads = AuditEvent.objects.filter(actor=personas.police_a, action="view", details__referral_id=referral.pk)
    assert reads.count() == 2


def test_lists_do_not_grow_with_the_number_of_referrals(
    personas: Personas, more, client_for, django_assert_max_num_queries
) -> None:
    for _ in range(6):
        refer(personas, referral_case(personas))
    client = client_for(personas.police_a)
    client.get("/cases/referrals/")  # warm up the session
    # 1 session, 2 user, 3 the counts per state (one aggregate), 4 page count, 5 the page of referrals with their
    # cases, communes, agencies and senders (joins), 6-7 the header's agency and unit of the user, 8 the audit row
    # of the list.
    with django_assert_max_num_queries(8):
        assert client.get("/cases/referrals/?state=all").status_code == 200
    # 1 session, 2 user, 3 count, 4 the page with cases and agencies, 5 the audit row of the list.
    with django_assert_max_num_queries(5):
        assert client.get("/api/v1/referrals/").json()["count"] == 6


def test_the_referral_reason_names_the_cases_but_never_opens_the_case_file(personas: Personas, more, referral) -> None:
    """CaseQuerySet.referred_to: the cases a focal point's agency holds an open or completed referral of; the
    case-file rule (visible_to) stays empty for them."""
    case = referral.case
    assert list(Case.objects.referred_to(personas.police_a)) == [case]
    assert not Case.objects.visible_to(personas.police_a).exists()
    assert not Case.objects.referred_to(more.health_a).exists()
    assert not Case.objects.referred_to(personas.officer_a1).exists()
    svc.do_withdraw_referral(acting_user=personas.officer_a1, referral=referral)
    assert not Case.objects.referred_to(personas.police_a).exists()
