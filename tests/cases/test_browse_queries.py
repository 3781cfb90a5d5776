"""The list and the case page cost a fixed number of queries, however many rows there are."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.services.files import do_add_attachment, do_add_note
from cases.services.intake import CaregiverInput
from tests.conftest import make_case

pytestmark = pytest.mark.django_db

PARAMS = {"ordering": "name", "q": "tre", "kind": "abuse", "due": "", "page": "1"}


def _make(personas, count: int, start: int = 0) -> None:
    for index in range(start, start + count):
        make_case(personas.officer_a1, personas.commune_a1, f"Trẻ Thứ {index}")


@pytest.mark.parametrize("total", [3, 30])
def test_the_html_list_costs_the_same_for_3_and_30_cases(personas, client_for, django_assert_num_queries, total):
    _make(personas, total)
    client = client_for(personas.officer_a1)
    client.get("/cases/")  # warm the session (the idle-timeout stamp is written once a minute)
    # 1 session, 2 user, 3 user's unit (jurisdiction), 4 count of the filtered cases,
    # 5 one page of cases with child, commune and officer joined, 6 open/overdue/due-soon counts (one aggregate),
    # 7 the officer choices of the filter form, 8 the audit row of the list (insert). (No commune choices: a
    # commune officer has one commune.)
    with django_assert_num_queries(8):
        response = client.get("/cases/", PARAMS)
    assert len(response.context["page"].rows) == min(total, 25)


@pytest.mark.parametrize("total", [3, 30])
def test_the_api_list_costs_the_same_for_3_and_30_cases(personas, client_for, django_assert_num_queries, total):
    _make(personas, total)
    client = client_for(personas.officer_a1)
    client.get("/api/v1/cases/")
    # (The API refuses an empty choice such as `due=`, which the page's form sends for "any": left out here.)
    params = {key: value for key, value in PARAMS.items() if key != "q" and value} | {"search": "tre"}
    # 1 session, 2 user, 3 user's unit (jurisdiction), 4 count, 5 one page of cases with child, commune, officer,
    # 6 the audit row of the list (insert).
    with django_assert_num_queries(6):
        response = client.get("/api/v1/cases/", params)
    assert response.json()["count"] == total


def test_the_province_lists_add_only_the_commune_choices(personas, client_for, django_assert_num_queries):
    _make(personas, 3)
    make_case(personas.officer_a2, personas.commune_a2, "Trẻ Xã Khác")
    client = client_for(personas.province_officer_a)
    client.get("/cases/")
    # 1 session, 2 user, 3 second-factor device, 4 unit, 5 count, 6 page, 7 counts, 8 commune choices, 9 officers,
    # 10 the audit row of the list.
    with django_assert_num_queries(10):
        client.get("/cases/", {"ordering": "name"})
    # 1 session, 2 user, 3 second-factor device, 4 unit, 5 count, 6 page, 7 the audit row of the list.
    with django_assert_num_queries(7):
        client.get("/api/v1/cases/", {"ordering": "name"})


def _enrich(personas, case, count: int) -> None:
    for index in range(count):
        do_add_note(acting_user=personas.officer_a1, case=case, text=f"Ghi chú {index}")
        do_add_attachment(
            acting_user=personas.officer_a1,
            case=case,
            uploaded=SimpleUploadedFile(f"tep-{index}.pdf", b"%PDF-1.4 x"),
        )


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_the_case_page_and_its_api_do_not_grow_with_the_timeline(personas, client_for, private_storage):
    caregivers = [CaregiverInput(f"Người {i}", "Bác") for i in range(2)]
    small = make_case(personas.officer_a1, personas.commune_a1, "Trẻ Một", caregivers=caregivers[:1])
    large = make_case(
        personas.officer_a1, personas.commune_a1, "Trẻ Hai", forms=["sexual_abuse"], caregivers=caregivers
    )
    _enrich(personas, small, 1)
    _enrich(personas, large, 12)
    client = client_for(personas.officer_a1)
    client.get("/cases/")
    for url in ("/cases/{}/", "/api/v1/cases/{}/", "/api/v1/cases/{}/timeline/", "/api/v1/cases/{}/notes/",
                "/api/v1/cases/{}/attachments/"):  # fmt: skip
        assert _count(client, url.format(small.pk)) == _count(client, url.format(large.pk)), url


def test_the_api_detail_query_count(personas, client_for, django_assert_num_queries):
    case = make_case(personas.officer_a1, personas.commune_a1, "Trẻ Một")
    client = client_for(personas.officer_a1)
    client.get("/api/v1/cases/")
    # 1 session, 2 user, 3 unit, 4 the case with child, commune, province and officer (access_case),
    # 5 the audit row of the read, 6 reporter, 7 caregivers, 8 open deadlines.
    with django_assert_num_queries(8):
        client.get(f"/api/v1/cases/{case.pk}/")


def test_the_list_rows_are_what_the_declared_serializer_fields_say(personas):
    """CaseListSerializer builds rows by hand for speed; the schema is generated from its declared fields."""
    from rest_framework import serializers

    from cases.api.browse import LIST_COLUMNS
    from cases.api.serializers.browse import CaseListSerializer
    from cases.models import Case

    with_officer = make_case(personas.officer_a1, personas.commune_a1, "Trẻ Có Cán Bộ")
    Case.objects.filter(pk=with_officer.pk).update(assigned_officer=personas.officer_a1, next_deadline_at=None)
    without = make_case(personas.officer_a1, personas.commune_a1, "Trẻ Khác", age=None)
    Case.objects.filter(pk=without.pk).update(assigned_officer=None)
    rows = Case.objects.select_related("child", "commune", "assigned_officer").only(*LIST_COLUMNS).order_by("id")
    fast = CaseListSerializer(rows, many=True).data
    declared = [serializers.ModelSerializer.to_representation(CaseListSerializer(), case) for case in rows]
    assert [dict(row) for row in fast] == [dict(row) for row in declared]
    assert fast[0]["assigned_officer"]["username"] == "officer_a1" and fast[1]["assigned_officer"] is None
