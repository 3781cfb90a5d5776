"""A directive over a year, in Chromium (issue 14's "Done when"): the province officer imports a directive of
2023, answers from when its quarterly deadline counts (the import date, the default), sees the first three due
dates and saves; later a follow-up công văn hands the labour department's task to the health department and
cancels the police task. The board and the leads' task lists show the change. Screenshots at 1366 and 390 px.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from directives.models import DeadlineKind, Frequency
from directives.recurrence import DeadlineRule, due_dates
from tests.browser.conftest import PHONE, BrowserPages, log_in, log_in_with_second_factor, main_nav
from tests.directives.conftest import Departments, read_sample

pytestmark = pytest.mark.browser
DESKTOP = {"width": 1366, "height": 900}
ORDER = "Công văn số 812/UBND-KGVX ngày 01/12/2026"


def _no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0


def _both_widths(page: Page, shot, name: str) -> None:
    """Screenshots of the page as it is, at 1366 px and at 390 px (no sideways scroll on the phone)."""
    shot(page, f"{name}-1366")
    page.set_viewport_size(PHONE)
    _no_sideways_scroll(page)
    shot(page, f"{name}-390")
    page.set_viewport_size(DESKTOP)


def test_import_an_old_directive_then_hand_over_and_cancel_tasks(
    browser_pages: BrowserPages, live_server, dept: Departments, screenshot
) -> None:
    def shot(page: Page, name: str) -> None:
        screenshot(page, f"directive-changes-{name}")

    base = live_server.url
    today = timezone.localdate()
    past = today - datetime.timedelta(days=3)
    quarterly = DeadlineRule(kind=DeadlineKind.RECURRING, frequency=Frequency.QUARTERLY, day=20, month=3)
    first_three = [d.strftime("%d/%m/%Y") for d in due_dates(quarterly, today, today.replace(year=today.year + 2))[:3]]

    # --- 1. The 2023 công văn pasted today: from when does its quarterly deadline count? ---------------------
    officer = browser_pages.new_page(viewport=DESKTOP)
    log_in_with_second_factor(officer, base, "province_a")
    officer.goto(f"{base}/directives/new/")
    officer.get_by_label("Toàn văn văn bản").fill(read_sample("thai-nguyen-5310-UBND-KGVX-2023.txt"))
    officer.get_by_role("button", name="Đọc văn bản").click()
    expect(officer.get_by_role("heading", level=1)).to_have_text("Kiểm tra văn bản trước khi lưu")
    expect(officer.locator("#recurrence-start-box")).to_be_hidden()  # nothing recurring in the text

    officer.locator("#task-0").get_by_label("Tất cả cơ quan cấp tỉnh trong danh bạ (5)").check()
    officer.locator("#task-4").get_by_label("Tất cả xã, phường, đặc khu của tỉnh (2)").check()
    officer.locator("#id_tasks-2-deadline_kind").select_option("date")
    officer.locator("#id_tasks-2-deadline_date").fill(past.isoformat())
    officer.locator("#id_tasks-3-deadline_kind").select_option("recurring")
    officer.locator("#id_tasks-3-frequency").select_option("quarterly")
    officer.locator("#id_tasks-3-deadline_day").fill("20")
    officer.locator("#id_tasks-3-deadline_month").fill("3")
    officer.locator("#id_tasks-3-deadline_month").blur()

    box = officer.locator("#recurrence-start-box")
    expect(box).to_be_visible()  # the question came with the change (HTMX), the import date answered
    expect(box).to_contain_text("Văn bản ban hành ngày 10/10/2023, trước năm nay")
    expect(officer.locator("#id_recurrence_start")).to_have_value(today.isoformat())
    preview = officer.locator("#task-3-due")
    for due in first_three:
        expect(preview).to_contain_text(due)
    expect(officer.locator("#review-live")).not_to_contain_text("chưa chọn cơ quan")
    officer.locator("#recurrence-start-box").scroll_into_view_if_needed()
    _both_widths(officer, shot, "1-review-recurrence")

    officer.get_by_role("button", name="Xác nhận và lưu").click()
    expect(officer.locator(".messages")).to_contain_text("Đã lưu văn bản 5310/UBND-KGVX với 10 nhiệm vụ")

    # --- 2. The labour department's task: due from today, then handed to the health department --------------
    officer.locator("#tasks .task-group").filter(has_text="Mục 4").get_by_role("link").first.click()
    expect(officer.get_by_role("heading", level=1)).to_contain_text("Nhiệm vụ mục 4")
    expect(officer.locator("#reports .occurrence").first).to_contain_text(f"Hạn {first_three[0]}")
    expect(officer.locator("#reports")).not_to_contain_text("2023")
    officer.get_by_role("link", name="Giao lại").click()
    expect(officer.get_by_role("heading", level=1)).to_have_text("Giao nhiệm vụ cho đơn vị khác")
    officer.get_by_label("Giao cho").select_option(label="Sở Y tế tỉnh Thái Nguyên")
    officer.get_by_label("Văn bản chỉ đạo việc thay đổi").fill(ORDER)
    officer.get_by_label("Lý do").fill("Sở Y tế tiếp nhận chức năng bảo vệ trẻ em.")
    _both_widths(officer, shot, "2-reassign-form")
    officer.get_by_role("button", name="Giao lại").click()
    expect(officer.locator(".messages")).to_contain_text("Đã giao nhiệm vụ cho Sở Y tế tỉnh Thái Nguyên.")
    expect(officer.locator("dl.details")).to_contain_text("Sở Y tế tỉnh Thái Nguyên")
    history = officer.locator("#history")
    expect(history).to_contain_text("Giao lại cho đơn vị khác")
    expect(history).to_contain_text(
        "Từ Sở Lao động - Thương binh và Xã hội tỉnh Thái Nguyên sang Sở Y tế tỉnh Thái Nguyên"
    )
    expect(history).to_contain_text(ORDER)
    expect(officer.locator("#reports .occurrence").first).to_contain_text(f"Hạn {first_three[0]}")
    _both_widths(officer, shot, "3-handed-over-task")

    # --- 3. The board before and after the police task is cancelled ----------------------------------------
    main_nav(officer).get_by_role("link", name="Theo dõi thực hiện").click()
    police_row = officer.locator("table.board-table tbody tr").filter(has_text="Công an tỉnh Thái Nguyên")
    expect(police_row.locator("td").nth(4)).to_have_text("1")  # item 3, due three days ago
    health_row = officer.locator("table.board-table tbody tr").filter(has_text="Sở Y tế tỉnh Thái Nguyên")
    expect(health_row.locator("td").nth(6)).to_have_text(first_three[0])
    expect(officer.locator("table.board-table tbody tr").filter(has_text="Sở Lao động")).to_have_count(0)
    shot(officer, "4-board-before-cancel-1366")
    police_row.locator("td").nth(4).get_by_role("link").click()
    officer.locator("table.task-table tbody tr a").first.click()
    expect(officer.get_by_role("heading", level=1)).to_contain_text("Nhiệm vụ mục 3")
    officer.get_by_role("link", name="Hủy nhiệm vụ").click()
    officer.get_by_label("Văn bản chỉ đạo việc thay đổi").fill(ORDER)
    officer.get_by_label("Lý do").fill("Nội dung đã được thực hiện theo kế hoạch liên ngành.")
    officer.get_by_role("button", name="Hủy nhiệm vụ").click()
    expect(officer.locator(".messages")).to_contain_text("Đã hủy nhiệm vụ.")
    expect(officer.locator(".case-status")).to_contain_text("Đã hủy")
    expect(officer.locator("#reports")).to_contain_text("Đã hủy")
    _both_widths(officer, shot, "5-cancelled-task")

    main_nav(officer).get_by_role("link", name="Theo dõi thực hiện").click()
    expect(officer.locator(".board-figure-overdue .case-count-value")).to_have_text("0")
    expect(officer.locator("table.board-table tbody tr").filter(has_text="Công an tỉnh Thái Nguyên")).to_have_count(0)
    expect(officer.locator("table.board-table tbody tr").filter(has_text="Sở Y tế tỉnh Thái Nguyên")).to_have_count(1)
    _both_widths(officer, shot, "6-board-after")

    # --- 4. The leads' task lists -------------------------------------------------------------------------
    labour = browser_pages.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in(labour, base, "labour_a")
    labour.goto(f"{base}/directives/tasks/mine/")  # on a phone the menu is folded
    handed = labour.locator("table.task-table tbody tr").filter(has_text="mục 4")
    expect(handed).to_contain_text("Đã giao lại")
    expect(handed).not_to_contain_text(first_three[0])  # no due date left for the labour department
    _no_sideways_scroll(labour)
    shot(labour, "7-labour-tasks-390")
    handed.get_by_role("link").click()
    expect(labour.locator(".alert")).to_contain_text("Nhiệm vụ đã được giao cho Sở Y tế tỉnh Thái Nguyên")
    expect(labour.get_by_role("heading", name="Báo cáo tiến độ")).to_have_count(0)
    expect(labour.locator("#reports")).to_contain_text("các kỳ chưa hoàn thành đã chuyển sang đơn vị nhận")
    _no_sideways_scroll(labour)
    shot(labour, "8-labour-handed-over-task-390")

    police = browser_pages.new_page(viewport=DESKTOP)
    log_in(police, base, "police_a")
    police.goto(f"{base}/directives/tasks/mine/")
    cancelled = police.locator("table.task-table tbody tr").filter(has_text="mục 3")
    expect(cancelled).to_contain_text("Đã hủy")
    police.goto(f"{base}/directives/tasks/mine/?status=overdue")
    expect(police.locator("table.task-table tbody tr")).to_have_count(0)
    shot(police, "9-police-tasks-1366")
