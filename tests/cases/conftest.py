"""What the case tests share: cases in the shapes the tests need (all built by tests/conftest.py `make_case`), the
procedure's steps as one call each, referrals, the extra people of the referral and transfer tests, and private
storage for attachments.

Fixtures are used by name; the builders and constants below are imported (`from tests.cases.conftest import …`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from cases.models import Case, Referral
from cases.services import workflow as wf
from cases.services.intake import CaregiverInput, ReporterInput
from cases.services.referrals import do_create_referral
from cases.steps import STEPS
from childprotect.models import Agency, User
from childprotect.roles import Role
from childprotect.services import do_create_agency, do_create_user
from tests.conftest import make_case
from tests.personas import PASSWORD, Personas

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = datetime.datetime(2025, 9, 8, 9, 0, tzinfo=HANOI)

# The child of the referral and transfer tests, and what people typed about them: none of it may reach an agency
# that was not referred, a notification, an email or a log line.
CHILD_NAME = "Lò Thị Mai Anh"
CAREGIVER_NAME = "Lò Văn Cường"
CAREGIVER_PHONE = "0987 111 222"
SUMMARY = "Hàng xóm báo trẻ bị người quen xâm hại tại nhà."


def local(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=HANOI)


def end_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(23, 59, 59), tzinfo=HANOI)


# --- Cases -------------------------------------------------------------------------------------------------------


def procedure_case(p: Personas, received_at: datetime.datetime = MONDAY, *, danger: bool = False, commune=None) -> Case:
    """A violence case received at `received_at` (a Monday by default), by the officer of commune A1: the start
    of every test of the procedure and its deadlines."""
    return make_case(
        p.officer_a1,
        commune or p.commune_a1,
        "Nguyễn Thị Lan",
        received_at=received_at,
        at_receipt=True,
        immediate_danger=danger,
        sex="unknown",
        summary="",
        reporter=ReporterInput(channel="phone"),
    )


def referral_case(personas: Personas, *, forms: list[str] | None = None, commune: Any = None, **options: Any) -> Case:
    """The referral tests' case: a sexual-abuse case of commune A1 (or `commune`, by the officer of A2) whose child,
    caregiver and summary are known by name, so that a test can look for them where they must not be."""
    kind = options.pop("kind", "abuse")
    return make_case(
        personas.officer_a1 if commune is None else personas.officer_a2,
        commune or personas.commune_a1,
        CHILD_NAME,
        kind=kind,
        forms=forms if forms is not None else (["sexual_abuse"] if kind == "abuse" else []),
        age=11,
        id_number="019212345678",
        summary=SUMMARY,
        caregivers=[CaregiverInput(CAREGIVER_NAME, "Bố", phone=CAREGIVER_PHONE, address="Tổ 5")],
        **options,
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


# --- The procedure, one call per step ----------------------------------------------------------------------------


def run(action: str, user, case: Case, **kwargs):
    """Take one step (cases/steps.py) from the case's current version."""
    case.refresh_from_db()
    return STEPS[action].service(acting_user=user, case=case, expected_version=case.version, **kwargs)


def item(**overrides) -> wf.PlanItemInput:
    values = {
        "service": "Tư vấn tâm lý cho trẻ",
        "level": "support",
        "measure_code": "49.1.a",
        "start_date": datetime.date(2025, 9, 15),
        "expected_end_date": datetime.date(2025, 10, 10),
        "estimated_cost_vnd": 1_500_000,
    }
    values.update(overrides)
    return wf.PlanItemInput(**values)


def to_needs_meeting(p: Personas, case: Case) -> None:
    run(wf.INITIAL_ASSESSMENT, p.officer_a1, case, harm_level="medium", risk_level="medium", serious_danger=False)
    run(
        wf.DETAILED_ASSESSMENT,
        p.officer_a1,
        case,
        harm_level="medium",
        risk_level="low",
        child_condition="Trẻ sợ hãi",
        needs="Tư vấn tâm lý",
    )
    run(
        wf.NEEDS_MEETING,
        p.officer_a1,
        case,
        held_on=timezone.localdate(),
        participants="Chủ tịch, cán bộ, mẹ của trẻ",
        decisions="Hỗ trợ tâm lý",
    )


def save_plan(p: Personas, case: Case, items=None):
    case.refresh_from_db()
    return wf.do_save_plan(
        acting_user=p.officer_a1, case=case, expected_version=case.version, items=items or [item()], goals="An toàn"
    )


def to_in_progress(p: Personas, case: Case) -> None:
    to_needs_meeting(p, case)
    save_plan(p, case)
    run(wf.SUBMIT_PLAN, p.officer_a1, case)
    run(wf.APPROVE_PLAN, p.chair_a1, case, decision_number="12/QĐ-UBND")
    run(wf.START_IMPLEMENTATION, p.officer_a1, case)


def at(moment: datetime.datetime) -> time_machine.travel:
    return time_machine.travel(moment, tick=False)


# --- Fixtures ------------------------------------------------------------------------------------------------------


@pytest.fixture
def no_broker():
    """Emails are queued after commit; a test that wants a worker or a broken broker patches this itself.
    Modules whose services notify use it: `pytestmark = pytest.mark.usefixtures("no_broker")`."""
    with mock.patch("childprotect.tasks.deliver_email_task.delay"):
        yield


@pytest.fixture
def private_storage(settings: Any, tmp_path: Any) -> Any:
    """Attachments go to a throwaway directory."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    return tmp_path


@dataclass
class More:
    """Beyond the shared personas: a health agency of province A with its focal point (another agency: must see
    nothing of the police's referrals), a second focal point of the police, and the officer and chair of commune
    B1 (another province)."""

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


@pytest.fixture
def case_a1(personas: Personas) -> Case:
    return referral_case(personas)


@pytest.fixture
def referral(personas: Personas, case_a1: Case) -> Referral:
    return refer(personas, case_a1)
