"""Not collected by default: renders the annual report of the demo province (Thái Nguyên with its 92 real
communes, the demo agencies, cases in a dozen communes) to tests/.artifacts/demo-annual-*.pdf, for a person to
look at and to count pages. Run it by path:

    make test ARGS="tests/reporting/render_demo_report.py -q -s"

then `pdfinfo tests/.artifacts/demo-annual-draft.pdf` and `pdftoppm -png -r 60 … /tmp/demo`."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from childprotect.models import AdministrativeUnit, User
from childprotect.models.units import UnitKind
from reporting.models import ReportRun
from tests.reporting.conftest import CALENDAR_YEAR
from tests.reporting.factories import at, bulk_cases

pytestmark = pytest.mark.django_db(transaction=False)

YEAR = 2025
ARTIFACTS = Path(settings.BASE_DIR) / "tests" / ".artifacts"


def test_render_the_demo_province_annual_report(
    django_capture_on_commit_callbacks, settings, tmp_path, monkeypatch
) -> None:
    import time

    import reporting.render_pdf as render_module
    from childprotect.celery import app

    timings: list[float] = []
    if hasattr(render_module, "render_official_pdf"):
        original = render_module.render_official_pdf

        def timed(html: str) -> bytes:
            start = time.perf_counter()
            try:
                return original(html)
            finally:
                timings.append(time.perf_counter() - start)

        monkeypatch.setattr(render_module, "render_official_pdf", timed)
    from reporting.models import ReportSchedule
    from reporting.services import do_lock_report, do_request_report

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    app.conf.task_always_eager = True
    call_command("load_admin_units", "--province", "19", verbosity=0)
    call_command("load_demo_data", "--allow-production", verbosity=0)
    ReportSchedule.objects.filter(kind="annual").update(**CALENDAR_YEAR)
    province = AdministrativeUnit.objects.current().get(kind=UnitKind.PROVINCE, code="19")
    communes = list(AdministrativeUnit.objects.current().filter(parent=province, kind=UnitKind.COMMUNE)[:12])
    for index, commune in enumerate(communes):
        bulk_cases(commune, 3 + index, received_at=at(YEAR, 1 + index % 12, 10), forms=["sexual_abuse"])
        bulk_cases(commune, 1 + index % 3, received_at=at(YEAR, 6, 15), forms=["violence"], setting="family")
        if index % 2:
            bulk_cases(
                commune,
                2,
                received_at=at(YEAR, 7, 1),
                kind="accident",
                accident_type="drowning",
                accident_outcome="death",
                sex="male",
                birth_year=YEAR - 8,
            )
        if index % 3 == 0:
            bulk_cases(
                commune,
                2,
                received_at=at(YEAR, 4, 2),
                kind="special_circumstance",
                special_groups=["a"],
                birth_year=YEAR - 6,
            )
    officer = User.objects.filter(role="province_officer", unit=province).first()
    with django_capture_on_commit_callbacks(execute=True):
        run = do_request_report(acting_user=officer, kind="annual", year=YEAR, unit=province, document_number="12")
    run = ReportRun.objects.get(pk=run.pk)
    assert run.status == "ready", run.error
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    draft = ARTIFACTS / "demo-annual-draft.pdf"
    draft.write_bytes(run.pdf.read())
    if hasattr(run, "signed_pdf"):
        run = do_lock_report(acting_user=officer, run=run)
        (ARTIFACTS / "demo-annual-locked.pdf").write_bytes(run.pdf.read())
    info = subprocess.run(["pdfinfo", str(draft)], capture_output=True, check=True, text=True).stdout
    print("\n" + next(line for line in info.splitlines() if line.startswith("Pages:")))
    print("WeasyPrint seconds per PDF:", ", ".join(f"{t:.2f}" for t in timings))
