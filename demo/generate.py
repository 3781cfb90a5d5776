"""Two years of one province's work, played forward through the app's own services.

Thái Nguyên (19): three communes with an officer and a chair each, the province officer, the focal points of the
police, education, health and legal aid, the 111 operator; one commune of Hà Nội with its own officer, to show
what an outsider cannot see. Every write goes through the `do_*` service a person would use, with the clock
travelled (time_machine) to the moment it happens: intake, the steps of the procedure (cases/steps.py), referrals
and their answers, transfers, assignment, corrections, the two sample directives through the importer and the
review form, the lead reports on their tasks, and the periodic reports of the past periods. So the figures, the
history, the notifications and the audit log agree with each other, as they would after two years of use; the
sweeps then run once at the real "now", as beat would, and flag what is overdue.

Deterministic for a given "now": one `random.Random(SEED)` decides everything; the deadlines are placed relative
to now, so each run shows steps met, due soon and overdue. Demo accounts do not receive email (their preference
is off, set before anything is written), so nothing leaves the machine while loading.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cases.models import AbuseForm, AbuseSubtype, AccidentOutcome, AccidentType, Case, CaseKind, Referral
from cases.models.choices import Disability, ReportChannel, Setting
from cases.models.procedure import EmergencyKind, ReviewOutcome
from cases.services import referrals as rf
from cases.services import transfers as tr
from cases.services import workflow as wf
from cases.services.assignment import do_assign_case
from cases.services.corrections import do_correct_record
from cases.services.intake import CaregiverInput, CaseInput, ChildInput, ReporterInput, do_create_case
from childprotect.models import AdministrativeUnit, Agency, User
from childprotect.notifications import do_set_email_preference
from demo import people

SEED = 2016
HERE = Path(__file__).resolve().parent
SAMPLES = HERE / "samples"
DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)


@contextmanager
def at(moment: datetime.datetime) -> Iterator[None]:
    """Everything inside happens at `moment` (the clock stands still there)."""
    import time_machine  # a development dependency: the demo only loads under DEBUG

    with time_machine.travel(moment, tick=False):
        yield


@dataclass
class Commune:
    unit: AdministrativeUnit
    officer: User
    chair: User | None
    weight: int


@dataclass
class World:
    province: AdministrativeUnit
    communes: list[Commune]  # of the province; the first is the home commune of demo_xa
    outside: Commune  # Hà Nội
    province_officer: User
    hotline: User
    agencies: dict[str, Agency]  # by sector key: police, education, health, justice, child_protection
    focal_points: dict[str, User]
    now: datetime.datetime
    rng: random.Random = field(default_factory=lambda: random.Random(SEED))
    counts: dict[str, int] = field(default_factory=dict)

    def tally(self, key: str) -> None:
        self.counts[key] = self.counts.get(key, 0) + 1


def generate(world: World, cases: int = 240) -> dict[str, int]:
    """Write the dataset (cases, referrals, transfers, directives) in one transaction; return what was done."""
    for user in _everyone(world):
        do_set_email_preference(user, enabled=False)
    with transaction.atomic():
        _cases(world, cases)
        _fresh_referrals(world)
        _transfers(world)
        _directives(world)
        _read_old_notifications(world)
    return world.counts


def _read_old_notifications(world: World) -> None:
    """People read their notifications: what is more than two weeks old was opened the day after it came. One
    UPDATE per person writes what `do_mark_read` would have written then (a read is not audited); calling it once
    per notification, at its moment, took a tenth of the whole load."""
    from childprotect.notifications import notifications_for

    for user in _everyone(world):
        notifications_for(user).filter(read_at__isnull=True, created_at__lt=world.now - 14 * DAY).update(
            read_at=F("created_at") + DAY
        )


def _everyone(world: World) -> list[User]:
    users = [world.province_officer, world.hotline, world.outside.officer, *world.focal_points.values()]
    for commune in world.communes:
        users += [commune.officer, *([commune.chair] if commune.chair else [])]
    return users


# --- Cases -------------------------------------------------------------------------------------------------------

# Where each case's procedure stops (the last step taken), with its weight. The procedure of a case received
# recently may stop earlier by itself: a step is taken only if its moment has come.
TARGETS = [
    ("received", 3),
    ("initial", 4),
    ("not_substantiated", 6),
    ("emergency", 3),
    ("detailed", 4),
    ("meeting", 3),
    ("plan_saved", 4),
    ("submitted", 5),
    ("returned", 3),
    ("approved", 4),
    ("in_progress", 16),
    ("reviewed", 3),
    ("reviewed_new_cycle", 3),
    ("closed", 42),
]
ORDER = [
    "received",
    "initial",
    "emergency",
    "detailed",
    "meeting",
    "plan_saved",
    "submitted",
    "returned",
    "approved",
    "in_progress",
    "reviewed",
    "closed",
]
EARLY = {"received", "initial", "emergency", "detailed", "meeting", "plan_saved", "submitted", "returned"}
ABUSE_FORMS = [
    (AbuseForm.VIOLENCE, 30),
    (AbuseForm.NEGLECT, 14),
    (AbuseForm.SEXUAL_ABUSE, 14),
    (AbuseForm.EXPLOITATION, 7),
    (AbuseForm.ABANDONMENT, 5),
    (AbuseForm.TRAFFICKING, 3),
    (AbuseForm.OTHER, 4),
]
SUBTYPES = {
    AbuseForm.SEXUAL_ABUSE: [
        AbuseSubtype.SEXUAL_MOLESTATION,
        AbuseSubtype.SEXUAL_RAPE,
        AbuseSubtype.SEXUAL_INTERCOURSE,
    ],
    AbuseForm.EXPLOITATION: [AbuseSubtype.EXPLOIT_LABOUR, AbuseSubtype.EXPLOIT_OTHER],
    AbuseForm.TRAFFICKING: [AbuseSubtype.TRAFFICKED_WITH_PARENTS],
    AbuseForm.VIOLENCE: [AbuseSubtype.VIOLENCE_SERIOUS],
}
SUMMARIES = {
    AbuseForm.VIOLENCE: "Trẻ bị người nhà đánh nhiều lần, có vết bầm ở tay và lưng (dữ liệu mẫu).",
    AbuseForm.NEGLECT: "Trẻ thường xuyên ở nhà một mình, bỏ bữa, nghỉ học nhiều ngày (dữ liệu mẫu).",
    AbuseForm.SEXUAL_ABUSE: "Trẻ kể với giáo viên bị một người quen có hành vi xâm hại (dữ liệu mẫu).",
    AbuseForm.EXPLOITATION: "Trẻ phải làm việc nặng tại xưởng, không được đi học (dữ liệu mẫu).",
    AbuseForm.ABANDONMENT: "Trẻ sơ sinh được phát hiện trước cổng trạm y tế (dữ liệu mẫu).",
    AbuseForm.TRAFFICKING: "Trẻ được đưa trở về từ biên giới sau khi bị lừa bán (dữ liệu mẫu).",
    AbuseForm.OTHER: "Trẻ bị bạn học bắt nạt trên mạng xã hội, có biểu hiện trầm cảm (dữ liệu mẫu).",
}
ACCIDENT_SUMMARIES = {
    AccidentType.DROWNING: "Trẻ bị đuối nước khi tắm suối cùng bạn (dữ liệu mẫu).",
    AccidentType.TRAFFIC: "Trẻ bị tai nạn khi đi xe đạp điện trên đường đi học (dữ liệu mẫu).",
    AccidentType.OTHER_INJURY: "Trẻ bị bỏng nước sôi tại nhà (dữ liệu mẫu).",
}
SETTINGS = [Setting.FAMILY, Setting.FAMILY, Setting.FAMILY, Setting.SCHOOL, Setting.COMMUNITY, Setting.ONLINE]
CHANNELS = [ReportChannel.PHONE, ReportChannel.WALK_IN, ReportChannel.SCHOOL, ReportChannel.POLICE]
CHANNELS += [ReportChannel.HEALTH_FACILITY, ReportChannel.PROVINCIAL_HOTLINE]


def _pick(rng: random.Random, weighted: list[tuple[Any, int]]) -> Any:
    return rng.choices([v for v, _w in weighted], weights=[w for _v, w in weighted])[0]


@dataclass
class Plan:
    """One case to write: who, where, what, when it was received and where its procedure stops."""

    commune: Commune
    recorder: User
    received_at: datetime.datetime
    kind: str
    target: str
    form: str = ""
    accident: tuple[str, str] | None = None
    danger: bool = False
    ends_in: float | None = None  # days from now to the plan's last expected end (its review's due date)


def _received_at(world: World, target: str) -> datetime.datetime:
    """Early stops are recent (a case does not wait months for its plan); the others any time in two years, more
    of them lately (the service became known)."""
    rng, now = world.rng, world.now
    if target in {"received", "initial", "emergency"}:
        days = rng.uniform(0.2, 5)
    elif target in {"detailed", "meeting", "plan_saved", "submitted"}:
        days = rng.uniform(1, 7)
    elif target == "returned":
        days = rng.uniform(3, 20)
    elif target in {"approved", "in_progress", "reviewed", "reviewed_new_cycle"}:
        days = rng.uniform(45, 300)
    else:
        days = 730 * (1 - rng.random() ** 0.8)
        days = max(days, 35)
    moment = now - datetime.timedelta(days=days)
    # Office hours, local time.
    local = timezone.localtime(moment)
    local = local.replace(hour=rng.randrange(7, 17), minute=rng.randrange(60), second=0, microsecond=0)
    return min(local, now - HOUR)


def _plans(world: World, total: int) -> list[Plan]:
    rng = world.rng
    plans: list[Plan] = []
    communes = world.communes
    for _index in range(total):
        commune = rng.choices(communes, weights=[c.weight for c in communes])[0]
        if rng.random() < 0.18:
            accident = (
                _pick(rng, [(AccidentType.DROWNING, 4), (AccidentType.TRAFFIC, 4), (AccidentType.OTHER_INJURY, 3)]),
                _pick(rng, [(AccidentOutcome.INJURY, 4), (AccidentOutcome.DEATH, 1)]),
            )
            received = _received_at(world, "closed")
            plans.append(Plan(commune, commune.officer, received, CaseKind.ACCIDENT, "received", accident=accident))
            continue
        target = _pick(rng, TARGETS)
        kind = _pick(rng, [(CaseKind.ABUSE, 8), (CaseKind.AT_RISK, 2), (CaseKind.SPECIAL_CIRCUMSTANCE, 1)])
        form = _pick(rng, ABUSE_FORMS) if kind != CaseKind.SPECIAL_CIRCUMSTANCE else ""
        danger = form in {AbuseForm.SEXUAL_ABUSE, AbuseForm.TRAFFICKING, AbuseForm.ABANDONMENT} or rng.random() < 0.1
        if target == "emergency":
            danger = True
        plans.append(Plan(commune, commune.officer, _received_at(world, target), kind, target, form, danger=danger))
    # The 111 hotline: a few calls a month for the communes of the province; the last ones still wait.
    for index in range(14):
        commune = communes[index % len(communes)]
        days = 3 + index * 25 if index >= 3 else rng.uniform(0.1, 2)
        received = world.now - datetime.timedelta(days=days, hours=rng.randrange(1, 8))
        target = "received" if index < 3 else rng.choice(["closed", "in_progress", "approved"])
        form = rng.choice([AbuseForm.VIOLENCE, AbuseForm.NEGLECT, AbuseForm.SEXUAL_ABUSE])
        plans.append(Plan(commune, world.hotline, received, CaseKind.ABUSE, target, form))
    # Hà Nội: a handful of cases nobody in Thái Nguyên may see.
    for _index in range(6):
        target = rng.choice(["received", "initial", "detailed", "plan_saved"])
        form = _pick(rng, ABUSE_FORMS)
        plans.append(
            Plan(world.outside, world.outside.officer, _received_at(world, target), CaseKind.ABUSE, target, form)
        )
    # A few made to show the statutory deadlines as the home pages list them: one overdue at every stage of the
    # plan, some due today and tomorrow.
    home = communes[0]
    for days, target in ((8.5, "initial"), (9.5, "detailed"), (4.2, "meeting"), (3.5, "initial"), (0.3, "received")):
        received = world.now - datetime.timedelta(days=days)
        plans.append(Plan(home, home.officer, received, CaseKind.ABUSE, target, AbuseForm.VIOLENCE))
    # Two plans that end tomorrow and the day after: their reviews are due soon.
    for days, ends_in in ((70, 1.2), (95, 1.8)):
        received = world.now - datetime.timedelta(days=days)
        plans.append(
            Plan(home, home.officer, received, CaseKind.ABUSE, "in_progress", AbuseForm.NEGLECT, ends_in=ends_in)
        )
    plans.sort(key=lambda plan: plan.received_at)
    return plans


def _cases(world: World, total: int) -> None:
    for plan in _plans(world, total):
        _case(world, plan)


def _case(world: World, plan: Plan) -> None:
    rng = world.rng
    sex = rng.choice(["female", "male"])
    age = rng.randrange(1, 17) if plan.form != AbuseForm.ABANDONMENT else 0
    caregivers = []
    if plan.form != AbuseForm.ABANDONMENT:
        relationship = rng.choice(people.RELATIONSHIPS)
        caregivers.append(
            CaregiverInput(
                full_name=people.adult_name(rng, relationship),
                relationship=relationship,
                phone=people.phone(rng),
                address=people.address(rng, plan.commune.unit.full_name),
                is_alleged_perpetrator=plan.form == AbuseForm.VIOLENCE and rng.random() < 0.5,
            )
        )
    forms = [plan.form] if plan.form else []
    if plan.form == AbuseForm.NEGLECT and rng.random() < 0.2:
        forms.append(AbuseForm.VIOLENCE)
    subtypes = [rng.choice(SUBTYPES[plan.form])] if plan.form in SUBTYPES and rng.random() < 0.6 else []
    groups: list[str] = []
    if plan.kind == CaseKind.ACCIDENT:
        assert plan.accident is not None
        summary = ACCIDENT_SUMMARIES[plan.accident[0]]
    elif plan.kind == CaseKind.SPECIAL_CIRCUMSTANCE:
        groups = [rng.choice(["a", "c", "h", "n"])]
        summary = "Trẻ mồ côi, sống với ông bà già yếu, có nguy cơ bỏ học (dữ liệu mẫu)."
    else:
        summary = SUMMARIES[plan.form]
    channel = ReportChannel.HOTLINE_111 if plan.recorder == world.hotline else rng.choice(CHANNELS)
    anonymous = rng.random() < 0.1
    with at(plan.received_at + datetime.timedelta(minutes=rng.randrange(5, 50))):
        case = do_create_case(
            acting_user=plan.recorder,
            child=ChildInput(
                full_name=people.child_name(rng, sex),
                commune=plan.commune.unit,
                age_years=age,
                sex=sex,
                ethnicity_code=rng.choice(["01", "01", "01", "02", "05", "07"]),
                id_number=people.id_number(rng) if age >= 14 and rng.random() < 0.7 else "",
                disability=Disability.MILD if rng.random() < 0.05 else Disability.NONE,
            ),
            case=CaseInput(
                kind=plan.kind,
                received_at=plan.received_at,
                abuse_forms=forms if plan.kind != CaseKind.ACCIDENT else [],
                abuse_subtypes=subtypes if plan.kind == CaseKind.ABUSE else [],
                special_groups=groups,
                setting=rng.choice(SETTINGS) if plan.kind != CaseKind.ACCIDENT else "",
                accident_type=plan.accident[0] if plan.accident else "",
                accident_outcome=plan.accident[1] if plan.accident else "",
                incident_date=timezone.localtime(plan.received_at).date() - DAY * rng.randrange(0, 4),
                immediate_danger=plan.danger,
                summary=summary,
            ),
            reporter=ReporterInput(
                channel=ReportChannel.ANONYMOUS if anonymous else channel,
                name="" if anonymous else people.adult_name(rng, "Bố"),
                phone="" if anonymous else people.phone(rng),
                relationship="" if anonymous else rng.choice(people.REPORTER_RELATIONSHIPS),
            ),
            caregivers=caregivers,
        )
    world.tally(f"case:{plan.kind}")
    if plan.kind == CaseKind.ACCIDENT:
        return  # recorded for the statistics
    _procedure(world, plan, case)


class Stop(Exception):
    """The next step's moment has not come yet: the case stays where it is."""


