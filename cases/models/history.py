"""What changed on a case after receipt, field by field, and who was responsible for it when.

`CaseCorrection`: one row per field a correction changed (cases/services/corrections.py), with the reason, who and
when. Old and new values are kept in typed form (`value_type`: a date is "2013-03-14", a choice its code, a list
of choices a JSON list, a unit or agency its id), and `effective_at` is the moment the new value took effect, so a
figure can be computed "as of" any moment: the value a field had at moment T is the `old_value` of its first
correction after T, or its current value if none came after (`cases/querysets.py` `value_as_of`). Locked reports
keep their own stored figures and files: a correction never rewrites them.

`CaseAssignment`: each time the responsible officer changes (assigned, reassigned, or back to the commune's
queue), with who did it and when.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ValueType(models.TextChoices):
    TEXT = "text", _("Văn bản")
    DATE = "date", _("Ngày")
    DATETIME = "datetime", _("Thời điểm")
    BOOLEAN = "boolean", _("Có/không")
    INTEGER = "integer", _("Số")
    CHOICE = "choice", _("Một lựa chọn")
    CHOICES = "choices", _("Nhiều lựa chọn")
    UNIT = "unit", _("Đơn vị hành chính")
    AGENCY = "agency", _("Cơ quan")


class CaseCorrection(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="corrections")
    # The timeline entry of the correction this change was part of (one entry per reason given).
    event = models.ForeignKey("cases.CaseEvent", on_delete=models.CASCADE, related_name="corrections")
    # Which record (a key of cases/corrections.py RECORDS: "child", "caregiver", "case", …) and which of them.
    record = models.CharField(_("phần hồ sơ"), max_length=24)
    record_id = models.PositiveBigIntegerField(_("mã bản ghi"))
    field = models.CharField(_("trường"), max_length=64)
    value_type = models.CharField(max_length=12, choices=ValueType.choices)
    old_value = models.JSONField(_("giá trị cũ"), null=True, blank=True)
    new_value = models.JSONField(_("giá trị mới"), null=True, blank=True)
    reason = models.TextField(_("lý do"))
    actor = models.ForeignKey("childprotect.User", on_delete=models.PROTECT, related_name="+")
    effective_at = models.DateTimeField(_("có hiệu lực từ"))

    class Meta:
        verbose_name = _("chỉnh sửa hồ sơ")
        verbose_name_plural = _("chỉnh sửa hồ sơ")
        ordering = ["effective_at", "id"]
        indexes = [
            models.Index(fields=["case", "effective_at"], name="correction_case_at_idx"),
            # "As of" reads: the first correction of one field after a moment.
            models.Index(fields=["record", "field", "effective_at"], name="correction_field_at_idx"),
        ]


class CaseAssignment(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="assignments")
    officer = models.ForeignKey(
        "childprotect.User",
        verbose_name=_("cán bộ phụ trách"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    previous_officer = models.ForeignKey(
        "childprotect.User",
        verbose_name=_("cán bộ phụ trách trước đó"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_by = models.ForeignKey("childprotect.User", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("phân công hồ sơ")
        verbose_name_plural = _("phân công hồ sơ")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="assignment_case_at_idx")]
