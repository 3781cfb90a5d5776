"""Forms of the procedure's steps (one per action) and of the plan (a formset of items).

Every action form carries a hidden `version` (optimistic locking) and gives the service its keyword arguments
through `service_kwargs()`: field names match the `do_*` parameters in cases/services/workflow.py. Each step's
record (cases/steps.py) names its form; tests/cases/test_workflow_steps.py checks that they agree. The services
check the rules again; the forms are there to show errors next to the fields and keep what was typed.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases.access import is_chair_of
from cases.models import Case
from cases.models.choices import ProtectionLevel
from cases.models.procedure import EmergencyKind, HarmLevel, ReviewOutcome
from cases.services import workflow as wf
from childprotect.models import AdministrativeUnit, Agency, User
from childprotect.models.units import UnitKind
from childprotect.widgets import DATE_INPUT, DATETIME_FORMATS, DATETIME_INPUT, SHORT_TEXT


def _when(label: Any, *, required: bool = False, help_text: Any = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, required=required, widget=DATETIME_INPUT, input_formats=DATETIME_FORMATS, help_text=help_text
    )


class WorkflowForm(forms.Form):
    """The input of one step (`action`, cases/steps.py): field names are the step's `do_*` keyword arguments."""

    version = forms.IntegerField(widget=forms.HiddenInput, label=_("Phiên bản hồ sơ"))

    def __init__(self, *args: Any, user: User, case: Case, action: str, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("version", case.version)
        kwargs.setdefault("auto_id", f"id_{action}_%s".replace("-", "_"))  # several steps' forms on one page
        super().__init__(*args, **kwargs)
        self.user = user
        self.case = case

    def service_kwargs(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


_ASSESSED_HELP = _("Bỏ trống nếu là bây giờ.")


class InitialAssessmentForm(WorkflowForm):
    harm_level = forms.ChoiceField(label=_("Mức độ tổn hại"), choices=HarmLevel.choices)
    risk_level = forms.ChoiceField(label=_("Mức độ nguy cơ"), choices=HarmLevel.choices)
    serious_danger = forms.BooleanField(
        label=_("Trẻ đang bị hoặc có nguy cơ bị tổn hại nghiêm trọng (cần can thiệp trong 12 giờ)"), required=False
    )
    findings = forms.CharField(label=_("Nhận định"), widget=SHORT_TEXT, required=False)
    assessed_at = _when(_("Thời điểm đánh giá"), help_text=_ASSESSED_HELP)


class NotSubstantiatedForm(WorkflowForm):
    reason = forms.CharField(label=_("Lý do kết luận không có cơ sở"), widget=SHORT_TEXT)


class EmergencyMeasureForm(WorkflowForm):
    kind = forms.ChoiceField(label=_("Biện pháp"), choices=EmergencyKind.choices)
    started_at = _when(_("Bắt đầu lúc"), help_text=_ASSESSED_HELP)
    ends_at = _when(
        _("Kết thúc dự kiến (tạm thời cách ly)"),
        help_text=_("Không quá 15 ngày kể từ khi bắt đầu; bỏ trống là đủ 15 ngày."),
    )
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=40, required=False)
    placement = forms.CharField(label=_("Nơi ở an toàn, chăm sóc thay thế"), max_length=255, required=False)
    description = forms.CharField(label=_("Nội dung"), widget=SHORT_TEXT, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not is_chair_of(self.user, self.case):
            # Only the chair decides a temporary separation (Mẫu 07).
            self.fields["kind"].choices = [
                (EmergencyKind.EMERGENCY_INTERVENTION, EmergencyKind.EMERGENCY_INTERVENTION.label)
            ]
            del self.fields["ends_at"]


class ExtendSeparationForm(WorkflowForm):
    ends_at = _when(_("Kéo dài đến"), required=True)
    authority = forms.CharField(
        label=_("Cơ quan có thẩm quyền yêu cầu tiếp tục cách ly"),
        max_length=200,
        help_text=_("Ghi rõ cơ quan và văn bản."),
    )


class RevokeSeparationForm(WorkflowForm):
    reason = forms.CharField(
        label=_("Lý do chấm dứt"),
        widget=SHORT_TEXT,
        help_text=_("Ví dụ: theo đánh giá (Mẫu 03), cha mẹ, người chăm sóc đã bảo đảm được an toàn cho trẻ."),
    )


class DetailedAssessmentForm(WorkflowForm):
    harm_level = forms.ChoiceField(label=_("Mức độ tổn hại"), choices=HarmLevel.choices)
    risk_level = forms.ChoiceField(label=_("Mức độ nguy cơ"), choices=HarmLevel.choices)
    serious_danger = forms.BooleanField(label=_("Trẻ vẫn có nguy cơ bị tổn hại nghiêm trọng"), required=False)
    child_condition = forms.CharField(label=_("a) Tình trạng thể chất, tâm lý, tình cảm của trẻ"), widget=SHORT_TEXT)
    family_situation = forms.CharField(
        label=_("b) Hoàn cảnh gia đình, khả năng bảo vệ của cha mẹ, gia đình"), widget=SHORT_TEXT, required=False
    )
    risk_factors = forms.CharField(label=_("c) Yếu tố nguy cơ"), widget=SHORT_TEXT, required=False)
    community_safety = forms.CharField(
        label=_("đ) Mức độ an toàn, khả năng hỗ trợ của cộng đồng"), widget=SHORT_TEXT, required=False
    )
    needs = forms.CharField(label=_("e) Nhu cầu của trẻ"), widget=SHORT_TEXT)
    child_views = forms.CharField(label=_("g) Ý kiến, nguyện vọng của trẻ"), widget=SHORT_TEXT, required=False)
    caregiver_views = forms.CharField(
        label=_("h) Ý kiến của cha mẹ, người chăm sóc (trừ người gây hại)"), widget=SHORT_TEXT, required=False
    )
    findings = forms.CharField(label=_("Nhận định chung"), widget=SHORT_TEXT, required=False)
    assessed_at = _when(_("Thời điểm đánh giá"), help_text=_ASSESSED_HELP)


class NeedsMeetingForm(WorkflowForm):
    held_on = forms.DateField(label=_("Ngày họp"), widget=DATE_INPUT)
    participants = forms.CharField(label=_("Thành phần"), widget=SHORT_TEXT)
    decisions = forms.CharField(label=_("Kết luận về nhu cầu, biện pháp"), widget=SHORT_TEXT)


class SubmitPlanForm(WorkflowForm):
    """Nothing to fill in: the version only."""


class ApprovePlanForm(WorkflowForm):
    decision_number = forms.CharField(label=_("Số quyết định phê duyệt"), max_length=40, required=False)


class ReturnPlanForm(WorkflowForm):
    reason = forms.CharField(label=_("Lý do trả lại, nội dung cần sửa"), widget=SHORT_TEXT)


class StartImplementationForm(WorkflowForm):
    """Nothing to fill in: the version only."""


class ReviewForm(WorkflowForm):
    child_safe = forms.BooleanField(label=_("Trẻ không còn nguy cơ bị xâm hại"), required=False)
    child_stable = forms.BooleanField(
        label=_("Các yếu tố thể chất, tâm lý, nhận thức, tình cảm của trẻ đã ổn định"), required=False
    )
    findings = forms.CharField(label=_("Kết quả rà soát"), widget=SHORT_TEXT)
    outcome = forms.ChoiceField(label=_("Đề xuất"), choices=ReviewOutcome.choices, widget=forms.RadioSelect)
    reviewed_at = _when(_("Thời điểm rà soát"), help_text=_ASSESSED_HELP)


class CloseCaseForm(WorkflowForm):
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=40, required=False)
    note = forms.CharField(label=_("Ghi chú"), widget=SHORT_TEXT, required=False)


class NewCycleForm(WorkflowForm):
    """Nothing to fill in: the version only."""


class TransferForm(WorkflowForm):
    to_commune = forms.CharField(
        label=_("Mã xã, phường nhận hồ sơ"),
        max_length=8,
        help_text=_("Mã 5 chữ số theo danh mục đơn vị hành chính, ví dụ 05767."),
    )
    reason = forms.CharField(label=_("Lý do chuyển"), widget=SHORT_TEXT)

    def clean_to_commune(self) -> AdministrativeUnit:
        code = self.cleaned_data["to_commune"].strip()
        unit = AdministrativeUnit.objects.current().filter(kind=UnitKind.COMMUNE, code=code).first()
        if unit is None:
            raise ValidationError(_("Không tìm thấy xã, phường đang có hiệu lực với mã này."))
        if unit.pk == self.case.commune_id:
            raise ValidationError(_("Hồ sơ đã thuộc xã, phường này."))
        return unit


# --- The plan ----------------------------------------------------------------------------------------------------


class PlanForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, label=_("Phiên bản hồ sơ"))
    goals = forms.CharField(label=_("Mục tiêu của kế hoạch"), widget=SHORT_TEXT, required=False)


