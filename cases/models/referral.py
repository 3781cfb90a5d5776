"""Referrals between agencies (Luật Art. 51; NĐ56 Arts. 29, 31; TTLT 01/2022): a case worker refers a case to an
agency of the directory, the agency's focal points accept or decline, report progress and complete with an outcome.

sent → accepted | declined (reason required) → in progress → completed (outcome required); the sending side may
withdraw while the referral is open. Every change is a CaseEvent (type "referral") on the case timeline, written by
cases/services/referrals.py in the same transaction, together with the notifications of the other side.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.querysets import ReferralQuerySet


class ReferralUrgency(models.TextChoices):
    IMMEDIATE = "immediate", _("Ngay lập tức")
    URGENT = "urgent", _("Khẩn")
    NORMAL = "normal", _("Thông thường")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Đã gửi, chờ phản hồi")
    ACCEPTED = "accepted", _("Đã tiếp nhận")
    DECLINED = "declined", _("Từ chối")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    COMPLETED = "completed", _("Đã hoàn thành")
    WITHDRAWN = "withdrawn", _("Đã rút lại")


# The agency may act (accept, decline, add progress, complete) only while the referral is open.
OPEN_REFERRAL_STATUSES = frozenset({ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS})
CLOSED_REFERRAL_STATUSES = frozenset({ReferralStatus.DECLINED, ReferralStatus.COMPLETED, ReferralStatus.WITHDRAWN})
# Statuses in which the agency still sees the need-to-know view of the case (architecture.md, "Access").
SHARED_REFERRAL_STATUSES = frozenset({*OPEN_REFERRAL_STATUSES, ReferralStatus.COMPLETED})


class Referral(models.Model):
    case = models.ForeignKey("cases.Case", verbose_name=_("hồ sơ"), on_delete=models.CASCADE, related_name="referrals")
    agency = models.ForeignKey(
        "childprotect.Agency", verbose_name=_("cơ quan nhận"), on_delete=models.PROTECT, related_name="referrals"
    )
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    urgency = models.CharField(_("mức độ khẩn"), max_length=10, choices=ReferralUrgency.choices)
    # Written by the case worker for the agency: it reaches the agency's focal points, never an email.
    reason = models.TextField(_("lý do chuyển gửi"))
    services = models.TextField(_("dịch vụ đề nghị"), blank=True)
    due_at = models.DateTimeField(_("hạn phản hồi"))
    sent_by = models.ForeignKey(
        "childprotect.User", verbose_name=_("người gửi"), on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("gửi lúc"))
    # The agency's answer (accepted or declined), whoever of its focal points gave it.
    responded_at = models.DateTimeField(_("phản hồi lúc"), null=True, blank=True)
    responded_by = models.ForeignKey(
        "childprotect.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    decline_reason = models.TextField(_("lý do từ chối"), blank=True)
    completed_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    completed_by = models.ForeignKey(
        "childprotect.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.TextField(_("kết quả"), blank=True)
    withdrawn_at = models.DateTimeField(_("rút lại lúc"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        "childprotect.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdraw_reason = models.TextField(_("lý do rút lại"), blank=True)
    # Set once by the periodic sweep when no answer came by due_at: flagged and escalated exactly once.
    flagged_overdue_at = models.DateTimeField(_("quá hạn phản hồi lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("chuyển gửi")
        verbose_name_plural = _("chuyển gửi")
        ordering = ["-sent_at", "-id"]
        indexes = [
            # An agency's inbox, newest first (ReferralQuerySet.visible_to for focal points).
            models.Index(fields=["agency", "-sent_at"], name="referral_agency_sent_idx"),
            # The case page's referrals section.
            models.Index(fields=["case", "sent_at"], name="referral_case_sent_idx"),
            # The overdue sweep: unanswered referrals by due time, not yet flagged.
            models.Index(
                fields=["due_at"],
                name="referral_unanswered_due_idx",
                condition=models.Q(status="sent", flagged_overdue_at__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="declined") | ~models.Q(decline_reason=""), name="referral_decline_reason"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="completed") | ~models.Q(outcome=""), name="referral_completed_outcome"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} → {self.agency}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REFERRAL_STATUSES

    @property
    def is_overdue(self) -> bool:
        """No answer yet and past the response time (whether or not the sweep has flagged it yet)."""
        from django.utils import timezone

        return self.status == ReferralStatus.SENT and self.due_at <= timezone.now()


class ReferralNote(models.Model):
    """A progress note of the agency on a referral (NĐ56 Art. 29: agencies report back)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey("childprotect.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    text = models.TextField(_("nội dung"))

    class Meta:
        verbose_name = _("tiến độ chuyển gửi")
        verbose_name_plural = _("tiến độ chuyển gửi")
        ordering = ["created_at", "id"]
