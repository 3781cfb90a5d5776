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
from cases.forms.intake import CommuneField, commune_search_attrs
from cases.models import Case
from cases.models.choices import MEASURE_NAMES, ProtectionLevel, measure_choices
from cases.models.procedure import EmergencyKind, HarmLevel, ReviewOutcome, RiskLevel
from cases.services import workflow as wf
from childprotect.models import AdministrativeUnit, Agency, User
from childprotect.widgets import (
    DATE_INPUT,
    DATETIME_FORMATS,
    DATETIME_INPUT,
    SHORT_TEXT,
    VietnameseOrderModelChoiceField,
)


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
    risk_level = forms.ChoiceField(label=_("Mức độ nguy cơ"), choices=RiskLevel.choices)
    serious_danger = forms.BooleanField(
        label=_("Trẻ đang bị hoặc có nguy cơ bị tổn hại nghiêm trọng (cần can thiệp trong 12 giờ)"), required=False
    )
    findings = forms.CharField(label=_("Nhận định"), widget=SHORT_TEXT, required=False)
    assessed_at = _when(_("Thời điểm đánh giá"), help_text=_ASSESSED_HELP)


class NotSubstantiatedForm(WorkflowForm):
    reason = forms.CharField(label=_("Lý do kết luận không có cơ sở"), widget=SHORT_TEXT)


SEPARATION_IS_CHAIRS = _(
    "Tạm thời cách ly trẻ khỏi cha mẹ, người chăm sóc là quyết định của Chủ tịch UBND xã (Mẫu 07, Điều 32 Nghị định "
    "56/2017/NĐ-CP): nếu cần cách ly, hãy báo ngay để Chủ tịch quyết định trong 12 giờ kể từ khi nhận thông tin."
)


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
            # Only the chair decides a temporary separation (Mẫu 07, NĐ56 Art. 32): the officer is told so here.
            self.fields["kind"].choices = [
                (EmergencyKind.EMERGENCY_INTERVENTION, EmergencyKind.EMERGENCY_INTERVENTION.label)
            ]
            self.fields["kind"].help_text = SEPARATION_IS_CHAIRS
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
    risk_level = forms.ChoiceField(label=_("Mức độ nguy cơ"), choices=RiskLevel.choices)
    serious_danger = forms.BooleanField(label=_("Trẻ vẫn có nguy cơ bị tổn hại nghiêm trọng"), required=False)
    child_condition = forms.CharField(label=_("a) Tình trạng thể chất, tâm lý, tình cảm của trẻ"), widget=SHORT_TEXT)
    family_situation = forms.CharField(
        label=_("b) Hoàn cảnh gia đình, khả năng bảo vệ của cha mẹ, gia đình"), widget=SHORT_TEXT, required=False
    )
    risk_factors = forms.CharField(
        label=_("c) Yếu tố có thể gây xâm hại (tiếp tục) hoặc hoàn cảnh đặc biệt"), widget=SHORT_TEXT, required=False
    )
    learning_and_self_protection = forms.CharField(
        label=_("d) Khả năng học tập, tự bảo vệ của trẻ"), widget=SHORT_TEXT, required=False
    )
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


TRANSFER_COMMUNE_OPTIONS = "transfer-commune-options"


class TransferForm(WorkflowForm):
    # The same type-ahead as intake: a name or a 5-digit code, chosen from what the server suggests.
    to_commune = CommuneField(
        label=_("Xã, phường nhận hồ sơ"),
        help_text=_("Gõ tên hoặc mã 5 chữ số rồi chọn trong danh sách; xã, phường ở tỉnh khác cũng được."),
        error_messages={"required": _("Chọn xã, phường nhận hồ sơ.")},
    )
    reason = forms.CharField(label=_("Lý do chuyển"), widget=SHORT_TEXT)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_commune"].widget = forms.TextInput(attrs=commune_search_attrs(TRANSFER_COMMUNE_OPTIONS))

    def clean_to_commune(self) -> AdministrativeUnit:
        unit: AdministrativeUnit = self.cleaned_data["to_commune"]
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
    measure_code = forms.ChoiceField(
        label=_("Biện pháp bảo vệ (Luật Trẻ em, Điều 48–50)"),
        choices=measure_choices,
        required=False,
        help_text=_("Chọn biện pháp của dòng này; để trống nếu không thuộc biện pháp nào."),
    )
    responsible_agency = VietnameseOrderModelChoiceField(
        label=_("Cơ quan chịu trách nhiệm"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("— Không chọn cơ quan —"),
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
        # A code recorded through the API that the list does not name stays selectable, so saving keeps it.
        current = self.data.get(self.add_prefix("measure_code")) if self.is_bound else self.initial.get("measure_code")
        if current and current not in MEASURE_NAMES and wf.MEASURE_CODE.match(str(current)):
            field = self.fields["measure_code"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [*field.choices, (current, current)]

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
