"""The procedure after intake (cases/services/workflow.py): every step, who may take it, the statutory deadlines
it meets and opens (on the seeded Vietnamese calendar), and optimistic locking."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from cases.models import Case, CaseDeadline, CaseEvent, CaseStatus, DeadlineStep
from cases.models.procedure import Assessment, EmergencyKind, PlanStatus
from cases.querysets import current_plan
from cases.services import workflow as wf
from cases.steps import available_actions
from childprotect.errors import ServiceError, VersionConflict
from childprotect.models import AuditEvent
from tests.cases.conftest import (
    MONDAY,
    end_of,
    item,
    local,
    procedure_case,
    run,
    save_plan,
    to_in_progress,
    to_needs_meeting,
)
from tests.personas import Personas

pytestmark = pytest.mark.usefixtures("no_broker")


def due(case: Case, step: str) -> datetime.datetime | None:
    deadline = CaseDeadline.objects.filter(case=case, step=step, met_at__isnull=True).first()
    return deadline.due_at if deadline else None


def met(case: Case, step: str) -> bool:
    return CaseDeadline.objects.filter(case=case, step=step, met_at__isnull=False).exists()


# --- The happy path, step by step ---------------------------------------------------------------------------------


def test_the_whole_procedure_from_receipt_to_closure(personas: Personas) -> None:
    p = personas
    case = procedure_case(p)
    with time_machine.travel(MONDAY + datetime.timedelta(hours=2), tick=False):
        to_in_progress(p, case)
        case.refresh_from_db()
        assert case.status == CaseStatus.IN_PROGRESS
        plan = current_plan(case)
        assert plan.status == PlanStatus.APPROVED and plan.approved_by == p.chair_a1
        assert plan.decision_number == "12/QĐ-UBND"
        # The review falls due at the end of the plan's last item.
        assert due(case, DeadlineStep.REVIEW) == end_of(datetime.date(2025, 10, 10))
        assert met(case, DeadlineStep.PLAN_DRAFT) and met(case, DeadlineStep.PLAN_APPROVAL)

        run(wf.REVIEW, p.officer_a1, case, child_safe=True, child_stable=True, findings="Ổn định", outcome="close")
        assert met(case, DeadlineStep.REVIEW)
        run(wf.CLOSE, p.chair_a1, case)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closed_at is not None
    assert not CaseDeadline.objects.filter(case=case, met_at__isnull=True).exists()
    assert case.next_deadline_at is None
    assert current_plan(case).status == PlanStatus.ENDED
    statuses = list(
        CaseEvent.objects.filter(case=case).exclude(to_status="").values_list("to_status", flat=True).order_by("id")
    )
    assert statuses == [
        "received",
        "initial_assessment",
        "detailed_assessment",
        "needs_meeting",
        "plan_drafted",
        "plan_approved",
        "in_progress",
        "review",
        "closed",
    ]
    # Every transition is in the audit log too.
    assert AuditEvent.objects.filter(target_id=str(case.pk), action="transition").count() == len(statuses)


def test_each_step_refuses_a_case_in_the_wrong_status(personas: Personas) -> None:
    p = personas
    case = procedure_case(p)
    with pytest.raises(ServiceError, match="Không thể"):
        run(
            wf.DETAILED_ASSESSMENT,
            p.officer_a1,
            case,
            harm_level="low",
            risk_level="low",
            child_condition="x",
            needs="y",
        )
    with pytest.raises(ServiceError):
        run(wf.SUBMIT_PLAN, p.officer_a1, case)
    with pytest.raises(ServiceError):
        run(wf.APPROVE_PLAN, p.chair_a1, case)
    with pytest.raises(ServiceError):
        run(wf.CLOSE, p.chair_a1, case)
    with pytest.raises(ServiceError):
        run(wf.NOT_SUBSTANTIATED, p.officer_a1, case, reason="x")
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED and case.version == 1 + 0  # refused steps leave no trace
    assert not Assessment.objects.filter(case=case).exists()


def test_not_substantiated_after_the_initial_assessment_ends_the_case(personas: Personas) -> None:
    case = procedure_case(personas, danger=True)
    run(wf.INITIAL_ASSESSMENT, personas.officer_a1, case, harm_level="none", risk_level="low", serious_danger=False)
    run(wf.NOT_SUBSTANTIATED, personas.officer_a1, case, reason="Tin báo không đúng sự thật")
    case.refresh_from_db()
    assert case.status == CaseStatus.NOT_SUBSTANTIATED and case.closed_at is not None
    assert not CaseDeadline.objects.filter(case=case, met_at__isnull=True).exists()
    with pytest.raises(ValidationError):
        case2 = procedure_case(personas)
        run(
            wf.INITIAL_ASSESSMENT, personas.officer_a1, case2, harm_level="none", risk_level="low", serious_danger=False
        )
        run(wf.NOT_SUBSTANTIATED, personas.officer_a1, case2, reason="  ")


# --- Roles --------------------------------------------------------------------------------------------------------


def test_only_the_chair_approves_returns_and_closes(personas: Personas) -> None:
    p = personas
    case = procedure_case(p)
    to_needs_meeting(p, case)
    save_plan(p, case)
    run(wf.SUBMIT_PLAN, p.officer_a1, case)
    with pytest.raises(ServiceError, match="Chủ tịch"):
        run(wf.APPROVE_PLAN, p.officer_a1, case)
    with pytest.raises(ServiceError, match="Chủ tịch"):
        run(wf.RETURN_PLAN, p.officer_a1, case, reason="Thiếu kinh phí")
    assert wf.APPROVE_PLAN not in available_actions(p.officer_a1, case)
    assert wf.APPROVE_PLAN in available_actions(p.chair_a1, case)

    run(wf.RETURN_PLAN, p.chair_a1, case, reason="Bổ sung dự toán")
    plan = current_plan(case)
    assert plan.status == PlanStatus.RETURNED and plan.return_reason == "Bổ sung dự toán"
    save_plan(p, case, [item(estimated_cost_vnd=2_000_000)])
    run(wf.SUBMIT_PLAN, p.officer_a1, case)
    run(wf.APPROVE_PLAN, p.chair_a1, case)
    run(wf.START_IMPLEMENTATION, p.officer_a1, case)
    run(wf.REVIEW, p.officer_a1, case, child_safe=True, child_stable=True, findings="Ổn", outcome="close")
    with pytest.raises(ServiceError, match="Chủ tịch"):
        run(wf.CLOSE, p.officer_a1, case)
    run(wf.CLOSE, p.chair_a1, case)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_only_the_chair_orders_separation_the_officer_may_record_an_emergency_intervention(personas: Personas) -> None:
    p = personas
    case = procedure_case(p, danger=True)
    with time_machine.travel(MONDAY + datetime.timedelta(hours=1), tick=False):
        with pytest.raises(ServiceError, match="Chủ tịch"):
            run(wf.EMERGENCY_MEASURE, p.officer_a1, case, kind=EmergencyKind.TEMPORARY_SEPARATION)
        assert not case.emergency_measures.exists()
        run(wf.EMERGENCY_MEASURE, p.officer_a1, case, kind=EmergencyKind.EMERGENCY_INTERVENTION)
    case.refresh_from_db()
    assert case.status == CaseStatus.EMERGENCY
    assert met(case, DeadlineStep.EMERGENCY)


@pytest.mark.parametrize("who", ["officer_a2", "province_officer_a", "province_officer_b", "police_a", "hotline"])
def test_people_who_do_not_work_the_case_cannot_move_it(personas: Personas, who: str) -> None:
    case = procedure_case(personas)
    with pytest.raises(ServiceError):
        run(
            wf.INITIAL_ASSESSMENT,
            getattr(personas, who),
            case,
            harm_level="low",
            risk_level="low",
            serious_danger=False,
        )
    assert available_actions(getattr(personas, who), case) == []


def test_a_close_needs_a_review_proposing_closure_and_the_child_safe(personas: Personas) -> None:
    p = personas
    case = procedure_case(p)
    to_in_progress(p, case)
    with pytest.raises(ValidationError) as refused:
        run(wf.REVIEW, p.officer_a1, case, child_safe=False, child_stable=True, findings="Còn nguy cơ", outcome="close")
    assert "outcome" in refused.value.message_dict
    run(wf.REVIEW, p.officer_a1, case, child_safe=False, child_stable=True, findings="Còn nguy cơ", outcome="new_cycle")
    with pytest.raises(ServiceError, match="rà soát"):
        run(wf.CLOSE, p.chair_a1, case)


# --- Deadlines ----------------------------------------------------------------------------------------------------


def test_the_12_hour_emergency_clock_runs_from_receipt_and_is_met_when_no_serious_danger(personas: Personas) -> None:
    case = procedure_case(personas, danger=True)
    assert due(case, DeadlineStep.EMERGENCY) == MONDAY + datetime.timedelta(hours=12)
    with time_machine.travel(MONDAY + datetime.timedelta(hours=3), tick=False):
        run(wf.INITIAL_ASSESSMENT, personas.officer_a1, case, harm_level="low", risk_level="low", serious_danger=False)
    assert met(case, DeadlineStep.EMERGENCY) and due(case, DeadlineStep.EMERGENCY) is None


def test_serious_danger_found_at_assessment_opens_the_12_hour_clock_and_blocks_the_detailed_assessment(
    personas: Personas,
) -> None:
    p = personas
    case = procedure_case(p)  # intake did not flag immediate danger
    assert due(case, DeadlineStep.EMERGENCY) is None
    with time_machine.travel(MONDAY + datetime.timedelta(hours=2), tick=False):
        run(wf.INITIAL_ASSESSMENT, p.officer_a1, case, harm_level="serious", risk_level="high", serious_danger=True)
        assert due(case, DeadlineStep.EMERGENCY) == MONDAY + datetime.timedelta(hours=12)
        case.refresh_from_db()
        assert case.next_deadline_step == DeadlineStep.EMERGENCY
        with pytest.raises(ServiceError, match="khẩn cấp"):
            run(
                wf.DETAILED_ASSESSMENT,
                p.officer_a1,
                case,
                harm_level="high",
                risk_level="high",
                child_condition="x",
                needs="y",
            )
        run(wf.EMERGENCY_MEASURE, p.chair_a1, case, kind=EmergencyKind.TEMPORARY_SEPARATION, placement="Nhà bà ngoại")
        run(
            wf.DETAILED_ASSESSMENT,
            p.officer_a1,
            case,
            harm_level="high",
            risk_level="high",
            child_condition="x",
            needs="y",
        )
    assert met(case, DeadlineStep.EMERGENCY)


def test_separation_lasts_15_days_is_extended_by_an_authority_and_revoked(personas: Personas) -> None:
    p = personas
    case = procedure_case(p, danger=True)
    start = MONDAY + datetime.timedelta(hours=4)
    with time_machine.travel(start, tick=False):
        with pytest.raises(ValidationError) as too_long:
            run(
                wf.EMERGENCY_MEASURE,
                p.chair_a1,
                case,
                kind=EmergencyKind.TEMPORARY_SEPARATION,
                ends_at=start + datetime.timedelta(days=16),
            )
        assert "ends_at" in too_long.value.message_dict
        measure = run(wf.EMERGENCY_MEASURE, p.chair_a1, case, kind=EmergencyKind.TEMPORARY_SEPARATION)
    assert measure.ends_at == start + datetime.timedelta(days=15)
    assert due(case, DeadlineStep.SEPARATION_END) == start + datetime.timedelta(days=15)
    assert met(case, DeadlineStep.EMERGENCY)

    later = start + datetime.timedelta(days=30)
    with pytest.raises(ServiceError, match="Chủ tịch"):
        run(wf.EXTEND_SEPARATION, p.officer_a1, case, ends_at=later, authority="Tòa án nhân dân khu vực")
    run(wf.EXTEND_SEPARATION, p.chair_a1, case, ends_at=later, authority="Tòa án nhân dân khu vực")
    assert due(case, DeadlineStep.SEPARATION_END) == later
    measure.refresh_from_db()
    assert measure.extended_by_authority == "Tòa án nhân dân khu vực"

    run(wf.REVOKE_SEPARATION, p.chair_a1, case, reason="Mẫu 03: mẹ bảo đảm an toàn cho trẻ")
    assert due(case, DeadlineStep.SEPARATION_END) is None and met(case, DeadlineStep.SEPARATION_END)
    with pytest.raises(ServiceError):
        run(wf.REVOKE_SEPARATION, p.chair_a1, case, reason="lần hai")


def test_plan_draft_deadline_counts_5_working_days_across_a_weekend(personas: Personas) -> None:
    case = procedure_case(personas, local(2025, 9, 11, 15, 0))  # a Thursday
    assert due(case, DeadlineStep.PLAN_DRAFT) == end_of(datetime.date(2025, 9, 18))


def test_plan_draft_deadline_skips_tet_from_the_seeded_calendar(personas: Personas) -> None:
    # Received on Friday 24/1/2025; Tết At Tỵ: 27/1–31/1 off → Mon 3/2 … Fri 7/2.
    case = procedure_case(personas, local(2025, 1, 24, 10, 0))
    assert due(case, DeadlineStep.PLAN_DRAFT) == end_of(datetime.date(2025, 2, 7))


def test_plan_draft_deadline_counts_a_make_up_saturday_and_skips_30_4_to_2_5(personas: Personas) -> None:
    # Thu 24/4/2025 → Fri 25, Sat 26 (worked in exchange for 2/5), Mon 28, Tue 29, [30/4, 1/5, 2/5 off], Mon 5/5.
    case = procedure_case(personas, local(2025, 4, 24, 10, 0))
    assert due(case, DeadlineStep.PLAN_DRAFT) == end_of(datetime.date(2025, 5, 5))


def test_submitting_meets_the_draft_deadline_and_gives_the_chair_2_working_days(personas: Personas) -> None:
    p = personas
    case = procedure_case(p)
    with time_machine.travel(local(2025, 9, 12, 10, 0), tick=False):  # a Friday
        to_needs_meeting(p, case)
        with pytest.raises(ServiceError, match="dự thảo"):
            run(wf.SUBMIT_PLAN, p.officer_a1, case)
        save_plan(p, case)
        run(wf.SUBMIT_PLAN, p.officer_a1, case)
    assert met(case, DeadlineStep.PLAN_DRAFT)
    assert due(case, DeadlineStep.PLAN_APPROVAL) == end_of(datetime.date(2025, 9, 16))
    run(wf.APPROVE_PLAN, p.chair_a1, case)
    assert met(case, DeadlineStep.PLAN_APPROVAL) and due(case, DeadlineStep.PLAN_APPROVAL) is None


def test_approval_window_skips_national_day(personas: Personas) -> None:
    p = personas
    case = procedure_case(p, local(2025, 8, 25, 9, 0))
    with time_machine.travel(local(2025, 8, 29, 10, 0), tick=False):  # Friday before 1/9 and 2/9
        to_needs_meeting(p, case)
        save_plan(p, case)
        run(wf.SUBMIT_PLAN, p.officer_a1, case)
    assert due(case, DeadlineStep.PLAN_APPROVAL) == end_of(datetime.date(2025, 9, 4))


def test_a_new_cycle_reopens_planning_with_5_working_days_from_the_review(personas: Personas) -> None:
    p = personas
    case = procedure_case(p)
    to_in_progress(p, case)
    reviewed = local(2025, 10, 10, 9, 0)  # a Friday
    with time_machine.travel(reviewed, tick=False):
        run(
            wf.REVIEW, p.officer_a1, case, child_safe=False, child_stable=False, findings="Chưa ổn", outcome="new_cycle"
        )
        plan = run(wf.NEW_CYCLE, p.officer_a1, case)
    case.refresh_from_db()
    assert case.status == CaseStatus.PLAN_DRAFTED
    assert plan.cycle == 2 and plan.status == PlanStatus.DRAFT
    assert case.plans.get(cycle=1).status == PlanStatus.ENDED
    assert due(case, DeadlineStep.PLAN_DRAFT) == end_of(datetime.date(2025, 10, 17))
    # The second cycle goes through drafting and approval again.
    save_plan(p, case, [item(start_date=datetime.date(2025, 10, 13), expected_end_date=datetime.date(2025, 11, 30))])
    run(wf.SUBMIT_PLAN, p.officer_a1, case)
    run(wf.APPROVE_PLAN, p.chair_a1, case)
    assert due(case, DeadlineStep.REVIEW) == end_of(datetime.date(2025, 11, 30))


# --- Plan validation ----------------------------------------------------------------------------------------------


def test_plan_items_are_validated_and_nothing_is_saved_when_one_is_wrong(personas: Personas) -> None:
    p = personas
    case = procedure_case(p)
    to_needs_meeting(p, case)
    bad = [
        item(),
        item(start_date=datetime.date(2025, 10, 1), expected_end_date=datetime.date(2025, 9, 1)),
        item(measure_code="Điều 50", level="nope", estimated_cost_vnd=-1),
    ]
    with pytest.raises(wf.PlanItemsInvalid) as invalid:
        save_plan(p, case, bad)
    errors = invalid.value.rows
    assert errors[0] == {}
    assert set(errors[1]) == {"expected_end_date"}
    assert set(errors[2]) == {"measure_code", "level", "estimated_cost_vnd"}
    assert not case.plans.exists()
    for code in ("50", "50.2", "50.2.b", "47.1.đ"):
        assert wf.validate_plan_item(item(measure_code=code)) == {}


# --- Transfer -----------------------------------------------------------------------------------------------------


def test_transfer_is_a_request_until_the_receiving_commune_accepts(personas: Personas) -> None:
    """The transfer action only asks; the case moves (keeping its status and open deadlines) once the receiving
    commune's officer accepts. The full handshake is tested in tests/cases/test_transfers.py."""
    from cases.services.transfers import do_accept_transfer

    p = personas
    case = procedure_case(p, danger=True)
    transfer = run(wf.TRANSFER, p.officer_a1, case, to_commune=p.commune_a2, reason="Gia đình chuyển nơi ở")
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED and case.commune == p.commune_a1
    assert wf.TRANSFER not in available_actions(p.officer_a1, case)  # one pending request at a time
    do_accept_transfer(acting_user=p.officer_a2, transfer=transfer)
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED
    assert case.commune == p.commune_a2 and case.unit_path == p.commune_a2.path
    assert case.assigned_officer == p.officer_a2
    assert CaseDeadline.objects.filter(case=case, met_at__isnull=True).exists()  # the clocks keep running
    assert not Case.objects.visible_to(p.officer_a1).filter(pk=case.pk).exists()
    assert Case.objects.visible_to(p.officer_a2).filter(pk=case.pk).exists()
    with pytest.raises(ValidationError):
        other = procedure_case(p)
        run(wf.TRANSFER, p.officer_a1, other, to_commune=p.commune_a1, reason="x")


