"""The case file (hồ sơ) as an officer reads it: everything recorded, in the order of the procedure of NĐ56
Arts. 25–32, with codes shown by their names.

`load_case_file(case, user=…)` reads every record of the case in a fixed number of queries, whatever the number
of steps, plans, items and notes, and returns a `CaseFile`: the records, plus `sections` (intake → initial
assessment → emergency measures → detailed assessment → needs meeting → plan → approval → implementation →
reviews → closure), each with its records as labelled values and, when it is empty, what is expected next and by
when. The case page (templates/cases/partials/casefile.html), the timeline's summaries (cases/timeline.py) and
the printed forms (cases/printing/) all read this one object, so the screen and the paper say the same thing.

Need-to-know: the reporter's identity is loaded only when `can_see_reporter` allows it (NĐ56 Art. 24).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.access import can_see_reporter
from cases.ethnicity import ethnicity_name
from cases.models import (
    AbuseForm,
    AbuseSubtype,
    Case,
    CaseAttachment,
    CaseDeadline,
    CaseEvent,
    CaseEventType,
    CaseNote,
    CaseStatus,
    DeadlineStep,
    Reporter,
)
from cases.models.choices import FINAL_STATUSES, SPECIAL_GROUP_LABELS, groups_of, implied_groups, measure_label
from cases.models.procedure import (
    Assessment,
    AssessmentKind,
    EmergencyKind,
    EmergencyMeasure,
    NeedsMeeting,
    Plan,
    PlanItem,
    PlanStatus,
    Review,
)
from cases.querysets import child_age, deadline_state
from childprotect.models import User

# --- Formatting: one way to write a date, a person, a yes/no, on the page and on paper --------------------------


def when(value: datetime.datetime | None) -> str:
    """ "14:05 09/09/2025" in Vietnam time; "" for none."""
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y") if value else ""


def day(value: datetime.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def person(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def who_when(user: User | None, at: datetime.datetime | None) -> str:
    """ "officer_a1, 14:05 09/09/2025": who recorded something, and when."""
    return _("%(who)s, %(when)s") % {"who": person(user), "when": when(at)}


def yes_no(value: bool) -> str:
    return _("Có") if value else _("Không")


def grouped(value: int | None) -> str:
    """ "1.500.000" (Vietnamese digit grouping)."""
    return f"{int(value or 0):,}".replace(",", ".")


def money(value: int | None) -> str:
    """ "1.500.000 đồng"."""
    return _("%(amount)s đồng") % {"amount": grouped(value)}


def labels(values: list[str], choices: Any) -> str:
    names = dict(choices)
    return ", ".join(str(names.get(value, value)) for value in values)


# --- What a section shows ------------------------------------------------------------------------------------------


@dataclass
class Item:
    """One labelled value. `long` values are prose (kept with their line breaks)."""

    label: str
    value: str
    long: bool = False


@dataclass
class Record:
    """One record of a step: an assessment, a measure, a meeting, a plan, a review… `anchor` is its id on the page."""

    anchor: str
    title: str
    meta: str
    items: list[Item]
    plan_items: list[PlanItem] = field(default_factory=list)
    badges: list[str] = field(default_factory=list)

    # Which correctable record this is (cases/corrections.py): (record key, id), from its anchor.
    @property
    def correction(self) -> tuple[str, int] | None:
        prefix, _sep, pk = self.anchor.rpartition("-")
        key = CORRECTABLE_ANCHORS.get(prefix)
        return (key, int(pk)) if key and pk.isdigit() else None


# The anchors of records that can be corrected, and the correctable record each one is (cases/corrections.py).
CORRECTABLE_ANCHORS = {
    "assessment": "assessment",
    "measure": "emergency",
    "meeting": "needs-meeting",
    "plan": "plan",
    "approval": "plan",
    "review": "review",
}


@dataclass
class Section:
    key: str  # the section's id on the page, e.g. "initial-assessment"
    number: int
    title: str
    form: str  # the statutory form it corresponds to ("Mẫu 02"), if any
    records: list[Record]
    # When empty: what is expected next, by when (a deadline), or why nothing is needed.
    expected: str = ""
    due: CaseDeadline | None = None
    not_needed: bool = False
    # The statutory forms printable from this section (set by the page: cases/printing/forms.py).
    print_forms: list[Any] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return bool(self.records)


SECTION_TITLES: dict[str, Any] = {
    "intake": gettext_lazy("Tiếp nhận thông tin"),
    "initial-assessment": gettext_lazy("Đánh giá nguy cơ ban đầu"),
    "emergency": gettext_lazy("Can thiệp khẩn cấp, tạm thời cách ly"),
    "detailed-assessment": gettext_lazy("Thu thập thông tin, đánh giá nguy cơ cụ thể"),
    "needs-meeting": gettext_lazy("Họp xác định nhu cầu, biện pháp"),
    "plan": gettext_lazy("Kế hoạch hỗ trợ, can thiệp"),
    "approval": gettext_lazy("Phê duyệt kế hoạch"),
    "implementation": gettext_lazy("Thực hiện kế hoạch"),
    "review": gettext_lazy("Rà soát, đánh giá"),
    "closure": gettext_lazy("Kết thúc hồ sơ"),
}
SECTION_FORMS: dict[str, str] = {
    "intake": "01",
    "initial-assessment": "02",
    "emergency": "07",
    "detailed-assessment": "03",
    "plan": "04",
    "approval": "05",
    "review": "06",
}


# --- Loading -------------------------------------------------------------------------------------------------------


@dataclass
class CaseFile:
    case: Case
    show_reporter: bool
    caregivers: list[Any]
    reporter: Reporter | None
    assessments: list[Assessment]
    measures: list[EmergencyMeasure]
    meetings: list[NeedsMeeting]
    plans: list[Plan]
    reviews: list[Review]
    notes: list[CaseNote]
    attachments: list[CaseAttachment]
    events: list[CaseEvent]
    deadlines: list[CaseDeadline]  # open ones, earliest first

    # Lookups for the timeline and the forms.
    @property
    def initial_assessments(self) -> list[Assessment]:
        return [a for a in self.assessments if a.kind == AssessmentKind.INITIAL]

    @property
    def detailed_assessments(self) -> list[Assessment]:
        return [a for a in self.assessments if a.kind == AssessmentKind.DETAILED]

    @property
    def separations(self) -> list[EmergencyMeasure]:
        return [m for m in self.measures if m.kind == EmergencyKind.TEMPORARY_SEPARATION]

    @property
    def current_plan(self) -> Plan | None:
        return self.plans[-1] if self.plans else None

    @property
    def active_separation(self) -> EmergencyMeasure | None:
        """The separation in force (cases.services.workflow.active_separation, from what is loaded)."""
        active = [m for m in self.separations if m.revoked_at is None]
        return active[-1] if active else None

    def open_deadline(self, step: str) -> CaseDeadline | None:
        return next((d for d in self.deadlines if d.step == step), None)

    def event_at(self, to_status: str) -> CaseEvent | None:
        """The latest event that moved the case into `to_status`."""
        return next((e for e in reversed(self.events) if e.to_status == to_status), None)

    @property
    def sections(self) -> list[Section]:
        return build_sections(self)


def with_display(items: list[PlanItem]) -> list[PlanItem]:
    """Plan items with what the page and the forms show of them: the measure by name, the cost in đồng."""
    for item in items:
        item.measure_name = measure_label(item.measure_code)  # type: ignore[attr-defined]
        item.cost_text = money(item.estimated_cost_vnd)  # type: ignore[attr-defined]
        item.cost_number = grouped(item.estimated_cost_vnd)  # type: ignore[attr-defined]
    return items


def load_case_file(case: Case, *, user: User) -> CaseFile:
    """Everything recorded on the case, read in one query per kind of record (constant in their number)."""
    show_reporter = can_see_reporter(user, case)
    reporter = None
    if show_reporter:
        try:
            reporter = case.reporter
        except ObjectDoesNotExist:
            reporter = None
    items = PlanItem.objects.select_related("responsible_agency").order_by("start_date", "id")
    now = timezone.now()
    deadlines = list(case.deadlines.filter(met_at__isnull=True).order_by("due_at"))
    for deadline in deadlines:
        deadline.state = deadline_state(deadline.due_at, now, deadline.step)  # type: ignore[attr-defined]
    plans = list(
        case.plans.select_related("drafted_by", "approved_by")
        .prefetch_related(Prefetch("items", queryset=items))
        .order_by("cycle")
    )
    for plan in plans:
        with_display(list(plan.items.all()))
    return CaseFile(
        case=case,
        show_reporter=show_reporter,
        caregivers=list(case.child.caregivers.order_by("id")),
        reporter=reporter,
        assessments=list(case.assessments.select_related("assessed_by").order_by("assessed_at", "id")),
        measures=list(case.emergency_measures.select_related("decided_by").order_by("started_at", "id")),
        meetings=list(case.meetings.select_related("recorded_by").order_by("held_on", "id")),
        plans=plans,
        reviews=list(case.reviews.select_related("reviewed_by", "plan").order_by("reviewed_at", "id")),
        notes=list(case.notes.select_related("author").order_by("created_at", "id")),
        attachments=list(case.attachments.select_related("uploaded_by").order_by("uploaded_at", "id")),
        events=list(case.events.select_related("actor").order_by("at", "id")),
        deadlines=deadlines,
    )


# --- The records as labelled values ----------------------------------------------------------------------------------


def born_text(child: Any) -> str:
    """ "01/02/2013 · 12 tuổi", "Năm sinh 2013 (ước tính) · 12 tuổi" or "Chưa rõ"."""
    if child.date_of_birth:
        born = day(child.date_of_birth)
    elif child.birth_year:
        born = _("Năm sinh %(year)s (ước tính)") % {"year": child.birth_year}
    else:
        return _("Chưa rõ")
    age = child_age(child)
    if age is not None:
        born += " · " + _("%(age)s tuổi") % {"age": age}
    return born


def ethnicity_text(child: Any) -> str:
    """The group's name (QĐ 121), or the code and its list for a child coded in another list; "Chưa ghi"."""
    if not child.ethnicity_code:
        return _("Chưa ghi")
    name = ethnicity_name(child.ethnicity_code, child.ethnicity_code_system)
    return name or _("Mã %(code)s (%(system)s)") % {
        "code": child.ethnicity_code,
        "system": child.get_ethnicity_code_system_display(),
    }