def _procedure(world: World, plan: Plan, case: Case) -> None:
    rng, now = world.rng, world.now
    commune = plan.commune
    officer, chair = commune.officer, commune.chair
    clock = [case.received_at]

    def when(delta: datetime.timedelta) -> datetime.datetime:
        moment = clock[0] + delta
        if moment >= now - 10 * datetime.timedelta(minutes=1):
            raise Stop
        clock[0] = moment
        return moment

    def step(delta: datetime.timedelta, action: Callable[[], Any]) -> Any:
        with at(when(delta)):
            case.refresh_from_db()
            return action()

    target = plan.target
    stop_at = ORDER.index(target) if target in ORDER else ORDER.index("reviewed")
    try:
        if plan.recorder == world.hotline:
            if target == "received":
                return  # still in the commune's queue, and on the operator's list
            assigner = chair or officer
            step(HOUR * rng.uniform(1, 5), lambda: do_assign_case(
                acting_user=assigner, case=case, expected_version=None, officer=officer
            ))  # fmt: skip
        if AbuseForm.SEXUAL_ABUSE in case.abuse_forms and world.focal_points and commune is not world.outside:
            # The police are told at once (TTLT 01/2022), except in one recent case: the home page shows it overdue.
            if case.received_at < now - 3 * DAY or rng.random() < 0.5:
                _refer(world, case, officer, "police", when(HOUR * rng.uniform(0.2, 0.8)), plan)
                _answer_referrals(world, case, clock, plan)  # the police answer within hours, mostly
        if stop_at == 0:
            return
        serious = plan.danger
        step(HOUR * rng.uniform(1, 6), lambda: wf.do_record_initial_assessment(
            acting_user=officer, case=case, expected_version=None,
            harm_level=rng.choice(["medium", "high", "serious"] if serious else ["low", "medium"]),
            risk_level=rng.choice(["high", "serious"] if serious else ["low", "medium"]),
            serious_danger=serious, findings="Đã gặp trẻ và gia đình, ghi nhận tình trạng ban đầu (dữ liệu mẫu).",
        ))  # fmt: skip
        world.tally("step:initial")
        if target == "not_substantiated":
            step(DAY * rng.uniform(1, 3), lambda: wf.do_mark_not_substantiated(
                acting_user=officer, case=case, expected_version=None,
                reason="Xác minh thông tin báo tin không đúng sự thật (dữ liệu mẫu).",
            ))  # fmt: skip
            return
        if stop_at == ORDER.index("initial"):
            return
        if serious:
            separate = chair is not None and (plan.form == AbuseForm.SEXUAL_ABUSE or rng.random() < 0.3)
            kind = EmergencyKind.TEMPORARY_SEPARATION if separate else EmergencyKind.EMERGENCY_INTERVENTION
            by = chair if separate and chair else officer
            step(HOUR * rng.uniform(1, 4), lambda: wf.do_order_emergency_measure(
                acting_user=by, case=case, expected_version=None, kind=kind,
                decision_number=f"{rng.randrange(10, 99)}/QĐ-UBND" if separate else "",
                placement="Nhà tạm lánh của xã (dữ liệu mẫu)" if separate else "",
                description="Đưa trẻ đến nơi an toàn, bố trí người chăm sóc (dữ liệu mẫu).",
            ))  # fmt: skip
            world.tally(f"emergency:{kind}")
            if separate and target != "emergency":
                assert chair is not None
                step(DAY * rng.uniform(6, 13), lambda: wf.do_revoke_separation(
                    acting_user=chair, case=case, expected_version=None,
                    reason="Gia đình đã được đánh giá đủ khả năng bảo đảm an toàn cho trẻ (dữ liệu mẫu).",
                ))  # fmt: skip
                clock[0] = case.received_at + DAY  # the assessment went on meanwhile
        if target == "emergency":
            return
        step(DAY * rng.uniform(1, 2), lambda: wf.do_record_detailed_assessment(
            acting_user=officer, case=case, expected_version=None, harm_level="medium", risk_level="medium",
            child_condition="Trẻ còn sợ hãi, ngủ không ngon; sức khỏe ổn định (dữ liệu mẫu).",
            needs="Hỗ trợ tâm lý, theo dõi an toàn tại nhà, hỗ trợ học tập (dữ liệu mẫu).",
            family_situation="Gia đình khó khăn, bố mẹ đi làm xa (dữ liệu mẫu).",
        ))  # fmt: skip
        _referrals_after_assessment(world, case, officer, plan, clock, when)
        if target == "detailed":
            return
        step(DAY * rng.uniform(0.5, 1.5), lambda: wf.do_record_needs_meeting(
            acting_user=officer, case=case, expected_version=None, held_on=timezone.localdate(),
            participants="Chủ tịch UBND xã, cán bộ bảo vệ trẻ em, công an xã, nhà trường, gia đình (dữ liệu mẫu).",
            decisions="Thống nhất các biện pháp hỗ trợ, giao cán bộ lập kế hoạch (dữ liệu mẫu).",
        ))  # fmt: skip
        if target == "meeting":
            return
        ends = DAY * rng.randrange(30, 150)
        if plan.ends_in is not None:
            ends = (now - case.received_at) + DAY * plan.ends_in
        elif target in {"approved", "in_progress"}:
            # A plan still running ends after today, mostly: its review is due soon or later, a few overdue.
            ends = max(DAY * 30, (now - case.received_at) + DAY * rng.uniform(-6, 90))
        elif target in {"reviewed", "reviewed_new_cycle"}:
            ends = max(DAY * 30, (now - case.received_at) - DAY * rng.uniform(8, 14))
        step(HOUR * rng.uniform(2, 20), lambda: wf.do_save_plan(
            acting_user=officer, case=case, expected_version=None, goals="Trẻ an toàn, ổn định tâm lý và đi học đều.",
            items=_plan_items(world, case, ends),
        ))  # fmt: skip
        if target == "plan_saved" or chair is None:
            return
        late = rng.random() < 0.12  # some plans are submitted after the 5 working days
        step(DAY * (rng.uniform(4, 6) if late else rng.uniform(0.2, 1)), lambda: wf.do_submit_plan(
            acting_user=officer, case=case, expected_version=None
        ))  # fmt: skip
        if target == "submitted":
            return
        if target == "returned" or rng.random() < 0.1:
            step(HOUR * rng.uniform(3, 30), lambda: wf.do_return_plan(
                acting_user=chair, case=case, expected_version=None,
                reason="Bổ sung người chịu trách nhiệm và kinh phí cho từng hoạt động (dữ liệu mẫu).",
            ))  # fmt: skip
            if target == "returned":
                return
            step(DAY * rng.uniform(0.5, 1.5), lambda: wf.do_submit_plan(
                acting_user=officer, case=case, expected_version=None
            ))  # fmt: skip
        step(HOUR * rng.uniform(3, 40), lambda: wf.do_approve_plan(
            acting_user=chair, case=case, expected_version=None,
            decision_number=f"{rng.randrange(100, 999)}/QĐ-UBND",
        ))  # fmt: skip
        world.tally("plan:approved")
        if target == "approved":
            return
        step(DAY * rng.uniform(0.5, 2), lambda: wf.do_start_implementation(
            acting_user=officer, case=case, expected_version=None
        ))  # fmt: skip
        _answer_referrals(world, case, clock, plan)
        if target == "in_progress":
            return
        # The review falls due at the plan's last expected end: some on time, some a few days late.
        clock[0] = max(clock[0], case.received_at + ends - DAY * rng.uniform(0, 3))
        closing = target in {"closed", "reviewed"}
        step(DAY * rng.uniform(0, 6), lambda: wf.do_record_review(
            acting_user=officer, case=case, expected_version=None, child_safe=True, child_stable=closing,
            findings="Trẻ đi học đều, gia đình hợp tác; các hoạt động đã thực hiện (dữ liệu mẫu).",
            outcome=ReviewOutcome.CLOSE if closing else ReviewOutcome.NEW_CYCLE,
        ))  # fmt: skip
        if not closing:
            step(DAY * rng.uniform(1, 3), lambda: wf.do_start_new_cycle(
                acting_user=officer, case=case, expected_version=None
            ))  # fmt: skip
            return
        if target == "reviewed":
            return  # the review proposes closure: the chair's decision is next
        _close_referrals(world, case, clock, plan)
        step(DAY * rng.uniform(1, 4), lambda: wf.do_close_case(
            acting_user=chair, case=case, expected_version=None, decision_number=f"{rng.randrange(100, 999)}/QĐ-UBND",
            note="Kết thúc kế hoạch hỗ trợ, can thiệp (dữ liệu mẫu).",
        ))  # fmt: skip
        world.tally("case:closed")
    except Stop:
        return
    finally:
        if plan.recorder != world.hotline and rng.random() < 0.04:
            _correct(world, case, officer)


