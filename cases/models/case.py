"""The case: one report about one child, carried through the procedure of NĐ56 Arts. 25–32."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models.choices import (
    AbuseForm,
    AccidentOutcome,
    AccidentType,
    CaseKind,
    CaseStatus,
    DeadlineStep,
    Setting,
)
from cases.querysets import CaseQuerySet


class Case(models.Model):
    # "19-2025-000123": province code, year of receipt, sequence per province and year (CaseNumberSequence).
    # Drafts have none yet; a number once given is never given again.
    case_number = models.CharField(_("số hồ sơ"), max_length=20, unique=True, null=True, blank=True)
    child = models.ForeignKey("cases.Child", verbose_name=_("trẻ em"), on_delete=models.PROTECT, related_name="cases")
    kind = models.CharField(_("loại vụ việc"), max_length=24, choices=CaseKind.choices)
    abuse_forms = ArrayField(
        models.CharField(max_length=24, choices=AbuseForm.choices),
        verbose_name=_("hình thức xâm hại"),
        default=list,
        blank=True,
    )
    abuse_subtypes = ArrayField(
        models.CharField(max_length=48), verbose_name=_("chi tiết hình thức"), default=list, blank=True
    )
    # Special-circumstance groups of Luật Art. 10 (letters a–o) that this case concerns.
    special_groups = ArrayField(
        models.CharField(max_length=2), verbose_name=_("nhóm hoàn cảnh đặc biệt"), default=list, blank=True
    )
    setting = models.CharField(_("môi trường xảy ra"), max_length=16, choices=Setting.choices, blank=True)
    accident_type = models.CharField(_("loại tai nạn"), max_length=16, choices=AccidentType.choices, blank=True)
    accident_outcome = models.CharField(_("hậu quả"), max_length=8, choices=AccidentOutcome.choices, blank=True)
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"))
    incident_date = models.DateField(_("ngày xảy ra"), null=True, blank=True)
    incident_commune = models.ForeignKey(
        "childprotect.AdministrativeUnit",
        verbose_name=_("nơi xảy ra"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    immediate_danger = models.BooleanField(_("trẻ đang gặp nguy hiểm"), default=False)
    summary = models.TextField(_("tóm tắt sự việc"), blank=True)
    # The commune responsible for the case (where the child lives, or where it was transferred to).
    commune = models.ForeignKey(
        "childprotect.AdministrativeUnit",
        verbose_name=_("xã, phường phụ trách"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    province = models.ForeignKey(
        "childprotect.AdministrativeUnit",
        verbose_name=_("tỉnh, thành phố"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The commune's path, copied so that visible_to() is one indexed prefix match without a join.
    unit_path = models.CharField(max_length=64, editable=False)
    status = models.CharField(_("trạng thái"), max_length=24, choices=CaseStatus.choices, default=CaseStatus.DRAFT)
    status_changed_at = models.DateTimeField(_("chuyển trạng thái lúc"), null=True, blank=True)
    assigned_officer = models.ForeignKey(
        "childprotect.User",
        verbose_name=_("cán bộ phụ trách"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_cases",
    )
    created_by = models.ForeignKey(
        "childprotect.User",
        verbose_name=_("người tạo"),
        null=True,
        on_delete=models.PROTECT,
        related_name="created_cases",
    )
    # A hotline-created case stays visible to its operator until it is handed to the commune (NĐ56 Art. 26(1)).
    handed_to_commune_at = models.DateTimeField(_("đã chuyển cho xã lúc"), null=True, blank=True)
    # The earliest open statutory deadline (copied from CaseDeadline), for "due soon"/"overdue" lists.
    next_deadline_at = models.DateTimeField(_("hạn tiếp theo"), null=True, blank=True)
    next_deadline_step = models.CharField(max_length=24, choices=DeadlineStep.choices, blank=True)
    # Optimistic locking: every write states the version it was based on; a stale one is refused.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("hồ sơ vụ việc")
        verbose_name_plural = _("hồ sơ vụ việc")
        indexes = [
            # visible_to(): jurisdiction prefix, then the usual list order.
            models.Index(
                fields=["unit_path", "-received_at"],
                name="case_unit_received_idx",
                opclasses=["varchar_pattern_ops", ""],
            ),
            models.Index(
                fields=["status", "unit_path"], name="case_status_unit_idx", opclasses=["", "varchar_pattern_ops"]
            ),
            # "Due soon" / "overdue" lists and the deadline sweep; with the province and the day of receipt, the
            # dashboard's "fell due today" count (reporting/summaries.py) filters a day of deadlines in the index.
            models.Index(
                fields=["next_deadline_at", "province", "received_at"],
                name="case_next_deadline_scope_idx",
                condition=models.Q(next_deadline_at__isnull=False),
            ),
            GinIndex(fields=["abuse_forms"], name="case_abuse_forms_gin"),
            # The lists of a province officer and of a commune, newest first (see CaseQuerySet.visible_to).
            models.Index(fields=["province", "received_at"], name="case_province_received_idx"),
            models.Index(fields=["commune", "received_at"], name="case_commune_received_idx"),
            models.Index(fields=["created_by", "handed_to_commune_at"], name="case_hotline_idx"),
        ]
        constraints = [
            # A recorded accident says what kind it was; a draft may not know yet.
            models.CheckConstraint(
                condition=~models.Q(kind="accident") | ~models.Q(accident_type="") | models.Q(status="draft"),
                name="accident_has_type",
            ),
        ]

    def __str__(self) -> str:
        return self.case_number or _("Bản nháp #%(id)s") % {"id": self.pk}

    @property
    def requires_police_notification(self) -> bool:
        return AbuseForm.SEXUAL_ABUSE in (self.abuse_forms or [])


class CaseNumberSequence(models.Model):
    """The last case number given per province and year; incremented under a row lock, never decremented."""

    province = models.ForeignKey("childprotect.AdministrativeUnit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["province", "year"], name="case_number_seq_unique")]


class CaseEventType(models.TextChoices):
    CREATED = "created", _("Tiếp nhận")
    DRAFT_SAVED = "draft_saved", _("Lưu nháp")
    UPDATED = "updated", _("Cập nhật thông tin")
    TRANSITION = "transition", _("Chuyển bước")
    ASSESSMENT = "assessment", _("Đánh giá")
    EMERGENCY = "emergency", _("Biện pháp khẩn cấp")
    PLAN = "plan", _("Kế hoạch")
    NOTE = "note", _("Ghi chú")
    ATTACHMENT = "attachment", _("Tài liệu đính kèm")
    DEADLINE_OVERDUE = "deadline_overdue", _("Quá hạn")
    HANDED_TO_COMMUNE = "handed_to_commune", _("Chuyển cho xã")
    REFERRAL = "referral", _("Chuyển gửi")
    TRANSFER = "transfer", _("Chuyển xã")
    CORRECTED = "corrected", _("Chỉnh sửa thông tin")
    ASSIGNED = "assigned", _("Phân công cán bộ phụ trách")


class CaseEvent(models.Model):
    """The case timeline: append-only, written by the services in the same transaction as the change."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey("childprotect.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    event_type = models.CharField(max_length=24, choices=CaseEventType.choices)
    from_status = models.CharField(max_length=24, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=24, choices=CaseStatus.choices, blank=True)
    # Ids, codes and field names; free text only where the officer wrote it for the case file.
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="case_event_case_at_idx")]


class CaseDeadline(models.Model):
    """One statutory time limit of one case; met_at closes it. The open one due first is copied to Case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    step = models.CharField(max_length=24, choices=DeadlineStep.choices)
    due_at = models.DateTimeField()
    met_at = models.DateTimeField(null=True, blank=True)
    # Set once by the periodic sweep, so an overdue step is flagged (and escalated) exactly once.
    flagged_overdue_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at"]
        indexes = [
            models.Index(fields=["due_at"], name="deadline_open_due_idx", condition=models.Q(met_at__isnull=True)),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "step"], condition=models.Q(met_at__isnull=True), name="one_open_deadline_per_step"
            ),
        ]
