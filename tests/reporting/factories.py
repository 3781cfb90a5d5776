"""Known cases, written in bulk (the figures are what is tested here, not intake): every derived column is
filled the way the intake service fills it (unit_path, province, case number, created_at = received_at)."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.utils import timezone

from cases.models import Case, Child

_numbers = itertools.count(1)


def at(year: int, month: int, day: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=timezone.get_current_timezone())


def bulk_cases(
    commune: Any,
    count: int,
    *,
    received_at: datetime.datetime,
    kind: str = "abuse",
    forms: list[str] | None = None,
    subtypes: list[str] | None = None,
    setting: str = "",
    special_groups: list[str] | None = None,
    accident_type: str = "",
    accident_outcome: str = "",
    status: str = "received",
    sex: str = "female",
    date_of_birth: datetime.date | None = None,
    birth_year: int | None = None,
    ethnicity_code: str = "01",
    next_deadline_at: datetime.datetime | None = None,
    next_deadline_step: str = "",
    incident_commune: Any = None,
) -> list[Case]:
    province = commune.province()
    children = Child.objects.bulk_create(
        [
            Child(
                full_name=f"Trẻ {index}",
                name_search=f"tre {index}",
                name_sort=f"tre {index}",
                sex=sex,
                date_of_birth=date_of_birth,
                birth_year=birth_year,
                ethnicity_code=ethnicity_code,
                commune=commune,
                unit_path=commune.path,
            )
            for index in range(count)
        ]
    )
    cases = Case.objects.bulk_create(
        [
            Case(
                case_number=f"{province.code}-{received_at.year}-{900000 + next(_numbers):06d}",
                child=child,
                kind=kind,
                abuse_forms=forms if forms is not None else (["violence"] if kind == "abuse" else []),
                abuse_subtypes=subtypes or [],
                special_groups=special_groups or [],
                setting=setting,
                accident_type=accident_type,
                accident_outcome=accident_outcome,
                received_at=received_at,
                commune=commune,
                province=province,
                unit_path=commune.path,
                status=status,
                next_deadline_at=next_deadline_at,
                next_deadline_step=next_deadline_step,
                incident_commune=incident_commune,
            )
            for child in children
        ]
    )
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(created_at=received_at)
    return cases
