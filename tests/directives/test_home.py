"""The leads' home panel: their open, overdue and soon-due due dates in one query; none for anyone else."""

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
    assert counts == {"open": 2, "overdue": 1, "soon": 1}
    assert lead_counts(p.officer_a1, today=D(2025, 3, 15)) == {"open": 1, "overdue": 1, "soon": 0}
    panel = directive_home_panel(p.chair_a1)
    assert panel is not None and panel["rows"][0]["url"] == "/directives/tasks/mine/?status=overdue"


def test_no_panel_and_no_query_for_others(dept: Departments, django_assert_num_queries) -> None:
    p = dept.p
    for user in (p.province_officer_a, p.hotline, p.admin, p.nobody):
        with django_assert_num_queries(0):
            assert directive_home_panel(user) is None
