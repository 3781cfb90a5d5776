"""The case procedure end to end in Chromium, as real users do it (the issue's "Done when").

A commune officer records a case through the intake form (fixing one wrong field without retyping the rest),
sees its number and open deadlines, records the initial and detailed assessments and the needs meeting, drafts a
plan with one item and submits it; the commune chair approves it; the province officer finds the case by the
child's name typed without diacritics; an officer of another commune sees nothing and gets the 404 page.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from cases.models import Case
from tests.browser.conftest import ARTIFACTS, BrowserPages, log_in, log_in_with_second_factor
from tests.personas import Personas

pytestmark = pytest.mark.browser

CHILD = "Nguyễn Thị Hương"
SUMMARY = "Hàng xóm báo trẻ thường xuyên bị bố đánh, trên tay có nhiều vết bầm."
CASE_NUMBER = re.compile(r"19-\d{4}-\d{6}")
EMERGENCY_DEADLINE = "Can thiệp khẩn cấp/tạm thời cách ly (12 giờ)"
PLAN_DEADLINE = "Xây dựng kế hoạch (5 ngày làm việc)"
PLAN_SERVICE = "Tư vấn tâm lý cho trẻ và gia đình"


def _nav(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Điều hướng chính")


def _action(page: Page, label: str) -> Locator:
    """The form of one action in the case page's "Các bước tiếp theo" panel, opened (it sits in a <details>)."""
    panel = page.locator("#workflow")
    details = panel.locator("details.workflow-action").filter(has=page.locator("summary", has_text=label))
    expect(details).to_have_count(1)
    details.locator("summary").click()
    return details.locator("form")


def _timeline_entry(page: Page, what: str | re.Pattern[str]) -> Locator:
    """The one timeline entry whose "what" line matches (a string matches the whole line)."""
    pattern = what if isinstance(what, re.Pattern) else re.compile(rf"^{re.escape(what)}$")
    entry = page.locator("#timeline li.timeline-item").filter(has=page.locator(".timeline-what", has_text=pattern))
    expect(entry).to_have_count(1)
    return entry


