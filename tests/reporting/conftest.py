"""Fixtures of the reporting tests: a province with known figures, eager Celery, throwaway private storage."""

from __future__ import annotations

import datetime
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.personas import Personas
from tests.reporting.factories import at, bulk_cases

YEAR = 2024


@pytest.fixture
def eager_celery() -> Any:
    from childprotect.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = saved


@pytest.fixture
def report_storage(settings: Any, tmp_path: Any) -> Any:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    return tmp_path


@dataclass
class KnownYear:
    """Province A (19) in YEAR: 33 sexual-abuse cases, 21 drowning deaths, 11 traffic-accident deaths and a
    few more, with cases around it that must NOT be counted (another province, another year, a draft)."""

    start: datetime.date
    end: datetime.date


def build_known_year(p: Personas) -> KnownYear:
    a1, a2 = p.commune_a1, p.commune_a2
    # Sexual abuse: 20 in A1 (girls, 9 years old: born 2015, Kinh), 13 in A2 (boys of the Tày group, date of
    # birth known: 12 years old at receipt); 5 of the A2 ones also violence; school setting in A2.
    bulk_cases(
        a1,
        20,
        received_at=at(YEAR, 3, 10),
        forms=["sexual_abuse"],
        subtypes=["sexual_abuse.molestation"],
        setting="family",
        sex="female",
        birth_year=YEAR - 9,
        incident_commune=a1,
    )
    bulk_cases(
        a2,
        8,
        received_at=at(YEAR, 8, 2),
        forms=["sexual_abuse"],
        setting="school",
        sex="male",
        date_of_birth=datetime.date(YEAR - 12, 1, 15),
        ethnicity_code="02",
        incident_commune=a2,
    )
    bulk_cases(
        a2,
        5,
        received_at=at(YEAR, 12, 30, 23),
        forms=["sexual_abuse", "violence"],
        setting="school",
        sex="male",
        date_of_birth=datetime.date(YEAR - 12, 1, 15),
        ethnicity_code="02",
        status="closed",
    )
    # Accidents: 21 drowning deaths, 11 traffic deaths, 4 traffic injuries (injuries: unknown sex).
    bulk_cases(
        a1,
        21,
        received_at=at(YEAR, 6, 15),
        kind="accident",
        accident_type="drowning",
        accident_outcome="death",
        sex="male",
        birth_year=YEAR - 7,
        incident_commune=a1,
    )
    bulk_cases(
        a2,
        11,
        received_at=at(YEAR, 9, 1),
        kind="accident",
        accident_type="traffic",
        accident_outcome="death",
        sex="female",
        birth_year=YEAR - 14,
        incident_commune=a2,
    )
    bulk_cases(
        a2,
        4,
        received_at=at(YEAR, 9, 2),
        kind="accident",
        accident_type="traffic",
        accident_outcome="injury",
        sex="unknown",
        birth_year=YEAR - 14,
    )
    # Special circumstances: 6 orphans (group a), 2 of them with an approved plan; 3 disabled (group d).
    bulk_cases(
        a1, 4, received_at=at(YEAR, 4, 1), kind="special_circumstance", special_groups=["a"], birth_year=YEAR - 5
    )
    bulk_cases(
        a1,
        2,
        received_at=at(YEAR, 4, 2),
        kind="special_circumstance",
        special_groups=["a"],
        status="in_progress",
        birth_year=YEAR - 5,
    )
    bulk_cases(
        a2, 3, received_at=at(YEAR, 5, 2), kind="special_circumstance", special_groups=["d"], birth_year=YEAR - 16
    )
    # At risk, with an overdue plan step: 2 cases, unknown age.
    bulk_cases(
        a1,
        2,
        received_at=at(YEAR, 11, 20),
        kind="at_risk",
        forms=["neglect"],
        next_deadline_at=at(YEAR, 11, 27),
        next_deadline_step="plan_draft",
    )
    # Not counted: another province, the years before and after, and a draft.
    bulk_cases(p.commune_b1, 7, received_at=at(YEAR, 5, 5), forms=["sexual_abuse"])
    bulk_cases(
        p.commune_b1, 3, received_at=at(YEAR, 5, 5), kind="accident", accident_type="drowning", accident_outcome="death"
    )
    bulk_cases(a1, 4, received_at=at(YEAR - 1, 12, 31, 23), forms=["sexual_abuse"])
    bulk_cases(
        a1, 2, received_at=at(YEAR + 1, 1, 1, 0), kind="accident", accident_type="drowning", accident_outcome="death"
    )
    bulk_cases(a1, 1, received_at=at(YEAR, 7, 7), forms=["sexual_abuse"], status="draft")
    return KnownYear(datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31))


@pytest.fixture
def known_year(personas: Personas) -> KnownYear:
    return build_known_year(personas)


# --- Requesting reports --------------------------------------------------------------------------------------------

CALENDAR_YEAR = {
    "start_day": 1, "start_month": 1, "start_year_offset": 0, "end_day": 31, "end_month": 12, "end_year_offset": 0,
    "cutoff_day": 31, "cutoff_month": 12, "due_day": 31, "due_month": 12,
}  # fmt: skip


@pytest.fixture
def calendar_year_schedule(db):
    """The annual report covers exactly the calendar year."""
    from reporting.models import ReportSchedule

    ReportSchedule.objects.filter(kind="annual").update(**CALENDAR_YEAR)


def request_report(client, unit="19", kind="annual", year=YEAR, **extra):
    return client.post(
        "/api/v1/reports/", {"kind": kind, "year": year, "unit": unit, **extra}, content_type="application/json"
    )


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout
