"""The board (directives/views/board.py): both tables from one partial, every count a link to the task list of
exactly the tasks it counts — the count shown is the length of the list it opens, for each column, in each table
and for each role that sees one —, a recurring task counted once, nothing for outsiders, a bounded query count."""

from __future__ import annotations

import datetime
import html
import re
import zoneinfo
from collections.abc import Iterator

import pytest
import time_machine
from django.test import Client

from directives.models import DeadlineKind, DirectiveTask, Frequency
from directives.recurrence import DeadlineRule
from directives.services import LeadChoice, do_report_task
from tests.directives.conftest import Departments, dated, make_directive, task_input

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
D = datetime.date
TODAY = datetime.datetime(2026, 3, 15, 9, tzinfo=VN)
COLUMNS = ("Nhiệm vụ", "Đúng hạn", "Trễ hạn", "Quá hạn", "Sắp đến hạn")
# One count cell of a board table: its column, its link (if any) and the figure shown.
CELL = re.compile(r'<td data-label="([^"]+)">(?:<a(?: class="[^"]*")? href="([^"]+)">(\d+)</a>|(\d+))</td>')
TOTAL = re.compile(r'<a class="case-count-(?:overdue|soon)" href="([^"]+)"><span class="case-count-value">(\d+)</span>')
PENDING = re.compile(r'<a href="([^"]+)"><span class="case-count-value">(\d+)</span> nhiệm vụ có báo cáo chờ xem xét')


def _report(user, task: DirectiveTask, day: datetime.date) -> None:
    with time_machine.travel(datetime.datetime(day.year, day.month, day.day, 9, tzinfo=VN), tick=False):
        do_report_task(acting_user=user, task=task, text="Hoàn thành", completes=True)


@pytest.fixture
def board_data(dept: Departments) -> Iterator[Departments]:
    """On 15/3/2026: education's monthly task met January on time, February late, March overdue, April due
    soon; the police's monthly task three months overdue (one overdue task); labour's task met on time; a
    commune's due in five days; last year's health task overdue (another year, never counted)."""
    p = dept.p
    monthly = DeadlineRule(kind=DeadlineKind.RECURRING, frequency=Frequency.MONTHLY, day=5)
    directive = make_directive(
        p.province_officer_a,
        task_input(LeadChoice(agency=dept.education), LeadChoice(agency=dept.police), rule=monthly),
        task_input(LeadChoice(agency=dept.labour), label="2", rule=dated(D(2026, 2, 1))),
        task_input(LeadChoice(commune=p.commune_a1), label="3", rule=dated(D(2026, 3, 20))),
        issued_on=D(2026, 1, 1),
        today=D(2026, 1, 1),
    )
    make_directive(
        p.province_officer_a,
        task_input(LeadChoice(agency=dept.health), rule=dated(D(2025, 6, 1))),
        number="1",
        issued_on=D(2025, 5, 1),
        today=D(2025, 5, 1),
    )
    education = directive.tasks.get(lead_agency=dept.education)
    _report(dept.education_fp, education, D(2026, 1, 4))  # 5/1: on time
    _report(dept.education_fp, education, D(2026, 2, 10))  # 5/2: late
    _report(dept.labour_fp, directive.tasks.get(lead_agency=dept.labour), D(2026, 1, 20))  # on time
    with time_machine.travel(TODAY, tick=False):
        yield dept