def test_the_case_procedure_from_intake_to_an_approved_plan(
    browser_pages: BrowserPages, live_server, people: Personas, screenshot
) -> None:
    base = live_server.url

    # --- 1. The commune officer records the case, fixing one wrong field ----------------------------------------
    officer = browser_pages.new_page()
    log_in(officer, base, "officer_a1")
    expect(officer.get_by_role("heading", level=1)).to_contain_text("Xin chào")
    _nav(officer).get_by_role("link", name="Tiếp nhận vụ việc").click()
    expect(officer.get_by_role("heading", level=1)).to_have_text("Tiếp nhận thông tin vụ việc")

    officer.get_by_label("Họ và tên của trẻ").fill(CHILD)
    officer.get_by_label("Hoặc tuổi (nếu không rõ ngày sinh)").fill("9")
    officer.get_by_label("Nữ", exact=True).check()
    officer.get_by_label("Dân tộc").select_option(label="Kinh (Việt)")
    officer.get_by_label("Số định danh cá nhân").fill("0193160001")  # 10 digits: wrong
    officer.get_by_label("Trẻ em bị xâm hại", exact=True).check()
    officer.get_by_label("Có — cần can thiệp khẩn cấp (trong 12 giờ)").check()
    officer.get_by_label("Bạo lực", exact=True).check()
    officer.get_by_label("Môi trường xảy ra").select_option(label="Gia đình")
    officer.get_by_label("Tóm tắt sự việc").fill(SUMMARY)
    officer.get_by_label("Kênh tiếp nhận").select_option(label="Điện thoại")
    officer.get_by_label("Họ tên người báo tin").fill("Bà Tư")
    officer.get_by_label("Quan hệ với trẻ").first.fill("Hàng xóm")
    officer.get_by_role("button", name="Ghi nhận").click()

    expect(officer.locator("#intake-errors")).to_contain_text("Mọi thông tin bạn đã nhập vẫn được giữ nguyên")
    expect(officer.locator("#id_id_number_error")).to_contain_text(
        "Số định danh cá nhân gồm đúng 12 chữ số (bạn đã nhập 10 ký tự)."
    )
    expect(officer.get_by_label("Số định danh cá nhân")).to_have_attribute("aria-invalid", "true")
    expect(officer.get_by_label("Họ và tên của trẻ")).to_have_value(CHILD)
    expect(officer.get_by_label("Hoặc tuổi (nếu không rõ ngày sinh)")).to_have_value("9")
    expect(officer.get_by_label("Nữ", exact=True)).to_be_checked()
    expect(officer.get_by_label("Dân tộc").locator("option:checked")).to_have_text("Kinh (Việt)")
    expect(officer.get_by_label("Trẻ em bị xâm hại", exact=True)).to_be_checked()
    expect(officer.get_by_label("Có — cần can thiệp khẩn cấp (trong 12 giờ)")).to_be_checked()
    expect(officer.get_by_label("Bạo lực", exact=True)).to_be_checked()
    expect(officer.get_by_label("Môi trường xảy ra").locator("option:checked")).to_have_text("Gia đình")
    expect(officer.get_by_label("Tóm tắt sự việc")).to_have_value(SUMMARY)
    expect(officer.get_by_label("Kênh tiếp nhận").locator("option:checked")).to_have_text("Điện thoại")
    expect(officer.get_by_label("Họ tên người báo tin")).to_have_value("Bà Tư")
    screenshot(officer, "procedure-1-intake-error")
    # The full-page shot draws the sticky "Ghi nhận" bar mid-page; this one shows the field as the user sees it.
    officer.get_by_label("Số định danh cá nhân").scroll_into_view_if_needed()
    officer.screenshot(path=str(ARTIFACTS / "procedure-1-intake-error-field.png"))

    officer.get_by_label("Số định danh cá nhân").fill("019316000123")
    officer.get_by_role("button", name="Ghi nhận").click()
    # The duplicate check asks before recording when a similar child exists in the commune.
    new_child = officer.get_by_label("Trẻ mới")
    case_heading = officer.get_by_role("heading", level=1, name=re.compile(r"^Hồ sơ "))
    expect(new_child.or_(case_heading)).to_be_visible()
    if new_child.is_visible():
        new_child.check()
        officer.get_by_role("button", name="Ghi nhận").click()

    case = Case.objects.get()
    expect(officer).to_have_url(re.compile(rf"/cases/{case.pk}/(#.*)?$"))
    expect(case_heading).to_have_text(re.compile(rf"^Hồ sơ {CASE_NUMBER.pattern}$"))
    assert CASE_NUMBER.fullmatch(case.case_number)
    expect(officer.locator(".status-pill")).to_have_text("Đã tiếp nhận")
    deadlines = officer.locator("#deadlines")
    expect(deadlines.locator(".deadline")).to_have_count(2)
    expect(deadlines).to_contain_text(EMERGENCY_DEADLINE)
    expect(deadlines).to_contain_text(PLAN_DEADLINE)
    emergency_due = timezone.localtime(case.received_at + datetime.timedelta(hours=12))
    expect(deadlines.locator(".deadline", has_text=EMERGENCY_DEADLINE)).to_contain_text(
        emergency_due.strftime("%H:%M %d/%m/%Y")
    )
    screenshot(officer, "procedure-2-case-with-deadlines")

    # --- 2. Initial assessment (no serious danger: the 12-hour deadline is met), detailed assessment, meeting ---
    form = _action(officer, "Đánh giá nguy cơ ban đầu (Mẫu 02)")
    form.get_by_label("Mức độ tổn hại").select_option(label="Trung bình")
    form.get_by_label("Mức độ nguy cơ").select_option(label="Trung bình")
    expect(form.get_by_label("Trẻ đang bị hoặc có nguy cơ bị tổn hại nghiêm trọng")).not_to_be_checked()
    form.get_by_label("Nhận định").fill("Trẻ có vết bầm cũ, hiện ở với bà nội, không bị đe dọa ngay.")
    form.get_by_role("button", name="Đánh giá nguy cơ ban đầu (Mẫu 02)").click()
    expect(officer.locator(".messages")).to_contain_text("Đã thực hiện: Đánh giá nguy cơ ban đầu (Mẫu 02).")
    expect(officer.locator(".status-pill")).to_have_text("Đã đánh giá ban đầu")
    expect(deadlines).not_to_contain_text(EMERGENCY_DEADLINE)
    expect(deadlines).to_contain_text(PLAN_DEADLINE)

    form = _action(officer, "Đánh giá chi tiết (Mẫu 03)")
    form.get_by_label("Mức độ tổn hại").select_option(label="Trung bình")
    form.get_by_label("Mức độ nguy cơ").select_option(label="Thấp")
    form.get_by_label("a) Tình trạng thể chất, tâm lý, tình cảm của trẻ").fill("Sức khỏe ổn định, còn sợ hãi.")
    form.get_by_label("e) Nhu cầu của trẻ").fill("Tư vấn tâm lý; giám sát an toàn tại gia đình.")
    form.get_by_role("button", name="Đánh giá chi tiết (Mẫu 03)").click()
    expect(officer.locator(".status-pill")).to_have_text("Đã đánh giá chi tiết")

    form = _action(officer, "Họp xác định nhu cầu, biện pháp")
    form.get_by_label("Ngày họp").fill(timezone.localdate().isoformat())
    form.get_by_label("Thành phần").fill("Cán bộ bảo vệ trẻ em, công an xã, bà nội của trẻ.")
    form.get_by_label("Kết luận về nhu cầu, biện pháp").fill("Cần tư vấn tâm lý và giám sát tại gia đình.")
    form.get_by_role("button", name="Họp xác định nhu cầu, biện pháp").click()
    expect(officer.locator(".status-pill")).to_have_text("Đã họp xác định nhu cầu")

    # The plan: one item, then "save and submit for approval".
    officer.get_by_role("link", name="Lập, sửa kế hoạch hỗ trợ, can thiệp").click()
    expect(officer.get_by_role("heading", level=1)).to_have_text("Kế hoạch hỗ trợ, can thiệp")
    officer.get_by_label("Mục tiêu của kế hoạch").fill("Trẻ an toàn tại gia đình, ổn định tâm lý.")
    row = officer.locator("fieldset.plan-item").filter(has_text="Dòng 1")
    start = timezone.localdate()
    row.get_by_label("Dịch vụ, hoạt động").fill(PLAN_SERVICE)
    row.get_by_label("Cấp độ bảo vệ").select_option(label="Hỗ trợ (Điều 49)")
    row.get_by_label("Biện pháp bảo vệ (Luật Trẻ em, Điều 48–50)").select_option("49.2.a")
    row.get_by_label("Cơ quan chịu trách nhiệm").select_option(label=people.police_agency_a.name)
    row.get_by_label("Người chịu trách nhiệm").fill("officer_a1")
    row.get_by_label("Ngày bắt đầu").fill(start.isoformat())
    row.get_by_label("Ngày dự kiến kết thúc").fill((start + datetime.timedelta(days=30)).isoformat())
    row.get_by_label("Dự toán kinh phí (đồng)").fill("1500000")
    screenshot(officer, "procedure-2b-plan-draft")
    officer.get_by_role("button", name="Lưu và trình phê duyệt").click()
    expect(officer).to_have_url(re.compile(rf"/cases/{case.pk}/#workflow$"))
    expect(officer.locator(".status-pill")).to_have_text("Đã xây dựng kế hoạch, chờ phê duyệt")
    expect(officer.locator("#workflow")).to_contain_text("Kế hoạch chu kỳ 1")
    # Only the chair approves: the officer is not offered the step.
    expect(officer.locator("#workflow")).not_to_contain_text("Phê duyệt kế hoạch")

    # --- 3. The chair opens the case from the list and approves the plan ----------------------------------------
    chair = browser_pages.new_page()
    log_in(chair, base, "chair_a1")
    expect(chair.get_by_role("heading", level=1)).to_contain_text("Xin chào")
    _nav(chair).get_by_role("link", name="Hồ sơ vụ việc").click()
    chair.get_by_role("link", name=case.case_number).click()
    expect(chair.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {case.case_number}")
    form = _action(chair, "Phê duyệt kế hoạch")
    form.get_by_label("Số quyết định phê duyệt").fill("15/QĐ-UBND")
    form.get_by_role("button", name="Phê duyệt kế hoạch").click()
    expect(chair.locator(".status-pill")).to_have_text("Kế hoạch đã được phê duyệt")
    # The timeline: each step summarised by what it recorded, with who did it (newest first).
    steps: list[tuple[str | re.Pattern[str], str]] = [
        ("Tiếp nhận", "officer_a1"),
        (re.compile(r"Tiếp nhận trẻ em bị xâm hại: bạo lực"), "officer_a1"),
        (re.compile(r"Đánh giá ban đầu \(Mẫu 02\): tổn hại Trung bình, nguy cơ Trung bình"), "officer_a1"),
        (re.compile(r"Đánh giá chi tiết \(Mẫu 03\): tổn hại Trung bình, nguy cơ Thấp"), "officer_a1"),
        (re.compile(r"Họp xác định nhu cầu, biện pháp ngày"), "officer_a1"),
        (re.compile(r"Lưu dự thảo kế hoạch chu kỳ 1: 1 dòng"), "officer_a1"),
        (
            re.compile(r"Trình Chủ tịch UBND xã phê duyệt kế hoạch chu kỳ 1: 1 dòng, dự toán 1.500.000 đồng"),
            "officer_a1",
        ),
        (re.compile(r"Phê duyệt kế hoạch chu kỳ 1, quyết định số 15/QĐ-UBND"), "chair_a1"),
    ]
    for what, who in steps:
        expect(_timeline_entry(chair, what).locator(".timeline-meta")).to_contain_text(who)
    screenshot(chair, "procedure-3-approved-case")

    # --- 4. The province officer finds it; an officer of another commune does not -------------------------------
    province = browser_pages.new_page()
    log_in_with_second_factor(province, base, "province_a")
    _nav(province).get_by_role("link", name="Hồ sơ vụ việc").click()
    province.get_by_label("Tìm kiếm").fill("nguyen thi huong")
    province.get_by_role("button", name="Tìm", exact=True).click()
    rows = province.locator("table.case-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(case.case_number)
    expect(rows.first).to_contain_text(CHILD)
    expect(rows.first).to_contain_text("Kế hoạch đã được phê duyệt")
    screenshot(province, "procedure-4-province-list")

    outsider = browser_pages.new_page()
    log_in(outsider, base, "officer_a2")
    expect(outsider.get_by_role("heading", level=1)).to_contain_text("Xin chào")
    _nav(outsider).get_by_role("link", name="Hồ sơ vụ việc").click()
    expect(outsider.get_by_role("heading", level=1)).to_have_text("Hồ sơ vụ việc")
    expect(outsider.locator("table.case-table")).to_have_count(0)
    expect(outsider.locator("main")).to_contain_text("Chưa có hồ sơ nào trong phạm vi bạn được xem.")
    expect(outsider.locator("main")).not_to_contain_text(case.case_number)
    response = outsider.goto(f"{base}/cases/{case.pk}/")
    assert response is not None and response.status == 404
    expect(outsider.get_by_role("heading", level=1)).to_have_text("Không tìm thấy")
    expect(outsider.locator("main")).not_to_contain_text(CHILD)
    screenshot(outsider, "procedure-5-outsider-404")
    # The browser reports the expected 404 of that page load as a console error; nothing else may be there.
    browser_pages.console_errors[:] = [e for e in browser_pages.console_errors if "404 (Not Found)" not in e]