# --- Optimistic locking -------------------------------------------------------------------------------------------


def test_two_saves_from_the_same_version_the_second_is_refused_and_nothing_changes(personas: Personas) -> None:
    p = personas
    case = procedure_case(p)
    seen = case.version
    first = Case.objects.get(pk=case.pk)
    second = Case.objects.get(pk=case.pk)
    wf.do_record_initial_assessment(
        acting_user=p.officer_a1,
        case=first,
        expected_version=seen,
        harm_level="low",
        risk_level="low",
        serious_danger=False,
    )
    events_before = CaseEvent.objects.filter(case=case).count()
    with pytest.raises(VersionConflict, match="vừa được người khác cập nhật"):
        wf.do_mark_not_substantiated(acting_user=p.chair_a1, case=second, expected_version=seen, reason="Không đúng")
    with pytest.raises(VersionConflict):
        wf.do_record_initial_assessment(
            acting_user=p.chair_a1,
            case=second,
            expected_version=seen,
            harm_level="high",
            risk_level="high",
            serious_danger=True,
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.INITIAL_ASSESSMENT and case.version == seen + 1
    assert Assessment.objects.filter(case=case).count() == 1
    assert CaseEvent.objects.filter(case=case).count() == events_before


def test_a_refused_step_does_not_use_up_the_version(personas: Personas) -> None:
    case = procedure_case(personas)
    with pytest.raises(ServiceError):
        run(wf.APPROVE_PLAN, personas.chair_a1, case)
    case.refresh_from_db()
    assert case.version == 1
