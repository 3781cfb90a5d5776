"""The page "Mã API": a user makes a token, sees its secret once, sees it listed and revokes it; on a phone too."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LAPTOP, PHONE, BrowserPages, log_in
from tests.personas import Personas

pytestmark = pytest.mark.browser


def test_a_user_makes_sees_and_revokes_an_api_token(
    browser_pages: BrowserPages,
    live_server,
    people: Personas,
    screenshot,
) -> None:
    for viewport, name in ((LAPTOP, "laptop"), (PHONE, "phone")):
        page = browser_pages.new_page(viewport=viewport)
        log_in(page, live_server.url, "officer_a1")
        page.goto(f"{live_server.url}/account/tokens/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Mã API của tôi")
        page.get_by_role("button", name="Tạo mã mới").click()
        secret = page.locator(".alert-success code").inner_text()
        assert len(secret) == 64
        expect(page.locator("tbody tr")).to_have_count(1)
        expect(page.locator("tbody code")).to_have_text(f"{secret[:15]}…")
        screenshot(page, f"api-tokens-{name}")
        assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
        page.get_by_role("button", name="Thu hồi").click()
        expect(page.get_by_text("Bạn chưa có mã API nào đang dùng được.")).to_be_visible()
