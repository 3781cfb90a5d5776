"""The leads' home panel: their overdue, in-progress and not-started tasks in one query, each figure the length of
the list it opens; none for anyone else."""

from __future__ import annotations

import datetime

from directives.home import directive_home_panel, lead_counts
from directives.services import LeadChoice
from tests.directives.conftest import Departments, dated, make_directive, task_input

D = datetime.date


def test_the_panel_counts_in_one_query(dept: Departments, django_assert_num_queries) -> None:
    p = dept.p
    make_directive(
        p.province_officer_a,
        task_input(LeadChoice(agency=dept.police), LeadChoice(commune=p.commune_a1), rule=dated(D(2025, 3, 10))),
        task_input(LeadChoice(agency=dept.police), label="2", rule=dated(D(2025, 3, 20))),
        today=D(2025, 1, 1),
    )
    with django_assert_num_queries(1):
        counts = lead_counts(p.police_a, today=D(2025, 3, 15))
    assert counts == {"overdue": 1, "in_progress": 0, "not_started": 1}
    assert lead_counts(p.officer_a1, today=D(2025, 3, 15)) == {"overdue": 1, "in_progress": 0, "not_started": 0}
    panel = directive_home_panel(p.chair_a1)
    assert panel is not None and panel["rows"][0]["url"] == "/directives/tasks/mine/?status=overdue"


def test_no_panel_and_no_query_for_others(dept: Departments, django_assert_num_queries) -> None:
    p = dept.p
    for user in (p.province_officer_a, p.hotline, p.admin, p.nobody):
        with django_assert_num_queries(0):
            assert directive_home_panel(user) is None


def test_each_figure_is_the_length_of_the_list_it_opens(dept: Departments, client_for) -> None:
    """A task with two overdue due dates is one overdue task: the tile said 2 where the list showed 1."""
    import time_machine
    from django.utils import timezone

    from directives.models.choices import DeadlineKind
    from directives.recurrence import DeadlineRule

    p = dept.p
    make_directive(
        p.province_officer_a,
        task_input(
            LeadChoice(agency=dept.police), rule=DeadlineRule(kind=DeadlineKind.RECURRING, frequency="monthly", day=5)
        ),
        task_input(LeadChoice(agency=dept.police), label="2", rule=dated(D(2025, 5, 20))),
        today=D(2025, 1, 1),
    )
    with time_machine.travel(datetime.datetime(2025, 3, 15, 9, tzinfo=timezone.get_current_timezone()), tick=False):
        panel = directive_home_panel(p.police_a)
        assert panel is not None
        client = client_for(p.police_a)
        for row in panel["rows"]:
            page = client.get(row["url"])
            assert page.status_code == 200
            shown = len(page.context["page"].object_list)
            assert shown == row["value"], (row["url"], shown, row["value"])
        assert [row["value"] for row in panel["rows"]] == [1, 0, 1]
