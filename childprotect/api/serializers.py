"""Serializers of the platform's API: units, agencies, the audit log, the token endpoint, notifications."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework import serializers
from rest_framework.utils import html

from childprotect.models import AdministrativeUnit, Agency, AuditEvent, Notification


class StrictBooleanField(serializers.BooleanField):
    """A yes/no the caller must give, as the schema says: `true` or `false`. DRF would read a form-encoded body
    without the field as `false` (an unticked checkbox), and JSON's `"yes"`, `"on"` or `1` as `true`; here the
    first is a missing field and the others are not booleans (form-encoded bodies still send "true"/"false")."""

    default_empty_html = serializers.empty
    default_error_messages = {"invalid": _("Chỉ nhận true hoặc false.")}

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool) and not html.is_html_input(getattr(self.root, "initial_data", None)):
            self.fail("invalid", input=data)
        return bool(super().to_internal_value(data))


class AdministrativeUnitSerializer(serializers.ModelSerializer[AdministrativeUnit]):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = AdministrativeUnit
        fields = [
            "code",
            "name",
            "full_name",
            "kind",
            "category",
            "parent",
            "scheme",
            "valid_from",
            "valid_to",
        ]


class AgencySerializer(serializers.ModelSerializer[Agency]):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    unit_name = serializers.CharField(source="unit.full_name", read_only=True)

    class Meta:
        model = Agency
        fields = [
            "code",
            "name",
            "short_name",
            "sector",
            "level",
            "unit",
            "unit_name",
            "valid_from",
            "valid_to",
        ]


class AuditEventSerializer(serializers.ModelSerializer[AuditEvent]):
    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "at",
            "actor",
            "actor_username",
            "action",
            "target_type",
            "target_id",
            "ip_address",
            "details",
        ]


class TokenRequestSerializer(serializers.Serializer[Any]):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False, write_only=True)
    otp_token = serializers.CharField(
        required=False,
        allow_blank=True,
        write_only=True,
        help_text=_("Mã TOTP 6 chữ số; bắt buộc với các vai trò cần xác thực hai lớp."),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        request = self.context["request"]
        # Through authenticate(request=...) so django-axes counts failures and refuses locked-out users.
        user = authenticate(request=request, username=attrs["username"], password=attrs["password"])
        if user is None or not user.is_active:
            raise serializers.ValidationError(
                _("Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đang bị tạm khóa."),
                code="authorization",
            )
        if user.requires_second_factor:
            token = (attrs.get("otp_token") or "").strip()
            devices = TOTPDevice.objects.devices_for_user(user, confirmed=True)
            if not token or not any(device.verify_token(token) for device in devices):
                raise serializers.ValidationError(
                    {"otp_token": _("Vai trò này cần mã xác thực hai lớp hợp lệ.")}, code="authorization"
                )
        attrs["user"] = user
        return attrs


class TokenResponseSerializer(serializers.Serializer[Any]):
    token = serializers.CharField(help_text=_("Mã API: chỉ hiện một lần, hãy lưu lại ngay."))
    token_id = serializers.CharField(help_text=_("Số hiệu của mã (không bí mật), để thu hồi mã."))
    expiry = serializers.DateTimeField(help_text=_("Thời điểm mã hết hạn."))


class ApiTokenSerializer(serializers.Serializer[Any]):
    token_id = serializers.CharField(source="token_key", read_only=True)
    created = serializers.DateTimeField(read_only=True)
    expiry = serializers.DateTimeField(read_only=True)
    current = serializers.SerializerMethodField(help_text=_("Mã đang dùng cho chính yêu cầu này."))

    def get_current(self, instance: Any) -> bool:
        request = self.context.get("request")
        auth = getattr(request, "auth", None)
        return bool(auth is not None and getattr(auth, "digest", None) == instance.digest)


class NotificationSerializer(serializers.ModelSerializer[Notification]):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "target_type", "target_id", "created_at", "read_at"]
        read_only_fields = fields


class PreferenceSerializer(serializers.Serializer[dict[str, bool]]):
    email_enabled = StrictBooleanField(
        help_text="Gửi cả email (chỉ số hồ sơ và đường dẫn). Thông báo trong ứng dụng luôn được giữ."
    )


def list_errors() -> dict[str, Any]:
    """The error message of a list too long, for `Serializer(many=True, max_length=…, error_messages=…)`."""
    from childprotect.validators import LIST_TOO_LONG

    return {"max_length": LIST_TOO_LONG}


class UniqueListField(serializers.ListField):
    """A JSON list of values (codes, choices): at most MAX_LIST_ITEMS given, each kept once, in the order given
    (childprotect/validators.py: `unique_bounded`). The bound is checked before any item is."""

    def __init__(self, **kwargs: Any) -> None:
        from childprotect.validators import LIST_TOO_LONG, MAX_LIST_ITEMS

        kwargs.setdefault("max_length", MAX_LIST_ITEMS)
        super().__init__(**kwargs)
        self.error_messages["max_length"] = LIST_TOO_LONG

    def to_internal_value(self, data: Any) -> list[Any]:
        from childprotect.validators import unique_bounded

        return unique_bounded(super().to_internal_value(data), limit=self.max_length or len(data))