def _plan_items(world: World, case: Case, ends: datetime.timedelta) -> list[wf.PlanItemInput]:
    rng = world.rng
    start = timezone.localdate()
    end = timezone.localtime(case.received_at + ends).date()
    items = [
        wf.PlanItemInput(
            service="Tư vấn, trị liệu tâm lý cho trẻ (dữ liệu mẫu)",
            level="intervention",
            measure_code="50.2.a",
            start_date=start,
            expected_end_date=end,
            responsible_person="Cán bộ bảo vệ trẻ em xã",
            estimated_cost_vnd=rng.randrange(2, 20) * 500_000,
        ),
        wf.PlanItemInput(
            service="Tư vấn kỹ năng chăm sóc, giáo dục trẻ cho gia đình (dữ liệu mẫu)",
            level="support",
            measure_code="49.2.a",
            start_date=start,
            expected_end_date=min(end, start + datetime.timedelta(days=30)),
            responsible_person="Hội Liên hiệp Phụ nữ xã",
        ),
    ]
    if world.rng.random() < 0.5:
        items.append(
            wf.PlanItemInput(
                service="Hỗ trợ học tập, theo dõi chuyên cần tại trường (dữ liệu mẫu)",
                level="support",
                measure_code="50.2.d",
                start_date=start,
                expected_end_date=end,
                responsible_agency=world.agencies["education"],
            )
        )
    return items


