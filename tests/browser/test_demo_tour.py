"""The demo province as a newcomer meets it: each demo login's home at phone and laptop width (tests/.artifacts/
demo-home-<user>-<width>.png, for a human to look at), and the README's four screenshots (docs/screenshots/):
a case file, the province dashboard, the directive board and the first page of the locked annual report."""

from __future__ import annotations

import base64
import datetime
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from cases.models import Case
from childprotect.models import User
from reporting.models import ReportRun
from tests.browser.conftest import PHONE, log_in

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "demo-Matkhau-2025"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WIDE = {"width": 1366, "height": 900}


@pytest.fixture
def demo(transactional_db: None, settings) -> None:
    settings.DEBUG = True
    call_command("load_admin_units", "--province", "19", "--province", "01", stdout=StringIO())
    call_command("load_demo_data", stdout=StringIO())
    settings.DEBUG = False


def _sign_in(page, base: str, user: User) -> None:
    if user.requires_second_factor:
        TOTPDevice.objects.filter(user=user).delete()
        log_in(page, base, user.username, DEMO_PASSWORD)
        # The first login enrols the authenticator, reading the secret off the page.
        page.wait_for_url("**/login/setup-2fa/**")
        secret = page.locator("#otp-secret").inner_text().replace(" ", "")
        key = base64.b32decode(secret + "=" * (-len(secret) % 8))
        page.get_by_label("Mã xác thực (6 chữ số)").fill(f"{totp(key):06d}")
        page.get_by_role("button", name="Xác nhận").click()
    else:
        log_in(page, base, user.username, DEMO_PASSWORD)
    expect(page).to_have_url(f"{base}/")


def test_each_demo_login_lands_on_work_and_the_readme_shots(demo, browser_pages, live_server, screenshot) -> None:
    base = live_server.url
    DOCS.mkdir(parents=True, exist_ok=True)
    for user in User.objects.filter(username__startswith="demo_").order_by("username"):
        for name, viewport in (("390", PHONE), ("1366", WIDE)):
            page = browser_pages.new_page(viewport=viewport)
            _sign_in(page, base, user)
            expect(page.locator("main")).to_be_visible()
            screenshot(page, f"demo-home-{user.username}-{name}")
            page.context.close()

    officer = User.objects.get(username="demo_xa")
    province = User.objects.get(username="demo_tinh")
    page = browser_pages.new_page(viewport=WIDE)
    _sign_in(page, base, officer)
    case = Case.objects.visible_to(officer).filter(status="in_progress").order_by("-received_at").first()
    assert case is not None
    page.goto(f"{base}/cases/{case.pk}/")
    page.screenshot(path=str(DOCS / "case-file.png"), full_page=False)

    page = browser_pages.new_page(viewport=WIDE)
    _sign_in(page, base, province)
    start = (timezone.localdate() - datetime.timedelta(days=730)).replace(day=1)
    page.goto(f"{base}/reports/dashboard/?from={start.isoformat()}&to={timezone.localdate().isoformat()}")
    page.screenshot(path=str(DOCS / "dashboard.png"), full_page=False)
    page.goto(f"{base}/directives/board/")
    page.screenshot(path=str(DOCS / "directive-board.png"), full_page=False)

    annual = ReportRun.objects.visible_to(province).filter(kind="annual", status="locked").first()
    assert annual is not None and annual.pdf
    if shutil.which("pdftoppm"):
        target = DOCS / "annual-report"
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", annual.pdf.path, str(target)],
            check=True,
        )
        assert (DOCS / "annual-report.png").exists()
