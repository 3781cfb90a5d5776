"""Issue 11's "Done when", on a 390 px phone: the officer records a sexual-abuse case and carries it through the
assessments and the needs meeting to a submitted plan; the chair is told, approves from the "Việc cần làm" panel;
the officer is told; the case page shows every value typed; Mẫu 01 and the whole-file PDF contain those values in
one font; the date of birth is corrected with a reason and the history shows old → new. Nothing scrolls sideways.
"""

from __future__ import annotations

import datetime
import re
import shutil
from pathlib import Path
from unittest import mock

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from cases.models import Case
from childprotect.models import Notification
from tests.browser.conftest import PHONE, BrowserPages, log_in
from tests.conftest import ALLOWED_FONTS, pdf_fonts, pdf_text
from tests.personas import Personas, build_personas

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is missing"),
]

TODAY = timezone.localdate()
BORN = datetime.date(TODAY.year - 12, 4, 9)
CORRECTED_BORN = datetime.date(TODAY.year - 12, 9, 4)
# What the people type, each readable afterwards on the case page and (intake values) in Mẫu 01.
INTAKE = {
    "child": "Hà Thị Mai Linh",
    "id_number": "001313000456",
    "summary": "Cô giáo chủ nhiệm phát hiện trẻ bị người quen xâm hại khi đi học về",
    "reporter": "Đặng Thu Hà",
    "reporter_relationship": "Giáo viên chủ nhiệm",
    "caregiver": "Hà Văn Bình",
    "caregiver_relationship": "Bố",
    "caregiver_phone": "0912 888 777",
}
STEPS = {
    "initial_findings": "Trẻ sợ hãi, không muốn đến trường một mình",
    "child_condition": "Trẻ mất ngủ, hay giật mình",
    "needs": "Trị liệu tâm lý và đưa đón đi học",
    "child_views": "Cháu muốn bố đưa đón mỗi ngày",
    "participants": "Chủ tịch xã, công an xã, bố của trẻ, giáo viên",
    "decisions": "Trị liệu tâm lý tại trung tâm, công an xã điều tra",
    "goals": "Trẻ an toàn trên đường đi học và ổn định tâm lý",
    "service": "Trị liệu tâm lý tại trung tâm công tác xã hội tỉnh",
    "responsible_person": "Bác sĩ Lường Văn Tâm",
    "approval_number": "27/QĐ-UBND",
}
REASON = "Sửa theo giấy khai sinh bố của trẻ mang đến"


@pytest.fixture
def people(transactional_db: None) -> Personas:
    return build_personas()


@pytest.fixture(autouse=True)
def _no_broker():
    with mock.patch("childprotect.tasks.deliver_email_task.delay"):
        yield


def _sideways(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))


def _action(page: Page, label: str) -> Locator:
    details = page.locator("#workflow details.workflow-action").filter(has=page.locator("summary", has_text=label))
    expect(details).to_have_count(1)
    details.locator("summary").click()
    return details.locator("form")


def _download(page: Page, link: Locator) -> bytes:
    with page.expect_download() as download:
        link.click()
    return Path(download.value.path()).read_bytes()