# --- Referrals ---------------------------------------------------------------------------------------------------

REASONS = {
    "police": "Đề nghị xác minh, điều tra hành vi xâm hại trẻ em (dữ liệu mẫu).",
    "education": "Đề nghị nhà trường theo dõi, hỗ trợ trẻ đi học trở lại (dữ liệu mẫu).",
    "health": "Đề nghị khám, điều trị và đánh giá tổn hại sức khỏe của trẻ (dữ liệu mẫu).",
    "justice": "Đề nghị trợ giúp pháp lý cho trẻ và gia đình (dữ liệu mẫu).",
}


def _refer(
    world: World, case: Case, sender: User, sector: str, moment: datetime.datetime, plan: Plan
) -> Referral | None:
    rng = world.rng
    urgency = "immediate" if sector == "police" and plan.danger else rng.choice(["urgent", "normal", "normal"])
    with at(moment):
        case.refresh_from_db()
        referral = rf.do_create_referral(
            acting_user=sender, case=case, agency=world.agencies[sector], reason=REASONS[sector], urgency=urgency
        )
    world.tally(f"referral:{sector}")
    return referral


def _referrals_after_assessment(
    world: World, case: Case, officer: User, plan: Plan, clock: list[datetime.datetime], when: Callable[..., Any]
) -> None:
    rng = world.rng
    if plan.commune is world.outside:
        return
    sectors = []
    if plan.form in {AbuseForm.VIOLENCE, AbuseForm.TRAFFICKING, AbuseForm.EXPLOITATION} and rng.random() < 0.5:
        sectors.append("police")
    if rng.random() < 0.45:
        sectors.append("health")
    if rng.random() < 0.45:
        sectors.append("education")
    if rng.random() < 0.25:
        sectors.append("justice")
    for sector in sectors:
        if sector == "police" and case.referrals.filter(agency=world.agencies["police"]).exists():
            continue
        _refer(world, case, officer, sector, when(HOUR * rng.uniform(1, 5)), plan)
    # The answers of a case the procedure leaves here come while the moment allows.
    _answer_referrals(world, case, [clock[0]], plan)


