"""Shapes of tasks, their occurrences and reports in the API (read side), and of a new report (write side)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from childprotect.models import Agency, User
from directives.models import DeadlineKind, DirectiveTask, Frequency, TaskOccurrence, TaskReport, TaskStatus
from directives.recurrence import DeadlineRule
from directives.status import occurrence_status


class AgencyOutSerializer(serializers.ModelSerializer[Agency]):
    class Meta:
        model = Agency
        fields = ["code", "name"]


class LeadOutSerializer(serializers.Serializer[dict[str, Any]]):
    kind = serializers.ChoiceField(choices=["agency", "commune"], help_text=_("Cơ quan, hoặc xã/phường (UBND xã)"))
    code = serializers.CharField(help_text=_("Mã cơ quan, hoặc mã đơn vị hành chính của xã"))
    name = serializers.CharField()


class DeadlineOutSerializer(serializers.Serializer[dict[str, Any]]):
    kind = serializers.ChoiceField(choices=DeadlineKind.choices)
    date = serializers.DateField(allow_null=True)
    frequency = serializers.ChoiceField(choices=Frequency.choices, allow_blank=True)
    day = serializers.IntegerField(allow_null=True)
    month = serializers.IntegerField(allow_null=True)
    recurs_from = serializers.DateField(allow_null=True)
    recurs_until = serializers.DateField(allow_null=True)
    description = serializers.CharField(
        help_text=_("Thời hạn bằng lời, ví dụ “6 tháng một lần, hạn ngày 15/5 – 15/11”")
    )


class DirectiveRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    reference = serializers.CharField(help_text=_("Số/ký hiệu, ví dụ 5310/UBND-KGVX"))
    doc_type = serializers.CharField()
    subject = serializers.CharField()


def lead_data(task: DirectiveTask) -> dict[str, str]:
    if task.lead_agency is not None:
        return {"kind": "agency", "code": task.lead_agency.code, "name": task.lead_agency.name}
    commune = task.lead_commune
    return {"kind": "commune", "code": commune.code if commune else "", "name": commune.full_name if commune else ""}


def deadline_data(task: DirectiveTask) -> dict[str, Any]:
    return {
        "kind": task.deadline_kind,
        "date": task.deadline_date,
        "frequency": task.frequency,
        "day": task.deadline_day,
        "month": task.deadline_month,
        "recurs_from": task.recurs_from,
        "recurs_until": task.recurs_until,
        "description": DeadlineRule.of_task(task).describe(),
    }


class DirectiveTaskSerializer(serializers.ModelSerializer[DirectiveTask]):
    """A task in lists (the queryset carries `status`, `next_due` and `has_pending`, computed in SQL)."""

    directive = serializers.SerializerMethodField()
    lead = serializers.SerializerMethodField()
    deadline = serializers.SerializerMethodField()
    status = serializers.ChoiceField(
        choices=TaskStatus.choices, read_only=True, help_text=_("Tính từ thời hạn và báo cáo")
    )
    next_due = serializers.DateField(read_only=True, allow_null=True, help_text=_("Hạn gần nhất chưa hoàn thành"))
    has_pending = serializers.BooleanField(read_only=True, help_text=_("Có báo cáo chờ cán bộ tỉnh xem xét"))

    class Meta:
        model = DirectiveTask
        fields = [
            "id", "directive", "item_label", "position", "text", "lead", "lead_as_written", "deadline", "status",
            "next_due", "has_pending", "version", "cancelled_at", "replaced_by",
        ]  # fmt: skip
        extra_kwargs = {
            "version": {"help_text": _("Gửi lại khi thay đổi nhiệm vụ: phiên bản cũ bị từ chối (409)")},
            "cancelled_at": {"help_text": _("Hủy hoặc giao lại lúc (rỗng: còn hiệu lực)")},
            "replaced_by": {"help_text": _("Nhiệm vụ của đơn vị nhận khi được giao lại")},
        }

    @extend_schema_field(DirectiveRefSerializer)
    def get_directive(self, obj: DirectiveTask) -> dict[str, Any]:
        d = obj.directive
        return {"id": d.pk, "reference": d.reference, "doc_type": d.doc_type, "subject": d.subject}

    @extend_schema_field(LeadOutSerializer)
    def get_lead(self, obj: DirectiveTask) -> dict[str, str]:
        return lead_data(obj)

    @extend_schema_field(DeadlineOutSerializer)
    def get_deadline(self, obj: DirectiveTask) -> dict[str, Any]:
        return deadline_data(obj)


class OccurrenceSerializer(serializers.ModelSerializer[TaskOccurrence]):
    status = serializers.SerializerMethodField()

    class Meta:
        model = TaskOccurrence
        fields = ["id", "due_on", "original_due_on", "status", "first_report_at", "completed_at", "cancelled_on"]
        extra_kwargs = {
            "original_due_on": {"help_text": _("Hạn trước lần đổi hạn đầu tiên (rỗng: chưa đổi)")},
            "cancelled_on": {"help_text": _("Ngày kỳ này thôi được tính (nhiệm vụ hủy, giao lại hoặc đổi hạn)")},
        }

    @extend_schema_field(serializers.ChoiceField(choices=TaskStatus.choices))
    def get_status(self, obj: TaskOccurrence) -> str:
        return occurrence_status(
            due_on=obj.due_on,
            completed_on=obj.completed_on,
            has_report=obj.first_report_at is not None,
            today=self.context.get("today") or timezone.localdate(),
            cancelled=obj.cancelled_on is not None,
        )


class DirectiveTaskDetailSerializer(DirectiveTaskSerializer):
    coordinating = AgencyOutSerializer(many=True, read_only=True)
    report_to = AgencyOutSerializer(read_only=True, allow_null=True)
    occurrences = serializers.SerializerMethodField()

    class Meta(DirectiveTaskSerializer.Meta):
        fields = [
            *DirectiveTaskSerializer.Meta.fields,
            "coordinating",
            "coordinating_as_written",
            "report_to",
            "occurrences",
        ]

    @extend_schema_field(OccurrenceSerializer(many=True))
    def get_occurrences(self, obj: DirectiveTask) -> list[dict[str, Any]]:
        rows = sorted(obj.occurrences.all(), key=lambda o: (o.due_on is None, o.due_on, o.pk))
        return list(OccurrenceSerializer(rows, many=True, context=self.context).data)


class UserOutSerializer(serializers.ModelSerializer[User]):
    name = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "name"]

    def get_name(self, obj: User) -> str:
        return obj.get_full_name() or obj.get_username()


class AttachmentOutSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    size = serializers.IntegerField(allow_null=True)
    url = serializers.CharField(help_text=_("Tải về (kiểm tra quyền, ghi nhật ký)"))


class TaskReportSerializer(serializers.ModelSerializer[TaskReport]):
    author = UserOutSerializer(read_only=True)
    reviewed_by = UserOutSerializer(read_only=True, allow_null=True)
    due_on = serializers.DateField(source="occurrence.due_on", read_only=True, allow_null=True)
    attachment = serializers.SerializerMethodField()

    class Meta:
        model = TaskReport
        fields = [
            "id", "task", "occurrence", "due_on", "author", "text", "completes", "attachment", "submitted_at",
            "status", "reviewed_by", "reviewed_at", "return_reason",
        ]  # fmt: skip

    @extend_schema_field(AttachmentOutSerializer(allow_null=True))
    def get_attachment(self, obj: TaskReport) -> dict[str, Any] | None:
        if not obj.attachment:
            return None
        return {
            "name": obj.attachment_name,
            "size": obj.attachment_size,
            "url": reverse("directive-report-attachment", args=[obj.pk]),
        }


class TaskReportCreateSerializer(serializers.Serializer[dict[str, Any]]):
    text = serializers.CharField(help_text=_("Nội dung báo cáo (tối đa 5.000 ký tự)"))
    completes = serializers.BooleanField(default=False, help_text=_("Báo cáo hoàn thành kỳ này"))
    occurrence = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("Kỳ báo cáo (id); để trống: kỳ chưa hoàn thành đến hạn sớm nhất")
    )
    attachment = serializers.FileField(required=False, allow_null=True, help_text=_("Tệp minh chứng (multipart)"))


class ReturnReportSerializer(serializers.Serializer[dict[str, Any]]):
    reason = serializers.CharField(help_text=_("Lý do trả lại để đơn vị bổ sung"))


class LeadComplianceSerializer(serializers.Serializer[dict[str, Any]]):
    kind = serializers.ChoiceField(choices=["agency", "commune"])
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    tasks = serializers.IntegerField()
    on_time = serializers.IntegerField(help_text=_("Kỳ hoàn thành đúng hạn"))
    late = serializers.IntegerField(help_text=_("Kỳ hoàn thành sau hạn"))
    overdue = serializers.IntegerField(help_text=_("Kỳ đã quá hạn mà chưa hoàn thành"))
    upcoming = serializers.IntegerField(help_text=_("Kỳ chưa hoàn thành, đến hạn trong 30 ngày tới"))
    open = serializers.IntegerField(help_text=_("Kỳ chưa hoàn thành, chưa đến hạn"))
    next_due = serializers.DateField(allow_null=True)
    on_time_rate = serializers.FloatField(allow_null=True, help_text=_("% đúng hạn trên số kỳ đã đến hạn"))
