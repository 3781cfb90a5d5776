"""Shared helpers of the test_browse_* modules (no tests here): cases built through the real intake service."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from cases.models import Case
from cases.services.intake import CaregiverInput, CaseInput, ChildInput, ReporterInput, do_create_case

REPORTER_NAME = "Trần Văn Báo Tin"
REPORTER_PHONE = "0912 345 678"


def make_case(
    user: Any,
    commune: Any,
    name: str = "Nguyễn Thị Hương",
    *,
    kind: str = "abuse",
    forms: list[str] | None = None,
    received_at: datetime.datetime | None = None,
    id_number: str = "",
    age: int | None = 9,
    immediate_danger: bool = False,
    caregivers: list[CaregiverInput] | None = None,
) -> Case:
    return do_create_case(
        acting_user=user,
        child=ChildInput(full_name=name, commune=commune, age_years=age, sex="female", id_number=id_number),
        case=CaseInput(
            kind=kind,
            received_at=received_at or timezone.now() - datetime.timedelta(hours=1),
            abuse_forms=forms if forms is not None else (["violence"] if kind == "abuse" else []),
            immediate_danger=immediate_danger,
            summary="Hàng xóm báo trẻ bị đánh nhiều lần.",
        ),
        reporter=ReporterInput(channel="phone", name=REPORTER_NAME, phone=REPORTER_PHONE, relationship="Hàng xóm"),
        caregivers=caregivers,
    )


@pytest.fixture
def private_storage(settings: Any, tmp_path: Any) -> Any:
    """Attachments go to a throwaway directory."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    return tmp_path
