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
    assert "<strong>Hạn từ 15/03/2026 đến 14/04/2026</strong>" in page
    assert "Tình trạng của hạn: <strong>Chưa hoàn thành, chưa đến hạn</strong>" in page


# ---------- The list a figure opens says its filters in words (directives/filter_words.py) ----------


def _line(response) -> list[str]:
    assert response.status_code == 200
    return [item.text for item in response.context["filter_line"]]


def _figure(client: Client, lead: str, column: str, **params: str) -> str:
    response = client.get("/directives/board/", {"year": "2026", **params})
    return next(row.figures[column].url for row in response.context["rows"] if row.lead.code == lead)


def test_a_board_link_opens_a_list_that_names_its_filters(board_data: Departments, client_for) -> None:
    p = board_data.p
    officer = client_for(p.province_officer_a)
    response = officer.get(_figure(officer, "CA-19", "overdue"))
    assert _line(response) == [
        "Cơ quan chủ trì: Công an tỉnh Thái Nguyên",
        "Tình trạng của hạn: Quá hạn",
        "Hạn trong năm 2026",
    ]
    page = response.content.decode()
    assert "Đang lọc:" in page and page.index("Đang lọc:") < page.index('id="tasks-caption"')
    # The national role's board of one province narrows by it too; the upcoming figure is a window of days.
    admin = client_for(p.admin)
    assert _line(admin.get(_figure(admin, "05713", "upcoming", province="19"))) == [
        "Xã, phường chủ trì: Phường Phan Đình Phùng",
        "Tỉnh, thành phố: Tỉnh Thái Nguyên",
        "Tình trạng của hạn: Chưa hoàn thành, chưa đến hạn",
        "Hạn từ 15/03/2026 đến 14/04/2026",
    ]
    # A lead, whose form has no lead field (the filter is a hidden input), reads it all the same.
    lead = client_for(board_data.education_fp)
    assert _line(lead.get(_figure(lead, "SGDDT-19", "late"))) == [
        "Cơ quan chủ trì: Sở Giáo dục và Đào tạo tỉnh Thái Nguyên",
        "Tình trạng của hạn: Hoàn thành quá hạn",
        "Hạn trong năm 2026",
    ]
    # No filter, no line.
    assert _line(officer.get("/directives/tasks/")) == []
    assert "Đang lọc:" not in officer.get("/directives/tasks/").content.decode()


def test_removing_one_filter_gives_the_list_without_it(board_data: Departments, client_for) -> None:
    officer = client_for(board_data.p.province_officer_a)
    url = _figure(officer, "SGDDT-19", "overdue") + "&status=overdue&page=1"
    response = officer.get(url)
    items = response.context["filter_line"]
    assert len(items) == 4
    for item in items:
        assert "page=" not in item.remove_url
        without = officer.get(item.remove_url)
        assert _line(without) == [other.text for other in items if other is not item]
    # Without the lead: every lead's overdue tasks of 2026 (education's and the police's), not just education's.
    assert _listed(officer, url) == 1 and _listed(officer, items[0].remove_url) == 2
    # Without the period: both due-date days go together, no half window is left.
    period = items[-1]
    assert period.text == "Hạn trong năm 2026"
    assert "due_from" not in period.remove_url and "due_to" not in period.remove_url
    # "Bỏ lọc" is the list with no filter at all.
    page = response.content.decode()
    assert '<a class="active-filters-clear" href="/directives/tasks/">Bỏ lọc</a>' in page


def test_an_unknown_or_out_of_scope_code_names_nothing(board_data: Departments, client_for) -> None:
    p = board_data.p
    # Province B's directive, led by its police: real, but nothing of it is province A's officer's to see.
    other = make_directive(
        p.province_officer_b,
        task_input(LeadChoice(agency=board_data.police_b), rule=dated(D(2026, 2, 1))),
        number="77",
        symbol="UBND-VX",
        issued_on=D(2026, 1, 1),
        today=D(2026, 1, 1),
    )
    officer = client_for(p.province_officer_a)
    seen = []
    for params in (
        {"agency": "CA-01"},
        {"agency": "KHONG-CO"},
        {"agency": str(board_data.police_b.pk)},
        {"province": "01"},
        {"province": "99"},
        {"directive": str(other.pk)},
        {"directive": "999999"},
    ):
        response = officer.get("/directives/tasks/", {**params, "due_status": "overdue"})
        page = response.content.decode()
        assert response.context["page"].paginator.count == 0
        assert "Hà Nội" not in page and "77/UBND-VX" not in page, params
        seen.append(_line(response)[0].split(": ", 1)[1])
    assert set(seen) == {"không xác định"}  # the same words whether it exists elsewhere or not at all
    # A lead does not learn the name of another lead of its own province either.
    lead = client_for(board_data.education_fp)
    page = lead.get("/directives/tasks/", {"agency": "SLDTBXH-19"}).content.decode()
    assert "Sở Lao động" not in page and "không xác định" in page


def test_the_filtered_list_costs_a_bounded_number_of_queries(
    board_data: Departments, client_for, django_assert_max_num_queries
) -> None:
    officer = client_for(board_data.p.province_officer_a)
    officer.get("/")
    directive = DirectiveTask.objects.get(lead_agency=board_data.police).directive_id
    params = {
        "agency": "CA-19",
        "province": "19",
        "directive": str(directive),
        "status": "overdue",
        "due_status": "overdue",
        "due_from": "2026-01-01",
        "due_to": "2026-12-31",
    }
    # 1 session, 2 user, 3 second-factor device, 4 unit, 5-6 the directory's agencies and communes (the lead
    # fields), 7 count, 8 counts by status, 9 page of tasks; the line: 10 the lead's name, 11 the province's,
    # 12 the directive's (choices and days need none). The same for any number of tasks.
    with django_assert_max_num_queries(12):
        response = officer.get("/directives/tasks/", params)
    assert len(response.context["filter_line"]) == 6
