"""The statutory procedure after intake (Decree 56/2017, Arts. 26–32), one declared record per step.

Each `Step` says everything about one step, once: the statuses it may start from, who may take it (a `StepRole`),
its label, the `do_*` service that takes it, the page's form and the API's serializer of its input, and the
cheap precondition that decides whether it is offered now. Every consumer reads this table:

- the services (cases/services/workflow.py `_begin`) refuse a step from another status (RuleViolation) or by
  the wrong person (NotAllowed), with the step's label in the message;
- the case page offers `available_actions` with each step's form, and posts to one URL per step
  (cases/views/workflow.py); the API has one endpoint per step with the step's serializer as its body
  (cases/api/workflow.py, cases/api/urls.py);
- tests/cases/test_workflow_steps.py checks that each step's form fields, serializer fields and service
  arguments agree, so the three cannot drift apart.

Service, form and serializer are named by import path (resolved on first use): the services read this table,
and the forms and serializers are built on the services' inputs, so a direct import would go round in a circle.

To add a step: a `do_*` in cases/services/workflow.py that starts with `_begin(<ACTION>, …)`, its form in
cases/forms/workflow.py and its serializer in cases/api/serializers/workflow.py (field names = the service's
keyword arguments), then one `Step` below, in the order of the procedure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from cases.access import is_case_worker, is_chair_of
from cases.models.choices import CaseStatus
from cases.querysets import active_separation, current_plan, latest_review

if TYPE_CHECKING:
    from cases.models import Case
    from childprotect.models import User

S = CaseStatus
AFTER_INTAKE = frozenset(
    {
        S.RECEIVED,
        S.INITIAL_ASSESSMENT,
        S.EMERGENCY,
        S.DETAILED_ASSESSMENT,
        S.NEEDS_MEETING,
        S.PLAN_DRAFTED,
        S.PLAN_APPROVED,
        S.IN_PROGRESS,
        S.REVIEW,
    }
)

# The steps' names: the last part of their page and API URLs ("cases/12/actions/approve-plan/").
INITIAL_ASSESSMENT = "initial-assessment"
NOT_SUBSTANTIATED = "not-substantiated"
EMERGENCY_MEASURE = "emergency-measure"
EXTEND_SEPARATION = "extend-separation"
REVOKE_SEPARATION = "revoke-separation"
DETAILED_ASSESSMENT = "detailed-assessment"
NEEDS_MEETING = "needs-meeting"
SAVE_PLAN = "save-plan"
SUBMIT_PLAN = "submit-plan"
APPROVE_PLAN = "approve-plan"
RETURN_PLAN = "return-plan"
START_IMPLEMENTATION = "start-implementation"
REVIEW = "review"
CLOSE = "close"
NEW_CYCLE = "new-cycle"
TRANSFER = "transfer"


class StepRole(models.TextChoices):
    """Who takes a step. Both are people of the case's commune (`is_case_worker`): the hotline hands cases over,
    province officers and admins read; neither moves a case."""

    WORKER = "worker", _("cán bộ hoặc Chủ tịch UBND xã")
    CHAIR = "chair", _("Chủ tịch UBND xã")

    def allows(self, user: User, case: Case) -> bool:
        if not is_case_worker(user, case):
            return False
        return self is StepRole.WORKER or is_chair_of(user, case)


# --- Preconditions: cheap checks for offering a step (its do_* enforces them again, with a message) ------------


def _separation_in_force(case: Case) -> bool:
    return active_separation(case) is not None


def _plan_submitted(case: Case) -> bool:
    from cases.models.procedure import PlanStatus

    plan = current_plan(case)
    return plan is not None and plan.status == PlanStatus.SUBMITTED


def _plan_drafted(case: Case) -> bool:
    from cases.models.procedure import PlanStatus

    plan = current_plan(case)
    return plan is not None and plan.status in {PlanStatus.DRAFT, PlanStatus.RETURNED}


def _plan_editable(case: Case) -> bool:
    from cases.models.procedure import PlanStatus

    plan = current_plan(case)
    return plan is None or plan.status in {PlanStatus.DRAFT, PlanStatus.RETURNED}


def _review_proposes_closure(case: Case) -> bool:
    from cases.models.procedure import ReviewOutcome

    review = latest_review(case)
    return review is not None and review.outcome == ReviewOutcome.CLOSE


def _no_pending_transfer(case: Case) -> bool:
    return not case.transfers.pending().exists()


@dataclass(frozen=True)
class Step:
    action: str
    label: Any  # a lazy translation
    sources: frozenset[str]
    role: StepRole
    service_path: str
    form_path: str
    serializer_path: str
    precondition: Callable[[Case], bool] | None = None
    # The rows of a list the step takes besides its form (the plan's items): the argument, its formset, the
    # serializer field, and the service's dataclass for one row.
    rows: tuple[str, str, str] | None = None
    # A step with a page and endpoint of its own (the plan), rather than one of the case's actions.
    own_page: bool = False
    note: str = ""  # what a reader of this table should know (status kept, checks inside the service)

    @cached_property
    def service(self) -> Callable[..., Any]:
        service: Callable[..., Any] = import_string(self.service_path)
        return service

    @cached_property
    def form(self) -> type[Any]:
        form: type[Any] = import_string(self.form_path)
        return form

    @cached_property
    def serializer(self) -> type[Any]:
        serializer: type[Any] = import_string(self.serializer_path)
        return serializer

    def offered(self, user: User, case: Case) -> bool:
        """May this user take the step on this case now (status, role, precondition)?"""
        return (
            case.status in self.sources
            and self.role.allows(user, case)
            and (self.precondition is None or self.precondition(case))
        )


def _step(
    action: str,
    label: Any,
    sources: frozenset[str],
    role: StepRole,
    service: str,
    form: str,
    serializer: str,
    **more: Any,
) -> Step:
    return Step(
        action=action,
        label=label,
        sources=sources,
        role=role,
        service_path=f"cases.services.workflow.{service}",
        form_path=f"cases.forms.workflow.{form}",
        serializer_path=f"cases.api.serializers.workflow.{serializer}",
        **more,
    )


W, C = StepRole.WORKER, StepRole.CHAIR

STEPS: dict[str, Step] = {
    step.action: step
    for step in (
        _step(
            INITIAL_ASSESSMENT,
            _("Đánh giá nguy cơ ban đầu (Mẫu 02)"),
            frozenset({S.RECEIVED}),
            W,
            "do_record_initial_assessment",
            "InitialAssessmentForm",
            "InitialAssessmentSerializer",
            note="→ initial_assessment",
        ),
        _step(
            NOT_SUBSTANTIATED,
            _("Kết luận không có cơ sở"),
            frozenset({S.INITIAL_ASSESSMENT}),
            W,
            "do_mark_not_substantiated",
            "NotSubstantiatedForm",
            "NotSubstantiatedSerializer",
            note="→ not_substantiated (ends the case)",
        ),
        _step(
            EMERGENCY_MEASURE,
            _("Can thiệp khẩn cấp / tạm thời cách ly"),
            AFTER_INTAKE,
            W,
            "do_order_emergency_measure",
            "EmergencyMeasureForm",
            "EmergencyMeasureSerializer",
            note="→ emergency before the detailed assessment, status kept after; temporary separation: chair only "
            "(checked in the service)",
        ),
        _step(
            EXTEND_SEPARATION,
            _("Gia hạn tạm thời cách ly"),
            AFTER_INTAKE,
            C,
            "do_extend_separation",
            "ExtendSeparationForm",
            "ExtendSeparationSerializer",
            precondition=_separation_in_force,
            note="status kept",
        ),
        _step(
            REVOKE_SEPARATION,
            _("Chấm dứt tạm thời cách ly"),
            AFTER_INTAKE,
            C,
            "do_revoke_separation",
            "RevokeSeparationForm",
            "RevokeSeparationSerializer",
            precondition=_separation_in_force,
            note="status kept",
        ),
        _step(
            DETAILED_ASSESSMENT,
            _("Đánh giá chi tiết (Mẫu 03)"),
            frozenset({S.INITIAL_ASSESSMENT, S.EMERGENCY}),
            W,
            "do_record_detailed_assessment",
            "DetailedAssessmentForm",
            "DetailedAssessmentSerializer",
            note="→ detailed_assessment",
        ),
        _step(
            NEEDS_MEETING,
            _("Họp xác định nhu cầu, biện pháp"),
            frozenset({S.DETAILED_ASSESSMENT}),
            W,
            "do_record_needs_meeting",
            "NeedsMeetingForm",
            "NeedsMeetingSerializer",
            note="→ needs_meeting",
        ),
        _step(
            SAVE_PLAN,
            _("Lưu dự thảo kế hoạch"),
            frozenset({S.NEEDS_MEETING, S.PLAN_DRAFTED}),
            W,
            "do_save_plan",
            "PlanForm",
            "PlanWriteSerializer",
            precondition=_plan_editable,
            rows=("items", "cases.forms.workflow.PlanItemFormSet", "cases.services.workflow.PlanItemInput"),
            own_page=True,
            note="status kept; the plan page and PUT /api/v1/cases/{id}/plan/",
        ),
        _step(
            SUBMIT_PLAN,
            _("Trình phê duyệt kế hoạch"),
            frozenset({S.NEEDS_MEETING, S.PLAN_DRAFTED}),
            W,
            "do_submit_plan",
            "SubmitPlanForm",
            "SubmitPlanSerializer",
            precondition=_plan_drafted,
            note="→ plan_drafted (awaiting approval)",
        ),
        _step(
            APPROVE_PLAN,
            _("Phê duyệt kế hoạch"),
            frozenset({S.PLAN_DRAFTED}),
            C,
            "do_approve_plan",
            "ApprovePlanForm",
            "ApprovePlanSerializer",
            precondition=_plan_submitted,
            note="→ plan_approved",
        ),
        _step(
            RETURN_PLAN,
            _("Trả lại kế hoạch để sửa"),
            frozenset({S.PLAN_DRAFTED}),
            C,
            "do_return_plan",
            "ReturnPlanForm",
            "ReturnPlanSerializer",
            precondition=_plan_submitted,
            note="status kept, plan returned for changes",
        ),
        _step(
            START_IMPLEMENTATION,
            _("Bắt đầu thực hiện kế hoạch"),
            frozenset({S.PLAN_APPROVED}),
            W,
            "do_start_implementation",
            "StartImplementationForm",
            "StartImplementationSerializer",
            note="→ in_progress",
        ),
        _step(
            REVIEW,
            _("Rà soát, đánh giá (Mẫu 06)"),
            frozenset({S.IN_PROGRESS}),
            W,
            "do_record_review",
            "ReviewForm",
            "ReviewSerializer",
            note="→ review",
        ),
        _step(
            CLOSE,
            _("Kết thúc hồ sơ"),
            frozenset({S.REVIEW}),
            C,
            "do_close_case",
            "CloseCaseForm",
            "CloseCaseSerializer",
            precondition=_review_proposes_closure,
            note="→ closed",
        ),
        _step(
            NEW_CYCLE,
            _("Xây dựng kế hoạch mới"),
            frozenset({S.REVIEW}),
            W,
            "do_start_new_cycle",
            "NewCycleForm",
            "NewCycleSerializer",
            note="→ plan_drafted, cycle + 1",
        ),
        _step(
            TRANSFER,
            _("Đề nghị chuyển hồ sơ sang xã khác"),
            AFTER_INTAKE,
            W,
            "do_transfer_case",
            "TransferForm",
            "TransferSerializer",
            precondition=_no_pending_transfer,
            note="status kept: a request the receiving commune accepts or declines",
        ),
    )
}


def case_actions() -> list[Step]:
    """The steps taken from the case page's actions panel and POST …/actions/<step>/, in procedure order."""
    return [step for step in STEPS.values() if not step.own_page]


def available_actions(user: User, case: Case) -> list[str]:
    """The steps this user may take on this case now, in the order of the procedure."""
    if not is_case_worker(user, case):
        return []
    return [action for action, step in STEPS.items() if step.offered(user, case)]
