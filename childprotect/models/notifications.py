"""In-app notifications and their email, delivered through a transactional outbox.

A Notification row is written in the same transaction as the change that causes it; after commit a Celery task
sends its email, and a periodic sweep re-sends what the broker never delivered. A row stores its kind and the
values of its texts, never the texts: `title` and `body` are written when read, in the reader's language
(childprotect/notification_kinds.py). Values and links carry case numbers and ids only, never a child's data:
emails end up in mailboxes outside our control.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from childprotect.notification_kinds import NotificationKind, render


class EmailStatus(models.TextChoices):
    NOT_WANTED = "not_wanted", _("Không gửi email")
    PENDING = "pending", _("Chờ gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi thất bại")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("loại"), max_length=48, choices=NotificationKind.choices, db_index=True)
    # What fills the kind's subject and body: case numbers, names of agencies and units, codes, ISO dates.
    params = models.JSONField(_("nội dung"), default=dict, blank=True)
    # A relative path with ids only, e.g. "/cases/12/".
    url = models.CharField(_("liên kết"), max_length=200, blank=True)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    unit_path = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    email_status = models.CharField(max_length=12, choices=EmailStatus.choices, default=EmailStatus.PENDING)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    # Pending: when the next attempt may start (also the lease of a worker that claimed the row).
    email_next_attempt_at = models.DateTimeField(null=True, blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)
    # The same reminder is never created twice: e.g. "overdue:<deadline id>:<user id>".
    dedupe_key = models.CharField(max_length=120, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notif_recipient_created_idx"),
            models.Index(fields=["recipient"], name="notif_unread_idx", condition=models.Q(read_at__isnull=True)),
            # The outbox sweep: pending emails by their next attempt.
            models.Index(
                fields=["email_next_attempt_at"],
                name="notif_email_pending_idx",
                condition=models.Q(email_status="pending"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        """The subject, in the active language."""
        return render(self.kind, self.params)[0]

    @property
    def body(self) -> str:
        """The text, in the active language."""
        return render(self.kind, self.params)[1]


class NotificationPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_enabled = models.BooleanField(_("nhận thông báo qua email"), default=True)

    class Meta:
        verbose_name = _("tùy chọn thông báo")
        verbose_name_plural = _("tùy chọn thông báo")
