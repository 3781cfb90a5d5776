"""The case file on a 390 px phone and a 1366 px laptop: screenshots for a human to look at (tests/.artifacts/),
and what a person would notice without looking: nothing scrolls sideways, lists are cards on the phone showing the
status and the next deadline, filters fold behind one button, sticky bars stay under 10 % of the screen, the
laptop's menu is one row and "Thông báo" appears once."""

from __future__ import annotations

from unittest import mock

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, BrowserPages
from tests.cases.conftest import CASEFILE_CHILD, TYPED, make_full_case
from tests.personas import PASSWORD, Personas, build_personas

pytestmark = pytest.mark.browser
LAPTOP_1366 = {"width": 1366, "height": 768}


@pytest.fixture
def people(transactional_db: None) -> Personas:
    return build_personas()


@pytest.fixture(autouse=True)
def _no_broker():
    with mock.patch("childprotect.tasks.deliver_email_task.delay"):
        yield


def _log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")


def _sideways(page) -> int:
    """How many pixels the page scrolls sideways (0: none)."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_case_page_and_list_on_phone_and_laptop(browser_pages: BrowserPages, live_server, people, screenshot) -> None:
    case = make_full_case(people)
    for viewport, suffix in ((PHONE, "390"), (LAPTOP_1366, "1366")):
        page = browser_pages.new_page(viewport=viewport)
        _log_in(page, live_server.url, "officer_a1")
        # "Thông báo" once: the bell, not also a menu entry.
        expect(page.get_by_role("link", name="Thông báo")).to_have_count(1)

        page.goto(f"{live_server.url}/cases/")
        screenshot(page, f"casefile-list-{suffix}")
        assert _sideways(page) == 0
        card = page.locator("table.case-table tbody tr").first
        expect(card).to_contain_text(CASEFILE_CHILD)
        expect(card).to_contain_text(case.get_status_display())
        if viewport is PHONE:
            # A card, with its labels: the status and the next deadline are on screen, not off to the right.
            box = card.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
            expect(card.locator("td[data-label='Trạng thái']")).to_be_visible()
            expect(card.locator("td[data-label='Hạn tiếp theo']")).to_be_visible()
            # The filters fold behind one button; the search box stays.
            expect(page.get_by_label("Tìm kiếm")).to_be_visible()
            expect(page.get_by_label("Thời hạn")).to_be_hidden()
            page.locator(".filter-fold > summary").click()
            expect(page.get_by_label("Thời hạn")).to_be_visible()
            form_height = page.locator("form.case-filters").bounding_box()["height"]
            page.locator(".filter-fold > summary").click()
            assert page.locator("form.case-filters").bounding_box()["height"] < min(form_height / 2, 300)
        else:
            # One row of menu entries.
            tops = page.locator(".site-nav li").evaluate_all("items => items.map(li => li.offsetTop)")
            assert len(set(tops)) == 1, tops
            expect(page.get_by_label("Thời hạn")).to_be_visible()

        page.get_by_role("link", name=case.case_number).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(case.case_number)
        for value in (TYPED["child_views"], TYPED["approval_number"], TYPED["placement"], TYPED["service"]):
            expect(page.locator("#content")).to_contain_text(value)
        screenshot(page, f"casefile-page-{suffix}")
        assert _sideways(page) == 0
        # The timeline links each entry to its record.
        link = page.locator("#timeline a[href^='#approval-']").first
        target = link.get_attribute("href")
        link.click()
        expect(page.locator(target)).to_be_in_viewport()


def test_sticky_bars_stay_under_a_tenth_of_a_phone(browser_pages: BrowserPages, live_server, people) -> None:
    page = browser_pages.new_page(viewport=PHONE)
    _log_in(page, live_server.url, "officer_a1")
    page.goto(f"{live_server.url}/cases/new/")
    bar = page.locator(".intake-actions")
    expect(bar).to_be_visible()
    assert bar.bounding_box()["height"] < PHONE["height"] * 0.10
    assert _sideways(page) == 0


def test_the_longest_menu_is_one_row_on_a_laptop(
    browser_pages: BrowserPages, live_server, people, settings, screenshot
) -> None:
    # The province officer sees the most entries; their second factor is not what this test is about.
    settings.OTP_REQUIRED_ROLES = []
    page = browser_pages.new_page(viewport=LAPTOP_1366)
    _log_in(page, live_server.url, "province_a")
    entries = page.locator(".site-nav li")
    screenshot(page, "casefile-menu-province-1366")
    assert entries.count() >= 11
    tops = entries.evaluate_all("items => items.map(li => li.offsetTop)")
    assert len(set(tops)) == 1, tops
    assert _sideways(page) == 0
    expect(page.get_by_role("link", name="Thông báo")).to_have_count(1)
    # Short labels on screen, the full ones as the links' names.
    expect(page.get_by_role("link", name="Chuyển hồ sơ giữa các xã")).to_be_visible()
