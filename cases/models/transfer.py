"""Transferring a case to another commune (the child moved) as a handshake: the sending commune requests, the
receiving commune's officer or chair accepts (then the case moves and the receiving commune owns it) or declines
(the case stays). At most one request per case is pending at a time."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.querysets import CaseTransferQuerySet


class TransferStatus(models.TextChoices):
    REQUESTED = "requested", _("Chờ xã nhận đồng ý")
    ACCEPTED = "accepted", _("Đã nhận")
    DECLINED = "declined", _("Xã nhận từ chối")
    CANCELLED = "cancelled", _("Đã hủy yêu cầu")


class CaseTransfer(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="transfers")
    from_commune = models.ForeignKey(
        "childprotect.AdministrativeUnit", verbose_name=_("xã chuyển"), on_delete=models.PROTECT, related_name="+"
    )
    to_commune = models.ForeignKey(
        "childprotect.AdministrativeUnit", verbose_name=_("xã nhận"), on_delete=models.PROTECT, related_name="+"
    )
    # The receiving commune's path, copied so "requests to my commune" is one indexed prefix match.
    to_unit_path = models.CharField(max_length=64, editable=False)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=TransferStatus.choices, default=TransferStatus.REQUESTED
    )
    reason = models.TextField(_("lý do chuyển"))
    requested_by = models.ForeignKey("childprotect.User", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("đề nghị lúc"))
    responded_by = models.ForeignKey(
        "childprotect.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responded_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    decline_reason = models.TextField(_("lý do từ chối"), blank=True)

    objects = CaseTransferQuerySet.as_manager()

    class Meta:
        verbose_name = _("chuyển hồ sơ sang xã khác")
        verbose_name_plural = _("chuyển hồ sơ sang xã khác")
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(
                fields=["to_unit_path", "-requested_at"],
                name="transfer_to_unit_idx",
                opclasses=["varchar_pattern_ops", ""],
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(status="requested"), name="one_pending_transfer_per_case"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="declined") | ~models.Q(decline_reason=""), name="transfer_decline_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case}: {self.from_commune} → {self.to_commune}"
