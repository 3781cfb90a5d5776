"""The dashboard and the report archive in Chromium (architecture.md: browser tests cover the dashboard).

A province officer opens the dashboard for a year with known cases, referrals and directive tasks, reads the
figures beside their charts (cases; referrals by agency; directive tasks per lead), follows a referral figure to
exactly the referrals it counts, narrows the dashboard to one commune with the unit picker, follows a number to
exactly the cases it counts, then generates the annual report and finds it ready with its PDF and XLSX.
Screenshots (laptop and phone) for a human to look at; no console or Content Security Policy error on any page
(checked by the browser_pages fixture).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from reporting.models import ReportSchedule
from tests.browser.conftest import ARTIFACTS, LAPTOP, PHONE, BrowserPages, log_in_with_second_factor
from tests.personas import Personas, build_personas
from tests.reporting.conftest import CALENDAR_YEAR, YEAR, build_known_year
from tests.reporting.known_sections import build_known_sections

pytestmark = pytest.mark.browser


@pytest.fixture
def people(transactional_db: None) -> Personas:
    personas = build_personas()
    build_known_year(personas)
    build_known_sections(personas)
    ReportSchedule.objects.filter(kind="annual").update(**CALENDAR_YEAR)
    return personas


@pytest.fixture
def eager_reports(settings, tmp_path):
    from childprotect.celery import app

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


def test_the_dashboard_and_the_report_archive(
    browser_pages: BrowserPages, live_server, people: Personas, eager_reports, screenshot
) -> None:
    base = live_server.url
    page = browser_pages.new_page(viewport=LAPTOP)
    log_in_with_second_factor(page, base, "province_a")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Thống kê").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thống kê")

    page.get_by_label("Từ ngày").fill(f"{YEAR}-01-01")
    page.get_by_label("Đến ngày").fill(f"{YEAR}-12-31")
    page.get_by_role("button", name="Xem số liệu").click()
    forms = page.locator("section.figure-card").filter(
        has=page.get_by_role("heading", name="Vụ việc xâm hại theo hình thức")
    )
    expect(forms.get_by_role("row", name=re.compile("^Xâm hại tình dục"))).to_contain_text("33")
    accidents = page.locator("section.figure-card").filter(
        has=page.get_by_role("heading", name="Tai nạn, thương tích trẻ em")
    )
    expect(accidents.get_by_role("row", name=re.compile("^Đuối nước"))).to_contain_text("21")
    expect(accidents.get_by_role("row", name=re.compile("^Tai nạn giao thông"))).to_contain_text("11")
    # Each chart is an image with its values in words, beside its table.
    expect(forms.get_by_role("img")).to_have_accessible_name(re.compile("Vụ việc xâm hại theo hình thức"))
    expect(forms.locator("svg desc")).to_contain_text("Xâm hại tình dục: 33")
    expect(page.locator("svg.chart")).to_have_count(15)
    screenshot(page, "dashboard-province-laptop")

    # Referrals by agency and directive tasks per lead, each a chart with its values in words beside its table.
    referrals = page.locator("section.figure-card").filter(
        has=page.get_by_role("heading", name="Chuyển gửi theo cơ quan nhận")
    )
    police = referrals.get_by_role("row", name=re.compile("^Công an tỉnh Thái Nguyên"))
    expect(police.get_by_role("cell")).to_have_text(["3", "3", "0", "0", "6", "66,7"])
    expect(referrals.get_by_role("row", name=re.compile("^Sở Y tế"))).to_contain_text("—")
    expect(referrals.get_by_role("img")).to_have_accessible_name(re.compile("Phản hồi đúng hạn"))
    expect(referrals.locator("svg desc")).to_contain_text("Công an tỉnh Thái Nguyên: 66,7")
    tasks = page.locator("section.figure-card").filter(
        has=page.get_by_role("heading", name="Nhiệm vụ theo văn bản chỉ đạo, theo đơn vị chủ trì")
    )
    expect(tasks.get_by_role("row", name=re.compile("^Sở Giáo dục")).get_by_role("cell")).to_have_text(
        ["1", "1", "0", "50"]
    )
    expect(tasks.locator("svg desc")).to_contain_text("Công an tỉnh Thái Nguyên: Đúng hạn 0, Trễ hạn 0, Quá hạn 1")
    for key in ("referrals", "directive_tasks"):  # each section alone, for a human to look at
        section = page.locator("section.figure-section").filter(has=page.locator(f"#section-{key}"))
        section.screenshot(path=str(ARTIFACTS / f"dashboard-{key}-laptop.png"))
    police.get_by_role("link", name="3").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chuyển gửi liên ngành")
    expect(page.locator("table.referral-table caption")).to_have_text("3 chuyển gửi")
    expect(page.get_by_label("Gửi từ ngày")).to_have_value(f"{YEAR}-01-01")
    screenshot(page, "referral-list-from-dashboard-laptop")
    page.go_back()

    # One commune through the unit picker.
    page.get_by_label("Đơn vị", exact=True).select_option(label="Phường Phan Đình Phùng")
    page.get_by_role("button", name="Xem số liệu").click()
    expect(page.locator(".lead")).to_contain_text("Phường Phan Đình Phùng")
    forms = page.locator("section.figure-card").filter(
        has=page.get_by_role("heading", name="Vụ việc xâm hại theo hình thức")
    )
    link = forms.get_by_role("row", name=re.compile("^Xâm hại tình dục")).get_by_role("link", name="20")
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ vụ việc")
    expect(page.locator("table.case-table caption")).to_have_text("Tìm thấy 20 hồ sơ")
    expect(page.get_by_label("Hình thức xâm hại")).to_have_value("sexual_abuse")

    # The annual report: generated (eagerly here), ready with both files.
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Báo cáo định kỳ").click()
    page.get_by_label("Loại báo cáo").select_option("annual")
    page.get_by_label("Năm báo cáo").select_option(str(YEAR))
    page.get_by_label("Đơn vị", exact=True).select_option("19")
    page.get_by_role("button", name="Lập báo cáo").click(timeout=60_000)
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Báo cáo năm {YEAR}", timeout=60_000)
    expect(page.locator(".run-status")).to_have_text("Đã lập, chờ rà soát")
    expect(page.get_by_role("link", name="Tải PDF")).to_be_visible()
    expect(page.locator(".warning-list")).to_contain_text("vụ việc chưa ghi giới tính của trẻ")
    screenshot(page, "report-run-laptop")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải PDF").click()
    assert download.value.suggested_filename == f"bao-cao-annual-{YEAR}-19-v1.pdf"
    page.get_by_role("button", name="Khóa và gửi báo cáo").click()
    expect(page.locator(".run-status")).to_have_text("Đã khóa (đã gửi)")
    page.get_by_role("link", name="Báo cáo định kỳ").first.click()
    screenshot(page, "report-archive-laptop")

    # The same session on a phone-sized screen (a second TOTP login within 30 s would be refused as a replay).
    phone = page
    phone.set_viewport_size(PHONE)
    phone.goto(f"{base}/reports/dashboard/?from={YEAR}-01-01&to={YEAR}-12-31")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Thống kê")
    screenshot(phone, "dashboard-province-phone")
    for key in ("referrals", "directive_tasks"):
        section = phone.locator("section.figure-section").filter(has=phone.locator(f"#section-{key}"))
        section.screenshot(path=str(ARTIFACTS / f"dashboard-{key}-phone.png"))


def test_the_dashboard_on_a_phone_folds_its_sections_and_fits_the_width(
    browser_pages: BrowserPages, live_server, people: Personas, screenshot
) -> None:
    """Issue 12: the province dashboard was 12,955 px tall on a 390 px phone. Now its sections fold and open one
    by one, its charts fit the width, and the folded page is under four screens (844 px each)."""
    base = live_server.url
    url = f"{base}/reports/dashboard/?from={YEAR}-01-01&to={YEAR}-12-31"
    page = browser_pages.new_page(viewport=PHONE)
    log_in_with_second_factor(page, base, "province_a")
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Thống kê")
    folds = page.locator("details.figure-fold")
    assert folds.count() >= 3
    assert page.locator("details.figure-fold[open]").count() == 0
    height = page.evaluate("document.documentElement.scrollHeight")
    screenshot(page, "dashboard-province-phone-folded")
    assert height < 4 * PHONE["height"], f"the folded dashboard is {height} px tall on a phone"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # Opening every section: still no sideways scrolling, and every chart as wide as the screen at most.
    for index in range(folds.count()):
        folds.nth(index).locator("summary").click()
    expect(page.locator("details.figure-fold[open]")).to_have_count(folds.count())
    widths = page.evaluate("[...document.querySelectorAll('svg.chart')].map(s => s.getBoundingClientRect().right)")
    assert widths and max(widths) <= PHONE["width"], widths
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "dashboard-province-phone-open")
    forms = page.locator("section.figure-card").filter(
        has=page.get_by_role("heading", name="Vụ việc xâm hại theo hình thức")
    )
    forms.screenshot(path=str(ARTIFACTS / "dashboard-chart-phone.png"))

    # A laptop (1366 px) gets every section open, as before.
    wide = browser_pages.new_page(viewport={"width": 1366, "height": 768})
    wide.context.add_cookies(page.context.cookies())
    wide.goto(url)
    expect(wide.locator("details.figure-fold[open]")).to_have_count(folds.count())
    expect(wide.get_by_role("heading", name="Vụ việc xâm hại theo hình thức")).to_be_visible()
    screenshot(wide, "dashboard-province-1366")
