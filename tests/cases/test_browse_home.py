"""The home-page panel of cases, and POST /api/v1/cases/ being handed to the intake module."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from cases.home import case_home_panel
from cases.models import Case
from tests.conftest import make_case

pytestmark = pytest.mark.django_db


def test_the_panel_counts_the_users_open_cases_in_one_query(personas, django_assert_num_queries):
    now = timezone.now()
    overdue = make_case(personas.officer_a1, personas.commune_a1, "Trẻ Một")
    soon = make_case(personas.officer_a1, personas.commune_a1, "Trẻ Hai")
    make_case(personas.officer_a2, personas.commune_a2, "Trẻ Ba")
    Case.objects.filter(pk=overdue.pk).update(next_deadline_at=now - datetime.timedelta(hours=1))
    Case.objects.filter(pk=soon.pk).update(next_deadline_at=now + datetime.timedelta(hours=2))
    officer = personas.officer_a1
    officer.unit  # noqa: B018 - loaded with the user on a real request
    with django_assert_num_queries(1):
        panel = case_home_panel(officer)
    values = {row["label"]: (row["value"], row["url"]) for row in panel["rows"]}
    assert values["Đang xử lý"] == (2, "/cases/?open=true")
    assert values["Quá hạn"] == (1, "/cases/?open=true&due=overdue")
    assert list(values.values())[2][0] == 1
    assert case_home_panel(personas.province_officer_a)["rows"][0]["value"] == 3


def test_no_panel_for_users_who_see_no_case(personas, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert case_home_panel(personas.police_a) is None
        assert case_home_panel(personas.nobody) is None


def test_the_panel_links_lead_to_the_same_cases(personas, client_for):
    case = make_case(personas.officer_a1, personas.commune_a1, "Trẻ Một")
    Case.objects.filter(pk=case.pk).update(next_deadline_at=timezone.now() - datetime.timedelta(hours=1))
    client = client_for(personas.officer_a1)
    for row in case_home_panel(personas.officer_a1)["rows"]:
        response = client.get(row["url"])
        assert response.context["page"].count.total == row["value"]


def test_post_on_the_list_is_handed_to_the_intake_module(personas, client_for):
    client = client_for(personas.officer_a1)
    response = client.post("/api/v1/cases/", {}, content_type="application/json")
    assert response.status_code != 405
