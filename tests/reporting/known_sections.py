"""Known referrals and directive tasks of province A in YEAR, for the dashboard's referral and directive-task
sections (no tests here; used by test_dashboard_sections.py and the browser test).

Referrals, sent through the services on known days (each answer due 24 h after sending):
- to the police (CA-19), from three cases of commune A1: accepted after 2 h and 6 h (on time) and after 30 h
  (late) — median time to accept 6 h, 2 of 3 answered on time;
- to the health department (SYT-19), from a case of commune A2: never answered, long overdue.
Not counted: a police referral of A1 sent the year before, and a referral of province B (police CA-01).

Directive tasks of one directive of province A, each with one due date in YEAR:
- education (SGDDT-19): one completed before its date (on time), one completed ten days after (late);
- police (CA-19): never completed (overdue); commune A1 (05713): completed on the day (on time).
Not counted: a task due the year before, and a task of a province B directive (police CA-01).
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass
from typing import Any
from unittest import mock

import time_machine

from cases.models import Referral
from cases.services.referrals import do_accept_referral, do_create_referral
from directives.services import LeadChoice, do_report_task
from tests.directives.conftest import Departments, build_departments, dated, make_directive, task_input
from tests.personas import Personas
from tests.reporting.conftest import YEAR
from tests.reporting.factories import bulk_cases

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
D = datetime.date
HOUR = datetime.timedelta(hours=1)

# What the dashboard of province A for YEAR must show: {row: (referrals, accepted, declined, overdue,
# median_hours, on_time_pct)} and {row: (on_time, late, overdue, on_time_rate)}.
REFERRALS = {
    "CA-19": (3, 3, 0, 0, 6.0, 66.7),
    "SYT-19": (1, 0, 0, 1, None, 0.0),
    "total": (4, 3, 0, 1, 6.0, 50.0),
}
TASKS = {
    "SGDDT-19": (1, 1, 0, 50.0),
    "CA-19": (0, 0, 1, 0.0),
    "05713": (1, 0, 0, 100.0),
    "total": (2, 1, 1, 50.0),
}
REFERRAL_COLUMNS = ("referrals", "accepted", "declined", "overdue", "median_hours", "on_time_pct")
TASK_COLUMNS = ("on_time", "late", "overdue", "on_time_rate")


@dataclass
class KnownSections:
    dept: Departments
    start: datetime.date
    end: datetime.date


def _at(moment: datetime.datetime) -> Any:
    return time_machine.travel(moment, tick=False)


def _refer(p: Personas, case: Any, agency: Any, sent: datetime.datetime, *, user: Any = None) -> Referral:
    with _at(sent):
        return do_create_referral(
            acting_user=user or p.officer_a1,
            case=case,
            agency=agency,
            reason="Đề nghị tiếp nhận và hỗ trợ.",
            urgency="urgent",
            due_at=sent + 24 * HOUR,
        )


def _accept(p: Personas, referral: Referral, after_hours: int) -> None:
    with _at(referral.sent_at + after_hours * HOUR):
        do_accept_referral(acting_user=p.police_a, referral=referral)


def build_known_sections(p: Personas) -> KnownSections:
    dept = build_departments(p)
    with mock.patch("childprotect.tasks.deliver_email_task.delay"):
        _build_referrals(p, dept)
        _build_tasks(p, dept)
    return KnownSections(dept=dept, start=D(YEAR, 1, 1), end=D(YEAR, 12, 31))


def _build_referrals(p: Personas, dept: Departments) -> None:
    a1_cases = bulk_cases(p.commune_a1, 4, received_at=datetime.datetime(YEAR - 1, 12, 1, 9, tzinfo=VN))
    for case, (month, hours) in zip(a1_cases[:3], [(3, 2), (4, 6), (5, 30)], strict=True):
        _accept(p, _refer(p, case, p.police_agency_a, datetime.datetime(YEAR, month, 1, 9, tzinfo=VN)), hours)
    # The year before: not counted.
    _refer(p, a1_cases[3], p.police_agency_a, datetime.datetime(YEAR - 1, 12, 20, 9, tzinfo=VN))
    (a2_case,) = bulk_cases(p.commune_a2, 1, received_at=datetime.datetime(YEAR, 5, 30, 9, tzinfo=VN))
    _refer(p, a2_case, dept.health, datetime.datetime(YEAR, 6, 1, 9, tzinfo=VN), user=p.officer_a2)
    # Province B: written directly (the personas have no case worker there); never counted for province A.
    (b_case,) = bulk_cases(p.commune_b1, 1, received_at=datetime.datetime(YEAR, 2, 1, 9, tzinfo=VN))
    sent = datetime.datetime(YEAR, 2, 2, 9, tzinfo=VN)
    Referral.objects.create(
        case=b_case,
        agency=dept.police_b,
        urgency="urgent",
        reason="Đề nghị xác minh.",
        due_at=sent + 24 * HOUR,
        sent_by=p.admin,
        sent_at=sent,
    )


def _complete(user: Any, task: Any, day: datetime.date) -> None:
    with _at(datetime.datetime(day.year, day.month, day.day, 9, tzinfo=VN)):
        do_report_task(acting_user=user, task=task, text="Đã hoàn thành.", completes=True)


def _build_tasks(p: Personas, dept: Departments) -> None:
    directive = make_directive(
        p.province_officer_a,
        task_input(LeadChoice(agency=dept.education), label="1", rule=dated(D(YEAR, 3, 31))),
        task_input(LeadChoice(agency=dept.education), label="2", rule=dated(D(YEAR, 6, 30))),
        task_input(LeadChoice(agency=dept.police), label="3", rule=dated(D(YEAR, 9, 30))),
        task_input(LeadChoice(commune=p.commune_a1), label="4", rule=dated(D(YEAR, 10, 31))),
        issued_on=D(YEAR, 1, 5),
        today=D(YEAR, 1, 5),
    )
    tasks = {task.item_label: task for task in directive.tasks.all()}
    _complete(dept.education_fp, tasks["1"], D(YEAR, 3, 20))
    _complete(dept.education_fp, tasks["2"], D(YEAR, 7, 10))
    _complete(p.officer_a1, tasks["4"], D(YEAR, 10, 31))
    # Not counted: due the year before; a directive of province B.
    make_directive(
        p.province_officer_a,
        task_input(LeadChoice(agency=dept.health), rule=dated(D(YEAR - 1, 12, 1))),
        number="1",
        issued_on=D(YEAR - 1, 11, 1),
        today=D(YEAR - 1, 11, 1),
    )
    make_directive(
        p.province_officer_b,
        task_input(LeadChoice(agency=dept.police_b), rule=dated(D(YEAR, 8, 31))),
        number="77",
        symbol="UBND-VX",
        issued_on=D(YEAR, 2, 1),
        today=D(YEAR, 2, 1),
    )
