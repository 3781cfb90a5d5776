"""The steps of the procedure and what each produces: assessments (Mẫu 02, 03), emergency measures and
separation (Mẫu 07), the needs meeting, plans with items (Mẫu 04/05), reviews (Mẫu 06)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models.choices import ProtectionLevel


class AssessmentKind(models.TextChoices):
    INITIAL = "initial", _("Đánh giá ban đầu (Mẫu 02)")
    DETAILED = "detailed", _("Đánh giá chi tiết (Mẫu 03)")


class HarmLevel(models.TextChoices):
    NONE = "none", _("Không có tổn hại")
    LOW = "low", _("Thấp")
    MEDIUM = "medium", _("Trung bình")
    HIGH = "high", _("Cao")
    SERIOUS = "serious", _("Nghiêm trọng")


class RiskLevel(models.TextChoices):
    """The same scale as HarmLevel (same values), worded for a risk: "Không có nguy cơ", not "không có tổn hại"."""

    NONE = "none", _("Không có nguy cơ")
    LOW = "low", _("Thấp")
    MEDIUM = "medium", _("Trung bình")
    HIGH = "high", _("Cao")
    SERIOUS = "serious", _("Nghiêm trọng")


class Assessment(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="assessments")
    kind = models.CharField(_("loại đánh giá"), max_length=12, choices=AssessmentKind.choices)
    assessed_at = models.DateTimeField(_("thời điểm đánh giá"))
    assessed_by = models.ForeignKey("childprotect.User", on_delete=models.PROTECT, related_name="+")
    harm_level = models.CharField(_("mức độ tổn hại"), max_length=8, choices=HarmLevel.choices)
    risk_level = models.CharField(_("mức độ nguy cơ"), max_length=8, choices=RiskLevel.choices)
    serious_danger = models.BooleanField(_("trẻ có nguy cơ bị tổn hại nghiêm trọng"), default=False)
    findings = models.TextField(_("nhận định"), blank=True)
    # Detailed assessment (NĐ56 Art. 27(1) a–h).
    child_condition = models.TextField(_("tình trạng thể chất, tâm lý, tình cảm"), blank=True)
    family_situation = models.TextField(_("hoàn cảnh gia đình, khả năng bảo vệ"), blank=True)
    risk_factors = models.TextField(_("yếu tố nguy cơ"), blank=True)
    learning_and_self_protection = models.TextField(_("khả năng học tập, tự bảo vệ của trẻ"), blank=True)
    community_safety = models.TextField(_("mức độ an toàn của cộng đồng"), blank=True)
    needs = models.TextField(_("nhu cầu của trẻ"), blank=True)
    child_views = models.TextField(_("ý kiến, nguyện vọng của trẻ"), blank=True)
    caregiver_views = models.TextField(_("ý kiến của cha mẹ, người chăm sóc"), blank=True)

    class Meta:
        ordering = ["assessed_at"]


class EmergencyKind(models.TextChoices):
    EMERGENCY_INTERVENTION = "emergency_intervention", _("Can thiệp khẩn cấp")
    TEMPORARY_SEPARATION = "temporary_separation", _("Tạm thời cách ly khỏi cha mẹ, người chăm sóc (Mẫu 07)")


class EmergencyMeasure(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="emergency_measures")
    kind = models.CharField(_("biện pháp"), max_length=24, choices=EmergencyKind.choices)
    decided_by = models.ForeignKey("childprotect.User", on_delete=models.PROTECT, related_name="+")
    decision_number = models.CharField(_("số quyết định"), max_length=40, blank=True)
    started_at = models.DateTimeField(_("bắt đầu"))
    # Separation lasts at most 15 days unless a competent authority requires it to continue (NĐ56 Art. 32).
    ends_at = models.DateTimeField(_("kết thúc dự kiến"), null=True, blank=True)
    extended_by_authority = models.CharField(
        _("gia hạn theo yêu cầu của cơ quan có thẩm quyền"), max_length=200, blank=True
    )
    placement = models.CharField(_("nơi ở an toàn, chăm sóc thay thế"), max_length=255, blank=True)
    description = models.TextField(_("nội dung"), blank=True)
    revoked_at = models.DateTimeField(_("chấm dứt lúc"), null=True, blank=True)

    class Meta:
        ordering = ["started_at"]


class NeedsMeeting(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("ngày họp"))
    participants = models.TextField(_("thành phần"))
    decisions = models.TextField(_("kết luận về nhu cầu, biện pháp"))
    recorded_by = models.ForeignKey("childprotect.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["held_on"]


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SUBMITTED = "submitted", _("Trình phê duyệt")
    APPROVED = "approved", _("Đã phê duyệt")
    RETURNED = "returned", _("Trả lại để sửa")
    ENDED = "ended", _("Đã kết thúc")


class Plan(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="plans")
    cycle = models.PositiveSmallIntegerField(_("chu kỳ kế hoạch"), default=1)
    status = models.CharField(_("trạng thái"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    goals = models.TextField(_("mục tiêu"), blank=True)
    drafted_by = models.ForeignKey("childprotect.User", on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("trình lúc"), null=True, blank=True)
    approved_by = models.ForeignKey(
        "childprotect.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("phê duyệt lúc"), null=True, blank=True)
    decision_number = models.CharField(_("số quyết định phê duyệt"), max_length=40, blank=True)
    return_reason = models.TextField(_("lý do trả lại"), blank=True)

    class Meta:
        ordering = ["cycle"]
        constraints = [models.UniqueConstraint(fields=["case", "cycle"], name="plan_cycle_unique")]


class PlanItem(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    service = models.CharField(_("dịch vụ, hoạt động"), max_length=255)
    level = models.CharField(_("cấp độ bảo vệ"), max_length=12, choices=ProtectionLevel.choices)
    # Article/clause/point of the Law on Children, e.g. "50.2.b" (safe shelter and separation).
    measure_code = models.CharField(_("biện pháp (Điều.khoản.điểm)"), max_length=12, blank=True)
    responsible_agency = models.ForeignKey(
        "childprotect.Agency",
        verbose_name=_("cơ quan chịu trách nhiệm"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    responsible_person = models.CharField(_("người chịu trách nhiệm"), max_length=120, blank=True)
    start_date = models.DateField(_("ngày bắt đầu"))
    expected_end_date = models.DateField(_("ngày dự kiến kết thúc"))
    estimated_cost_vnd = models.PositiveBigIntegerField(_("dự toán kinh phí (đồng)"), default=0)
    done_at = models.DateField(_("hoàn thành ngày"), null=True, blank=True)

    class Meta:
        ordering = ["start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expected_end_date__gte=models.F("start_date")), name="plan_item_dates_ordered"
            ),
        ]


class ReviewOutcome(models.TextChoices):
    CLOSE = "close", _("Đề nghị kết thúc kế hoạch")
    NEW_CYCLE = "new_cycle", _("Xây dựng kế hoạch mới")


class Review(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="reviews")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="reviews")
    reviewed_at = models.DateTimeField(_("thời điểm rà soát"))
    reviewed_by = models.ForeignKey("childprotect.User", on_delete=models.PROTECT, related_name="+")
    child_safe = models.BooleanField(_("trẻ không còn nguy cơ bị xâm hại"))
    child_stable = models.BooleanField(_("các yếu tố thể chất, tâm lý, nhận thức, tình cảm ổn định"))
    findings = models.TextField(_("kết quả rà soát"))
    outcome = models.CharField(_("đề xuất"), max_length=12, choices=ReviewOutcome.choices)

    class Meta:
        ordering = ["reviewed_at"]


class CaseNote(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey("childprotect.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    text = models.TextField(_("nội dung"))

    class Meta:
        ordering = ["created_at"]


def attachment_path(instance: CaseAttachment, filename: str) -> str:
    # Stored under an opaque name: no child data in file names or paths.
    import uuid

    return f"cases/{instance.case_id}/{uuid.uuid4().hex}"


class CaseAttachment(models.Model):
    """A file of the case file, in private storage; served only through the access-checked download view."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="attachments")
    uploaded_by = models.ForeignKey("childprotect.User", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("tên tệp"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    description = models.CharField(_("mô tả"), max_length=255, blank=True)

    class Meta:
        ordering = ["uploaded_at"]


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Ngày nghỉ lễ, Tết")
    WORKING = "working", _("Ngày làm việc bù")


class CalendarDay(models.Model):
    """Exceptions to the Monday–Friday week, kept as data: public holidays (and days off in lieu), and the
    Saturdays worked in exchange. Admins add each year's days; deadlines count working days through them."""

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=8, choices=CalendarDayKind.choices)
    name = models.CharField(_("tên"), max_length=120)

    class Meta:
        verbose_name = _("ngày nghỉ/làm bù")
        verbose_name_plural = _("lịch ngày nghỉ, làm bù")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"
