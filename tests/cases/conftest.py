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
from cases.services.files import do_add_note
from cases.services.intake import CaregiverInput, CaseInput, ChildInput, ReporterInput, do_create_case
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


# --- A case file with every field typed -------------------------------------------------------------------------

CASEFILE_CHILD = "Lò Thị Hoa Ban"
CASEFILE_REPORTER = "Đinh Văn Báo"
# A case carried through the whole procedure with a distinctive value in every field a user types (the case file's
# page, timeline and printed forms): `TYPED` lists what must be readable afterwards.
TYPED = {
    "child": CASEFILE_CHILD,
    "id_number": "019313000777",
    "ethnicity": "Thái",  # code 03 of QĐ 121
    "caregiver": "Lò Văn Bố",
    "caregiver_phone": "0987 111 222",
    "caregiver_address": "Bản Nà Hẩu, tổ 7",
    "summary": "Cô giáo phát hiện trẻ có dấu hiệu bị xâm hại ở nhà hàng xóm",
    "initial_findings": "Trẻ hoảng sợ, không muốn về nhà",
    "placement": "Nhà bà ngoại Lò Thị Nương",
    "measure_text": "Đưa trẻ đến trạm y tế khám ngay",
    "separation_number": "07/QĐ-UBND",
    "child_condition": "Trẻ mất ngủ, sụt cân",
    "family": "Bố đi làm xa, mẹ bệnh",
    "risk_factors": "Hàng xóm vẫn sống sát nhà",
    "self_protection": "Trẻ chưa biết kỹ năng tự bảo vệ",
    "community": "Trưởng bản sẵn sàng hỗ trợ",
    "needs": "Trị liệu tâm lý dài hạn",
    "child_views": "Cháu muốn ở với bà ngoại",
    "caregiver_views": "Mẹ đồng ý cho cháu ở với bà",
    "detailed_findings": "Nguy cơ giảm khi trẻ ở nhà bà",
    "participants": "Chủ tịch xã, công an xã, mẹ của trẻ, trưởng bản",
    "decisions": "Trị liệu tâm lý và trợ giúp pháp lý cho gia đình",
    "goals": "Trẻ an toàn và ổn định tâm lý trong ba tháng",
    "service": "Trị liệu tâm lý tại trung tâm công tác xã hội",
    "responsible_person": "Bác sĩ Vi Thị Lan",
    "measure": "Chăm sóc y tế, trị liệu tâm lý",  # name of 50.2.a
    "cost": "2.500.000",
    "approval_number": "21/QĐ-UBND",
    "note": "Đã đưa cháu đến buổi trị liệu đầu tiên",
    "review_findings": "Trẻ ngủ ngon hơn, đã đi học lại",
}


