"""Serializers of referrals and transfers.

The referral's `case` is the need-to-know view (cases/need_to_know.py): the case number, the responsible commune
and, while the referral is open or completed, the fields the agency's sector needs. The reporter is never in it.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.api.serializers.browse import UnitRefSerializer, UserRefSerializer
from cases.models import CaseTransfer, Referral, ReferralUrgency
from cases.need_to_know import case_fields, shares_case
from cases.services.referrals import TEXT_MAX_CHARS
from childprotect.models import Agency


class ReferralAgencySerializer(serializers.ModelSerializer[Agency]):
    class Meta:
        model = Agency
        fields = ["code", "name", "sector"]


class ReferralCaseRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    case_number = serializers.CharField(allow_null=True)


class ReferralListSerializer(serializers.ModelSerializer[Referral]):
    case = serializers.SerializerMethodField()
    agency = ReferralAgencySerializer(read_only=True)
    overdue = serializers.BooleanField(
        source="is_overdue", read_only=True, help_text="Chưa phản hồi và đã quá hạn phản hồi."
    )

    class Meta:
        model = Referral
        fields = [
            "id",
            "case",
            "agency",
            "status",
            "urgency",
            "sent_at",
            "due_at",
            "overdue",
            "responded_at",
            "completed_at",
            "closed_at",
        ]
        read_only_fields = fields

    @extend_schema_field(ReferralCaseRefSerializer)
    def get_case(self, obj: Referral) -> dict[str, Any]:
        return {"id": obj.case_id, "case_number": obj.case.case_number}


class ReferralNoteSerializer(serializers.Serializer[Any]):
    created_at = serializers.DateTimeField()
    author = UserRefSerializer()
    text = serializers.CharField()


class NeedToKnowCaseSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    case_number = serializers.CharField(allow_null=True)
    commune = UnitRefSerializer()
    province = UnitRefSerializer()
    shared = serializers.BooleanField(
        help_text="Cơ quan nhận còn được xem thông tin về trẻ (chuyển gửi đang mở hoặc đã hoàn thành)."
    )
    need_to_know = serializers.DictField(
        child=serializers.JSONField(),
        help_text="Chỉ các thông tin lĩnh vực của cơ quan nhận cần (REFERRAL_FIELDS_BY_SECTOR); rỗng khi shared=false. "
        "Không bao giờ có danh tính người báo tin.",
    )


class ReferralDetailSerializer(ReferralListSerializer):
    case = serializers.SerializerMethodField()  # type: ignore[assignment]
    sent_by = UserRefSerializer(read_only=True)
    notes = serializers.SerializerMethodField()

    class Meta(ReferralListSerializer.Meta):
        fields = [
            *ReferralListSerializer.Meta.fields,
            "reason",
            "services",
            "sent_by",
            "accepted_at",
            "decline_reason",
            "outcome",
            "withdrawn_at",
            "withdraw_reason",
            "notes",
        ]
        read_only_fields = fields

    @extend_schema_field(NeedToKnowCaseSerializer)
    def get_case(self, obj: Referral) -> dict[str, Any]:
        case = obj.case
        return NeedToKnowCaseSerializer(
            {
                "id": case.pk,
                "case_number": case.case_number,
                "commune": case.commune,
                "province": case.province,
                "shared": shares_case(obj),
                "need_to_know": case_fields(obj),
            }
        ).data

    @extend_schema_field(ReferralNoteSerializer(many=True))
    def get_notes(self, obj: Referral) -> Any:
        return ReferralNoteSerializer(obj.notes.select_related("author"), many=True).data


class ReferralCreateSerializer(serializers.Serializer[Any]):
    case = serializers.IntegerField(help_text="Mã (id) hồ sơ.")
    agency = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Agency.objects.active(),
        help_text="Mã cơ quan trong danh bạ, ví dụ CA-19.",
        error_messages={
            "does_not_exist": _("Không có cơ quan nào mã “{value}” trong danh bạ."),
            "invalid": _("Nhập mã cơ quan trong danh bạ."),
        },
    )
    reason = serializers.CharField(max_length=TEXT_MAX_CHARS)
    services = serializers.CharField(max_length=TEXT_MAX_CHARS, required=False, allow_blank=True, default="")
    urgency = serializers.ChoiceField(choices=ReferralUrgency.choices, required=False, default=ReferralUrgency.NORMAL)
    due_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text="Bỏ trống: mặc định theo mức độ khẩn."
    )


class ReasonSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=TEXT_MAX_CHARS)


class OptionalReasonSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=TEXT_MAX_CHARS, required=False, allow_blank=True, default="")


class ProgressNoteSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(max_length=TEXT_MAX_CHARS)


class OutcomeSerializer(serializers.Serializer[Any]):
    outcome = serializers.CharField(max_length=TEXT_MAX_CHARS)


class TransferSerializer(serializers.ModelSerializer[CaseTransfer]):
    case = serializers.SerializerMethodField()
    from_commune = UnitRefSerializer(read_only=True)
    to_commune = UnitRefSerializer(read_only=True)
    requested_by = UserRefSerializer(read_only=True)
    responded_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = CaseTransfer
        fields = [
            "id",
            "case",
            "from_commune",
            "to_commune",
            "status",
            "reason",
            "requested_by",
            "requested_at",
            "responded_by",
            "responded_at",
            "decline_reason",
        ]
        read_only_fields = fields

    @extend_schema_field(ReferralCaseRefSerializer)
    def get_case(self, obj: CaseTransfer) -> dict[str, Any]:
        return {"id": obj.case_id, "case_number": obj.case.case_number}
