"""The case list and the case page in Chromium, laptop and phone: screenshots for a human to look at, no
console/CSP errors, and a note added through htmx without a page reload."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Case
from cases.services.intake import CaregiverInput
from tests.browser.conftest import LAPTOP, PHONE, BrowserPages, log_in
from tests.conftest import make_case
from tests.personas import Personas

pytestmark = pytest.mark.browser

NAMES = [
    "Nguyễn Thị Hương", "Trần Văn Đức", "Lê Minh Anh", "Phạm Thị Ánh", "Hoàng Văn Dũng", "Vũ Thị Bình",
    "Đặng Quốc Em", "Bùi Thị Lan", "Đỗ Văn Hùng", "Ngô Thị Mai",
]  # fmt: skip


def test_case_list_and_page(browser_pages: BrowserPages, live_server, people: Personas, screenshot) -> None:
    now = timezone.now()
    first = None
    for index, name in enumerate(NAMES):
        case = make_case(
            people.officer_a1,
            people.commune_a1,
            name,
            forms=["sexual_abuse", "violence"] if index == 0 else ["violence"],
            received_at=now - datetime.timedelta(days=index, hours=2),
            immediate_danger=index % 3 == 0,
            id_number=f"0190{index:08d}",
            caregivers=[
                CaregiverInput("Nguyễn Văn Cha", "Bố", phone="0987 000 111", address="Tổ 5, phường Phan Đình Phùng")
            ]
            if index == 0
            else None,
        )
        first = first or case
    # One overdue, one due soon, for the badges.
    Case.objects.filter(pk=first.pk).update(next_deadline_at=now - datetime.timedelta(hours=3))

    for viewport, suffix in ((LAPTOP, "laptop"), (PHONE, "phone")):
        page = browser_pages.new_page(viewport=viewport)
        log_in(page, live_server.url, "officer_a1")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")
        page.goto(f"{live_server.url}/cases/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ vụ việc")
        expect(page.locator("table.case-table tbody tr")).to_have_count(len(NAMES))
        screenshot(page, f"cases-list-{suffix}")

        page.get_by_label("Tìm kiếm").fill("nguyen thi huong")
        page.get_by_role("button", name="Tìm", exact=True).click()
        expect(page.locator("table.case-table tbody tr")).to_have_count(1)

        page.get_by_role("link", name=first.case_number).click()
        expect(page.get_by_role("alert")).to_contain_text("Phải thông báo ngay cho cơ quan công an")
        expect(page.locator("#case-reporter-h")).to_be_visible()
        if suffix == "laptop":
            page.get_by_label("Ghi chú mới").fill("Đã gọi điện cho mẹ của trẻ, hẹn gặp chiều nay.")
            page.get_by_role("button", name="Lưu ghi chú").click()
            expect(page.locator("#timeline .timeline-note-text")).to_contain_text("Đã gọi điện cho mẹ")
            expect(page.locator("#timeline")).to_contain_text("Đã lưu ghi chú.")
        screenshot(page, f"case-page-{suffix}")
