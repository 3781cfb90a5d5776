"""Serializers of the intake API (`POST /api/v1/cases/`, `GET /api/v1/cases/duplicates/`).

Errors are keyed by field as in the request, nested objects included: `{"child": {"id_number": ["…"]}}`. DRF's
own messages come in the caller's language from its catalogues (Vietnamese: locale_vendor/), so only the checks
of this module have words here.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases.ethnicity import ETHNICITY_NAMES_QD121, QD121_CODE_SYSTEM
from cases.models import (
    AbuseForm,
    AbuseSubtype,
    AccidentOutcome,
    AccidentType,
    CaseKind,
    CaseStatus,
    DeadlineStep,
    ReportChannel,
    Setting,
    Sex,
)
from cases.models.choices import MAX_CHILD_AGE, SPECIAL_GROUPS, Disability, EthnicityCodeSystem
from childprotect.api.serializers import UniqueListField, list_errors
from childprotect.models import AdministrativeUnit
from childprotect.models.units import UnitKind
from childprotect.validators import MAX_LIST_ITEMS, check_date_of_birth, check_past_event


class CommuneCodeField(serializers.CharField):
    """A 5-digit commune code of the current scheme (QĐ 19/2025), returned as the unit."""

    default_error_messages = {
        "format": _("Mã xã, phường gồm đúng 5 chữ số."),
        "unknown": _("Không có xã, phường nào mang mã “{code}” (danh mục QĐ 19/2025)."),
    }

    def to_internal_value(self, data: Any) -> AdministrativeUnit:
        code = super().to_internal_value(data)
        if not re.fullmatch(r"\d{5}", code):
            self.fail("format")
        unit = AdministrativeUnit.objects.current().filter(kind=UnitKind.COMMUNE, code=code).first()
        if unit is None:
            self.fail("unknown", code=code)
        return unit

    def to_representation(self, value: Any) -> str:
        return value.code if isinstance(value, AdministrativeUnit) else str(value)


class ChildInSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=120, help_text="Họ và tên; “Chưa rõ tên” nếu chưa biết.")
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    age_years = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=MAX_CHILD_AGE,
        help_text="Tuổi khi không rõ ngày sinh (0–17): lưu năm sinh ước tính.",
    )  # fmt: skip
    sex = serializers.ChoiceField(choices=Sex.choices, default=Sex.UNKNOWN)
    ethnicity_code = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=4,
        help_text="Mã dân tộc, 2 chữ số, theo `ethnicity_code_system` (mặc định QĐ 121-TCTK/PPCĐ 1979).",
    )  # fmt: skip
    ethnicity_code_system = serializers.ChoiceField(choices=EthnicityCodeSystem.choices, default=QD121_CODE_SYSTEM)
    id_number = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=20, help_text="Số định danh cá nhân: 12 chữ số."
    )
    disability = serializers.ChoiceField(choices=Disability.choices, default=Disability.NONE)
    commune = CommuneCodeField(help_text="Mã xã, phường nơi trẻ cư trú (5 chữ số, QĐ 19/2025).")

    def validate_full_name(self, value: str) -> str:
        return " ".join(value.split())

    def validate_id_number(self, value: str) -> str:
        value = re.sub(r"[\s.-]", "", value)
        if value and not re.fullmatch(r"\d{12}", value):
            raise serializers.ValidationError(_("Số định danh cá nhân gồm đúng 12 chữ số."))
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        dob = attrs.get("date_of_birth")  # checked against the receipt by CaseCreateSerializer.validate
        if dob and attrs.get("age_years") is not None:
            attrs["age_years"] = None
        code, system = attrs.get("ethnicity_code", ""), attrs.get("ethnicity_code_system")
        if code and system == QD121_CODE_SYSTEM and code not in ETHNICITY_NAMES_QD121:
            raise serializers.ValidationError({"ethnicity_code": [_("Mã dân tộc theo QĐ 121 là 01–54.")]})
        if code and not re.fullmatch(r"\d{2}", code):
            raise serializers.ValidationError({"ethnicity_code": [_("Mã dân tộc gồm 2 chữ số.")]})
        return attrs


class ReporterInSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=ReportChannel.choices)
    name = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)
    phone = serializers.CharField(required=False, allow_blank=True, default="", max_length=32)
    relationship = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)


class CaregiverInSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=120)
    relationship = serializers.CharField(max_length=60, help_text="Ví dụ: mẹ, bố, bà nội.")
    phone = serializers.CharField(required=False, allow_blank=True, default="", max_length=32)
    address = serializers.CharField(required=False, allow_blank=True, default="", max_length=255)
    is_alleged_perpetrator = serializers.BooleanField(default=False)


class CaseCreateSerializer(serializers.Serializer):
    """A reported case (Mẫu 01), or — with `kind: "accident"` — an accident/injury incident that provinces
    count even when no protection case follows (`accident_type`, `outcome` required then).
    `draft: true` saves without a number and without the checks of a received case."""

    child = ChildInSerializer()
    kind = serializers.ChoiceField(choices=CaseKind.choices)
    abuse_forms = UniqueListField(child=serializers.ChoiceField(choices=AbuseForm.choices), default=list)
    abuse_subtypes = UniqueListField(
        child=serializers.ChoiceField(choices=AbuseSubtype.choices), default=list,
        help_text="Chi tiết theo NĐ56 Điều 11–14, dạng `<hình thức>.<chi tiết>`.",
    )  # fmt: skip
    special_groups = UniqueListField(
        child=serializers.ChoiceField(choices=SPECIAL_GROUPS), default=list,
        help_text="Nhóm trẻ em có hoàn cảnh đặc biệt, chữ cái của Điều 10 Luật Trẻ em (a–o).",
    )  # fmt: skip
    setting = serializers.ChoiceField(choices=Setting.choices, required=False, allow_blank=True, default="")
    accident_type = serializers.ChoiceField(choices=AccidentType.choices, required=False, allow_blank=True, default="")
    outcome = serializers.ChoiceField(
        choices=AccidentOutcome.choices, required=False, allow_blank=True, default="",
        help_text="Hậu quả của tai nạn, thương tích: tử vong hoặc bị thương.",
    )  # fmt: skip
    received_at = serializers.DateTimeField(required=False, help_text="Thời điểm tiếp nhận; mặc định: lúc gửi.")
    incident_date = serializers.DateField(required=False, allow_null=True)
    incident_commune = CommuneCodeField(required=False, allow_null=True, allow_blank=True)
    immediate_danger = serializers.BooleanField(default=False)
    reporter = ReporterInSerializer()
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    caregivers = CaregiverInSerializer(
        many=True, required=False, default=list, max_length=MAX_LIST_ITEMS, error_messages=list_errors()
    )
    draft = serializers.BooleanField(default=False)
    existing_child = serializers.IntegerField(
        required=False, allow_null=True,
        help_text="Id của trẻ đã có (từ kiểm tra trùng) để nối vụ việc vào; bỏ trống để tạo trẻ mới.",
    )  # fmt: skip

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors: dict[str, Any] = {}
        kind = attrs["kind"]
        draft = attrs.get("draft", False)
        if kind == CaseKind.ACCIDENT:
            attrs["abuse_forms"], attrs["abuse_subtypes"] = [], []
            if not attrs.get("accident_type"):
                errors["accident_type"] = [_("Chọn loại tai nạn, thương tích.")]
            if not attrs.get("outcome") and not draft:
                errors["outcome"] = [_("Chọn hậu quả: tử vong hay bị thương.")]
        else:
            if attrs.get("accident_type") or attrs.get("outcome"):
                errors["kind"] = [_("Loại tai nạn và hậu quả chỉ dùng khi kind là “accident”.")]
            chosen = set(attrs.get("abuse_forms") or [])
            stray = [s for s in attrs.get("abuse_subtypes") or [] if s.split(".")[0] not in chosen]
            if stray:
                errors["abuse_subtypes"] = [
                    _("Chi tiết không thuộc hình thức đã chọn: %(s)s.") % {"s": ", ".join(stray)}
                ]
        child = attrs["child"]
        if not draft and child.get("date_of_birth") is None and child.get("age_years") is None:
            errors["child"] = {"date_of_birth": [_("Nhập ngày sinh hoặc tuổi (ước tính) của trẻ.")]}
        attrs.setdefault("received_at", timezone.now())
        for name in ("received_at", "incident_date"):
            try:
                check_past_event(attrs.get(name), name)
            except DjangoValidationError as error:
                errors[name] = error.message_dict[name]
        if "received_at" not in errors:
            try:
                check_date_of_birth(child.get("date_of_birth"), attrs["received_at"])
            except DjangoValidationError as error:
                errors["child"] = {"date_of_birth": error.messages}
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class CaseCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case_number = serializers.CharField(allow_null=True, help_text="`19-2025-000123`; null cho bản nháp.")
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    next_deadline = serializers.DateTimeField(allow_null=True, help_text="Hạn luật định gần nhất còn mở.")
    next_deadline_step = serializers.ChoiceField(choices=DeadlineStep.choices, allow_blank=True)
    version = serializers.IntegerField(help_text="Phiên bản hồ sơ, gửi kèm khi sửa (khóa lạc quan).")
    possible_duplicates = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Id các trẻ đã có có thể trùng với trẻ vừa tạo (cùng xã, tên gần giống hoặc cùng số định danh).",
    )


class DuplicateQuerySerializer(serializers.Serializer):
    full_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)
    commune = CommuneCodeField()
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    id_number = serializers.CharField(required=False, allow_blank=True, default="", max_length=20)

    def validate_id_number(self, value: str) -> str:
        value = re.sub(r"[\s.-]", "", value)
        if value and not re.fullmatch(r"\d{12}", value):
            raise serializers.ValidationError(_("Số định danh cá nhân gồm đúng 12 chữ số."))
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("full_name", "").strip() and not attrs.get("id_number"):
            raise serializers.ValidationError({"full_name": [_("Nhập họ tên hoặc số định danh để kiểm tra.")]})
        return attrs


class DuplicateCandidateSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="child.pk")
    full_name = serializers.CharField(source="child.full_name")
    date_of_birth = serializers.DateField(source="child.date_of_birth", allow_null=True)
    birth_year = serializers.IntegerField(source="child.birth_year", allow_null=True)
    commune = serializers.CharField(source="commune.code", help_text="Mã xã, phường (5 chữ số).")
    id_number_last4 = serializers.CharField(source="id_last4", help_text="4 chữ số cuối của số định danh.")
    case_count = serializers.IntegerField(help_text="Số vụ việc đã ghi nhận của trẻ.")
