"""Directive tracking end to end in Chromium (the issue's "Done when").

The province officer pastes a real công văn, reviews what the importer proposes (choosing the leads the text
names only generically, setting two deadlines), confirms and sees the tasks. The education department's focal
point reports its task done; the board shows it on time, and the police task whose deadline has passed shows
overdue, with a drill-down to it. An agency that is not the lead gets the 404 page for the task.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, BrowserPages, log_in, log_in_with_second_factor, main_nav
from tests.directives.conftest import Departments, read_sample

pytestmark = pytest.mark.browser


def test_paste_confirm_report_and_follow_on_the_board(
    browser_pages: BrowserPages, live_server, dept: Departments, screenshot
) -> None:
    def shot(page: Page, name: str) -> None:
        screenshot(page, f"directives-{name}")

    base = live_server.url
    today = timezone.localdate()
    past = today - datetime.timedelta(days=3)
    future = today + datetime.timedelta(days=20)

    # --- 1. The province officer pastes the công văn and reviews the proposal --------------------------------
    officer = browser_pages.new_page()
    log_in_with_second_factor(officer, base, "province_a")
    main_nav(officer).get_by_role("link", name="Văn bản chỉ đạo").click()
    officer.get_by_role("link", name="Nhập văn bản mới").click()
    expect(officer.get_by_role("heading", level=1)).to_have_text("Nhập văn bản chỉ đạo")
    officer.get_by_label("Toàn văn văn bản").fill(read_sample("thai-nguyen-5310-UBND-KGVX-2023.txt"))
    shot(officer, "1-paste")
    officer.get_by_role("button", name="Đọc văn bản").click()

    expect(officer.get_by_role("heading", level=1)).to_have_text("Kiểm tra văn bản trước khi lưu")
    expect(officer.get_by_label("Số", exact=True)).to_have_value("5310")
    expect(officer.locator("#id_symbol")).to_have_value("UBND-KGVX")
    expect(officer.locator("#id_issued_on")).to_have_value("2023-10-10")
    expect(officer.locator("#id_signer_name")).to_have_value("Lê Quang Tiến")
    expect(officer.locator(".review-warnings")).to_contain_text("Chưa có chức vụ, thẩm quyền người ký")
    expect(officer.locator("fieldset.task-card")).to_have_count(6)  # five proposed, one blank to add
    expect(officer.locator("#task-2").get_by_label("Công an tỉnh Thái Nguyên").first).to_be_checked()
    expect(officer.locator("#task-1").get_by_label("Sở Giáo dục và Đào tạo tỉnh Thái Nguyên").first).to_be_checked()
    expect(officer.locator("#id_tasks-0-leads input:checked")).to_have_count(0)  # "các sở, ban, ngành": not guessed
    shot(officer, "2-review")
    # The warnings follow the form: the signer's title typed in, its warning goes (HTMX, no reload).
    officer.get_by_label("Chức vụ người ký").fill("PHÓ CHỦ TỊCH")
    officer.get_by_label("Chức vụ người ký").blur()
    expect(officer.locator("#review-live")).not_to_contain_text("Chưa có chức vụ, thẩm quyền người ký")
    expect(officer.locator("#review-live")).to_contain_text("Nhiệm vụ mục 1: chưa chọn cơ quan, xã chủ trì.")

    # Confirming without a lead for item 1 keeps everything and says what is missing, next to the field.
    officer.locator("#id_tasks-1-deadline_kind").select_option("date")
    officer.locator("#id_tasks-1-deadline_date").fill(future.isoformat())
    officer.locator("#id_tasks-2-deadline_kind").select_option("date")
    officer.locator("#id_tasks-2-deadline_date").fill(past.isoformat())
    officer.get_by_role("button", name="Xác nhận và lưu").click()
    expect(officer.locator("#review-errors")).to_contain_text("Mọi thông tin bạn đã nhập vẫn được giữ nguyên")
    expect(officer.locator("#id_tasks-0-leads_error")).to_contain_text("Chọn ít nhất một cơ quan")
    expect(officer.locator("#id_tasks-2-deadline_date")).to_have_value(past.isoformat())
    expect(officer.locator("#id_tasks-1-deadline_date")).to_have_value(future.isoformat())
    shot(officer, "3-review-error")

    officer.locator("#task-0").get_by_label("Tất cả cơ quan cấp tỉnh trong danh bạ (5)").check()
    officer.locator("#task-4").get_by_label("Tất cả xã, phường, đặc khu của tỉnh (2)").check()
    officer.get_by_role("button", name="Xác nhận và lưu").click()
    expect(officer.locator(".messages")).to_contain_text("Đã lưu văn bản 5310/UBND-KGVX với 10 nhiệm vụ")
    expect(officer.get_by_role("heading", level=1)).to_have_text("Công văn 5310/UBND-KGVX")
    expect(officer.locator("#tasks")).to_contain_text("Sở Giáo dục và Đào tạo tỉnh Thái Nguyên")
    expect(officer.locator("#tasks")).to_contain_text("0/2 đơn vị hoàn thành")
    shot(officer, "4-directive")

    # --- 2. The education department reports its task done --------------------------------------------------
    lead = browser_pages.new_page()
    log_in(lead, base, "education_a")
    expect(lead.locator("main")).to_contain_text("Nhiệm vụ được giao")
    main_nav(lead).get_by_role("link", name="Nhiệm vụ được giao").click()
    rows = lead.locator("table.task-table tbody tr")
    expect(rows).to_have_count(2)  # item 1 (every province agency) and item 2
    lead.get_by_role("link", name="5310/UBND-KGVX · mục 2").click()
    expect(lead.get_by_role("heading", level=1)).to_contain_text("Nhiệm vụ mục 2")
    lead.get_by_label("Nội dung báo cáo").fill("Đã triển khai giải pháp giảm tình trạng bỏ học tới các trường.")
    lead.get_by_label("Đã hoàn thành nhiệm vụ (kỳ này)").check()
    shot(lead, "5-report-form")
    lead.get_by_role("button", name="Gửi báo cáo").click()
    expect(lead.locator(".messages")).to_contain_text("Đã gửi báo cáo hoàn thành")
    expect(lead.locator(".case-status")).to_contain_text("Hoàn thành đúng hạn")
    shot(lead, "6-reported")

    # --- 3. The board: on time for education, overdue for the police; drill down ------------------------------
    main_nav(officer).get_by_role("link", name="Theo dõi thực hiện").click()
    education_row = officer.locator("table.board-table tbody tr").filter(has_text="Sở Giáo dục và Đào tạo")
    expect(education_row.locator("td").nth(1)).to_have_text("100%")
    police_row = officer.locator("table.board-table tbody tr").filter(has_text="Công an tỉnh Thái Nguyên")
    expect(police_row.locator("td").nth(4)).to_have_text("1")
    expect(officer.get_by_text("1 nhiệm vụ có báo cáo chờ xem xét")).to_be_visible()
    shot(officer, "7-board")
    police_row.locator("td").nth(4).get_by_role("link").click()
    expect(officer.locator("table.task-table tbody tr")).to_have_count(1)
    expect(officer.locator("table.task-table tbody tr")).to_contain_text("Quá hạn")
    expect(officer.locator("table.task-table tbody tr")).to_contain_text("mục 3")
    shot(officer, "8-drilldown-overdue")

    # The officer accepts the education report from the task page.
    officer.goto(f"{base}/directives/tasks/?review=pending")
    officer.locator("table.task-table tbody tr a").first.click()
    officer.get_by_role("button", name="Chấp nhận báo cáo").click()
    expect(officer.locator(".messages")).to_contain_text("Đã chấp nhận báo cáo")
    expect(officer.locator("#reports")).to_contain_text("Đã chấp nhận")
    task_url = officer.url

    # --- 4. Another agency cannot open the task; the phone layout holds ---------------------------------------
    outsider = browser_pages.new_page()
    log_in(outsider, base, "police_b")
    outsider.goto(task_url.split("#")[0])
    expect(outsider.get_by_role("heading", level=1)).to_contain_text("Không tìm thấy")
    shot(outsider, "9-outsider-404")
    # That 404 is the point; the browser logs it as a failed load, which is not a page error.
    browser_pages.console_errors[:] = [e for e in browser_pages.console_errors if "404 (Not Found)" not in e]

    phone = browser_pages.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in(phone, base, "officer_a1")
    phone.goto(f"{base}/directives/tasks/mine/")
    expect(phone.locator("table.task-table tbody tr")).to_have_count(1)
    shot(phone, "10-commune-tasks-phone")
    assert phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
