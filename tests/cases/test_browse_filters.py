"""Finding cases: every filter, diacritic-insensitive search, Vietnamese name order, pagination — the HTML list
and GET /api/v1/cases/ share one FilterSet (cases/filters.py)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from cases.models import Case
from tests.conftest import make_case

pytestmark = pytest.mark.django_db


def _api_numbers(client, **params) -> list[str]:
    response = client.get("/api/v1/cases/", params)
    assert response.status_code == 200, response.content
    return [row["case_number"] for row in response.json()["results"]]


def _names(client, **params) -> list[str]:
    response = client.get("/api/v1/cases/", params)
    assert response.status_code == 200, response.content
    return [row["child"]["full_name"] for row in response.json()["results"]]


@pytest.fixture
def three(personas):
    """Three cases of commune A1 and one of A2, with different kinds, forms and receipt times."""
    now = timezone.now()
    p = personas
    violence = make_case(p.officer_a1, p.commune_a1, "Nguyễn Thị Hương", received_at=now - datetime.timedelta(days=10))
    sexual = make_case(
        p.officer_a1,
        p.commune_a1,
        "Trần Văn Đức",
        forms=["sexual_abuse"],
        received_at=now - datetime.timedelta(days=3),
        id_number="019123456789",
    )
    at_risk = make_case(
        p.chair_a1, p.commune_a1, "Lê Minh Anh", kind="at_risk", received_at=now - datetime.timedelta(hours=5)
    )
    other_commune = make_case(p.officer_a2, p.commune_a2, "Phạm Thị Ánh", received_at=now - datetime.timedelta(days=1))
    return violence, sexual, at_risk, other_commune


def test_search_ignores_diacritics_and_case(personas, client_for, three):
    client = client_for(personas.officer_a1)
    assert _names(client, search="nguyen thi huong") == ["Nguyễn Thị Hương"]
    assert _names(client, search="NGUYEN Thi  Huong") == ["Nguyễn Thị Hương"]
    assert _names(client, search="Hương") == ["Nguyễn Thị Hương"]
    assert _names(client, search="duc") == ["Trần Văn Đức"]
    page = client.get("/cases/", {"q": "nguyen thi huong"}).content.decode()
    assert "Nguyễn Thị Hương" in page and "Trần Văn Đức" not in page


def test_search_by_case_number_and_id_number(personas, client_for, three):
    violence, sexual, _at_risk, _other = three
    client = client_for(personas.officer_a1)
    assert _api_numbers(client, search=sexual.case_number) == [sexual.case_number]
    prefix = violence.case_number.rsplit("-", 1)[0] + "-"  # "19-2025-"
    assert set(_api_numbers(client, search=prefix)) == {c.case_number for c in three[:3]}
    assert _api_numbers(client, search="019123456789") == [sexual.case_number]
    assert _api_numbers(client, search="019123456780") == []


def test_the_html_list_keeps_q_and_the_api_uses_search(personas, client_for, three):
    client = client_for(personas.officer_a1)
    # The API ignores the HTML parameter name (no filter "q" there), and vice versa.
    assert len(_api_numbers(client, q="duc")) == 3
    assert "Nguyễn Thị Hương" in client.get("/cases/", {"search": "duc"}).content.decode()


def test_status_filter_takes_several_values(personas, client_for, three):
    violence, sexual, at_risk, _ = three
    Case.objects.filter(pk=violence.pk).update(status="initial_assessment")
    Case.objects.filter(pk=sexual.pk).update(status="closed")
    client = client_for(personas.officer_a1)
    assert _api_numbers(client, status="received") == [at_risk.case_number]
    assert set(_api_numbers(client, status=["received", "closed"])) == {at_risk.case_number, sexual.case_number}
    assert set(_api_numbers(client, open="true")) == {at_risk.case_number, violence.case_number}
    assert client.get("/api/v1/cases/", {"status": "nonsense"}).status_code == 400


def test_abuse_form_and_kind(personas, client_for, three):
    violence, sexual, at_risk, _ = three
    client = client_for(personas.officer_a1)
    assert _api_numbers(client, abuse_form="sexual_abuse") == [sexual.case_number]
    assert _api_numbers(client, abuse_form="violence") == [violence.case_number]
    assert _api_numbers(client, kind="at_risk") == [at_risk.case_number]


def test_commune_filter_stays_inside_what_the_user_sees(personas, client_for, three):
    *_, other = three
    province = client_for(personas.province_officer_a)
    assert _api_numbers(province, commune="05767") == [other.case_number]
    assert len(_api_numbers(province, commune="05713")) == 3
    # A commune outside the officer's jurisdiction is not a valid choice: refused, never a way to see more.
    officer = client_for(personas.officer_a1)
    assert officer.get("/api/v1/cases/", {"commune": "05767"}).status_code == 400
    assert officer.get("/api/v1/cases/", {"commune": "00004"}).status_code == 400


def test_officer_filter(personas, client_for, three):
    violence, sexual, _at_risk, _ = three
    client = client_for(personas.officer_a1)
    # Cases recorded by the commune officer are assigned to them; the chair's case is unassigned.
    assert set(_api_numbers(client, officer=personas.officer_a1.pk)) == {violence.case_number, sexual.case_number}
    assert client.get("/api/v1/cases/", {"officer": personas.province_officer_b.pk}).status_code == 400


def test_due_soon_and_overdue(personas, client_for, three):
    violence, sexual, at_risk, _ = three
    now = timezone.now()
    Case.objects.filter(pk=violence.pk).update(next_deadline_at=now - datetime.timedelta(minutes=5))
    Case.objects.filter(pk=sexual.pk).update(next_deadline_at=now + datetime.timedelta(hours=47))
    Case.objects.filter(pk=at_risk.pk).update(next_deadline_at=now + datetime.timedelta(hours=49))
    client = client_for(personas.officer_a1)
    assert _api_numbers(client, due="overdue") == [violence.case_number]
    assert _api_numbers(client, due="soon") == [sexual.case_number]
    rows = {r["case_number"]: r["deadline_state"] for r in client.get("/api/v1/cases/").json()["results"]}
    assert rows == {violence.case_number: "overdue", sexual.case_number: "soon", at_risk.case_number: ""}
    page = client.get("/cases/", {"due": "overdue"}).content.decode()
    assert violence.case_number in page and "Quá hạn" in page and at_risk.case_number not in page


def test_received_date_range_is_in_local_time(personas, client_for):
    p = personas
    tz = timezone.get_current_timezone()
    # 00:30 on 2 March in Vietnam is still 1 March in UTC: it belongs to 2 March.
    early = make_case(p.officer_a1, p.commune_a1, "Sớm", received_at=datetime.datetime(2025, 3, 2, 0, 30, tzinfo=tz))
    late = make_case(p.officer_a1, p.commune_a1, "Muộn", received_at=datetime.datetime(2025, 3, 1, 23, 30, tzinfo=tz))
    client = client_for(p.officer_a1)
    assert _api_numbers(client, received_from="2025-03-02") == [early.case_number]
    assert _api_numbers(client, received_to="2025-03-01") == [late.case_number]
    both = _api_numbers(client, received_from="2025-03-01", received_to="2025-03-02")
    assert set(both) == {early.case_number, late.case_number}


def test_vietnamese_alphabetical_order(personas, client_for):
    # Given names first (Vietnamese habit): Anh < Ánh (tone) < Bình < Dũng < Đức (Đ after every D) < Em.
    for name in ["Trần Văn Đức", "Lê Thị Ánh", "Phạm Quốc Em", "Vũ Thị Bình", "Lê Văn Anh", "Hoàng Văn Dũng"]:
        make_case(personas.officer_a1, personas.commune_a1, name)
    client = client_for(personas.officer_a1)
    expected = ["Lê Văn Anh", "Lê Thị Ánh", "Vũ Thị Bình", "Hoàng Văn Dũng", "Trần Văn Đức", "Phạm Quốc Em"]
    assert _names(client, ordering="name") == expected
    assert _names(client, ordering="-name") == expected[::-1]
    page = client.get("/cases/", {"ordering": "name"}).content.decode()
    positions = [page.index(name) for name in expected]
    assert positions == sorted(positions)


def test_default_order_is_newest_first_and_deadline_order_puts_empty_last(personas, client_for, three):
    violence, sexual, at_risk, _ = three
    client = client_for(personas.officer_a1)
    assert _api_numbers(client) == [at_risk.case_number, sexual.case_number, violence.case_number]
    assert _api_numbers(client, ordering="received_at") == [
        violence.case_number,
        sexual.case_number,
        at_risk.case_number,
    ]
    Case.objects.filter(pk=at_risk.pk).update(next_deadline_at=None)
    first = _api_numbers(client, ordering="next_deadline_at")
    assert first[-1] == at_risk.case_number


def test_html_pagination_keeps_the_filters(personas, client_for):
    for index in range(27):
        make_case(personas.officer_a1, personas.commune_a1, f"Trẻ Thứ {index}")
    make_case(personas.officer_a1, personas.commune_a1, "Trẻ Nguy Cơ", kind="at_risk")
    client = client_for(personas.officer_a1)
    first = client.get("/cases/", {"kind": "abuse"})
    page = first.content.decode()
    assert first.context["page"].count.total == 27 and first.context["page"].count.exact
    assert len(first.context["page"].rows) == 25
    next_cursor = first.context["page"].next_cursor
    assert f"?kind=abuse&amp;cursor={next_cursor}" in page
    second = client.get("/cases/", {"kind": "abuse", "cursor": next_cursor})
    assert len(second.context["page"].rows) == 2
    assert "Trẻ Nguy Cơ" not in second.content.decode()
    assert "Đang xem 26–27 trên tổng số 27" in second.content.decode()
    by_number = client.get("/cases/", {"kind": "abuse", "page": 2})
    assert [c.pk for c in by_number.context["page"].rows] == [c.pk for c in second.context["page"].rows]
    api = client.get("/api/v1/cases/", {"kind": "abuse"}).json()
    assert api["count"] == 27 and api["count_exact"] is True and len(api["results"]) == 27


def test_the_list_shows_the_counts_and_each_column(personas, client_for, three):
    violence, *_ = three
    client = client_for(personas.province_officer_a)
    response = client.get("/cases/")
    page = response.content.decode()
    # Overdue: the police step (due at once) and the plan step of the 10-day-old case.
    assert response.context["counts"] == {"open": 4, "overdue": 2, "soon": 0}
    for text in [violence.case_number, "Nguyễn Thị Hương", "Phan Đình Phùng", "Đại Phúc", "Bạo lực", "Đã tiếp nhận"]:
        assert text in page
