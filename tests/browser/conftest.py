"""Browser tests: Playwright's sync API driving Debian's Chromium (/usr/bin/chromium; never `playwright install`).

Outside CI a machine without Chromium skips these tests; under CI (CI set to anything but false/0) a missing
Chromium fails them, because CI must run them. Screenshots go to tests/.artifacts/ (not committed).
"""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Locator, Page, expect

from tests.directives.conftest import Departments, build_departments
from tests.personas import PASSWORD, Personas, build_personas

# Playwright's sync API runs an asyncio event loop in this thread, so Django believes every ORM call made by
# the test itself (building personas, reading a TOTP device) comes from async code and refuses it. The calls
# really are synchronous, so switch the check off. Set at import time: it must hold for the whole session,
# as the Playwright driver lives for the whole session.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / ".artifacts"
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)."
        if _in_ci():
            pytest.fail(f"Browser tests must run in CI, but {reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(autouse=True)
def _plain_http_live_server(settings: object) -> None:
    # The live server speaks plain http on 127.0.0.1: secure-only cookies and the https redirect (the defaults
    # outside DEBUG) would make every login silently fail.
    settings.SESSION_COOKIE_SECURE = False  # type: ignore[attr-defined]
    settings.CSRF_COOKIE_SECURE = False  # type: ignore[attr-defined]
    settings.SECURE_SSL_REDIRECT = False  # type: ignore[attr-defined]


class BrowserPages:
    """Opens pages in fresh browser contexts (own cookies), in Vietnamese, and collects console errors,
    so a test can assert that the Content Security Policy blocked nothing (no inline script or style)."""

    def __init__(self, browser: object) -> None:
        self.browser = browser
        self.contexts: list[object] = []
        self.console_errors: list[str] = []

    def new_page(self, viewport: dict[str, int] = LAPTOP, **options: object):  # returns a Playwright Page
        context = self.browser.new_context(  # type: ignore[attr-defined]
            viewport=viewport, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", **options
        )
        context.set_default_timeout(10_000)
        self.contexts.append(context)
        page = context.new_page()
        page.on("console", lambda msg: msg.type == "error" and self.console_errors.append(msg.text))
        page.on("pageerror", lambda exc: self.console_errors.append(f"uncaught: {exc}"))
        return page

    def close(self) -> None:
        for context in self.contexts:
            context.close()  # type: ignore[attr-defined]


@pytest.fixture
def browser_pages(chromium_browser: object, live_server: object) -> Iterator[BrowserPages]:
    pages = BrowserPages(chromium_browser)
    try:
        yield pages
    finally:
        pages.close()
    csp = [e for e in pages.console_errors if "Content Security Policy" in e]
    assert not csp, f"the Content Security Policy blocked something: {csp}"
    assert not pages.console_errors, f"errors in the browser console: {pages.console_errors}"


@pytest.fixture
def screenshot():
    """screenshot(page, name) → saves tests/.artifacts/<name>.png (full page) for a human to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page: object, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
        return path

    return take


# --- Signing in -----------------------------------------------------------------------------------------------


def log_in(page: Page, base_url: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def log_in_with_second_factor(page: Page, base_url: str, username: str) -> None:
    """Password, then the TOTP step: enrol (reading the secret off the page) or verify with the user's device."""
    log_in(page, base_url, username)
    expect(page).to_have_url(re.compile(r"/login/(setup-2fa|verify)/"))
    if "/setup-2fa/" in page.url:
        secret = page.locator("#otp-secret").inner_text().replace(" ", "")
        key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    else:
        key = TOTPDevice.objects.get(user__username=username, confirmed=True).bin_key
    page.get_by_label("Mã xác thực (6 chữ số)").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Xác nhận").click()
    expect(page).to_have_url(f"{base_url}/")


def main_nav(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Điều hướng chính")


@pytest.fixture
def people(transactional_db: None) -> Personas:
    """The personas, built in this thread and committed, so the live server's thread sees them."""
    return build_personas()


# --- The directive tracker's people -------------------------------------------------------------------------------


@pytest.fixture
def dept(transactional_db: None) -> Departments:
    # Built in this thread and committed, so the live server's thread sees them.
    return build_departments(build_personas())