def _listed(client: Client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


def _checked_cells(client: Client, page: str) -> dict[str, int]:
    """Every count cell of the page's board tables: a non-zero count is a link whose list has that many rows, a
    zero is plain. Returns, per column, the sum of what the column shows (to tell that each was exercised)."""
    shown: dict[str, int] = dict.fromkeys(COLUMNS, 0)
    for label, url, linked, plain in CELL.findall(page):
        if plain:
            assert plain == "0", f"{label}: {plain} shown without a link"
            continue
        assert _listed(client, html.unescape(url)) == int(linked), (label, url, linked)
        shown[label] += int(linked)
    return shown


def test_each_count_is_the_length_of_the_list_it_opens(board_data: Departments, client_for) -> None:
    p = board_data.p
    officer = client_for(p.province_officer_a)
    response = officer.get("/directives/board/", {"year": "2026"})
    page = response.content.decode()
    shown = _checked_cells(officer, page)
    # Each column was exercised: tasks 4 (education, police, labour, commune), on time 2, late 1, overdue 2
    # (education's March, the police task once for its three months), upcoming 3 (both Aprils, the commune's 20/3).
    assert shown == {"Nhiệm vụ": 4, "Đúng hạn": 2, "Trễ hạn": 1, "Quá hạn": 2, "Sắp đến hạn": 3}
    police = next(row for row in response.context["rows"] if row.lead.code == "CA-19")
    assert (police.lead.overdue, police.figures["overdue"].n) == (3, 1)  # three due dates, one task
    # The totals above the tables, and the tasks waiting for review, are links of the same kind.
    totals = TOTAL.findall(page)
    assert [int(n) for _url, n in totals] == [2, 3]
    for url, n in totals:
        assert _listed(officer, html.unescape(url)) == int(n)
    [(url, n)] = PENDING.findall(page)
    assert int(n) == 2 == _listed(officer, html.unescape(url))  # education's two reports are one task
    # Last year: the health task overdue, nothing upcoming (the window is over), no link for a zero.
    page = officer.get("/directives/board/", {"year": "2025"}).content.decode()
    assert _checked_cells(officer, page) == {"Nhiệm vụ": 1, "Đúng hạn": 0, "Trễ hạn": 0, "Quá hạn": 1, "Sắp đến hạn": 0}


def test_the_national_view_and_a_lead_link_the_same_way(board_data: Departments, client_for) -> None:
    p = board_data.p
    for user in (p.admin, p.national):
        client = client_for(user)
        page = client.get("/directives/board/", {"year": "2026"}).content.decode()
        assert 'id="province-caption"' in page and 'id="board-caption"' in page  # both tables, one partial
        # The province row and the lead rows each show the figures: twice the province officer's sums.
        assert _checked_cells(client, page) == {
            "Nhiệm vụ": 8,
            "Đúng hạn": 4,
            "Trễ hạn": 2,
            "Quá hạn": 4,
            "Sắp đến hạn": 6,
        }
        page = client.get("/directives/board/", {"year": "2026", "province": "19"}).content.decode()
        assert "&amp;province=19" in page
        assert _checked_cells(client, page)["Quá hạn"] == 2
    # A lead sees its own row; its links narrow the list although it has no lead field to pick from.
    lead = client_for(board_data.education_fp)
    page = lead.get("/directives/board/", {"year": "2026"}).content.decode()
    assert _checked_cells(lead, page) == {"Nhiệm vụ": 1, "Đúng hạn": 1, "Trễ hạn": 1, "Quá hạn": 1, "Sắp đến hạn": 1}
    assert "Công an tỉnh Thái Nguyên" not in page
    # The list it opens names the lead on each row, as the lead field is not on its form.
    listed = lead.get("/directives/tasks/", {"agency": "SGDDT-19"}).content.decode()
    assert '<input type="hidden" name="agency" value="SGDDT-19"' in listed and 'data-label="Chủ trì"' in listed


def test_outsiders_see_nothing_and_their_lists_stay_empty(board_data: Departments, client_for) -> None:
    p = board_data.p
    officer = client_for(p.province_officer_a)
    links = [
        html.unescape(url)
        for _label, url, _n, _plain in CELL.findall(
            officer.get("/directives/board/", {"year": "2026"}).content.decode()
        )
        if url
    ]
    assert links
    for user in (p.province_officer_b, p.hotline, board_data.police_b_fp):
        client = client_for(user)
        response = client.get("/directives/board/", {"year": "2026"})
        assert response.status_code == 200
        page = response.content.decode()
        assert response.context["rows"] == [] and "Sở Giáo dục" not in page and "board-caption" not in page
        assert "Chưa có kỳ hạn nào trong năm 2026." in page
        assert all(_listed(client, url) == 0 for url in links)
    assert Client().get("/directives/board/").status_code == 302  # to the login page


def test_the_board_costs_a_bounded_number_of_queries(
    board_data: Departments, client_for, django_assert_max_num_queries
) -> None:
    p = board_data.p
    officer = client_for(p.province_officer_a)
    officer.get("/")
    # 1 session, 2 user, 3 second-factor device, 4 unit, 5 the per-lead aggregate, 6 tasks awaiting review,
    # 7 upcoming due dates: the same for one lead or many.
    with django_assert_max_num_queries(7):
        officer.get("/directives/board/", {"year": "2026"})
    admin = client_for(p.admin)
    admin.get("/")
    # As above without the unit, plus the provinces and the per-province aggregate.
    with django_assert_max_num_queries(8):
        admin.get("/directives/board/", {"year": "2026"})


def test_the_task_list_narrows_by_province_and_open_due_dates(board_data: Departments, client_for) -> None:
    admin = client_for(board_data.p.admin)

    def api(**params: str) -> int:
        response = admin.get("/api/v1/directive-tasks/", params)
        assert response.status_code == 200, response.content
        return response.json()["count"]

    assert api(province="19") == 5 and api(province="01") == 0
    soon = {"due_from": "2026-03-15", "due_to": "2026-04-14"}
    assert api(due_status="open", **soon) == 3  # education's and the police's April, the commune's 20/3
    assert api(due_status="open", due_from="2026-04-01") == 2  # the Aprils
    assert admin.get("/api/v1/directive-tasks/", {"province": "1" * 9}).status_code == 400
    page = admin.get("/directives/tasks/", {"due_status": "open", **soon}).content.decode()
    assert "Các nhiệm vụ có hạn từ 15/03/2026 đến 14/04/2026; hạn đó: Chưa hoàn thành, chưa đến hạn" in page