def _fresh_referrals(world: World) -> None:
    """This morning's referrals from the home commune, one to each agency: every focal point has one to answer.
    Legal aid's was sent four days ago and is past any response time (72 hours at most): whatever the hour the
    demo is loaded at, one referral waits overdue, escalated to the province (the answers drawn for the older
    referrals depend on the hour, so they may not leave one)."""
    home = world.communes[0]
    recent = (
        Case.objects.visible_to(home.officer)
        .open()
        .filter(commune=home.unit, assigned_officer=home.officer, received_at__gte=world.now - 20 * DAY)
        .order_by("-received_at")
    )
    for index, sector in enumerate(("police", "education", "health", "justice")):
        agency = world.agencies[sector]
        sent = world.now - (4 * DAY if sector == "justice" else HOUR * (2 + index))
        case = recent.filter(received_at__lt=sent).exclude(referrals__agency=agency).first()
        if case is None:
            continue
        plan = Plan(home, home.officer, case.received_at, case.kind, "", danger=False)
        _refer(world, case, home.officer, sector, sent, plan)


def _answer_referrals(world: World, case: Case, clock: list[datetime.datetime], plan: Plan) -> None:
    """Each open referral answered the way agencies answer: most accept in time and report progress, some late,
    a few decline; some stay unanswered (recent ones waiting, older ones overdue)."""
    rng, now = world.rng, world.now
    for referral in list(case.referrals.filter(status__in=["sent"])):
        focal = world.focal_points[_sector_of(world, referral)]
        fate = rng.random()
        respond = referral.sent_at + HOUR * (rng.uniform(1, 20) if fate < 0.75 else rng.uniform(30, 120))
        if (fate > 0.93 and referral.sent_at > now - 20 * DAY) or respond >= now:
            continue  # no answer yet: waiting, or overdue (escalated to the province)
        with at(respond):
            referral.refresh_from_db()
            if fate > 0.85:
                rf.do_decline_referral(
                    acting_user=focal, referral=referral, reason="Không thuộc thẩm quyền, đề nghị chuyển cơ quan khác."
                )
                world.tally("referral:declined")
                continue
            rf.do_accept_referral(acting_user=focal, referral=referral)
        progress = respond + DAY * rng.uniform(1, 6)
        if progress < now:
            with at(progress):
                referral.refresh_from_db()
                rf.do_add_referral_progress(
                    acting_user=focal, referral=referral, note="Đã làm việc với trẻ và gia đình (dữ liệu mẫu)."
                )