def child_items(cf: CaseFile) -> list[Item]:
    child = cf.case.child
    return [
        Item(_("Họ và tên"), child.full_name),
        Item(_("Ngày sinh / tuổi"), born_text(child)),
        Item(_("Giới tính"), child.get_sex_display()),
        Item(_("Dân tộc"), ethnicity_text(child)),
        Item(_("Số định danh cá nhân"), child.id_number or "—"),
        Item(_("Khuyết tật"), child.get_disability_display()),
        Item(_("Nơi cư trú"), child.commune.full_name if child.commune_id else ""),
    ]


def special_group_text(case: Case) -> str:
    """Every group of the child, those implied by the case data marked as such (cases/special_groups.py)."""
    implied = set(implied_groups(case))
    ticked = set(case.special_groups or [])
    parts = []
    for code in groups_of(case):
        label = str(SPECIAL_GROUP_LABELS[code])
        if code in implied and code not in ticked:
            label += " " + _("(theo thông tin vụ việc)")
        parts.append(label)
    return "; ".join(parts)


def incident_items(cf: CaseFile) -> list[Item]:
    case = cf.case
    items = [
        Item(_("Số hồ sơ"), case.case_number or _("Bản nháp")),
        Item(_("Tiếp nhận lúc"), when(case.received_at)),
        Item(_("Loại vụ việc"), case.get_kind_display()),
    ]
    if case.abuse_forms:
        items.append(Item(_("Hình thức xâm hại"), labels(case.abuse_forms, AbuseForm.choices)))
    if case.abuse_subtypes:
        items.append(Item(_("Chi tiết hình thức"), labels(case.abuse_subtypes, AbuseSubtype.choices)))
    groups = special_group_text(case)
    if groups:
        items.append(Item(_("Nhóm trẻ em có hoàn cảnh đặc biệt"), groups))
    if case.accident_type:
        accident = case.get_accident_type_display()
        if case.accident_outcome:
            accident += " — " + case.get_accident_outcome_display()
        items.append(Item(_("Tai nạn, thương tích"), accident))
    if case.setting:
        items.append(Item(_("Môi trường xảy ra"), case.get_setting_display()))
    items += [
        Item(_("Ngày xảy ra"), day(case.incident_date) or "—"),
        Item(
            _("Nơi xảy ra"),
            case.incident_commune.full_name if case.incident_commune else _("Nơi trẻ cư trú (không ghi riêng)"),
        ),
        Item(_("Trẻ đang gặp nguy hiểm khi tiếp nhận"), yes_no(case.immediate_danger)),
        Item(_("Xã, phường phụ trách"), f"{case.commune.full_name} — {case.province.full_name}"),
        Item(_("Cán bộ phụ trách"), person(case.assigned_officer) or _("Chưa phân công")),
        Item(_("Tóm tắt sự việc"), case.summary or "—", long=True),
    ]
    return items


