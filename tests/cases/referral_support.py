"""Shared fixtures of the test_referrals_* and test_transfers modules (no tests here).

Beyond the shared personas: a health agency of province A with its focal point (another agency: must see nothing
of the police's referrals), a second focal point of the police, and an officer of commune B1 (another province).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from unittest import mock

import pytest
from django.utils import timezone

from cases.models import Case, Referral
from cases.services.intake import CaregiverInput, CaseInput, ChildInput, ReporterInput, do_create_case
from cases.services.referrals import do_create_referral
from childprotect.models import Agency, User
from childprotect.roles import Role
from childprotect.services import do_create_agency, do_create_user
from tests.personas import PASSWORD, Personas

CHILD_NAME = "Lò Thị Mai Anh"
REPORTER_NAME = "Trần Văn Báo Tin"
REPORTER_PHONE = "0912 345 678"
CAREGIVER_NAME = "Lò Văn Cường"
CAREGIVER_PHONE = "0987 111 222"
SUMMARY = "Hàng xóm báo trẻ bị người quen xâm hại tại nhà."


@dataclass
class More:
    health_agency: Agency
    health_a: User
    police_a2: User
    officer_b1: User
    chair_b1: User


@pytest.fixture
def more(personas: Personas) -> More:
    health = do_create_agency(
        acting_user=None, code="YT-19", name="Bệnh viện Đa khoa Thái Nguyên", sector="health", unit=personas.province_a
    )

    def user(username: str, role: str, **where: Any) -> User:
        return do_create_user(
            acting_user=None,
            username=username,
            role=role,
            password=PASSWORD,
            email=f"{username}@example.invalid",
            **where,
        )

    return More(
        health_agency=health,
        health_a=user("health_a", Role.AGENCY_FOCAL_POINT, agency=health),
        police_a2=user("police_a2", Role.AGENCY_FOCAL_POINT, agency=personas.police_agency_a),
        officer_b1=user("officer_b1", Role.COMMUNE_OFFICER, unit=personas.commune_b1),
        chair_b1=user("chair_b1", Role.COMMUNE_CHAIR, unit=personas.commune_b1),
    )


@pytest.fixture(autouse=True)
def _no_broker():
    """Emails are queued after commit; a test that wants a worker or a broken broker patches this itself."""
    with mock.patch("childprotect.tasks.deliver_email_task.delay"):
        yield


def make_case(
    personas: Personas,
    *,
    forms: list[str] | None = None,
    commune: Any = None,
    kind: str = "abuse",
    subtypes: list[str] | None = None,
    accident: tuple[str, str] | None = None,
) -> Case:
    return do_create_case(
        acting_user=personas.officer_a1 if commune is None else personas.officer_a2,
        child=ChildInput(
            full_name=CHILD_NAME,
            commune=commune or personas.commune_a1,
            age_years=11,
            sex="female",
            id_number="019212345678",
        ),
        case=CaseInput(
            kind=kind,
            received_at=timezone.now() - datetime.timedelta(hours=1),
            abuse_forms=forms if forms is not None else (["sexual_abuse"] if kind == "abuse" else []),
            abuse_subtypes=subtypes or [],
            accident_type=accident[0] if accident else "",
            accident_outcome=accident[1] if accident else "",
            summary=SUMMARY,
        ),
        reporter=ReporterInput(channel="phone", name=REPORTER_NAME, phone=REPORTER_PHONE, relationship="Hàng xóm"),
        caregivers=[CaregiverInput(CAREGIVER_NAME, "Bố", phone=CAREGIVER_PHONE, address="Tổ 5")],
    )


def refer(personas: Personas, case: Case, *, agency: Agency | None = None, **overrides: Any) -> Referral:
    kwargs: dict[str, Any] = {
        "reason": "Đề nghị công an tiếp nhận tin báo và xác minh.",
        "services": "Xác minh; ngăn chặn hành vi xâm hại.",
        "urgency": "immediate",
    }
    kwargs.update(overrides)
    user = kwargs.pop("user", personas.officer_a1)
    return do_create_referral(acting_user=user, case=case, agency=agency or personas.police_agency_a, **kwargs)


@pytest.fixture
def case_a1(personas: Personas) -> Case:
    return make_case(personas)


@pytest.fixture
def referral(personas: Personas, case_a1: Case) -> Referral:
    return refer(personas, case_a1)
