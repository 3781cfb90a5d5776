"""The Django admin, for the `admin` role: reference data and accounts; the audit log read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from childprotect.models import AdministrativeUnit, Agency, AuditEvent, User
from childprotect.models.notifications import EmailStatus, Notification

admin.site.site_header = _("childprotect — quản trị")
admin.site.site_title = _("childprotect")


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "full_name", "kind", "scheme", "parent", "valid_from", "valid_to"]
    list_filter = ["scheme", "kind", "category"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]
    filter_horizontal = ["successors"]
    readonly_fields = ["path"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "sector", "level", "unit", "valid_to"]
    list_filter = ["sector", "level"]
    search_fields = ["code", "name"]
    raw_id_fields = ["unit"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "get_full_name", "role", "unit", "agency", "is_active"]
    list_filter = ["role", "is_active"]
    raw_id_fields = ["unit", "agency"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Vai trò và địa bàn"), {"fields": ("role", "unit", "agency", "phone")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Vai trò và địa bàn"), {"fields": ("role", "unit", "agency", "email")}),
    )


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Browse only: no add, no change, no delete, no bulk actions."""

    list_display = ["at", "actor_username", "action", "target_type", "target_id", "ip_address"]
    list_filter = ["action", "target_type"]
    search_fields = ["actor_username", "target_id"]
    date_hierarchy = "at"
    actions = None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Notification)
class NotificationEmailAdmin(admin.ModelAdmin):
    """The email outbox: what is waiting, how many tries each has had and when the next one is due, what gave up
    (filter "Chờ gửi" / "Gửi thất bại"), searched by recipient. One action: try again now."""

    list_display = ["created_at", "kind", "recipient", "email_status", "email_attempts", "email_next_attempt_at"]
    list_filter = ["email_status", "kind"]
    search_fields = ["recipient__username"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
    actions = ["retry_email_now"]
    readonly_fields = [field.name for field in Notification._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Gửi lại email ngay (ở lượt quét tới)"))
    def retry_email_now(self, request: HttpRequest, queryset: Any) -> None:
        retried = queryset.filter(email_status__in=[EmailStatus.PENDING, EmailStatus.FAILED]).update(
            email_status=EmailStatus.PENDING, email_next_attempt_at=None, email_attempts=0
        )
        self.message_user(request, _("%(count)s email sẽ được gửi lại.") % {"count": retried})