def reporter_items(cf: CaseFile) -> list[Item]:
    reporter = cf.reporter
    if reporter is None:
        return []
    return [
        Item(_("Kênh tiếp nhận"), reporter.get_channel_display()),
        Item(_("Họ tên người báo tin"), reporter.name or "—"),
        Item(_("Điện thoại"), reporter.phone or "—"),
        Item(_("Quan hệ với trẻ"), reporter.relationship or "—"),
    ]


def initial_assessment_items(a: Assessment) -> list[Item]:
    return [
        Item(_("Thời điểm đánh giá"), when(a.assessed_at)),
        Item(_("Người đánh giá"), person(a.assessed_by)),
        Item(_("Mức độ tổn hại"), a.get_harm_level_display()),
        Item(_("Mức độ nguy cơ"), a.get_risk_level_display()),
        Item(_("Trẻ đang bị hoặc có nguy cơ bị tổn hại nghiêm trọng"), yes_no(a.serious_danger)),
        Item(
            _("Kết luận"),
            _("Cần áp dụng biện pháp can thiệp khẩn cấp hoặc tạm thời cách ly trong 12 giờ")
            if a.serious_danger
            else _("Không cần áp dụng biện pháp can thiệp khẩn cấp"),
        ),
        Item(_("Nhận định"), a.findings or "—", long=True),
    ]