def test_the_case_file_from_intake_to_a_corrected_birth_date_on_a_phone(
    browser_pages: BrowserPages, live_server, people: Personas, screenshot, tmp_path: Path
) -> None:
    base = live_server.url

    # --- The officer records the case -----------------------------------------------------------------------------
    officer = browser_pages.new_page(viewport=PHONE)
    log_in(officer, base, "officer_a1")
    officer.goto(f"{base}/cases/new/")
    officer.get_by_label("Họ và tên của trẻ").fill(INTAKE["child"])
    officer.get_by_label("Ngày sinh", exact=True).fill(BORN.isoformat())
    officer.get_by_label("Nữ", exact=True).check()
    officer.get_by_label("Dân tộc").select_option(label="Tày")
    officer.get_by_label("Số định danh cá nhân").fill(INTAKE["id_number"])
    officer.get_by_label("Trẻ em bị xâm hại", exact=True).check()
    officer.get_by_label("Có — cần can thiệp khẩn cấp (trong 12 giờ)").check()
    officer.get_by_label("Xâm hại tình dục", exact=True).check()
    officer.get_by_label("Dâm ô", exact=True).check()
    officer.get_by_label("Môi trường xảy ra").select_option(label="Cộng đồng")
    officer.get_by_label("Tóm tắt sự việc").fill(INTAKE["summary"])
    officer.get_by_label("Kênh tiếp nhận").select_option(label="Nhà trường")
    officer.get_by_label("Họ tên người báo tin").fill(INTAKE["reporter"])
    officer.get_by_label("Quan hệ với trẻ").first.fill(INTAKE["reporter_relationship"])
    caregiver = officer.locator("fieldset.caregiver").first
    caregiver.get_by_label("Họ và tên", exact=True).fill(INTAKE["caregiver"])
    caregiver.get_by_label("Quan hệ với trẻ").fill(INTAKE["caregiver_relationship"])
    caregiver.get_by_label("Điện thoại").fill(INTAKE["caregiver_phone"])
    officer.get_by_role("button", name="Ghi nhận").click()
    new_child = officer.get_by_label("Trẻ mới")
    heading = officer.get_by_role("heading", level=1, name=re.compile(r"^Hồ sơ "))
    expect(new_child.or_(heading)).to_be_visible()
    if new_child.is_visible():
        new_child.check()
        officer.get_by_role("button", name="Ghi nhận").click()
    expect(heading).to_be_visible()
    case = Case.objects.get()
    # Telling the police is due immediately: "due now", not overdue a second after intake.
    expect(officer.locator("#deadlines")).to_contain_text("Đến hạn ngay")
    expect(officer.locator("#deadlines")).not_to_contain_text("Quá hạn")

    # --- Assessments, needs meeting, plan -----------------------------------------------------------------------
    form = _action(officer, "Đánh giá nguy cơ ban đầu (Mẫu 02)")
    form.get_by_label("Mức độ tổn hại").select_option(label="Cao")
    form.get_by_label("Mức độ nguy cơ").select_option(label="Cao")
    form.get_by_label("Nhận định").fill(STEPS["initial_findings"])
    form.get_by_role("button", name="Đánh giá nguy cơ ban đầu (Mẫu 02)").click()
    expect(officer.locator(".status-pill")).to_have_text("Đã đánh giá ban đầu")

    form = _action(officer, "Đánh giá chi tiết (Mẫu 03)")
    form.get_by_label("Mức độ tổn hại").select_option(label="Trung bình")
    form.get_by_label("Mức độ nguy cơ").select_option(label="Thấp")
    form.get_by_label("a) Tình trạng thể chất, tâm lý, tình cảm của trẻ").fill(STEPS["child_condition"])
    form.get_by_label("e) Nhu cầu của trẻ").fill(STEPS["needs"])
    form.get_by_label("g) Ý kiến, nguyện vọng của trẻ").fill(STEPS["child_views"])
    form.get_by_role("button", name="Đánh giá chi tiết (Mẫu 03)").click()
    expect(officer.locator(".status-pill")).to_have_text("Đã đánh giá chi tiết")

    form = _action(officer, "Họp xác định nhu cầu, biện pháp")
    form.get_by_label("Ngày họp").fill(TODAY.isoformat())
    form.get_by_label("Thành phần").fill(STEPS["participants"])
    form.get_by_label("Kết luận về nhu cầu, biện pháp").fill(STEPS["decisions"])
    form.get_by_role("button", name="Họp xác định nhu cầu, biện pháp").click()
    expect(officer.locator(".status-pill")).to_have_text("Đã họp xác định nhu cầu")

    officer.get_by_role("link", name="Lập, sửa kế hoạch hỗ trợ, can thiệp").click()
    officer.get_by_label("Mục tiêu của kế hoạch").fill(STEPS["goals"])
    row = officer.locator("fieldset.plan-item").filter(has_text="Dòng 1")
    row.get_by_label("Dịch vụ, hoạt động").fill(STEPS["service"])
    row.get_by_label("Cấp độ bảo vệ").select_option(label="Can thiệp (Điều 50)")
    row.get_by_label("Biện pháp bảo vệ (Luật Trẻ em, Điều 48–50)").select_option("50.2.a")
    row.get_by_label("Cơ quan chịu trách nhiệm").select_option(label=people.police_agency_a.name)
    row.get_by_label("Người chịu trách nhiệm").fill(STEPS["responsible_person"])
    row.get_by_label("Ngày bắt đầu").fill(TODAY.isoformat())
    row.get_by_label("Ngày dự kiến kết thúc").fill((TODAY + datetime.timedelta(days=60)).isoformat())
    row.get_by_label("Dự toán kinh phí (đồng)").fill("3200000")
    officer.get_by_role("button", name="Lưu và trình phê duyệt").click()
    expect(officer.locator(".status-pill")).to_have_text("Đã xây dựng kế hoạch, chờ phê duyệt")

    # --- The chair is told, and approves from the "Việc cần làm" panel -------------------------------------------
    assert Notification.objects.filter(recipient=people.chair_a1, kind="plan_submitted", read_at=None).exists()
    chair = browser_pages.new_page(viewport=PHONE)
    log_in(chair, base, "chair_a1")
    expect(chair.locator("#notification-bell")).to_be_visible()
    todo = chair.locator("#todo")
    group = todo.locator("#todo-plans")
    expect(group).to_contain_text("Kế hoạch chờ phê duyệt")
    expect(group.locator(".todo-count")).to_have_text("1")
    screenshot(chair, "done-chair-todo-390")
    assert _sideways(chair) == 0
    group.get_by_role("link", name=case.case_number).click()
    expect(chair.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {case.case_number}")
    # Opening the case read the notification that pointed to it.
    assert not Notification.objects.filter(recipient=people.chair_a1, kind="plan_submitted", read_at=None).exists()
    form = _action(chair, "Phê duyệt kế hoạch")
    form.get_by_label("Số quyết định phê duyệt").fill(STEPS["approval_number"])
    form.get_by_role("button", name="Phê duyệt kế hoạch").click()
    expect(chair.locator(".status-pill")).to_have_text("Kế hoạch đã được phê duyệt")
    chair.goto(f"{base}/")
    expect(chair.locator("#todo-plans")).to_have_count(0)

    # --- The officer is told ---------------------------------------------------------------------------------------
    officer.goto(f"{base}/notifications/")
    expect(officer.locator("main")).to_contain_text(f"Hồ sơ {case.case_number}: kế hoạch đã được phê duyệt")

    # --- The case page shows every value typed ------------------------------------------------------------------
    officer.goto(f"{base}/cases/{case.pk}/")
    content = officer.locator("#content")
    for value in (*INTAKE.values(), *STEPS.values(), "Tày", "Dâm ô", BORN.strftime("%d/%m/%Y")):
        expect(content).to_contain_text(value)
    screenshot(officer, "done-case-page-390")
    assert _sideways(officer) == 0

    # --- Mẫu 01 and the whole file, in one font -----------------------------------------------------------------
    officer.get_by_role("link", name="In biểu mẫu, hồ sơ").click()
    form_01 = _download(officer, officer.locator(".print-list a", has_text="Mẫu 01"))
    text_01 = pdf_text(form_01, tmp_path, "mau-01")
    for value in (*INTAKE.values(), "Tày", "Dâm ô", BORN.strftime("%d/%m/%Y")):
        assert value in text_01, value
    whole = _download(officer, officer.get_by_role("link", name="Tải toàn bộ hồ sơ (PDF)"))
    text_whole = pdf_text(whole, tmp_path, "whole")
    for value in (*INTAKE.values(), *STEPS.values()):
        assert value in text_whole, value
    for pdf in (form_01, whole):
        fonts = pdf_fonts(pdf, tmp_path)
        assert fonts and all(any(ok in font for ok in ALLOWED_FONTS) for font in fonts), fonts

    # --- The date of birth is corrected with a reason; the history shows old → new ----------------------------
    officer.goto(f"{base}/cases/{case.pk}/")
    officer.get_by_role("link", name="Sửa thông tin về trẻ").click()
    officer.get_by_label("Ngày sinh").fill(CORRECTED_BORN.isoformat())
    officer.get_by_role("button", name="Lưu thay đổi").click()
    expect(officer.locator(".field-errors")).to_contain_text("lý do")  # the reason is required; the date is kept
    expect(officer.get_by_label("Ngày sinh")).to_have_value(CORRECTED_BORN.isoformat())
    # A refused form answers 400, as every refused form of the app does; the browser logs that status.
    browser_pages.console_errors[:] = [e for e in browser_pages.console_errors if "status of 400" not in e]
    officer.get_by_label("Lý do sửa").fill(REASON)
    officer.get_by_role("button", name="Lưu thay đổi").click()
    history = officer.locator("#history")
    entry = history.locator("li.correction").filter(has_text="Ngày sinh")
    expect(entry.locator(".old-value")).to_contain_text(BORN.strftime("%d/%m/%Y"))
    expect(entry.locator(".new-value")).to_contain_text(CORRECTED_BORN.strftime("%d/%m/%Y"))
    expect(entry).to_contain_text(REASON)
    expect(officer.locator("#child")).to_contain_text(CORRECTED_BORN.strftime("%d/%m/%Y"))
    history.scroll_into_view_if_needed()
    screenshot(officer, "done-case-history-390")
    assert _sideways(officer) == 0