def make_full_case(p: Personas, *, until: str = "review", extra_items: int = 0, extra_notes: int = 0) -> Case:
    """A sexual-abuse case of a 12-year-old girl through the procedure, up to `until` ("received", "plan",
    "approved", "review"). `extra_items`/`extra_notes` add more plan rows and notes (for query counts)."""
    now = timezone.now()
    case = do_create_case(
        acting_user=p.officer_a1,
        child=ChildInput(
            full_name=CASEFILE_CHILD,
            commune=p.commune_a1,
            date_of_birth=datetime.date(now.year - 12, 3, 14),
            sex="female",
            ethnicity_code="03",
            id_number=TYPED["id_number"],
        ),
        case=CaseInput(
            kind="abuse",
            received_at=now - datetime.timedelta(hours=3),
            abuse_forms=["sexual_abuse"],
            abuse_subtypes=["sexual_abuse.molestation"],
            setting="community",
            incident_date=now.date() - datetime.timedelta(days=1),
            incident_commune=p.commune_a2,
            immediate_danger=True,
            summary=TYPED["summary"],
        ),
        reporter=ReporterInput(channel="school", name=CASEFILE_REPORTER, phone="0912 000 999", relationship="Cô giáo"),
        caregivers=[
            CaregiverInput(
                TYPED["caregiver"],
                "Bố",
                phone=TYPED["caregiver_phone"],
                address=TYPED["caregiver_address"],
                is_alleged_perpetrator=False,
            )
        ],
    )
    if until == "received":
        return case

    def step(action: str, user: Any, **kwargs: Any) -> Any:
        return run(action, user, case, **kwargs)

    step(
        wf.INITIAL_ASSESSMENT,
        p.officer_a1,
        harm_level="high",
        risk_level="high",
        serious_danger=True,
        findings=TYPED["initial_findings"],
    )
    step(wf.EMERGENCY_MEASURE, p.officer_a1, kind="emergency_intervention", description=TYPED["measure_text"])
    step(
        wf.EMERGENCY_MEASURE,
        p.chair_a1,
        kind="temporary_separation",
        decision_number=TYPED["separation_number"],
        placement=TYPED["placement"],
    )
    step(
        wf.DETAILED_ASSESSMENT,
        p.officer_a1,
        harm_level="medium",
        risk_level="low",
        child_condition=TYPED["child_condition"],
        family_situation=TYPED["family"],
        risk_factors=TYPED["risk_factors"],
        learning_and_self_protection=TYPED["self_protection"],
        community_safety=TYPED["community"],
        needs=TYPED["needs"],
        child_views=TYPED["child_views"],
        caregiver_views=TYPED["caregiver_views"],
        findings=TYPED["detailed_findings"],
    )
    step(
        wf.NEEDS_MEETING,
        p.officer_a1,
        held_on=timezone.localdate(),
        participants=TYPED["participants"],
        decisions=TYPED["decisions"],
    )
    police = Agency.objects.get(code="CA-19")
    start = timezone.localdate()
    items = [
        wf.PlanItemInput(
            service=TYPED["service"],
            level="intervention",
            measure_code="50.2.a",
            responsible_agency=police,
            responsible_person=TYPED["responsible_person"],
            start_date=start,
            expected_end_date=start + datetime.timedelta(days=30),
            estimated_cost_vnd=2_500_000,
        )
    ]
    items += [
        wf.PlanItemInput(
            service=f"Hoạt động thêm {n}",
            level="support",
            start_date=start,
            expected_end_date=start + datetime.timedelta(days=10),
        )
        for n in range(extra_items)
    ]
    case.refresh_from_db()
    wf.do_save_plan(
        acting_user=p.officer_a1, case=case, expected_version=case.version, items=items, goals=TYPED["goals"]
    )
    step(wf.SUBMIT_PLAN, p.officer_a1)
    if until == "plan":
        return case
    step(wf.APPROVE_PLAN, p.chair_a1, decision_number=TYPED["approval_number"])
    if until == "approved":
        return case
    step(wf.START_IMPLEMENTATION, p.officer_a1)
    case.refresh_from_db()
    do_add_note(acting_user=p.officer_a1, case=case, text=TYPED["note"])
    for n in range(extra_notes):
        do_add_note(acting_user=p.officer_a1, case=case, text=f"Ghi chú thêm {n}")
    step(
        wf.REVIEW,
        p.officer_a1,
        child_safe=True,
        child_stable=True,
        findings=TYPED["review_findings"],
        outcome="close",
    )
    case.refresh_from_db()
    return case


def intake_form(**overrides: Any) -> dict[str, Any]:
    """The intake page's form, filled in for a valid abuse case in commune 05713; `overrides` change fields (None
    leaves one out)."""
    data = {
        "full_name": "Nguyễn Văn An",
        "date_of_birth": "2015-03-04",
        "age_years": "",
        "sex": "male",
        "ethnicity_code": "01",
        "ethnicity_code_system": "QD121_1979",
        "id_number": "",
        "disability": "none",
        "commune": "05713",
        "kind": "abuse",
        "immediate_danger": "no",
        "abuse_forms": ["violence"],
        "setting": "family",
        "incident_date": "",
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "incident_commune": "",
        "summary": "Hàng xóm báo trẻ bị đánh nhiều lần.",
        "reporter-channel": "walk_in",
        "reporter-name": "Trần Thị Bình",
        "reporter-phone": "0912345678",
        "reporter-relationship": "hàng xóm",
        "caregivers-TOTAL_FORMS": "1",
        "caregivers-INITIAL_FORMS": "0",
        "caregivers-MIN_NUM_FORMS": "0",
        "caregivers-MAX_NUM_FORMS": "10",
        "caregivers-0-full_name": "Nguyễn Thị Cúc",
        "caregivers-0-relationship": "mẹ",
        "caregivers-0-phone": "",
        "caregivers-0-address": "",
        "action": "submit",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def make_child_case(user: User, commune: Any, full_name: str, **child: Any) -> Case:
    """A child's case recorded through the intake service (an at-risk case received now)."""
    return do_create_case(
        acting_user=user,
        child=ChildInput(full_name=full_name, commune=commune, **child),
        case=CaseInput(kind="at_risk", received_at=timezone.now()),
        reporter=ReporterInput(channel="phone"),
    )