# NĐ56 Art. 27(1) a–h: the detailed assessment's contents, lettered as in the decree.
DETAILED_ASSESSMENT_POINTS: tuple[tuple[str, Any], ...] = (
    ("child_condition", gettext_lazy("a) Tình trạng thể chất, tâm lý, tình cảm của trẻ")),
    ("family_situation", gettext_lazy("b) Hoàn cảnh gia đình, khả năng bảo vệ của cha mẹ, gia đình")),
    ("risk_factors", gettext_lazy("c) Yếu tố có thể gây xâm hại (tiếp tục) hoặc hoàn cảnh đặc biệt")),
    ("learning_and_self_protection", gettext_lazy("d) Khả năng học tập, tự bảo vệ của trẻ")),
    ("community_safety", gettext_lazy("đ) Mức độ an toàn, khả năng hỗ trợ của cộng đồng")),
    ("needs", gettext_lazy("e) Nhu cầu của trẻ")),
    ("child_views", gettext_lazy("g) Ý kiến, nguyện vọng của trẻ")),
    ("caregiver_views", gettext_lazy("h) Ý kiến của cha mẹ, người chăm sóc (trừ người gây hại)")),
)


def detailed_assessment_items(a: Assessment) -> list[Item]:
    items = [
        Item(_("Thời điểm đánh giá"), when(a.assessed_at)),
        Item(_("Người đánh giá"), person(a.assessed_by)),
        Item(_("Mức độ tổn hại"), a.get_harm_level_display()),
        Item(_("Mức độ nguy cơ"), a.get_risk_level_display()),
        Item(_("Trẻ vẫn có nguy cơ bị tổn hại nghiêm trọng"), yes_no(a.serious_danger)),
    ]
    items += [Item(str(label), getattr(a, name) or "—", long=True) for name, label in DETAILED_ASSESSMENT_POINTS]
    items.append(Item(_("Nhận định chung"), a.findings or "—", long=True))
    return items


def measure_items(m: EmergencyMeasure, revoke_reason: str = "") -> list[Item]:
    items = [
        Item(_("Biện pháp"), m.get_kind_display()),
        Item(_("Người quyết định"), person(m.decided_by)),
        Item(_("Số quyết định"), m.decision_number or "—"),
        Item(_("Bắt đầu"), when(m.started_at)),
    ]
    if m.kind == EmergencyKind.TEMPORARY_SEPARATION:
        items.append(Item(_("Kết thúc dự kiến"), when(m.ends_at) or "—"))
        if m.extended_by_authority:
            items.append(Item(_("Gia hạn theo yêu cầu của"), m.extended_by_authority))
        items.append(Item(_("Chấm dứt lúc"), when(m.revoked_at) or _("Đang có hiệu lực")))
        if revoke_reason:
            items.append(Item(_("Lý do chấm dứt"), revoke_reason, long=True))
    items += [
        Item(_("Nơi ở an toàn, chăm sóc thay thế"), m.placement or "—"),
        Item(_("Nội dung"), m.description or "—", long=True),
    ]
    return items


