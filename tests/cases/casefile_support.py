"""A case carried through the whole procedure with a distinctive value in every field a user types, for the case
file's page, timeline and printed forms (no tests here). `TYPED` lists what must be readable afterwards."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from cases.models import Case
from cases.services import workflow as wf
from cases.services.files import do_add_note
from cases.services.intake import CaregiverInput, CaseInput, ChildInput, ReporterInput, do_create_case
from childprotect.models import Agency
from tests.personas import Personas

CHILD_NAME = "Lò Thị Hoa Ban"
REPORTER = "Đinh Văn Báo"
TYPED = {
    "child": CHILD_NAME,
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
            full_name=CHILD_NAME,
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
        reporter=ReporterInput(channel="school", name=REPORTER, phone="0912 000 999", relationship="Cô giáo"),
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

    def run(action: str, user: Any, **kwargs: Any) -> Any:
        case.refresh_from_db()
        return wf.ACTION_SERVICES[action](acting_user=user, case=case, expected_version=case.version, **kwargs)

    run(
        wf.INITIAL_ASSESSMENT,
        p.officer_a1,
        harm_level="high",
        risk_level="high",
        serious_danger=True,
        findings=TYPED["initial_findings"],
    )
    run(wf.EMERGENCY_MEASURE, p.officer_a1, kind="emergency_intervention", description=TYPED["measure_text"])
    run(
        wf.EMERGENCY_MEASURE,
        p.chair_a1,
        kind="temporary_separation",
        decision_number=TYPED["separation_number"],
        placement=TYPED["placement"],
    )
    run(
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
    run(
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
    run(wf.SUBMIT_PLAN, p.officer_a1)
    if until == "plan":
        return case
    run(wf.APPROVE_PLAN, p.chair_a1, decision_number=TYPED["approval_number"])
    if until == "approved":
        return case
    run(wf.START_IMPLEMENTATION, p.officer_a1)
    case.refresh_from_db()
    do_add_note(acting_user=p.officer_a1, case=case, text=TYPED["note"])
    for n in range(extra_notes):
        do_add_note(acting_user=p.officer_a1, case=case, text=f"Ghi chú thêm {n}")
    run(
        wf.REVIEW,
        p.officer_a1,
        child_safe=True,
        child_stable=True,
        findings=TYPED["review_findings"],
        outcome="close",
    )
    case.refresh_from_db()
    return case