def _close_referrals(world: World, case: Case, clock: list[datetime.datetime], plan: Plan) -> None:
    """Before a case closes, what is still open is completed by its agency, or withdrawn by the commune."""
    rng, now = world.rng, world.now
    for referral in list(case.referrals.filter(status__in=["sent", "accepted", "in_progress"])):
        moment = max(clock[0], referral.sent_at) + DAY * rng.uniform(0.2, 2)
        if moment >= now:
            raise Stop
        with at(moment):
            referral.refresh_from_db()
            if referral.status == "sent" or rng.random() < 0.12:
                rf.do_withdraw_referral(
                    acting_user=plan.commune.officer, referral=referral, reason="Trẻ đã được hỗ trợ qua kênh khác."
                )
                world.tally("referral:withdrawn")
            else:
                focal = world.focal_points[_sector_of(world, referral)]
                rf.do_complete_referral(
                    acting_user=focal, referral=referral, outcome="Đã hoàn thành các hỗ trợ được đề nghị (dữ liệu mẫu)."
                )
                world.tally("referral:completed")
        clock[0] = moment


def _sector_of(world: World, referral: Referral) -> str:
    return next(key for key, agency in world.agencies.items() if agency.pk == referral.agency_id)


def _correct(world: World, case: Case, officer: User) -> None:
    """A name typed wrongly at intake, corrected later with a reason (the case page's "Lịch sử chỉnh sửa")."""
    case.refresh_from_db()
    if case.status == "draft":
        return
    moment = min(case.received_at + DAY * 2, world.now - HOUR)
    with at(moment):
        case.refresh_from_db()
        child = case.child
        parts = child.full_name.split()
        new_name = " ".join([*parts[:-1], world.rng.choice(people.GIVEN_F + people.GIVEN_M)])
        if new_name == child.full_name:
            return
        do_correct_record(
            acting_user=officer,
            case=case,
            record="child",
            record_id=child.pk,
            expected_version=None,
            changes={"full_name": new_name},
            reason="Ghi sai tên khi tiếp nhận; đã đối chiếu giấy khai sinh.",
        )
    world.tally("correction")


