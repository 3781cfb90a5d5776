"""Serializers of the correction, history and assignment API (cases/api/corrections.py)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from cases.corrections import RECORDS
from cases.services.assignment import NOTE_MAX_CHARS
from cases.services.corrections import REASON_MAX_CHARS


def _fields_help() -> str:
    return "; ".join(f"{key}: {', '.join(record.fields)}" for key, record in RECORDS.items())


class CorrectionRequestSerializer(serializers.Serializer[Any]):
    record = serializers.ChoiceField(choices=list(RECORDS), help_text="Phần hồ sơ cần sửa.")
    record_id = serializers.IntegerField(help_text="Mã bản ghi (trẻ, người chăm sóc, đánh giá, …) của hồ sơ.")
    version = serializers.IntegerField(help_text="Phiên bản hồ sơ mà thay đổi dựa trên (khóa lạc quan).")
    reason = serializers.CharField(max_length=REASON_MAX_CHARS, help_text="Lý do sửa (bắt buộc).")
    changes = serializers.DictField(
        child=serializers.JSONField(),
        allow_empty=False,
        help_text=(
            "Các trường cần sửa và giá trị mới: ngày theo ISO 8601 (2013-03-14), lựa chọn theo mã, danh sách lựa "
            "chọn là mảng mã, xã nơi xảy ra theo mã 5 chữ số, cơ quan theo mã số. Trường sửa được: " + _fields_help()
        ),
    )


class CaregiverRequestSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(help_text="Phiên bản hồ sơ mà thay đổi dựa trên (khóa lạc quan).")
    full_name = serializers.CharField(max_length=120)
    relationship = serializers.CharField(max_length=60)
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    is_alleged_perpetrator = serializers.BooleanField(required=False, default=False)
    reason = serializers.CharField(max_length=REASON_MAX_CHARS)


class CorrectionSerializer(serializers.Serializer[Any]):
    """One corrected field: old and new values in typed form (`value_type` says how to read them) and in words."""

    id = serializers.IntegerField()
    record = serializers.CharField()
    record_label = serializers.CharField()
    record_id = serializers.IntegerField()
    field = serializers.CharField()
    field_label = serializers.CharField()
    value_type = serializers.CharField(
        help_text="text, date (ISO 8601), datetime, boolean, integer, choice (mã), choices (mảng mã), unit (mã số "
        "đơn vị hành chính), agency (mã số cơ quan)."
    )
    old_value = serializers.JSONField(allow_null=True)
    new_value = serializers.JSONField(allow_null=True)
    old_text = serializers.CharField()
    new_text = serializers.CharField()
    reason = serializers.CharField()
    actor = serializers.CharField()
    effective_at = serializers.DateTimeField(help_text="Thời điểm giá trị mới có hiệu lực.")


class PersonSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()


class AssignmentSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    officer = PersonSerializer(allow_null=True, help_text="null: hồ sơ về hàng chờ của xã.")
    previous_officer = PersonSerializer(allow_null=True)
    assigned_by = PersonSerializer()
    at = serializers.DateTimeField()
    note = serializers.CharField()


class AssignmentRequestSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(help_text="Phiên bản hồ sơ mà thay đổi dựa trên (khóa lạc quan).")
    officer = serializers.IntegerField(
        allow_null=True, help_text="Mã số tài khoản cán bộ bảo vệ trẻ em của xã; null: trả về hàng chờ của xã."
    )
    note = serializers.CharField(max_length=NOTE_MAX_CHARS, required=False, allow_blank=True, default="")


class AssignmentStateSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField()
    assigned_officer = PersonSerializer(allow_null=True)
    history = AssignmentSerializer(many=True)
