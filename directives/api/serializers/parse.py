"""Request and response shapes of the directive import API (`POST /api/v1/directives/parse/`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from directives.importer.parse import MAX_TEXT_LENGTH


class DirectiveParseSerializer(serializers.Serializer[dict[str, str]]):
    text = serializers.CharField(
        trim_whitespace=False, help_text=_("Toàn văn chỉ đạo được dán vào (tối đa 200.000 ký tự).")
    )

    def validate_text(self, value: str) -> str:
        if len(value) > MAX_TEXT_LENGTH:
            raise serializers.ValidationError(
                _("Văn bản quá dài: tối đa %(limit)s ký tự.") % {"limit": f"{MAX_TEXT_LENGTH:,}".replace(",", ".")}
            )
        if not value.strip():
            raise serializers.ValidationError(_("Văn bản trống."))
        return value


class AgencyRefSerializer(serializers.Serializer[dict[str, str | None]]):
    name = serializers.CharField(help_text=_("Tên cơ quan như trong văn bản"))
    agency = serializers.CharField(allow_null=True, help_text=_("Mã cơ quan trong danh mục, nếu khớp được"))


class DeadlineSerializer(serializers.Serializer[dict[str, object]]):
    kind = serializers.ChoiceField(choices=["date", "recurring", "continuous"])
    date = serializers.DateField(required=False)
    frequency = serializers.ChoiceField(choices=["monthly", "quarterly", "semiannual", "annual"], required=False)
    day = serializers.IntegerField(required=False)
    month = serializers.IntegerField(required=False)


class ParsedTaskSerializer(serializers.Serializer[dict[str, object]]):
    label = serializers.CharField(allow_blank=True, help_text=_("Số mục trong văn bản, ví dụ 3 hoặc V.2"))
    lead = AgencyRefSerializer(many=True)
    coordinating = AgencyRefSerializer(many=True)
    text = serializers.CharField()
    deadline = DeadlineSerializer(allow_null=True)
    deadlines = DeadlineSerializer(many=True, help_text=_("Mọi thời hạn ghi trong nhiệm vụ, theo thứ tự trong văn bản"))
    report_to = AgencyRefSerializer(allow_null=True, help_text=_("Nơi nhận báo cáo (“gửi về …”, “qua Sở …”)"))


class SignerSerializer(serializers.Serializer[dict[str, str | None]]):
    name = serializers.CharField(allow_null=True)
    title = serializers.CharField(allow_null=True)
    authority = serializers.CharField(allow_null=True, help_text=_("TM./KT./Q./TL./TUQ. …"))


class ReferenceSerializer(serializers.Serializer[dict[str, str | None]]):
    doc_type = serializers.CharField()
    number = serializers.CharField()
    symbol = serializers.CharField()
    issued_on = serializers.DateField(allow_null=True)
    text = serializers.CharField()


class ParsedDirectiveSerializer(serializers.Serializer[dict[str, object]]):
    doc_type = serializers.CharField(allow_null=True, help_text=_("công văn, kế hoạch, chỉ thị, quyết định…"))
    number = serializers.CharField(allow_null=True)
    symbol = serializers.CharField(allow_null=True)
    issuer = serializers.CharField(allow_null=True)
    place = serializers.CharField(allow_null=True)
    issued_on = serializers.DateField(allow_null=True)
    subject = serializers.CharField(allow_null=True)
    recipients = serializers.ListField(child=serializers.CharField())
    signer = SignerSerializer()
    references = ReferenceSerializer(many=True)
    tasks = ParsedTaskSerializer(many=True)
    warnings = serializers.ListField(child=serializers.CharField())