# --- Transfers ---------------------------------------------------------------------------------------------------


def _transfers(world: World) -> None:
    """Between communes: one accepted long ago, one to Hà Nội (it leaves the province's figures), one declined,
    one cancelled, and one still waiting for the home commune's answer."""
    rng, now = world.rng, world.now
    home, second, third = world.communes[0], world.communes[1], world.communes[2]

    def open_case_of(commune: Commune, older_than: datetime.timedelta, skip: int = 0) -> Case | None:
        cases = Case.objects.visible_to(commune.officer).open().filter(received_at__lt=now - older_than)
        return cases.exclude(transfers__status="requested").order_by("received_at")[skip : skip + 1].first()

    moves = [
        (home, second, "accept", DAY * 60, "Gia đình trẻ chuyển đến sinh sống tại xã khác."),
        (second, world.outside, "accept", DAY * 40, "Trẻ theo mẹ về quê ngoại ở Hà Nội."),
        (third, home, "decline", DAY * 30, "Gia đình trẻ dự định chuyển nơi ở."),
        (home, third, "cancel", DAY * 20, "Gia đình trẻ dự định chuyển nơi ở."),
        (second, home, "wait", DAY * 5, "Trẻ chuyển về ở với bà nội tại phường."),
        (third, home, "wait", DAY * 8, "Trẻ chuyển về ở với bố tại phường."),
    ]
    for index, (source, target, fate, age, reason) in enumerate(moves):
        case = open_case_of(source, age, skip=index)
        if case is None:
            continue
        asked = now - age + DAY * rng.uniform(1, 10)
        with at(asked):
            case.refresh_from_db()
            transfer = wf.do_transfer_case(
                acting_user=source.officer,
                case=case,
                expected_version=None,
                to_commune=target.unit,
                reason=reason,
            )
        world.tally(f"transfer:{fate}")
        if fate == "wait":
            continue
        with at(asked + DAY * rng.uniform(0.5, 3)):
            transfer.refresh_from_db()
            if fate == "accept":
                tr.do_accept_transfer(acting_user=target.officer, transfer=transfer)
            elif fate == "decline":
                tr.do_decline_transfer(
                    acting_user=target.chair or target.officer,
                    transfer=transfer,
                    reason="Gia đình chưa chuyển đến, đề nghị xã tiếp tục quản lý.",
                )
            else:
                tr.do_cancel_transfer(acting_user=source.officer, transfer=transfer)