def meeting_items(m: NeedsMeeting) -> list[Item]:
    return [
        Item(_("Ngày họp"), day(m.held_on)),
        Item(_("Người ghi biên bản"), person(m.recorded_by)),
        Item(_("Thành phần"), m.participants, long=True),
        Item(_("Kết luận về nhu cầu, biện pháp"), m.decisions, long=True),
    ]


def plan_total(plan: Plan) -> int:
    return sum(item.estimated_cost_vnd for item in plan.items.all())


def plan_items_summary(plan: Plan) -> list[Item]:
    return [
        Item(_("Trạng thái"), plan.get_status_display()),
        Item(_("Người lập"), person(plan.drafted_by)),
        Item(_("Trình phê duyệt lúc"), when(plan.submitted_at) or "—"),
        Item(_("Mục tiêu"), plan.goals or "—", long=True),
        Item(_("Tổng dự toán kinh phí"), money(plan_total(plan))),
    ]


def approval_items(plan: Plan) -> list[Item]:
    return [
        Item(_("Kế hoạch"), _("Chu kỳ %(cycle)s") % {"cycle": plan.cycle}),
        Item(_("Người phê duyệt"), person(plan.approved_by)),
        Item(_("Phê duyệt lúc"), when(plan.approved_at)),
        Item(_("Số quyết định phê duyệt"), plan.decision_number or "—"),
    ]


def review_items(r: Review) -> list[Item]:
    return [
        Item(_("Thời điểm rà soát"), when(r.reviewed_at)),
        Item(_("Người rà soát"), person(r.reviewed_by)),
        Item(_("Kế hoạch được rà soát"), _("Chu kỳ %(cycle)s") % {"cycle": r.plan.cycle}),
        Item(_("Trẻ không còn nguy cơ bị xâm hại"), yes_no(r.child_safe)),
        Item(_("Các yếu tố thể chất, tâm lý, nhận thức, tình cảm ổn định"), yes_no(r.child_stable)),
        Item(_("Kết quả rà soát"), r.findings, long=True),
        Item(_("Đề xuất"), r.get_outcome_display()),
    ]


# --- The sections, in the order of the procedure ---------------------------------------------------------------


def _by(deadline: CaseDeadline | None) -> str:
    return _(" Hạn: %(due)s.") % {"due": when(deadline.due_at)} if deadline else ""


def _section(key: str, number: int, records: list[Record], **kwargs: Any) -> Section:
    form = SECTION_FORMS.get(key, "")
    return Section(
        key=key,
        number=number,
        title=str(SECTION_TITLES[key]),
        form=_("Mẫu %(number)s") % {"number": form} if form else "",
        records=records,
        **kwargs,
    )