class PlanItemForm(forms.Form):
    service = forms.CharField(label=_("Dịch vụ, hoạt động"), max_length=255)
    level = forms.ChoiceField(label=_("Cấp độ bảo vệ"), choices=ProtectionLevel.choices)
    measure_code = forms.CharField(
        label=_("Biện pháp (Điều.khoản.điểm)"), max_length=12, required=False, help_text=_("Ví dụ 50.2.b.")
    )
    responsible_agency = forms.ModelChoiceField(
        label=_("Cơ quan chịu trách nhiệm"), queryset=Agency.objects.none(), required=False
    )
    responsible_person = forms.CharField(label=_("Người chịu trách nhiệm"), max_length=120, required=False)
    start_date = forms.DateField(label=_("Ngày bắt đầu"), widget=DATE_INPUT)
    expected_end_date = forms.DateField(label=_("Ngày dự kiến kết thúc"), widget=DATE_INPUT)
    estimated_cost_vnd = forms.IntegerField(
        label=_("Dự toán kinh phí (đồng)"),
        initial=0,
        min_value=0,
        error_messages={"min_value": _("Dự toán kinh phí không được âm.")},
    )

    def __init__(self, *args: Any, agencies: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.fields["responsible_agency"].queryset = agencies

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if all(name in data for name in ("service", "level", "start_date", "expected_end_date", "estimated_cost_vnd")):
            for field, message in wf.validate_plan_item(self.as_input()).items():
                if field not in self.errors:
                    self.add_error(field, message)
        return data

    def as_input(self) -> wf.PlanItemInput:
        data = self.cleaned_data
        return wf.PlanItemInput(
            service=data["service"],
            level=data["level"],
            start_date=data["start_date"],
            expected_end_date=data["expected_end_date"],
            measure_code=data.get("measure_code", "").strip(),
            responsible_agency=data.get("responsible_agency"),
            responsible_person=data.get("responsible_person", ""),
            estimated_cost_vnd=data["estimated_cost_vnd"],
        )


PlanItemFormSet = forms.formset_factory(PlanItemForm, extra=0, can_delete=True, min_num=0)


def agencies_for(case: Case) -> Any:
    """Agencies a plan item may name: those of the case's province (provincial and commune level)."""
    return Agency.objects.active().within(case.province).order_by("name")