# --- Directives --------------------------------------------------------------------------------------------------


def _directives(world: World) -> None:
    from demo.directives_import import import_sample

    for name, imported_days_ago in (
        ("thai-nguyen-5310-UBND-KGVX-2023.txt", 480),
        ("binh-dinh-UBND-VX-2024-draft.txt", 200),
    ):
        import_sample(world, (SAMPLES / name).read_text(encoding="utf-8"), world.now - DAY * imported_days_ago)
        world.tally("directive")


def run_sweeps(now: datetime.datetime) -> None:
    """What beat does every few minutes, once, at the real now: flag the overdue steps, referrals and directive
    tasks and remind about what falls due soon (each sweep works in batches: run until it finds nothing)."""
    from cases.services.referral_sweep import flag_overdue_referrals
    from cases.services.sweep import flag_overdue_deadlines, remind_upcoming_deadlines
    from directives.services.reminders import escalate_overdue_occurrences, remind_upcoming_occurrences

    today = timezone.localtime(now).date()
    for sweep in (
        lambda: flag_overdue_deadlines(now),
        lambda: remind_upcoming_deadlines(now),
        lambda: flag_overdue_referrals(now),
        lambda: remind_upcoming_occurrences(today),
        lambda: escalate_overdue_occurrences(today),
    ):
        for _round in range(50):
            if not sweep():
                break
