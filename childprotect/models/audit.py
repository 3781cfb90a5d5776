"""The append-only audit log: who did what to which record, when, and from where.

Rows are only ever inserted. The model refuses save-on-existing and delete, its QuerySet refuses update and
delete, the admin is read-only, and a PostgreSQL trigger (migration 0002) refuses UPDATE and DELETE from any
client — so not even a bug or a raw SQL statement in the app can rewrite history.
The actor is kept as an id plus the username at the time, without a database foreign key, so deleting or
renaming a user never has to touch (and never can touch) the log.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models
from django.utils.translation import gettext_lazy as _

from childprotect.querysets import AuditEventQuerySet, AuditLogIsAppendOnly


class AuditAction(models.TextChoices):
    LOGIN = "login", _("Đăng nhập")
    LOGIN_FAILED = "login_failed", _("Đăng nhập thất bại")
    LOGOUT = "logout", _("Đăng xuất")
    OTP_ENROLLED = "otp_enrolled", _("Đăng ký xác thực hai lớp")
    TOKEN_ISSUED = "token_issued", _("Cấp mã API")
    TOKEN_REVOKED = "token_revoked", _("Thu hồi mã API")
    CREATE = "create", _("Tạo")
    UPDATE = "update", _("Sửa")
    DELETE = "delete", _("Xóa")
    VIEW = "view", _("Xem")
    EXPORT = "export", _("Xuất dữ liệu")
    LIST = "list", _("Xem danh sách, tìm kiếm")
    TRANSITION = "transition", _("Chuyển bước")


class AuditEvent(models.Model):
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        "childprotect.User",
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_username = models.CharField(_("tên đăng nhập"), max_length=150, blank=True)
    action = models.CharField(_("hành động"), max_length=32, choices=AuditAction.choices)
    # The record concerned: "app_label.model" and its primary key; empty for events about no record.
    target_type = models.CharField(_("loại hồ sơ"), max_length=64, blank=True)
    target_id = models.CharField(_("mã hồ sơ"), max_length=64, blank=True)
    # The jurisdiction the record belongs to (AdministrativeUnit.path), so province officers see their own.
    unit_path = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    # Ids and field names only: never a child's name or any other personal data.
    details = models.JSONField(_("chi tiết"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhật ký truy cập")
        verbose_name_plural = _("nhật ký truy cập")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
            models.Index(fields=["actor", "at"], name="audit_actor_at_idx"),
            models.Index(fields=["unit_path"], name="audit_unit_path_idx", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.target_type}#{self.target_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AuditLogIsAppendOnly("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditLogIsAppendOnly("Audit events cannot be deleted.")
