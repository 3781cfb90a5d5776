"""Signing in through the real pages in Chromium: password, the TOTP second factor, the phone layout."""

from __future__ import annotations

import base64
import re

import pytest
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from childprotect.models.audit import AuditAction
from childprotect.services import record_audit_event
from tests.browser.conftest import LAPTOP, PHONE, BrowserPages, log_in
from tests.personas import Personas

pytestmark = pytest.mark.browser


def test_commune_officer_logs_in_and_sees_their_commune(
    browser_pages: BrowserPages, live_server, people: Personas, screenshot
) -> None:
    page = browser_pages.new_page()
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    screenshot(page, "login-laptop")

    log_in(page, live_server.url, "officer_a1")

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")
    commune = people.commune_a1.full_name  # "Phường Phan Đình Phùng"
    expect(page.locator("main").get_by_role("heading", name=commune)).to_be_visible()
    expect(page.locator("header")).to_contain_text("Cán bộ bảo vệ trẻ em cấp xã")
    home_link = page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Trang chủ")
    expect(home_link).to_have_attribute("aria-current", "page")
    screenshot(page, "home-laptop")

    # htmx is loaded from our static files and its POSTs carry the CSRF token from the <meta> tag.
    status = page.evaluate(
        """() => new Promise((resolve) => {
            document.body.addEventListener("htmx:afterRequest", (e) => resolve(e.detail.xhr.status), {once: true});
            htmx.ajax("POST", "/i18n/setlang/", {values: {language: "vi", next: "/"}, swap: "none"});
        })"""
    )
    assert status == 200  # 403 without the token

    # Log out (a POST form, as Django 5 requires) and land on the login page again.
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page).to_have_url(re.compile(r"/login/$"))


def test_wrong_password_shows_a_vietnamese_error_and_keeps_the_username(
    browser_pages: BrowserPages, live_server, people: Personas, screenshot
) -> None:
    page = browser_pages.new_page()
    log_in(page, live_server.url, "officer_a1", password="sai-mat-khau")

    alert = page.get_by_role("alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("mật khẩu")  # Django's own Vietnamese message
    expect(alert).to_contain_text("chính xác")
    expect(page.get_by_label("Tên đăng nhập")).to_have_value("officer_a1")
    expect(page.get_by_label("Mật khẩu")).to_have_value("")
    screenshot(page, "login-error")

    # The right password still works (one failure is far from the lockout limit).
    log_in(page, live_server.url, "officer_a1")
    expect(page).to_have_url(f"{live_server.url}/")


def test_province_officer_enrols_a_second_factor_then_reaches_home(
    browser_pages: BrowserPages, live_server, people: Personas, screenshot
) -> None:
    page = browser_pages.new_page()
    log_in(page, live_server.url, "province_a")

    expect(page).to_have_url(re.compile(r"/login/setup-2fa/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Thiết lập xác thực hai lớp")
    expect(page.locator(".qr svg")).to_be_visible()
    # No navigation to pages the half-logged-in user cannot open yet.
    expect(page.get_by_role("navigation", name="Điều hướng chính")).to_have_count(0)
    screenshot(page, "otp-setup-laptop")
    page.set_viewport_size(PHONE)
    expect(page.locator(".qr svg")).to_be_in_viewport()
    assert _horizontal_overflow(page) == 0
    screenshot(page, "otp-setup-phone")
    page.set_viewport_size(LAPTOP)

    # Read the secret the way a person would type it into the app, and compute the current code.
    secret = page.locator("#otp-secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    field = page.get_by_label("Mã xác thực (6 chữ số)")

    field.fill("000000" if f"{totp(key):06d}" != "000000" else "111111")
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.locator(".field-errors")).to_contain_text("Mã xác thực không đúng")
    expect(page.get_by_label("Mã xác thực (6 chữ số)")).to_have_attribute("aria-invalid", "true")
    screenshot(page, "otp-setup-error")

    # django-otp throttles a device for 1 s after a wrong code (doubling with each further failure).
    page.wait_for_timeout(1100)

    page.get_by_label("Mã xác thực (6 chữ số)").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Xác nhận").click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("main").get_by_role("heading", name=people.province_a.full_name)).to_be_visible()
    expect(
        page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Nhật ký truy cập")
    ).to_be_visible()
    screenshot(page, "home-province-laptop")

    # The pages a province officer works with after that: the user directory and the audit log.
    for n in range(3):
        record_audit_event(
            actor=people.officer_a1,
            action=AuditAction.VIEW,
            target=people.chair_a1,
            unit_path=people.commune_a1.path,
            details={"fields": ["phone"], "n": n},
        )
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    nav.get_by_role("link", name="Người dùng").click()
    expect(page.get_by_role("table")).to_contain_text("officer_a1")
    screenshot(page, "users-laptop")
    nav.get_by_role("link", name="Nhật ký truy cập").click()
    page.get_by_label("Người dùng").fill("officer_a1")
    page.get_by_label("Hành động").select_option(label="Xem")
    page.get_by_role("button", name="Lọc").click()
    expect(page).to_have_url(re.compile(r"actor=officer_a1"))
    expect(page.get_by_label("Người dùng")).to_have_value("officer_a1")
    expect(page.get_by_role("table").locator("tbody tr")).to_have_count(3)
    screenshot(page, "audit-log-laptop")
    page.get_by_role("table").get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sự kiện nhật ký")
    expect(page.locator("pre.json")).to_contain_text('"fields"')
    screenshot(page, "audit-event-laptop")


def test_phone_layout_has_no_horizontal_scroll_and_a_reachable_menu(
    browser_pages: BrowserPages, live_server, people: Personas, screenshot
) -> None:
    page = browser_pages.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(f"{live_server.url}/login/")
    assert _horizontal_overflow(page) == 0
    screenshot(page, "login-phone")

    log_in(page, live_server.url, "officer_a1")
    expect(page).to_have_url(f"{live_server.url}/")
    assert _horizontal_overflow(page) == 0
    screenshot(page, "home-phone")

    # The navigation sits behind the "Menu" button; the keyboard reaches the skip link first.
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    expect(nav).to_be_hidden()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Bỏ qua, đến nội dung chính")).to_be_focused()
    menu = page.locator("summary", has_text="Menu")
    menu.focus()
    page.keyboard.press("Enter")
    expect(nav).to_be_visible()
    expect(nav.get_by_role("link", name="Trang chủ")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    assert _horizontal_overflow(page) == 0
    screenshot(page, "home-phone-menu")

    # A page with a table (the user's own directory) keeps the page itself from scrolling sideways.
    page.goto(f"{live_server.url}/users/")
    expect(page.get_by_role("table")).to_be_visible()
    assert _horizontal_overflow(page) == 0
    screenshot(page, "users-phone")


def _horizontal_overflow(page: Page) -> int:
    """How many CSS pixels the document is wider than the viewport (0 = no horizontal scroll)."""
    return int(page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))
