"""What every test package shares: the personas, a logged-in client, and the one builder of a recorded case."""

from __future__ import annotations

import datetime
import subprocess
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from cases.models import Case
from cases.services.intake import CaregiverInput, CaseInput, ChildInput, ReporterInput, do_create_case
from tests.personas import Personas, build_personas

REPORTER_NAME = "Trần Văn Báo Tin"
REPORTER_PHONE = "0912 345 678"
SUMMARY = "Hàng xóm báo trẻ bị đánh nhiều lần."


@pytest.fixture(autouse=True)
def _summaries_equal_the_cases(request):
    """After every test that wrote cases (in a database test), the dashboard's summary tables must still equal
    the cases they sum (reporting/summaries.py: the drift check of manage.py check_figures). Cheap: one EXISTS
    when the test left no case, otherwise a recount of the few cases a test makes."""
    marker = request.node.get_closest_marker("django_db")
    uses_db = "db" in request.fixturenames or (marker is not None and not marker.kwargs.get("transaction"))
    if not uses_db or "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        yield
        return
    request.getfixturevalue("db")
    yield
    from django.db import connection

    from reporting.models import SummaryDirtyChild
    from reporting.summaries import drift

    if connection.needs_rollback:  # the test failed inside a transaction: its own error says enough
        return
    if not Case.objects.exists() and not SummaryDirtyChild.objects.exists():
        return
    result = drift()
    assert result.ok, f"summary tables drifted from the cases: {result.differences[:5]}, {result.stale_states} stale"


@pytest.fixture(scope="session", autouse=True)
def _flush_past_the_audit_trigger():
    """The audit table refuses TRUNCATE to everyone (a statement trigger, migration 0006), and Django empties the
    database with TRUNCATE after each transactional test (live_server, fault tests). Only that flush, as the
    test server's superuser, skips triggers for its own transaction; every test still meets the trigger."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        statements = original(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return ["SET LOCAL session_replication_role = replica", *statements] if statements else statements

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = original


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings: object) -> None:
    # For speed: a cheap hasher; and no real cache/broker between tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}  # type: ignore[attr-defined]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # type: ignore[attr-defined]
    # Every locmem cache shares one store per process: start each test without another test's rate-limit counts.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    # Django leaves the last request's language active in the thread; each test starts in Vietnamese.
    from django.conf import settings
    from django.utils import translation

    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def personas(db: None) -> Personas:
    return build_personas()


@pytest.fixture
def client_for():
    """client_for(user) → a test Client logged in as that user, second factor done where required."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        if user.requires_second_factor:
            from django_otp import DEVICE_ID_SESSION_KEY
            from django_otp.plugins.otp_totp.models import TOTPDevice

            device, _ = TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "test"})
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        return client

    return make


def make_case(
    user: Any,
    commune: Any,
    name: str = "Nguyễn Thị Hương",
    *,
    kind: str = "abuse",
    forms: list[str] | None = None,
    subtypes: list[str] | None = None,
    accident: tuple[str, str] | None = None,
    received_at: datetime.datetime | None = None,
    at_receipt: bool = False,
    id_number: str = "",
    age: int | None = 9,
    sex: str = "female",
    immediate_danger: bool = False,
    summary: str = SUMMARY,
    reporter: ReporterInput | None = None,
    caregivers: list[CaregiverInput] | None = None,
) -> Case:
    """A case recorded through the real intake service, as `user` in `commune` (every test builds its cases
    here). An abuse case is violence unless `forms` say otherwise; `accident` is (type, outcome); `at_receipt`
    records it at the moment it was received (the clock travels there), for tests of the statutory deadlines."""
    received_at = received_at or timezone.now() - datetime.timedelta(hours=1)
    if forms is None:
        forms = ["violence"] if kind == "abuse" else []

    def record() -> Case:
        return do_create_case(
            acting_user=user,
            child=ChildInput(full_name=name, commune=commune, age_years=age, sex=sex, id_number=id_number),
            case=CaseInput(
                kind=kind,
                received_at=received_at,
                abuse_forms=forms,
                abuse_subtypes=subtypes or [],
                accident_type=accident[0] if accident else "",
                accident_outcome=accident[1] if accident else "",
                immediate_danger=immediate_danger,
                summary=summary,
            ),
            reporter=reporter
            or ReporterInput(channel="phone", name=REPORTER_NAME, phone=REPORTER_PHONE, relationship="Hàng xóm"),
            caregivers=caregivers,
        )

    if at_receipt:
        with time_machine.travel(received_at, tick=False):
            return record()
    return record()


# --- Reading a printed PDF (poppler-utils): its text, and the fonts it embeds -------------------------------------

# A Times-compatible font with every Vietnamese letter (TEAM.md); anything else in `pdffonts` is a fallback.
ALLOWED_FONTS = ("LiberationSerif", "Tinos")


def pdf_text(pdf: bytes, tmp_path: Path, name: str = "doc") -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True)
    return " ".join(out.stdout.split())


def pdf_fonts(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout
    return [line.split()[0] for line in out.splitlines()[2:] if line.strip()]
