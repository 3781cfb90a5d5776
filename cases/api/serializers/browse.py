"""Serializers of the case list, the case detail, the timeline, notes and attachments (read side of the API).

The reporter's identity is confidential: CaseDetailSerializer drops the `reporter` key entirely (not null)
unless the view says `show_reporter` in its context (from `can_see_reporter`).
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.models import (
    Caregiver,
    Case,
    CaseAttachment,
    CaseDeadline,
    CaseEvent,
    CaseNote,
    Child,
    DeadlineStep,
    Reporter,
)
from cases.querysets import child_age, deadline_state
from childprotect.models import AdministrativeUnit, User


class UnitRefSerializer(serializers.ModelSerializer[AdministrativeUnit]):
    class Meta:
        model = AdministrativeUnit
        fields = ["code", "name", "full_name"]


class UserRefSerializer(serializers.ModelSerializer[User]):
    name = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "name"]

    def get_name(self, obj: User) -> str:
        return obj.get_full_name() or obj.get_username()


class ChildSummarySerializer(serializers.ModelSerializer[Child]):
    age = serializers.SerializerMethodField(help_text="Tuổi (năm tròn), từ ngày sinh hoặc năm sinh ước tính.")

    class Meta:
        model = Child
        fields = ["id", "full_name", "age"]

    def get_age(self, obj: Child) -> int | None:
        return child_age(obj)


class ChildSerializer(ChildSummarySerializer):
    class Meta(ChildSummarySerializer.Meta):
        fields = [
            "id",
            "full_name",
            "age",
            "date_of_birth",
            "birth_year",
            "birth_date_estimated",
            "sex",
            "ethnicity_code",
            "ethnicity_code_system",
            "id_number",
            "disability",
        ]


class CaregiverSerializer(serializers.ModelSerializer[Caregiver]):
    class Meta:
        model = Caregiver
        fields = ["id", "full_name", "relationship", "phone", "address", "is_alleged_perpetrator"]


class ReporterSerializer(serializers.ModelSerializer[Reporter]):
    class Meta:
        model = Reporter
        fields = ["channel", "name", "phone", "relationship"]


class CaseDeadlineSerializer(serializers.ModelSerializer[CaseDeadline]):
    state = serializers.SerializerMethodField(
        help_text='"overdue", "now" (phải làm ngay, còn trong thời gian cho phép), "soon" hoặc "" (chưa đến hạn '
        "hoặc đã xong)."
    )

    class Meta:
        model = CaseDeadline
        fields = ["step", "due_at", "met_at", "state"]

    def get_state(self, obj: CaseDeadline) -> str:
        return "" if obj.met_at else deadline_state(obj.due_at, step=obj.step)


class CaseNextDeadlineSerializer(serializers.Serializer[Any]):
    step = serializers.ChoiceField(choices=DeadlineStep.choices)
    due_at = serializers.DateTimeField()
    state = serializers.CharField()


class CaseListSerializer(serializers.ModelSerializer[Case]):
    child = ChildSummarySerializer(read_only=True)
    commune = UnitRefSerializer(read_only=True)
    assigned_officer = UserRefSerializer(read_only=True, allow_null=True)
    deadline_state = serializers.SerializerMethodField(help_text='"overdue", "now" (phải làm ngay), "soon" hoặc "".')

    class Meta:
        model = Case
        fields = [
            "id",
            "case_number",
            "child",
            "kind",
            "abuse_forms",
            "commune",
            "status",
            "received_at",
            "next_deadline_at",
            "next_deadline_step",
            "deadline_state",
            "assigned_officer",
        ]
        read_only_fields = fields

    def get_deadline_state(self, obj: Case) -> str:
        return deadline_state(obj.next_deadline_at, step=obj.next_deadline_step)

    def to_representation(self, instance: Case) -> dict[str, Any]:
        """The same keys and values as the declared fields (tests/cases/test_browse_queries.py compares the two),
        built directly: a page of 50 rows through DRF's generic field machinery cost more than the database."""
        child, commune, officer = instance.child, instance.commune, instance.assigned_officer
        return {
            "id": instance.pk,
            "case_number": instance.case_number,
            "child": {"id": child.pk, "full_name": child.full_name, "age": child_age(child, self._today)},
            "kind": instance.kind,
            "abuse_forms": list(instance.abuse_forms),
            "commune": {"code": commune.code, "name": commune.name, "full_name": commune.full_name},
            "status": instance.status,
            "received_at": self._datetime(instance.received_at),
            "next_deadline_at": self._datetime(instance.next_deadline_at),
            "next_deadline_step": instance.next_deadline_step,
            "deadline_state": deadline_state(instance.next_deadline_at, self._now, instance.next_deadline_step),
            "assigned_officer": None
            if officer is None
            else {"id": officer.pk, "username": officer.username, "name": officer.get_full_name() or officer.username},
        }

    @cached_property
    def _now(self) -> Any:
        return timezone.now()

    @cached_property
    def _today(self) -> Any:
        return timezone.localdate()

    @cached_property
    def _datetime(self) -> Any:
        return serializers.DateTimeField().to_representation


