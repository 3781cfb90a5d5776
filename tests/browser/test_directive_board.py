"""The directive board in Chromium on a laptop (1366 px: the tables) and a phone (390 px: one card per row, nothing
scrolling sideways), for a province officer and the national role (both tables), screenshots for a human to look at;
an overdue figure opens the list of exactly those tasks, which names its filters in words."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from directives.services import LeadChoice, do_report_task
from tests.browser.conftest import PHONE, BrowserPages, log_in_with_second_factor
from tests.directives.conftest import Departments, dated, make_directive, task_input

pytestmark = pytest.mark.browser

LAPTOP_1366 = {"width": 1366, "height": 768}


def _tasks_due_around_today(dept: Departments) -> None:
    """Done on time, done late, overdue and due soon, for five agencies and the communes."""
    p = dept.p
    today = timezone.localdate()

    def day(offset: int) -> datetime.date:
        return today + datetime.timedelta(days=offset)

    directive = make_directive(
        p.province_officer_a,
        task_input(LeadChoice(agency=dept.education), rule=dated(day(5))),
        task_input(LeadChoice(agency=dept.police), label="2", rule=dated(day(-3))),
        task_input(LeadChoice(agency=dept.labour), label="3", rule=dated(day(-20))),
        task_input(LeadChoice(agency=dept.health), label="4", rule=dated(day(10))),
        task_input(LeadChoice(agency=dept.finance), label="5", rule=dated(day(-40))),
        task_input(LeadChoice(all_communes=True), label="6", rule=dated(day(20))),
        issued_on=day(-60),
        today=day(-60),
    )
    do_report_task(
        acting_user=dept.education_fp, task=directive.tasks.get(lead_agency=dept.education), text="Xong", completes=True
    )
    do_report_task(
        acting_user=dept.labour_fp, task=directive.tasks.get(lead_agency=dept.labour), text="Xong", completes=True
    )


def _no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0


def test_the_board_on_a_laptop_and_a_phone(
    browser_pages: BrowserPages, live_server, dept: Departments, screenshot
) -> None:
    _tasks_due_around_today(dept)
    base = live_server.url
    year = (timezone.localdate() - datetime.timedelta(days=3)).year  # the police's overdue task is in it

    officer = browser_pages.new_page(viewport=LAPTOP_1366)
    log_in_with_second_factor(officer, base, "province_a")
    officer.goto(f"{base}/directives/board/?year={year}")
    table = officer.locator("table.board-table")
    expect(table.locator("thead")).to_have_css("position", "static")  # a table on the laptop, as before
    police = table.locator("tbody tr").filter(has_text="Công an tỉnh Thái Nguyên")
    overdue = police.locator('td[data-label="Quá hạn"] a')
    shown = overdue.inner_text()
    screenshot(officer, "directive-board-1366")
    _no_sideways_scroll(officer)

    officer.set_viewport_size(PHONE)
    officer.reload()
    expect(table.locator("thead")).to_have_css("position", "absolute")  # for screen readers only: one card per row
    expect(police.locator("th.card-title")).to_have_css("display", "block")
    expect(police.locator('td[data-label="Quá hạn"]')).to_have_css("display", "grid")
    screenshot(officer, "directive-board-390")
    _no_sideways_scroll(officer)

    overdue.click()
    expect(officer.locator("table.task-table tbody tr")).to_have_count(int(shown))
    expect(officer.locator("table.task-table tbody tr")).to_contain_text("Quá hạn")
    _no_sideways_scroll(officer)
    # The list says in words what it is narrowed to, though the lead and the period are hidden inputs.
    line = officer.locator(".active-filters")
    expect(line).to_contain_text("Cơ quan chủ trì: Công an tỉnh Thái Nguyên")
    expect(line).to_contain_text("Tình trạng của hạn: Quá hạn")
    expect(line).to_contain_text(f"Hạn trong năm {year}")
    screenshot(officer, "directive-tasks-from-board-390")
    officer.set_viewport_size(LAPTOP_1366)
    screenshot(officer, "directive-tasks-from-board-1366")
    _no_sideways_scroll(officer)
    # Removing the lead keeps the rest: every lead's overdue tasks of the year.
    line.get_by_role("link", name="Bỏ điều kiện Cơ quan chủ trì: Công an tỉnh Thái Nguyên").click()
    expect(line).not_to_contain_text("Công an tỉnh Thái Nguyên")
    expect(line).to_contain_text(f"Hạn trong năm {year}")
    assert officer.locator("table.task-table tbody tr").count() >= int(shown)  # finance's too, if in the year

    # The national role: one row per province above the leads, both tables from the same partial.
    national = browser_pages.new_page(viewport=LAPTOP_1366)
    log_in_with_second_factor(national, base, "national")
    national.goto(f"{base}/directives/board/?year={year}")
    expect(national.locator("table.board-table")).to_have_count(2)
    screenshot(national, "directive-board-national-1366")
    national.set_viewport_size(PHONE)
    national.reload()
    expect(national.locator("table.board-table tbody tr").first).to_have_css("display", "block")
    screenshot(national, "directive-board-national-390")
    _no_sideways_scroll(national)
