"""Paging the case list by cursor (cases/pagination.py), counting it (childprotect/counting.py), and the name
search by word starts (ChildNameKey, kept by a database trigger)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from cases.api.pagination import CaseListPagination
from cases.models import Case, Child, ChildNameKey
from childprotect.counting import count_rows
from tests.conftest import make_case

pytestmark = pytest.mark.django_db

ORDERINGS = ["-received_at", "received_at", "name", "-name", "next_deadline_at"]


@pytest.fixture
def eleven(personas):
    """Eleven cases of commune A1; three share a receipt time (ties), two have no next deadline (nulls)."""
    now = timezone.now()
    names = ["An", "Bình", "Ánh", "Đức", "Dũng", "Hương", "Hà", "Lan", "Ân", "Bảo", "Yến"]
    cases = []
    for index, given in enumerate(names):
        received = now - datetime.timedelta(hours=3 if index in (2, 3, 4) else 10 + index)
        cases.append(make_case(personas.officer_a1, personas.commune_a1, f"Nguyễn Thị {given}", received_at=received))
    Case.objects.filter(pk__in=[cases[1].pk, cases[7].pk]).update(next_deadline_at=None)
    return cases


def _walk(client, ordering: str) -> tuple[list[int], list[int]]:
    """All pages by following `next`, then back by following `previous`; the ids seen each way."""
    forward: list[int] = []
    pages = []
    url = f"/api/v1/cases/?ordering={ordering}"
    while url:
        body = client.get(url).json()
        pages.append([row["id"] for row in body["results"]])
        forward += pages[-1]
        url = body["next"]
    backward_pages = [pages[-1]]
    url = client.get(_last_page_url(client, ordering)).json()["previous"]
    while url:
        body = client.get(url).json()
        backward_pages.append([row["id"] for row in body["results"]])
        url = body["previous"]
    return forward, [case_id for page in reversed(backward_pages) for case_id in page]


def _last_page_url(client, ordering: str) -> str:
    url = f"/api/v1/cases/?ordering={ordering}"
    while True:
        following = client.get(url).json()["next"]
        if following is None:
            return url
        url = following


@pytest.mark.parametrize("ordering", ORDERINGS)
def test_next_and_previous_visit_every_case_once_in_list_order(personas, client_for, eleven, monkeypatch, ordering):
    monkeypatch.setattr(CaseListPagination, "page_size", 4)
    client = client_for(personas.officer_a1)
    everything = [
        row["id"] for row in client.get("/api/v1/cases/", {"ordering": ordering, "page_size": 50}).json()["results"]
    ]
    by_offset = []
    for number in (1, 2, 3):
        by_offset += [
            row["id"] for row in client.get("/api/v1/cases/", {"ordering": ordering, "page": number}).json()["results"]
        ]
    forward, backward = _walk(client, ordering)
    assert len(forward) == 11 and len(set(forward)) == 11
    assert forward == by_offset == backward
    assert everything[:4] == forward[:4]


def test_the_deadline_order_puts_cases_without_a_deadline_last(personas, client_for, eleven, monkeypatch):
    monkeypatch.setattr(CaseListPagination, "page_size", 4)
    client = client_for(personas.officer_a1)
    forward, _ = _walk(client, "next_deadline_at")
    assert set(forward[-2:]) == {eleven[1].pk, eleven[7].pk}


def test_a_cursor_naming_a_case_the_user_cannot_see_starts_at_the_first_page(personas, client_for, eleven):
    other = make_case(personas.officer_a2, personas.commune_a2, "Trần Văn Khác")
    client = client_for(personas.officer_a1)
    first = [row["id"] for row in client.get("/api/v1/cases/").json()["results"]]
    assert [row["id"] for row in client.get("/api/v1/cases/", {"cursor": f"5a{other.pk}"}).json()["results"]] == first
    assert [row["id"] for row in client.get("/api/v1/cases/", {"cursor": "junk"}).json()["results"]] == first


def test_long_lists_show_an_estimated_total(personas, client_for, eleven, settings):
    settings.LIST_EXACT_COUNT_LIMIT = 5
    client = client_for(personas.officer_a1)
    body = client.get("/api/v1/cases/").json()
    assert body["count_exact"] is False and body["count"] > 5
    page = client.get("/cases/").content.decode()
    assert "Tìm thấy khoảng" in page and "trên tổng số khoảng" in page
    settings.LIST_EXACT_COUNT_LIMIT = 1000
    body = client.get("/api/v1/cases/").json()
    assert body["count_exact"] is True and body["count"] == 11


def test_count_rows_is_exact_while_small(personas, eleven):
    assert (count_rows(Case.objects.all()).total, count_rows(Case.objects.all()).exact) == (11, True)
    assert count_rows(Case.objects.none()).total == 0
    capped = count_rows(Case.objects.all(), exact_limit=3)
    assert capped.exact is False and capped.total >= 4


def test_html_previous_and_next_links_carry_the_filters(personas, client_for, eleven, monkeypatch):
    monkeypatch.setattr("cases.views.browse.PAGE_SIZE", 4)
    client = client_for(personas.officer_a1)
    first = client.get("/cases/", {"kind": "abuse"})
    second = client.get("/cases/", {"kind": "abuse", "cursor": first.context["page"].next_cursor})
    third = client.get("/cases/", {"kind": "abuse", "cursor": second.context["page"].next_cursor})
    assert third.context["page"].number == 3 and len(third.context["page"].rows) == 3
    html = third.content.decode()
    assert "Trang 3" in html and "Đang xem 9–11 trên tổng số 11" in html
    assert f"?kind=abuse&amp;cursor={third.context['page'].previous_cursor}" in html
    back = client.get("/cases/", {"kind": "abuse", "cursor": third.context["page"].previous_cursor})
    assert [c.pk for c in back.context["page"].rows] == [c.pk for c in second.context["page"].rows]


def test_a_cursor_page_costs_one_query_more_than_the_first(personas, client_for, eleven, django_assert_num_queries):
    client = client_for(personas.officer_a1)
    client.get("/api/v1/cases/")
    # 1 session, 2 user, 3 user's unit, 4 count, 5 the boundary case's position, 6 one page, 7 the audit row.
    with django_assert_num_queries(7):
        client.get("/api/v1/cases/", {"cursor": f"2a{eleven[0].pk}"})


def test_names_match_from_the_start_of_any_word(personas, client_for, eleven):
    client = client_for(personas.officer_a1)

    def names(text: str) -> set[str]:
        return {row["child"]["full_name"] for row in client.get("/api/v1/cases/", {"search": text}).json()["results"]}

    assert names("nguyen thi huong") == {"Nguyễn Thị Hương"}
    assert names("Thị Hương") == {"Nguyễn Thị Hương"}
    assert names("huo") == {"Nguyễn Thị Hương"}
    assert names("an") == {"Nguyễn Thị An", "Nguyễn Thị Ánh", "Nguyễn Thị Ân"}
    assert names("uong") == set()
    assert len(names("nguyen")) == 11


def test_the_name_keys_follow_every_write_of_the_name(personas):
    case = make_case(personas.officer_a1, personas.commune_a1, "Lê   Văn  Tám")
    keys = set(ChildNameKey.objects.filter(child=case.child).values_list("key", flat=True))
    assert keys == {"le van tam", "van tam", "tam"}
    child = Child.objects.get(pk=case.child_id)
    child.full_name = "Lê Thị Tâm"
    child.save()
    assert set(ChildNameKey.objects.filter(child=child).values_list("key", flat=True)) == {
        "le thi tam",
        "thi tam",
        "tam",
    }
    Child.objects.filter(pk=child.pk).update(name_search="pham an")  # even a bulk write outside the model
    assert set(ChildNameKey.objects.filter(child=child).values_list("key", flat=True)) == {"pham an", "an"}
