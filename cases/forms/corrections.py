"""Correcting a record of the case file: the record's correctable fields (cases/corrections.py) as they are now,
the reason and the version the form was read at. A thin adapter: the page and the API build the same form (the
API with only the fields it sends) and hand the changed values to cases/services/corrections.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.forms.models import fields_for_model, model_to_dict
from django.utils.translation import gettext_lazy as _

from cases.corrections import CorrectableRecord
from cases.ethnicity import ETHNIC_GROUPS_QD121
from cases.forms.intake import CommuneField, commune_search_attrs
from cases.forms.workflow import agencies_for
from cases.models import AbuseForm, AbuseSubtype, Case
from cases.models.choices import SPECIAL_GROUPS
from cases.services.corrections import REASON_MAX_CHARS
from childprotect.validators import UniqueMultipleChoiceField
from childprotect.widgets import DATE_INPUT, SHORT_TEXT, VietnameseOrderModelChoiceField

INCIDENT_COMMUNE_OPTIONS = "correction-commune-options"
# Fields whose form input differs from the model's default one.
_CHECKBOXES = forms.CheckboxSelectMultiple
_MULTIPLE = {
    "abuse_forms": AbuseForm.choices,
    "abuse_subtypes": AbuseSubtype.choices,
    "special_groups": SPECIAL_GROUPS,
}


class CorrectionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, label=_("Phiên bản hồ sơ"))
    reason = forms.CharField(
        label=_("Lý do sửa"),
        widget=SHORT_TEXT,
        max_length=REASON_MAX_CHARS,
        help_text=_("Bắt buộc. Ví dụ: theo giấy khai sinh do gia đình cung cấp ngày 05/12."),
        error_messages={"required": _("Ghi lý do sửa: lịch sử hồ sơ giữ lại lý do này cùng giá trị cũ và mới.")},
    )

    record: CorrectableRecord
    field_names: tuple[str, ...] = ()

    def changes(self) -> dict[str, Any]:
        """The corrected fields and their new (typed) values: those the person changed on the page, or every field
        the API sent."""
        names = [name for name in self.field_names if name in self.changed_data]
        return {name: self.cleaned_data[name] for name in names}


def _form_field(record: CorrectableRecord, case: Case, name: str, model_field: models.Field[Any, Any]) -> Any:
    if name in _MULTIPLE:
        return UniqueMultipleChoiceField(
            label=model_field.verbose_name, choices=_MULTIPLE[name], widget=_CHECKBOXES, required=False
        )
    if name == "ethnicity_code":
        return forms.ChoiceField(
            label=_("Dân tộc"), choices=[("", _("Chưa ghi")), *ETHNIC_GROUPS_QD121], required=False
        )
    if name == "incident_commune":
        return CommuneField(
            label=model_field.verbose_name,
            required=False,
            widget=forms.TextInput(attrs=commune_search_attrs(INCIDENT_COMMUNE_OPTIONS)),
            help_text=_("Gõ tên hoặc mã 5 chữ số rồi chọn trong danh sách; để trống nếu là nơi trẻ cư trú."),
        )
    if name == "responsible_agency":
        return VietnameseOrderModelChoiceField(
            label=model_field.verbose_name,
            queryset=agencies_for(case),
            required=False,
            empty_label=_("— Không chọn cơ quan —"),
        )
    formfield = model_field.formfield()
    if isinstance(model_field, models.DateField) and not isinstance(model_field, models.DateTimeField):
        formfield.widget = DATE_INPUT
    elif isinstance(model_field, models.TextField):
        formfield.widget = SHORT_TEXT
    return formfield


def correction_form(
    record: CorrectableRecord,
    case: Case,
    row: models.Model,
    data: Any = None,
    *,
    only: list[str] | None = None,
) -> CorrectionForm:
    """The form of one record, filled with its current values (`only`: just these fields, for the API)."""
    names = tuple(name for name in record.fields if only is None or name in only)
    fields = fields_for_model(
        record.model,
        fields=list(names),
        formfield_callback=lambda model_field, **kwargs: _form_field(record, case, model_field.name, model_field),
    )
    form_class = type(
        "CorrectionFormFor" + record.model.__name__,
        (CorrectionForm,),
        {**fields, "record": record, "field_names": names},
    )
    initial = model_to_dict(row, fields=list(names))
    if "incident_commune" in names and getattr(row, "incident_commune", None) is not None:
        initial["incident_commune"] = row.incident_commune.code  # type: ignore[attr-defined]
    initial["version"] = case.version
    form: CorrectionForm = form_class(data, initial=initial)
    return form


class AddCaregiverForm(forms.Form):
    """A parent or caregiver found after receipt (cases/services/corrections.py `do_add_caregiver`)."""

    version = forms.IntegerField(widget=forms.HiddenInput, label=_("Phiên bản hồ sơ"))
    full_name = forms.CharField(label=_("Họ và tên"), max_length=120)
    relationship = forms.CharField(label=_("Quan hệ với trẻ"), max_length=60)
    phone = forms.CharField(label=_("Điện thoại"), max_length=32, required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)
    is_alleged_perpetrator = forms.BooleanField(label=_("Là người bị nghi gây hại"), required=False)
    reason = CorrectionForm.base_fields["reason"]
