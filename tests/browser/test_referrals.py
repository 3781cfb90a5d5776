"""The referral handshake in Chromium (the issue's "Done when"): a commune officer refers a sexual-abuse case to
the police from the case page (picking the agency by sector, the list narrowed by htmx); the police focal point
sees the bell count, opens the inbox, accepts, and completes with an outcome; the officer sees the outcome on the
case timeline. The focal point never gets the case page, nor the reporter.

A worker is simulated by running each queued email at once (the broker is not part of this test; the broker-down
case is tests/cases/test_referrals_outbox.py)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from cases.models import Case, Referral
from cases.services.intake import CaregiverInput, CaseInput, ChildInput, ReporterInput, do_create_case
from childprotect.notifications import deliver_email
from tests.browser.conftest import PHONE, BrowserPages, log_in
from tests.personas import Personas, build_personas

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/referrals-shots")  # noqa: S108 (screenshots for a human to look at, not secrets)
CHILD = "Hà Thị Ngọc"
REPORTER = "Đinh Văn Báo"
REPORTER_PHONE = "0904 555 666"
OUTCOME = "Đã tiếp nhận tin báo, lấy lời khai và khởi tố vụ án; trẻ được đưa đi giám định."


@pytest.fixture
def people(transactional_db: None) -> Personas:
    return build_personas()


@pytest.fixture
def case(people: Personas) -> Case:
    return do_create_case(
        acting_user=people.officer_a1,
        child=ChildInput(full_name=CHILD, commune=people.commune_a1, age_years=12, sex="female"),
        case=CaseInput(
            kind="abuse",
            received_at=timezone.now() - datetime.timedelta(hours=2),
            abuse_forms=["sexual_abuse"],
            summary="Trẻ bị người quen xâm hại tình dục.",
        ),
        reporter=ReporterInput(channel="phone", name=REPORTER, phone=REPORTER_PHONE, relationship="Giáo viên"),
        caregivers=[CaregiverInput("Hà Văn Tâm", "Bố", phone="0911 000 111")],
    )


@pytest.fixture(autouse=True)
def _worker() -> Iterator[None]:
    with mock.patch("childprotect.tasks.deliver_email_task.delay", side_effect=deliver_email):
        yield


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _nav(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Điều hướng chính")


def test_an_officer_refers_a_case_to_the_police_who_accept_and_complete_it(
    browser_pages: BrowserPages, live_server, people: Personas, case: Case
) -> None:
    base = live_server.url

    # --- 1. The officer refers the case from its page ------------------------------------------------------------
    officer = browser_pages.new_page()
    log_in(officer, base, "officer_a1")
    officer.goto(f"{base}/cases/{case.pk}/")
    alert = officer.locator(".required-step")
    expect(alert).to_contain_text("Phải thông báo ngay cho cơ quan công an")
    expect(alert.get_by_role("link", name="Chuyển gửi cơ quan công an ngay")).to_be_visible()
    section = officer.locator("#referrals")
    expect(section).to_contain_text("Hồ sơ chưa được chuyển gửi tới cơ quan nào.")
    form = section.locator("form.referral-form")
    agency = form.get_by_label("Cơ quan nhận")
    expect(agency.locator("option", has_text="Công an tỉnh Thái Nguyên")).to_have_count(1)
    form.get_by_label("Lĩnh vực").select_option(label="Y tế")  # htmx narrows the list: no health agency here
    expect(form.locator("#referral-agency-field")).to_contain_text("Không có cơ quan nào")
    form.get_by_label("Lĩnh vực").select_option(label="Công an")
    expect(form.get_by_label("Cơ quan nhận").locator("option", has_text="Công an tỉnh Thái Nguyên")).to_have_count(1)
    form.get_by_label("Cơ quan nhận").select_option(value="CA-19")
    form.get_by_label("Ngay lập tức").check()
    form.get_by_label("Lý do chuyển gửi").fill("Trẻ 12 tuổi nghi bị xâm hại tình dục; đề nghị xác minh ngay.")
    form.get_by_label("Dịch vụ đề nghị").fill("Tiếp nhận tin báo; ngăn chặn; phối hợp giám định.")
    shot(officer, "1-officer-referral-form")
    form.get_by_role("button", name="Gửi chuyển gửi").click()

    expect(officer).to_have_url(re.compile(rf"/cases/{case.pk}/#referrals$"))
    expect(officer.locator(".messages")).to_contain_text("Đã chuyển gửi tới Công an tỉnh Thái Nguyên")
    expect(officer.locator(".required-step")).to_have_count(0)  # the police step is met
    expect(officer.locator("#referrals tbody tr")).to_have_count(1)
    expect(officer.locator("#referrals tbody")).to_contain_text("Đã gửi, chờ phản hồi")
    shot(officer, "2-officer-case-after-referral")
    referral = Referral.objects.get()
    assert [m.to for m in mail.outbox] == [["police_a@example.invalid"]]
    assert CHILD not in mail.outbox[0].body and REPORTER not in mail.outbox[0].body

    # --- 2. The police focal point: the bell, the inbox, accept, complete ------------------------------------------
    police = browser_pages.new_page()
    log_in(police, base, "police_a")
    bell = police.locator("#notification-bell")
    expect(bell.locator(".badge")).to_have_text("1")
    expect(police.get_by_role("heading", name="Hộp chuyển gửi")).to_be_visible()  # the home panel
    shot(police, "3-police-home-bell")
    bell.click()
    expect(police.get_by_role("main")).to_contain_text(case.case_number)
    _nav(police).get_by_role("link", name="Hộp chuyển gửi").click()
    expect(police.get_by_role("heading", level=1)).to_have_text("Hộp chuyển gửi")
    shot(police, "4-police-inbox")
    police.get_by_role("link", name=case.case_number).click()
    expect(police.get_by_role("heading", level=1)).to_contain_text(f"Chuyển gửi hồ sơ {case.case_number}")
    main = police.get_by_role("main")
    expect(main).to_contain_text(CHILD)  # the need-to-know view for the police
    expect(main).not_to_contain_text(REPORTER)
    expect(main).not_to_contain_text(REPORTER_PHONE)
    shot(police, "5-police-referral")
    police.get_by_role("button", name="Tiếp nhận").click()
    expect(police.locator(".messages")).to_contain_text("Đã tiếp nhận chuyển gửi.")
    expect(police.locator(".status-pill")).to_have_text("Đã tiếp nhận")

    police.locator("summary", has_text="Hoàn thành").click()
    police.get_by_role("button", name="Hoàn thành chuyển gửi").click()  # empty: refused, next to the field
    expect(police.locator("#id_complete_outcome_error")).to_contain_text("Lỗi")
    police.get_by_label("Kết quả").fill(OUTCOME)
    police.get_by_role("button", name="Hoàn thành chuyển gửi").click()
    expect(police.locator(".status-pill")).to_have_text("Đã hoàn thành")
    expect(police.get_by_role("button", name="Tiếp nhận")).to_have_count(0)  # closed: no more answers
    shot(police, "6-police-completed")
    # The case file itself stays closed to the agency.
    response = police.goto(f"{base}/cases/{case.pk}/")
    assert response is not None and response.status == 404
    # The browser reports the two expected answers (the refused empty outcome: 400; the case page: 404) as console
    # errors; nothing else may be there.
    expected = ("400 (Bad Request)", "404 (Not Found)")
    browser_pages.console_errors[:] = [e for e in browser_pages.console_errors if not e.endswith(expected)]

    # --- 3. The officer sees the outcome on the case timeline ----------------------------------------------------
    officer.goto(f"{base}/")
    expect(officer.locator("#notification-bell .badge")).to_have_text("2")  # accepted, completed
    officer.goto(f"{base}/cases/{case.pk}/")
    entry = officer.locator("#timeline li.timeline-item").filter(has_text="đã hoàn thành chuyển gửi")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("Công an tỉnh Thái Nguyên")
    expect(entry.locator(".timeline-note-text")).to_have_text(OUTCOME)
    expect(officer.locator("#referrals tbody")).to_contain_text("Đã hoàn thành")
    shot(officer, "7-officer-timeline-outcome")
    referral.refresh_from_db()
    assert referral.status == "completed" and referral.outcome == OUTCOME


def test_the_inbox_on_a_phone(browser_pages: BrowserPages, live_server, people: Personas, case: Case) -> None:
    from cases.services.referrals import do_create_referral

    do_create_referral(
        acting_user=people.officer_a1,
        case=case,
        agency=people.police_agency_a,
        reason="Đề nghị xác minh.",
        urgency="immediate",
    )
    police = browser_pages.new_page(viewport=PHONE)
    log_in(police, live_server.url, "police_a")
    police.goto(f"{live_server.url}/cases/referrals/")
    expect(police.locator("table")).to_contain_text(case.case_number)
    shot(police, "8-police-inbox-phone")
    police.get_by_role("link", name=case.case_number).click()
    expect(police.get_by_role("button", name="Tiếp nhận")).to_be_visible()
    shot(police, "9-police-referral-phone")


def test_the_receiving_commune_accepts_a_transfer(
    browser_pages: BrowserPages, live_server, people: Personas, case: Case
) -> None:
    """Transfer is a handshake too: the case moves only when the receiving commune's officer accepts."""
    base = live_server.url
    sender = browser_pages.new_page()
    log_in(sender, base, "officer_a1")
    sender.goto(f"{base}/cases/{case.pk}/")
    panel = sender.locator("#workflow details.workflow-action").filter(
        has=sender.locator("summary", has_text="Đề nghị chuyển hồ sơ sang xã khác")
    )
    panel.locator("summary").click()
    panel.get_by_label("Mã xã, phường nhận hồ sơ").fill(people.commune_a2.code)
    panel.get_by_label("Lý do chuyển").fill("Gia đình chuyển về xã Đại Phúc sinh sống.")
    panel.get_by_role("button", name="Đề nghị chuyển hồ sơ sang xã khác").click()
    expect(sender.get_by_role("main")).to_contain_text("Đang chờ Xã Đại Phúc đồng ý nhận hồ sơ")
    shot(sender, "10-transfer-pending-case-page")

    receiver = browser_pages.new_page()
    log_in(receiver, base, "officer_a2")
    expect(receiver.get_by_role("heading", name="Hồ sơ chuyển đến")).to_be_visible()  # the home panel
    _nav(receiver).get_by_role("link", name="Chuyển hồ sơ giữa các xã").click()
    receiver.get_by_role("link", name=case.case_number).click()
    expect(receiver.get_by_role("main")).to_contain_text(CHILD)
    expect(receiver.get_by_role("main")).not_to_contain_text(REPORTER)
    shot(receiver, "11-transfer-receiving-side")
    receiver.get_by_role("button", name="Đồng ý nhận hồ sơ").click()
    expect(receiver).to_have_url(f"{base}/cases/{case.pk}/")
    expect(receiver.locator("#timeline")).to_contain_text(
        "Xã Đại Phúc đã nhận hồ sơ (chuyển từ Phường Phan Đình Phùng)"
    )
    shot(receiver, "12-transfer-accepted-case-page")
    case.refresh_from_db()
    assert case.commune == people.commune_a2
