"""The "Việc cần làm" panel of each role's home: each group's count is the length of the list it opens, each item
links to its page, and the panel costs the same number of queries however many entries it has. Immediate duties
are due now, and overdue only after the grace period."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import DeadlineStep
from cases.querysets import deadline_state
from cases.services import workflow as wf
from cases.services.sweep import flag_overdue_deadlines
from childprotect.home import todo_groups
from tests.cases.conftest import at, make_full_case, refer, run
from tests.conftest import make_case
from tests.personas import Personas

pytestmark = pytest.mark.usefixtures("no_broker")


def _list_length(client: Any, url: str) -> int:
    page = client.get(url)
    assert page.status_code == 200, url
    context = page.context
    if "page" in context and hasattr(context["page"], "rows"):
        return len(context["page"].rows)  # the case list
    return len(context["page"].object_list)


def _groups(user: Any) -> dict[str, Any]:
    return {group.key: group for group in todo_groups(user)}


def test_each_count_is_the_length_of_the_list_it_opens(personas: Personas, client_for) -> None:
    p = personas
    make_full_case(p, until="plan")  # a plan awaiting the chair, a separation in force
    make_case(p.hotline, p.commune_a1)  # unassigned
    make_case(p.hotline, p.commune_a1)
    overdue = make_case(p.officer_a1, p.commune_a1, received_at=timezone.now() - datetime.timedelta(days=10))
    refer(p, overdue)
    with at(timezone.now() + datetime.timedelta(days=4)):
        for user in (p.officer_a1, p.chair_a1, p.police_a, p.province_officer_a):
            groups = todo_groups(user)
            assert groups, user
            client = client_for(user)
            for group in groups:
                assert _list_length(client, group.url) == group.count, (user, group.key, group.url)
                assert len(group.items) == min(group.count, 5)
    keys = {
        "officer": set(_groups(p.officer_a1)),
        "chair": set(_groups(p.chair_a1)),
        "police": set(_groups(p.police_a)),
    }
    assert {"unassigned"} <= keys["officer"]
    assert {"plans", "separations", "unassigned"} <= keys["chair"]
    assert keys["police"] == {"referrals-waiting"}


def test_the_chair_approves_from_the_panel(personas: Personas, client_for) -> None:
    p = personas
    case = make_full_case(p, until="plan")
    plans = _groups(p.chair_a1)["plans"]
    assert plans.count == 1 and plans.items[0].url == reverse("cases:detail", args=[case.pk]) + "#workflow"
    home = client_for(p.chair_a1).get(reverse("home")).content.decode()
    assert "Việc cần làm" in home and plans.items[0].url in home
    run(wf.APPROVE_PLAN, p.chair_a1, case, decision_number="3/QĐ-UBND")
    assert "plans" not in _groups(p.chair_a1)


def test_the_officers_returned_plans_and_overdue_steps(personas: Personas) -> None:
    p = personas
    case = make_full_case(p, until="plan")
    run(wf.RETURN_PLAN, p.chair_a1, case, reason="Thiếu dự toán")
    groups = _groups(p.officer_a1)
    assert groups["returned"].count == 1 and groups["returned"].items[0].url.endswith("#workflow")
    with at(timezone.now() + datetime.timedelta(days=10)):
        assert _groups(p.officer_a1)["overdue"].count == 1


def test_the_panel_costs_the_same_queries_for_one_or_many_entries(personas: Personas) -> None:
    p = personas

    def queries_for(user: Any) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            todo_groups(user)
        return len(captured)

    make_case(p.hotline, p.commune_a1)
    refer(p, make_case(p.officer_a1, p.commune_a1))
    few = {user.username: queries_for(user) for user in (p.officer_a1, p.chair_a1, p.police_a)}
    for _ in range(7):
        make_case(p.hotline, p.commune_a1)
        refer(p, make_case(p.officer_a1, p.commune_a1))
    many = {user.username: queries_for(user) for user in (p.officer_a1, p.chair_a1, p.police_a)}
    assert few == many
    # Per group: its count, its first items when it has any, and for the officer's own lists the check of the
    # officer filter's value. Here the unassigned cases and the referrals have entries, the other groups none.
    assert many == {p.officer_a1.username: 8, p.chair_a1.username: 4, p.police_a.username: 2}


def test_others_have_no_case_groups(personas: Personas) -> None:
    p = personas
    make_case(p.hotline, p.commune_a1)
    for user in (p.hotline, p.admin, p.nobody):
        assert todo_groups(user) == []


# --- Immediate duties ------------------------------------------------------------------------------------------


def test_an_immediate_duty_is_due_now_then_overdue_after_the_grace_period(personas: Personas, settings) -> None:
    p = personas
    received = timezone.now().replace(microsecond=0)
    case = make_case(p.officer_a1, p.commune_a1, forms=["sexual_abuse"], received_at=received, at_receipt=True)
    duty = case.deadlines.get(step=DeadlineStep.POLICE_NOTIFICATION)
    assert duty.due_at == received
    minute = datetime.timedelta(minutes=1)
    assert deadline_state(duty.due_at, received + minute, duty.step) == "now"
    assert deadline_state(duty.due_at, received + 61 * minute, duty.step) == "overdue"
    with at(received + 30 * minute):
        assert flag_overdue_deadlines() == 0
        assert case.pk not in _ids_of_list(p, "overdue")
        assert case.pk in _ids_of_list(p, "soon")
    with at(received + 61 * minute):
        assert flag_overdue_deadlines() == 1
        assert case.pk in _ids_of_list(p, "overdue")
    settings.CASE_IMMEDIATE_GRACE_MINUTES = 240
    assert deadline_state(duty.due_at, received + 61 * minute, duty.step) == "now"


def _ids_of_list(p: Personas, due: str) -> set[int]:
    from django.http import QueryDict

    from cases.filters import CaseFilter
    from cases.models import Case

    data = QueryDict(f"due={due}")
    filterset = CaseFilter(data, queryset=Case.objects.visible_to(p.officer_a1), request=None)
    assert filterset.is_valid()
    return set(filterset.qs.values_list("pk", flat=True))


def test_the_case_page_says_due_now(personas: Personas, client_for) -> None:
    p = personas
    case = make_case(p.officer_a1, p.commune_a1, forms=["sexual_abuse"], received_at=timezone.now(), at_receipt=True)
    page = client_for(p.officer_a1).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Đến hạn ngay" in page
