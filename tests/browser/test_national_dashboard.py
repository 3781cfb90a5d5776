"""The national role's dashboard in Chromium: the ministry's officer (Cục Bà mẹ và Trẻ em) opens the whole
country, drills down to a province by its row in the table of provinces, then to a commune, and back up by the
trail; numbers link nowhere else. Screenshots at 1366 px and 390 px for a human to look at; no console or Content
Security Policy error (the browser_pages fixture)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, BrowserPages, log_in_with_second_factor
from tests.personas import Personas, build_personas
from tests.reporting.conftest import YEAR, build_known_year
from tests.reporting.known_sections import build_known_sections

pytestmark = pytest.mark.browser

WIDE = {"width": 1366, "height": 768}


@pytest.fixture
def people(transactional_db: None) -> Personas:
    personas = build_personas()
    build_known_year(personas)
    build_known_sections(personas)
    return personas


def test_the_national_officer_drills_down_from_the_country_to_a_commune(
    browser_pages: BrowserPages, live_server, people: Personas, screenshot
) -> None:
    base = live_server.url
    page = browser_pages.new_page(viewport=WIDE)
    log_in_with_second_factor(page, base, "national")
    expect(page.get_by_role("heading", name="Toàn quốc")).to_be_visible()
    screenshot(page, "home-national-1366")
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    expect(nav.get_by_role("link", name="Hồ sơ vụ việc")).to_have_count(0)
    nav.get_by_role("link", name="Thống kê").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thống kê")
    expect(page.locator("p.lead")).to_contain_text("Toàn quốc")
    page.get_by_label("Từ ngày").fill(f"{YEAR}-01-01")
    page.get_by_label("Đến ngày").fill(f"{YEAR}-12-31")
    page.get_by_role("button", name="Xem số liệu").click()
    areas = page.locator("section.figure-card").filter(
        has=page.get_by_role("heading", name="Vụ việc theo tỉnh, thành phố")
    )
    expect(areas.get_by_role("row", name="Thái Nguyên")).to_be_visible()
    expect(page.locator('a[href^="/cases/"]')).to_have_count(0)
    screenshot(page, "dashboard-national-1366")

    # Drill down: the province's row opens the province, whose rows are its communes.
    areas.get_by_role("row", name="Thái Nguyên").get_by_role("link").first.click()
    expect(page.locator("p.lead")).to_contain_text("Tỉnh Thái Nguyên")
    communes = page.locator("section.figure-card").filter(
        has=page.get_by_role("heading", name="Vụ việc theo xã, phường, đặc khu")
    )
    communes.get_by_role("row", name="Phan Đình Phùng").get_by_role("link").first.click()
    expect(page.locator("p.lead")).to_contain_text("Phường Phan Đình Phùng")
    trail = page.get_by_role("navigation", name="Vị trí")
    expect(trail).to_contain_text("Toàn quốc")
    trail.get_by_role("link", name="Tỉnh Thái Nguyên").click()
    expect(page.locator("p.lead")).to_contain_text("Tỉnh Thái Nguyên")
    expect(page.locator('a[href^="/cases/"]')).to_have_count(0)

    # The same session on a phone's width (a second login would reuse the TOTP code, which is refused).
    phone = page
    phone.set_viewport_size(PHONE)
    phone.goto(f"{base}/reports/dashboard/?from={YEAR}-01-01&to={YEAR}-12-31")
    expect(phone.locator("p.lead")).to_contain_text("Toàn quốc")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide on a {PHONE['width']} px phone"
    screenshot(phone, "dashboard-national-390")