class CaseDetailSerializer(serializers.ModelSerializer[Case]):
    child = ChildSerializer(read_only=True)
    caregivers = serializers.SerializerMethodField()
    reporter = ReporterSerializer(
        read_only=True,
        required=False,
        help_text="Chỉ có khi người gọi được xem danh tính người báo tin; nếu không, khóa này không xuất hiện.",
    )
    commune = UnitRefSerializer(read_only=True)
    province = UnitRefSerializer(read_only=True)
    assigned_officer = UserRefSerializer(read_only=True, allow_null=True)
    deadlines = serializers.SerializerMethodField()
    next_deadline = serializers.SerializerMethodField()
    police_notification_required = serializers.SerializerMethodField(
        help_text="Xâm hại tình dục: phải thông báo ngay cho công an; true cho đến khi có chuyển gửi công an."
    )

    class Meta:
        model = Case
        fields = [
            "id",
            "case_number",
            "child",
            "caregivers",
            "reporter",
            "kind",
            "abuse_forms",
            "abuse_subtypes",
            "special_groups",
            "setting",
            "accident_type",
            "accident_outcome",
            "received_at",
            "incident_date",
            "immediate_danger",
            "summary",
            "commune",
            "province",
            "status",
            "status_changed_at",
            "assigned_officer",
            "handed_to_commune_at",
            "deadlines",
            "next_deadline",
            "police_notification_required",
            "version",
            "created_at",
            "updated_at",
            "closed_at",
        ]
        read_only_fields = fields

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.context.get("show_reporter"):
            self.fields.pop("reporter", None)

    @extend_schema_field(CaregiverSerializer(many=True))
    def get_caregivers(self, obj: Case) -> Any:
        return CaregiverSerializer(self.context.get("caregivers", []), many=True).data

    @extend_schema_field(CaseDeadlineSerializer(many=True))
    def get_deadlines(self, obj: Case) -> Any:
        return CaseDeadlineSerializer(self.context.get("deadlines", []), many=True).data

    @extend_schema_field(CaseNextDeadlineSerializer(allow_null=True))
    def get_next_deadline(self, obj: Case) -> dict[str, Any] | None:
        if obj.next_deadline_at is None:
            return None
        return {
            "step": obj.next_deadline_step,
            "due_at": serializers.DateTimeField().to_representation(obj.next_deadline_at),
            "state": deadline_state(obj.next_deadline_at, timezone.now(), obj.next_deadline_step),
        }

    def get_police_notification_required(self, obj: Case) -> bool:
        return any(
            d.step == DeadlineStep.POLICE_NOTIFICATION and d.met_at is None for d in self.context.get("deadlines", [])
        )


class TimelineEntrySerializer(serializers.ModelSerializer[CaseEvent]):
    actor = UserRefSerializer(read_only=True, allow_null=True)
    event_label = serializers.CharField(source="get_event_type_display", read_only=True)
    note = serializers.SerializerMethodField(help_text="Nội dung ghi chú, với sự kiện loại note.")
    attachment_id = serializers.SerializerMethodField()
    summary = serializers.SerializerMethodField(
        help_text="Câu tóm tắt điều bước này ghi nhận (mức độ đánh giá, biện pháp, kế hoạch, chuyển gửi…)."
    )
    text = serializers.SerializerMethodField(
        help_text="Điều người thực hiện ghi cho hồ sơ (lý do, tiến độ, kết quả), nếu có."
    )
    section = serializers.SerializerMethodField(
        help_text="Nơi trên trang hồ sơ lưu đầy đủ nội dung: mã neo, ví dụ `assessment-12`, `plan-3`, `referrals`."
    )

    class Meta:
        model = CaseEvent
        fields = [
            "id",
            "at",
            "actor",
            "event_type",
            "event_label",
            "from_status",
            "to_status",
            "note",
            "attachment_id",
            "summary",
            "text",
            "section",
        ]
        read_only_fields = fields

    def get_note(self, obj: CaseEvent) -> str | None:
        note = getattr(obj, "note", None)
        return note.text if note is not None else None

    def get_summary(self, obj: CaseEvent) -> str:
        return str(getattr(obj, "summary", ""))

    def get_text(self, obj: CaseEvent) -> str:
        return str(getattr(obj, "text", ""))

    def get_section(self, obj: CaseEvent) -> str:
        return str(getattr(obj, "section", ""))

    def get_attachment_id(self, obj: CaseEvent) -> int | None:
        attachment = getattr(obj, "attachment", None)
        return attachment.pk if attachment is not None else None


class NoteSerializer(serializers.ModelSerializer[CaseNote]):
    author = UserRefSerializer(read_only=True)

    class Meta:
        model = CaseNote
        fields = ["id", "created_at", "author", "text"]
        read_only_fields = ["id", "created_at", "author"]


class AttachmentSerializer(serializers.ModelSerializer[CaseAttachment]):
    uploaded_by = UserRefSerializer(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = CaseAttachment
        fields = [
            "id",
            "original_name",
            "content_type",
            "size",
            "description",
            "uploaded_at",
            "uploaded_by",
            "download_url",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "description": "Đường dẫn tải tệp (tương đối với máy chủ)."})
    def get_download_url(self, obj: CaseAttachment) -> str:
        from django.urls import reverse

        return reverse("case-attachment-download", args=[obj.case_id, obj.pk])


class AttachmentUploadSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(help_text="PDF, JPG, PNG, DOCX, XLSX hoặc TXT; giới hạn dung lượng theo cấu hình.")
    description = serializers.CharField(required=False, allow_blank=True, max_length=255)


class PrintableFormSerializer(serializers.Serializer[Any]):
    """One document the case file can print now (GET …/forms/): a form of one record, or the whole file."""

    form = serializers.CharField(help_text="Mã biểu mẫu trong URL: `mau-01` … `mau-07`, `bien-ban-hop`, `ho-so`.")
    code = serializers.CharField(help_text="Tên ngắn: Mẫu 01 …")
    name = serializers.CharField()
    record_id = serializers.IntegerField(allow_null=True, help_text="Bản ghi được in (đánh giá, kế hoạch…).")
    url = serializers.URLField(help_text="Tải PDF (GET).")
