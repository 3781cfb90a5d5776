"""The intake page in Chromium: an officer records a case, fixing one wrong field without retyping the rest."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from cases.models import Case
from tests.browser.conftest import PHONE, BrowserPages, log_in
from tests.personas import Personas, build_personas

pytestmark = pytest.mark.browser


@pytest.fixture
def people(transactional_db: None) -> Personas:
    return build_personas()


def _overflow(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))


def test_officer_records_a_case_after_fixing_one_field(
    browser_pages: BrowserPages, live_server, people: Personas, screenshot
) -> None:
    page = browser_pages.new_page()
    log_in(page, live_server.url, "officer_a1")
    page.goto(f"{live_server.url}/cases/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tiếp nhận thông tin vụ việc")
    screenshot(page, "intake-laptop")

    page.get_by_label("Họ và tên của trẻ").fill("Nguyễn Văn An")
    page.get_by_label("Ngày sinh", exact=True).fill("2015-03-04")
    page.get_by_label("Nam", exact=True).check()
    page.get_by_label("Dân tộc").select_option(label="Tày")
    page.get_by_label("Số định danh cá nhân").fill("0192150001")  # 10 digits: wrong
    page.get_by_label("Trẻ em bị xâm hại", exact=True).check()
    page.get_by_label("Không", exact=True).check()
    # The sub-types of a form of abuse appear once the form is ticked.
    expect(page.get_by_label("Dâm ô", exact=True)).to_be_hidden()
    page.get_by_label("Xâm hại tình dục", exact=True).check()
    expect(page.get_by_label("Dâm ô", exact=True)).to_be_visible()
    page.get_by_label("Dâm ô", exact=True).check()
    page.get_by_label("Tóm tắt sự việc").fill("Giáo viên báo trẻ có dấu hiệu bị xâm hại.")
    page.get_by_label("Kênh tiếp nhận").select_option("school")
    page.get_by_label("Họ tên người báo tin").fill("Cô Lan")
    page.get_by_role("button", name="Ghi nhận").click()

    errors = page.locator("#id_id_number_error")
    expect(errors).to_contain_text("12 chữ số")
    expect(page.get_by_label("Số định danh cá nhân")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Họ và tên của trẻ")).to_have_value("Nguyễn Văn An")
    expect(page.get_by_label("Tóm tắt sự việc")).to_have_value("Giáo viên báo trẻ có dấu hiệu bị xâm hại.")
    expect(page.get_by_label("Dâm ô", exact=True)).to_be_checked()
    expect(page.get_by_label("Họ tên người báo tin")).to_have_value("Cô Lan")
    screenshot(page, "intake-error-laptop")

    page.get_by_label("Số định danh cá nhân").fill("019215000123")
    page.get_by_role("button", name="Ghi nhận").click()
    case = Case.objects.get()
    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/$"))
    assert case.case_number and case.child.id_number == "019215000123"
    assert case.abuse_subtypes == ["sexual_abuse.molestation"]
    screenshot(page, "intake-done-laptop")


def test_intake_on_a_phone_and_the_live_duplicate_check(
    browser_pages: BrowserPages, live_server, people: Personas, screenshot
) -> None:
    from django.utils import timezone

    from cases.services.intake import CaseInput, ChildInput, ReporterInput, do_create_case

    do_create_case(
        acting_user=people.officer_a1,
        child=ChildInput(full_name="Nguyễn Thị Hương", commune=people.commune_a1),
        case=CaseInput(kind="at_risk", received_at=timezone.now()),
        reporter=ReporterInput(channel="phone"),
    )
    page = browser_pages.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in(page, live_server.url, "officer_a1")
    page.goto(f"{live_server.url}/cases/new/")
    assert _overflow(page) == 0
    screenshot(page, "intake-phone")
    page.get_by_label("Họ và tên của trẻ").press_sequentially("Nguyen Thi Huong")
    expect(page.locator("#intake-duplicates")).to_contain_text("Nguyễn Thị Hương")
    expect(page.get_by_label("Trẻ mới")).to_be_visible()
    page.get_by_label("Tai nạn, thương tích", exact=True).check()
    expect(page.get_by_label("Đuối nước")).to_be_visible()
    expect(page.get_by_label("Bạo lực", exact=True)).to_be_hidden()
    assert _overflow(page) == 0
    screenshot(page, "intake-phone-duplicates")