def build_sections(cf: CaseFile) -> list[Section]:
    case = cf.case
    status = case.status
    final = status in FINAL_STATUSES
    emergency_due = cf.open_deadline(DeadlineStep.EMERGENCY)
    draft_due = cf.open_deadline(DeadlineStep.PLAN_DRAFT)
    sections: list[Section] = []

    # 1. Intake (Mẫu 01). Its records are the report itself; the template shows child, incident, caregivers.
    intake = Record("intake-record", str(SECTION_TITLES["intake"]), when(case.received_at), incident_items(cf))
    sections.append(_section("intake", 1, [intake]))

    # 2. Initial assessment (Mẫu 02).
    initial = [
        Record(
            f"assessment-{a.pk}",
            _("Đánh giá ban đầu"),
            who_when(a.assessed_by, a.assessed_at),
            initial_assessment_items(a),
            badges=[_("Nguy cơ tổn hại nghiêm trọng")] if a.serious_danger else [],
        )
        for a in cf.initial_assessments
    ]
    sections.append(
        _section(
            "initial-assessment",
            2,
            initial,
            expected=_(
                "Cán bộ bảo vệ trẻ em đánh giá nguy cơ ban đầu, mức độ tổn hại (Mẫu 02) ngay sau khi tiếp nhận, "
                "để quyết định có cần can thiệp khẩn cấp hay không."
            )
            + _by(emergency_due),
            due=emergency_due,
        )
    )

    # 3. Emergency measures and temporary separation (Mẫu 07).
    # Why a separation was ended is written on the event that ended it.
    revoke_reasons = {
        (e.details or {}).get("measure_id"): (e.details or {}).get("reason", "")
        for e in cf.events
        if e.event_type == CaseEventType.EMERGENCY and (e.details or {}).get("revoked")
    }
    measures = [
        Record(
            f"measure-{m.pk}",
            m.get_kind_display(),
            who_when(m.decided_by, m.started_at),
            measure_items(m, revoke_reasons.get(m.pk, "")),
            badges=[_("Đang cách ly")] if m.kind == EmergencyKind.TEMPORARY_SEPARATION and m.revoked_at is None else [],
        )
        for m in cf.measures
    ]
    serious = any(a.serious_danger for a in cf.initial_assessments)
    not_needed = not measures and bool(cf.initial_assessments) and not serious and emergency_due is None
    if not_needed:
        expected = _("Không cần: đánh giá ban đầu không xác định trẻ có nguy cơ bị tổn hại nghiêm trọng.")
    elif emergency_due is not None:
        expected = _(
            "Trẻ có nguy cơ bị tổn hại nghiêm trọng: áp dụng biện pháp can thiệp khẩn cấp; tạm thời cách ly trẻ "
            "khỏi cha mẹ, người chăm sóc do Chủ tịch UBND xã quyết định (Mẫu 07), trong 12 giờ kể từ khi nhận thông "
            "tin."
        ) + _by(emergency_due)
    else:
        expected = _("Chưa có biện pháp khẩn cấp nào. Chỉ cần khi trẻ có nguy cơ bị tổn hại nghiêm trọng.")
    sections.append(_section("emergency", 3, measures, expected=expected, due=emergency_due, not_needed=not_needed))

    # 4. Detailed assessment (Mẫu 03).
    detailed = [
        Record(
            f"assessment-{a.pk}",
            _("Đánh giá chi tiết"),
            who_when(a.assessed_by, a.assessed_at),
            detailed_assessment_items(a),
        )
        for a in cf.detailed_assessments
    ]
    sections.append(
        _section(
            "detailed-assessment",
            4,
            detailed,
            expected=_(
                "Thu thập thông tin, đánh giá nguy cơ cụ thể (Mẫu 03) sau đánh giá ban đầu, trong thời hạn xây dựng "
                "kế hoạch."
            )
            + _by(draft_due),
            due=draft_due,
        )
    )

    # 5. Needs meeting.
    meetings = [Record(f"meeting-{m.pk}", _("Biên bản họp"), day(m.held_on), meeting_items(m)) for m in cf.meetings]
    sections.append(
        _section(
            "needs-meeting",
            5,
            meetings,
            expected=_(
                "Chủ tịch UBND xã chủ trì họp với cơ quan, tổ chức liên quan, đại diện khu dân cư, cha mẹ hoặc người "
                "chăm sóc để xác định nhu cầu và biện pháp, sau đánh giá chi tiết."
            )
            + _by(draft_due),
            due=draft_due,
        )
    )

    # 6. The plan (Mẫu 04), one record per cycle.
    plans = [
        Record(
            f"plan-{p.pk}",
            _("Kế hoạch chu kỳ %(cycle)s") % {"cycle": p.cycle},
            p.get_status_display(),
            plan_items_summary(p),
            plan_items=list(p.items.all()),
            badges=[_("Bị trả lại: %(reason)s") % {"reason": p.return_reason}]
            if p.status == PlanStatus.RETURNED and p.return_reason
            else [],
        )
        for p in cf.plans
    ]
    sections.append(
        _section(
            "plan",
            6,
            plans,
            expected=_(
                "Cán bộ xây dựng kế hoạch hỗ trợ, can thiệp (dịch vụ, người chịu trách nhiệm, thời gian, kinh phí) "
                "và trình Chủ tịch UBND xã trong 5 ngày làm việc kể từ khi tiếp nhận."
            )
            + _by(draft_due),
            due=draft_due,
        )
    )

    # 7. Approval (Mẫu 05): the chair's decisions, and the returns with their reasons.
    approval_due = cf.open_deadline(DeadlineStep.PLAN_APPROVAL)
    decisions: list[tuple[datetime.datetime, Record]] = [
        (
            p.approved_at,
            Record(
                f"approval-{p.pk}",
                _("Quyết định phê duyệt kế hoạch chu kỳ %(cycle)s") % {"cycle": p.cycle},
                when(p.approved_at),
                approval_items(p),
            ),
        )
        for p in cf.plans
        if p.approved_at
    ]
    for event in cf.events:
        if (event.details or {}).get("returned"):
            record = Record(
                f"event-{event.pk}",
                _("Trả lại kế hoạch để sửa"),
                who_when(event.actor, event.at),
                [Item(_("Lý do trả lại, nội dung cần sửa"), (event.details or {}).get("reason", ""), long=True)],
            )
            decisions.append((event.at, record))
    approvals = [record for _at, record in sorted(decisions, key=lambda pair: pair[0])]
    current = cf.current_plan
    if current is not None and current.status == PlanStatus.SUBMITTED:
        approval_expected = _("Kế hoạch đang chờ Chủ tịch UBND xã phê duyệt trong 2 ngày làm việc kể từ khi trình.")
    else:
        approval_expected = _("Chủ tịch UBND xã phê duyệt kế hoạch trong 2 ngày làm việc kể từ khi được trình.")
    sections.append(
        _section("approval", 7, approvals, expected=approval_expected + _by(approval_due), due=approval_due)
    )

    # 8. Implementation: when it started, and the notes written since.
    started = cf.event_at(CaseStatus.IN_PROGRESS)
    implementation: list[Record] = []
    if started is not None:
        notes = [n for n in cf.notes if n.created_at >= started.at]
        items = [Item(_("Bắt đầu thực hiện"), when(started.at)), Item(_("Người ghi nhận"), person(started.actor))]
        items += [
            Item(
                _("Ghi chú của %(who)s, %(when)s") % {"who": person(n.author), "when": when(n.created_at)}, n.text, True
            )
            for n in notes
        ]
        implementation.append(Record("implementation-record", _("Thực hiện kế hoạch"), when(started.at), items))
    sections.append(
        _section(
            "implementation",
            8,
            implementation,
            expected=_(
                "Sau khi kế hoạch được phê duyệt, gửi quyết định và kế hoạch cho người thực hiện, cha mẹ, người chăm "
                "sóc rồi bắt đầu thực hiện; ghi diễn biến vào phần ghi chú."
            ),
        )
    )

    # 9. Reviews (Mẫu 06).
    review_due = cf.open_deadline(DeadlineStep.REVIEW)
    reviews = [
        Record(
            f"review-{r.pk}",
            _("Rà soát, đánh giá"),
            who_when(r.reviewed_by, r.reviewed_at),
            review_items(r),
        )
        for r in cf.reviews
    ]
    sections.append(
        _section(
            "review",
            9,
            reviews,
            expected=_("Rà soát tình trạng của trẻ và sự an toàn của môi trường sống khi kết thúc các hoạt động.")
            + _by(review_due),
            due=review_due,
        )
    )

    # 10. Closure, or the other ways a case ends here.
    end = cf.event_at(status) if final else None
    closure: list[Record] = []
    if end is not None:
        details = end.details or {}
        items = [
            Item(_("Kết quả"), case.get_status_display()),
            Item(_("Người thực hiện"), person(end.actor)),
            Item(_("Thời điểm"), when(end.at)),
        ]
        if details.get("decision_number"):
            items.append(Item(_("Số quyết định"), details["decision_number"]))
        if details.get("reason"):
            items.append(Item(_("Lý do"), details["reason"], long=True))
        if details.get("note"):
            items.append(Item(_("Ghi chú"), details["note"], long=True))
        closure.append(Record("closure-record", case.get_status_display(), when(end.at), items))
    sections.append(
        _section(
            "closure",
            10,
            closure,
            expected=_(
                "Khi rà soát cho thấy trẻ không còn nguy cơ bị xâm hại và đã ổn định, cán bộ đề nghị, Chủ tịch UBND "
                "xã quyết định kết thúc kế hoạch."
            ),
        )
    )
    return sections
