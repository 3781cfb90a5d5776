"""The dashboard's per-agency figures (directives/compliance.py): on time, late, overdue over a period, per
occurrence, in one SQL query, for the directives the user may see."""

from __future__ import annotations

import datetime
import zoneinfo

import time_machine

from directives.compliance import agency_compliance, totals
from directives.models import DeadlineKind, Frequency
from directives.recurrence import DeadlineRule
from directives.services import LeadChoice, do_report_task
from tests.directives.conftest import Departments, dated, make_directive, task_input

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
D = datetime.date


def _complete(user, task, when: datetime.datetime) -> None:
    with time_machine.travel(when, tick=False):
        do_report_task(acting_user=user, task=task, text="Hoàn thành", completes=True)


def test_per_agency_on_time_late_and_overdue_over_a_period(dept: Departments, django_assert_num_queries) -> None:
    p = dept.p
    semiannual = DeadlineRule(kind=DeadlineKind.RECURRING, frequency=Frequency.SEMIANNUAL, day=15, month=5)
    directive = make_directive(
        p.province_officer_a,
        task_input(LeadChoice(agency=dept.education), LeadChoice(agency=dept.police), rule=semiannual),
        task_input(
            LeadChoice(agency=dept.education), LeadChoice(all_communes=True), label="2", rule=dated(D(2024, 9, 30))
        ),
        task_input(LeadChoice(agency=dept.labour), label="3", rule=DeadlineRule(kind=DeadlineKind.CONTINUOUS)),
        issued_on=D(2024, 1, 2),
        today=D(2024, 1, 2),
    )
    education_recurring = directive.tasks.get(lead_agency=dept.education, item_label="1")
    education_dated = directive.tasks.get(lead_agency=dept.education, item_label="2")
    police = directive.tasks.get(lead_agency=dept.police)
    _complete(dept.education_fp, education_recurring, datetime.datetime(2024, 5, 10, 9, tzinfo=VN))  # 15/5: on time
    _complete(dept.education_fp, education_recurring, datetime.datetime(2024, 11, 20, 9, tzinfo=VN))  # 15/11: late
    _complete(dept.education_fp, education_dated, datetime.datetime(2024, 9, 30, 22, tzinfo=VN))  # on the day
    _complete(p.police_a, police, datetime.datetime(2024, 5, 20, 9, tzinfo=VN))  # 15/5: late; 15/11: overdue
    # A directive due before the period never counts in it.
    make_directive(
        p.province_officer_a,
        task_input(LeadChoice(agency=dept.health), rule=dated(D(2023, 12, 1))),
        number="1",
        issued_on=D(2023, 11, 1),
        today=D(2023, 11, 1),
    )

    officer = p.province_officer_a
    officer.unit  # noqa: B018 - the jurisdiction is loaded once, as in a request
    with django_assert_num_queries(1):
        rows = agency_compliance(officer, D(2024, 1, 1), D(2024, 12, 31), today=D(2024, 12, 1))
    by_code = {row.code: row for row in rows}
    education, police_row = by_code["SGDDT-19"], by_code["CA-19"]
    assert (education.on_time, education.late, education.overdue, education.tasks) == (2, 1, 0, 2)
    assert education.on_time_rate == 66.7
    assert (police_row.on_time, police_row.late, police_row.overdue) == (0, 1, 1)
    assert police_row.on_time_rate == 0.0
    communes = [row for row in rows if row.kind == "commune"]
    assert sorted(row.code for row in communes) == ["05713", "05767"]
    assert all((row.overdue, row.on_time) == (1, 0) for row in communes)
    assert "SLDTBXH-19" not in by_code  # continuous: no due date in the period
    assert "SYT-19" not in by_code  # due in 2023: outside the period
    assert rows[0].overdue == 1  # most overdue first
    assert totals(rows)["on_time"] == 2 and totals(rows)["overdue"] == 3

    # A lead sees its own row only; another province sees nothing.
    assert [row.code for row in agency_compliance(dept.education_fp, D(2024, 1, 1), D(2024, 12, 31))] == ["SGDDT-19"]
    assert agency_compliance(p.province_officer_b, D(2024, 1, 1), D(2024, 12, 31)) == []
    # The period is by due date: the first half of 2024 holds only the 15/5 occurrences.
    first_half = {
        row.code: row for row in agency_compliance(officer, D(2024, 1, 1), D(2024, 6, 30), today=D(2024, 12, 1))
    }
    assert (first_half["SGDDT-19"].on_time, first_half["CA-19"].late) == (1, 1) and "05713" not in first_half
