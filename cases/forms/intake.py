"""The intake forms (Mẫu 01): the child, the report, the reporter, the caregivers — thin adapters from what was
posted to the intake service's inputs. The law's lists are in cases/models/choices.py, who records where in
cases/access.py, the commune look-ups in childprotect/querysets.py, the duplicate check in cases/querysets.py.

Two modes. A draft (`submitting=False`) accepts any subset of fields: invalid values are reported next to
their field and left out of what is saved. Recording (`submitting=True`) also requires what a received case
must have. Either way the forms are re-rendered from what was posted, so nothing typed is lost.

Field names of the child form carry no prefix so that the live duplicate check can send
`full_name`, `commune`, `date_of_birth` and `id_number` as they are.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.access import can_create_case_in, creatable_communes
from cases.ethnicity import ETHNIC_GROUPS_QD121, QD121_CODE_SYSTEM
from cases.models import (
    AbuseForm,
    AbuseSubtype,
    AccidentOutcome,
    AccidentType,
    CaseKind,
    ReportChannel,
    Setting,
    Sex,
)
from cases.models.choices import MAX_CHILD_AGE, SPECIAL_GROUPS, Disability
from cases.models.people import id_number_warning
from cases.services.intake import CaregiverInput, CaseInput, ChildInput, ReporterInput
from childprotect.models import AdministrativeUnit, User
from childprotect.querysets import find_commune
from childprotect.roles import PROVINCE_ROLES, Role
from childprotect.validators import UniqueMultipleChoiceField, check_date_of_birth, check_past_event
from childprotect.widgets import DATE_INPUT, DATETIME_INPUT

# ---------- Communes ----------


def commune_mode(user: User) -> str:
    """How the residence commune is chosen: "fixed" (commune roles), "select" (the province's communes) or
    "search" (the hotline: any commune of the country, by name or code)."""
    if user.role == Role.HOTLINE_OPERATOR:
        return "search"
    if user.role in PROVINCE_ROLES:
        return "select"
    return "fixed"


class CommuneField(forms.CharField):
    """A 5-digit commune code (or the search's "code – name" text), cleaned to the AdministrativeUnit."""

    def __init__(self, *, user: User | None = None, check_creatable: bool = False, **kwargs: Any) -> None:
        self.user = user
        self.check_creatable = check_creatable
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> AdministrativeUnit | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        unit = find_commune(text)
        if unit is None:
            raise forms.ValidationError(
                _("Không tìm thấy xã, phường “%(text)s”. Hãy gõ tên hoặc mã 5 chữ số rồi chọn trong danh sách."),
                code="unknown_commune",
                params={"text": text},
            )
        if self.check_creatable and self.user is not None and not can_create_case_in(self.user, unit):
            raise forms.ValidationError(
                _("Bạn không thể ghi nhận vụ việc cho xã, phường này."), code="outside_jurisdiction"
            )
        return unit

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, AdministrativeUnit):
            return value.code
        return value


def commune_search_attrs(datalist_id: str) -> dict[str, str]:
    """A text input that asks the server for matching communes as the officer types (works on phones too)."""
    from django.urls import reverse

    return {
        "list": datalist_id,
        "autocomplete": "off",
        "inputmode": "search",
        "placeholder": gettext("Gõ tên xã, phường hoặc mã 5 chữ số"),
        "hx-get": reverse("cases:intake-communes"),
        "hx-trigger": "input changed delay:300ms",
        "hx-target": f"#{datalist_id}",
        "hx-swap": "innerHTML",
        "hx-vals": f'{{"list": "{datalist_id}"}}',
    }


# ---------- Forms ----------


class _IntakeForm(forms.Form):
    # Fields that only a recorded (not draft) intake must have.
    required_on_submit: tuple[str, ...] = ()

    def __init__(self, *args: Any, submitting: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.submitting = submitting
        self.base_labels: dict[str, Any] = {}
        for name, field in self.fields.items():
            field.required = submitting and name in self.required_on_submit
            if name in self.required_on_submit:
                self.base_labels[name] = field.label
                # Drafts may lack them, so the widget is not `required`; the label says what recording needs.
                field.label = format_lazy("{} {}", field.label, _("(bắt buộc)"))

    def missing_for_submit(self) -> list[str]:
        """Labels of fields a recorded intake needs that are still empty (for the draft's "still missing")."""
        data = getattr(self, "cleaned_data", {})
        return [
            str(self.base_labels[name])
            for name in self.required_on_submit
            if name not in self.errors and data.get(name) in (None, "", [])
        ]


class ChildForm(_IntakeForm):
    required_on_submit = ("full_name", "commune")

    full_name = forms.CharField(
        label=_("Họ và tên của trẻ"),
        max_length=120,
        help_text=_("Nếu chưa biết tên, ghi “Chưa rõ tên”."),
        error_messages={"required": _("Nhập họ và tên của trẻ (có thể ghi “Chưa rõ tên” nếu chưa biết).")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    date_of_birth = forms.DateField(
        label=_("Ngày sinh"),
        widget=DATE_INPUT,
        error_messages={"invalid": _("Ngày sinh không hợp lệ.")},
    )
    age_years = forms.IntegerField(
        label=_("Hoặc tuổi (nếu không rõ ngày sinh)"),
        min_value=0,
        max_value=MAX_CHILD_AGE,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": _("Tuổi phải là một số."),
            "min_value": _("Tuổi không thể nhỏ hơn 0."),
            "max_value": _("Trẻ em là người dưới 16 tuổi; hệ thống nhận đến 17 tuổi."),
        },
    )
    sex = forms.ChoiceField(label=_("Giới tính"), choices=Sex.choices, initial=Sex.UNKNOWN, widget=forms.RadioSelect)
    ethnicity_code = forms.ChoiceField(
        label=_("Dân tộc"),
        choices=[("", _("— Chọn dân tộc —")), *ETHNIC_GROUPS_QD121],
        help_text=_("Mã theo QĐ 121-TCTK/PPCĐ (1979)."),
    )
    ethnicity_code_system = forms.CharField(initial=QD121_CODE_SYSTEM, widget=forms.HiddenInput)
    id_number = forms.CharField(
        label=_("Số định danh cá nhân"),
        max_length=20,
        help_text=_("12 chữ số, nếu có."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    disability = forms.ChoiceField(label=_("Khuyết tật"), choices=Disability.choices, initial=Disability.NONE)
    commune = CommuneField(
        label=_("Xã, phường nơi trẻ cư trú"),
        error_messages={"required": _("Chọn xã, phường nơi trẻ cư trú.")},
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.warnings: dict[str, str] = {}
        self.fields["ethnicity_code_system"].required = False
        commune = self.fields["commune"]
        assert isinstance(commune, CommuneField)
        commune.user, commune.check_creatable = user, True
        self.commune_mode = commune_mode(user)
        if self.commune_mode == "search":
            commune.widget = forms.TextInput(attrs=commune_search_attrs("commune-options"))
            commune.help_text = _("Tổng đài ghi nhận được cho mọi xã, phường trong cả nước.")
        else:
            units = creatable_communes(user)
            choices = [(u.code, u.full_name) for u in units]
            if self.commune_mode == "select":
                choices = [("", _("— Chọn xã, phường —")), *choices]
            commune.widget = forms.Select(choices=choices)
            if self.commune_mode == "fixed" and units:
                commune.initial = units[0].code
        # The live duplicate check: ask as the officer types (debounced), show candidates beside the form.
        live = {
            "hx-get": _duplicates_url(),
            "hx-target": "#intake-duplicates",
            "hx-swap": "innerHTML",
            "hx-include": "[name=full_name],[name=commune],[name=date_of_birth],[name=id_number],[name=child_choice]",
        }
        # (Changes of the date of birth and the commune are picked up by the results box itself.)
        for name in ("full_name", "id_number"):
            self.fields[name].widget.attrs.update({**live, "hx-trigger": "keyup changed delay:500ms"})

    def clean_full_name(self) -> str:
        return " ".join(self.cleaned_data.get("full_name", "").split())

    def clean_id_number(self) -> str:
        value = re.sub(r"[\s.-]", "", self.cleaned_data.get("id_number", ""))
        if value and not re.fullmatch(r"\d{12}", value):
            raise forms.ValidationError(
                _("Số định danh cá nhân gồm đúng 12 chữ số (bạn đã nhập %(n)s ký tự)."),
                code="id_number",
                params={"n": len(value)},
            )
        return value

    def clean_ethnicity_code_system(self) -> str:
        return QD121_CODE_SYSTEM  # the page offers the QĐ 121 list only

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        dob, age = data.get("date_of_birth"), data.get("age_years")
        try:
            check_date_of_birth(dob, None)  # against today here; the intake service checks it against the receipt
        except ValidationError as error:
            self.add_error("date_of_birth", error.messages[0])
            dob = None
        if dob and age is not None:
            data["age_years"] = None  # the date of birth is the better of the two
        if self.submitting and dob is None and age is None and "date_of_birth" not in self.errors:
            self.add_error("age_years", _("Nhập ngày sinh hoặc tuổi (ước tính) của trẻ."))
        if data.get("id_number"):
            birth_year = timezone.localdate().year - age if age is not None else None
            warning = id_number_warning(
                data["id_number"], date_of_birth=dob, birth_year=birth_year, sex=data.get("sex", "")
            )
            if warning:
                self.warnings["id_number"] = warning
        return data

    def to_input(self, *, commune: AdministrativeUnit | None = None) -> ChildInput:
        data = getattr(self, "cleaned_data", {})
        return ChildInput(
            full_name=data.get("full_name", ""),
            commune=commune or data["commune"],
            date_of_birth=data.get("date_of_birth"),
            age_years=data.get("age_years"),
            sex=data.get("sex") or Sex.UNKNOWN,
            ethnicity_code=data.get("ethnicity_code", ""),
            ethnicity_code_system=QD121_CODE_SYSTEM,
            id_number=data.get("id_number", ""),
            disability=data.get("disability") or Disability.NONE,
        )


def _duplicates_url() -> str:
    from django.urls import reverse

    return reverse("cases:intake-duplicates")


class CaseForm(_IntakeForm):
    required_on_submit = ("kind", "received_at", "immediate_danger")

    kind = forms.ChoiceField(
        label=_("Loại vụ việc"),
        choices=CaseKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Chọn loại vụ việc.")},
    )
    received_at = forms.DateTimeField(
        label=_("Thời điểm tiếp nhận"),
        widget=DATETIME_INPUT,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        error_messages={"invalid": _("Thời điểm tiếp nhận không hợp lệ.")},
    )
    immediate_danger = forms.TypedChoiceField(
        label=_("Trẻ có đang gặp nguy hiểm ngay lúc này không?"),
        choices=[("yes", _("Có — cần can thiệp khẩn cấp (trong 12 giờ)")), ("no", _("Không"))],
        coerce=lambda v: v == "yes",
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={"required": _("Cho biết trẻ có đang gặp nguy hiểm hay không.")},
    )
    abuse_forms = UniqueMultipleChoiceField(
        label=_("Hình thức xâm hại"), choices=AbuseForm.choices, widget=forms.CheckboxSelectMultiple
    )
    abuse_subtypes = UniqueMultipleChoiceField(
        label=_("Chi tiết hình thức"), choices=AbuseSubtype.choices, widget=forms.CheckboxSelectMultiple
    )
    special_groups = UniqueMultipleChoiceField(
        label=_("Nhóm trẻ em có hoàn cảnh đặc biệt (Điều 10 Luật Trẻ em)"),
        choices=SPECIAL_GROUPS,
        widget=forms.CheckboxSelectMultiple,
    )
    setting = forms.ChoiceField(label=_("Môi trường xảy ra"), choices=[("", "—"), *Setting.choices])
    accident_type = forms.ChoiceField(
        label=_("Loại tai nạn, thương tích"), choices=AccidentType.choices, widget=forms.RadioSelect
    )
    accident_outcome = forms.ChoiceField(label=_("Hậu quả"), choices=AccidentOutcome.choices, widget=forms.RadioSelect)
    incident_date = forms.DateField(
        label=_("Ngày xảy ra"), widget=DATE_INPUT, error_messages={"invalid": _("Ngày xảy ra không hợp lệ.")}
    )
    incident_commune = CommuneField(label=_("Xã, phường nơi xảy ra"), help_text=_("Để trống nếu là nơi trẻ cư trú."))
    summary = forms.CharField(
        label=_("Tóm tắt sự việc"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Ai, việc gì, khi nào, ở đâu; tình trạng hiện tại của trẻ."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["incident_commune"].widget = forms.TextInput(attrs=commune_search_attrs("incident-options"))
        if not self.is_bound and "received_at" not in self.initial:
            self.initial["received_at"] = timezone.localtime().replace(second=0, microsecond=0)

    def subtypes_by_form(self) -> list[tuple[Any, list[Any]]]:
        """Each abuse-form checkbox with the sub-type checkboxes that belong to it (NĐ56 Arts. 11–14)."""
        subtypes = list(self["abuse_subtypes"])
        grouped = []
        for box in self["abuse_forms"]:
            prefix = f"{box.data['value']}."
            grouped.append((box, [s for s in subtypes if str(s.data["value"]).startswith(prefix)]))
        return grouped

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == CaseKind.ACCIDENT:
            data["abuse_forms"], data["abuse_subtypes"], data["setting"] = [], [], ""
        else:
            data["accident_type"], data["accident_outcome"] = "", ""
            forms_chosen = set(data.get("abuse_forms") or [])
            data["abuse_subtypes"] = [s for s in data.get("abuse_subtypes") or [] if s.split(".")[0] in forms_chosen]
        if kind != CaseKind.SPECIAL_CIRCUMSTANCE:
            data["special_groups"] = [] if kind else data.get("special_groups", [])
        if self.submitting:
            if kind == CaseKind.ABUSE and not data.get("abuse_forms") and "abuse_forms" not in self.errors:
                self.add_error("abuse_forms", _("Chọn ít nhất một hình thức xâm hại."))
            if kind == CaseKind.ACCIDENT:
                if not data.get("accident_type") and "accident_type" not in self.errors:
                    self.add_error("accident_type", _("Chọn loại tai nạn, thương tích."))
                if not data.get("accident_outcome") and "accident_outcome" not in self.errors:
                    self.add_error("accident_outcome", _("Chọn hậu quả: tử vong hay bị thương."))
        for name in ("received_at", "incident_date"):
            try:
                check_past_event(data.get(name))
            except ValidationError as error:
                self.add_error(name, error.messages[0])
        return data

    def to_input(self) -> CaseInput:
        data = getattr(self, "cleaned_data", {})
        kind = data.get("kind") or ""
        accident_type = data.get("accident_type") or ""
        return CaseInput(
            kind=kind,
            received_at=data.get("received_at") or timezone.now(),
            abuse_forms=list(data.get("abuse_forms") or []),
            abuse_subtypes=list(data.get("abuse_subtypes") or []),
            special_groups=list(data.get("special_groups") or []),
            setting=data.get("setting") or "",
            accident_type=accident_type,
            accident_outcome=data.get("accident_outcome") or "",
            incident_date=data.get("incident_date"),
            incident_commune=data.get("incident_commune"),
            immediate_danger=bool(data.get("immediate_danger")),
            summary=data.get("summary", ""),
        )


class ReporterForm(_IntakeForm):
    required_on_submit = ("channel",)

    channel = forms.ChoiceField(
        label=_("Kênh tiếp nhận"),
        choices=[("", _("— Chọn kênh —")), *ReportChannel.choices],
        error_messages={"required": _("Chọn kênh tiếp nhận tin báo.")},
    )
    name = forms.CharField(label=_("Họ tên người báo tin"), max_length=120)
    phone = forms.CharField(
        label=_("Điện thoại người báo tin"),
        max_length=32,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    relationship = forms.CharField(label=_("Quan hệ với trẻ"), max_length=60)

    def clean_phone(self) -> str:
        phone = self.cleaned_data.get("phone", "").strip()
        if phone and not re.fullmatch(r"\+?[\d\s.\-()]{3,32}", phone):
            raise forms.ValidationError(_("Số điện thoại chỉ gồm chữ số (có thể có dấu +, cách, chấm, gạch)."))
        return phone

    def to_input(self) -> ReporterInput:
        data = getattr(self, "cleaned_data", {})
        channel = data.get("channel") or ""
        if channel == ReportChannel.ANONYMOUS:
            return ReporterInput(channel=channel, relationship=data.get("relationship", ""))
        return ReporterInput(
            channel=channel, name=data.get("name", ""), phone=data.get("phone", ""),
            relationship=data.get("relationship", ""),
        )  # fmt: skip


class CaregiverForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=120, required=False)
    relationship = forms.CharField(
        label=_("Quan hệ với trẻ"), max_length=60, required=False, help_text=_("Ví dụ: mẹ, bố, bà nội.")
    )
    phone = forms.CharField(
        label=_("Điện thoại"), max_length=32, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)
    is_alleged_perpetrator = forms.BooleanField(label=_("Là người bị nghi gây hại cho trẻ"), required=False)

    def __init__(self, *args: Any, submitting: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.submitting = submitting

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        typed = any(data.get(n) for n in ("full_name", "relationship", "phone", "address"))
        if typed and not data.get("full_name"):
            self.add_error("full_name", _("Nhập họ tên người chăm sóc (hoặc xóa trống cả dòng)."))
        if typed and self.submitting and not data.get("relationship"):
            self.add_error("relationship", _("Nhập quan hệ của người này với trẻ."))
        return data

    def to_input(self) -> CaregiverInput | None:
        data = getattr(self, "cleaned_data", {})
        if not data.get("full_name") or self.errors:
            return None
        return CaregiverInput(
            full_name=" ".join(data["full_name"].split()),
            relationship=data.get("relationship", ""),
            phone=data.get("phone", ""),
            address=data.get("address", ""),
            is_alleged_perpetrator=bool(data.get("is_alleged_perpetrator")),
        )


CaregiverFormSet = forms.formset_factory(CaregiverForm, extra=1, max_num=10, absolute_max=12)
