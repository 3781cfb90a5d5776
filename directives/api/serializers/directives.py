"""Shapes of directives in the API: the list, the detail, and POST /api/v1/directives/ (the reviewed proposal).

The create shape is the parse response (POST /api/v1/directives/parse/) with the blanks filled in: a client can
send back what the importer proposed, after choosing a lead for every task. Each lead is
`{"name": as written, "agency": code}`, `{"commune": commune code}` or `{"all_communes": true}`; coordinating
bodies and `report_to` are `{"name", "agency": code or null}` (a name without a code is kept as written).
Codes are resolved in the caller's province; an unknown code is an error next to its field.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from childprotect.api.serializers import UniqueListField, list_errors
from childprotect.validators import MAX_LIST_ITEMS, MAX_ROWS
from directives.api.serializers.tasks import AttachmentOutSerializer, DirectiveTaskSerializer
from directives.importer.normalise import fold
from directives.models import DeadlineKind, Directive, DirectiveReference, DocType, Frequency
from directives.models.choices import DOC_TYPE_FROM_NAME
from directives.proposal import Directory
from directives.recurrence import DeadlineRule
from directives.services.create import DirectiveInput, LeadChoice, ReferenceInput, TaskInput

_FOLDED_DOC_TYPES = {fold(name): value for name, value in DOC_TYPE_FROM_NAME.items()}


class DirectiveListSerializer(serializers.ModelSerializer[Directive]):
    reference = serializers.CharField(read_only=True, help_text=_("Số/ký hiệu, ví dụ 5310/UBND-KGVX"))
    task_count = serializers.IntegerField(read_only=True, help_text=_("Nhiệm vụ trong phạm vi được xem"))
    overdue_count = serializers.IntegerField(read_only=True, help_text=_("Trong đó, nhiệm vụ có kỳ quá hạn"))

    class Meta:
        model = Directive
        fields = [
            "id", "doc_type", "number", "symbol", "reference", "issuer", "place", "issued_on", "subject",
            "created_at", "task_count", "overdue_count",
        ]  # fmt: skip


class DirectiveSignerSerializer(serializers.Serializer[dict[str, Any]]):
    name = serializers.CharField(allow_blank=True, allow_null=True, required=False, max_length=120)
    title = serializers.CharField(allow_blank=True, allow_null=True, required=False, max_length=120)
    authority = serializers.CharField(
        allow_blank=True, allow_null=True, required=False, max_length=120, help_text=_("TM./KT./Q./TL./TUQ. …")
    )


class DirectiveReferenceSerializer(serializers.ModelSerializer[DirectiveReference]):
    class Meta:
        model = DirectiveReference
        fields = ["doc_type", "number", "symbol", "issued_on", "text", "implements"]
        extra_kwargs = {"implements": {"help_text": _("Văn bản trong hệ thống (id), nếu có")}}


class DirectiveDetailSerializer(DirectiveListSerializer):
    recipients = serializers.ListField(child=serializers.CharField())
    signer = serializers.SerializerMethodField()
    references = DirectiveReferenceSerializer(many=True, read_only=True)
    signed_file = serializers.SerializerMethodField()
    tasks = serializers.SerializerMethodField()

    class Meta(DirectiveListSerializer.Meta):
        fields = [
            *DirectiveListSerializer.Meta.fields,
            "recipients",
            "signer",
            "references",
            "full_text",
            "signed_file",
            "tasks",
        ]

    @extend_schema_field(DirectiveSignerSerializer)
    def get_signer(self, obj: Directive) -> dict[str, str]:
        return {"name": obj.signer_name, "title": obj.signer_title, "authority": obj.signer_authority}

    @extend_schema_field(AttachmentOutSerializer(allow_null=True))
    def get_signed_file(self, obj: Directive) -> dict[str, Any] | None:
        if not obj.signed_file:
            return None
        return {
            "name": obj.signed_file_name,
            "size": obj.signed_file_size,
            "url": reverse("directives:signed-file", args=[obj.pk]),
        }

    @extend_schema_field(DirectiveTaskSerializer(many=True))
    def get_tasks(self, obj: Directive) -> list[dict[str, Any]]:
        """Only the tasks the caller may see (the view passes them, with status, in the context)."""
        return list(DirectiveTaskSerializer(self.context.get("tasks", []), many=True).data)


# ---------- POST /api/v1/directives/ ----------


class LeadInSerializer(serializers.Serializer[dict[str, Any]]):
    name = serializers.CharField(required=False, allow_blank=True, default="", help_text=_("Tên như trong văn bản"))
    agency = serializers.CharField(required=False, allow_null=True, default=None, help_text=_("Mã cơ quan chủ trì"))
    commune = serializers.CharField(required=False, allow_null=True, default=None, help_text=_("Mã xã, phường chủ trì"))
    all_communes = serializers.BooleanField(default=False, help_text=_("Giao cho mọi xã, phường, đặc khu của tỉnh"))


class AgencyRefInSerializer(serializers.Serializer[dict[str, Any]]):
    name = serializers.CharField(required=False, allow_blank=True, default="")
    agency = serializers.CharField(required=False, allow_null=True, default=None, help_text=_("Mã cơ quan, nếu có"))


class DeadlineInSerializer(serializers.Serializer[dict[str, Any]]):
    kind = serializers.ChoiceField(choices=DeadlineKind.choices)
    date = serializers.DateField(required=False, allow_null=True)
    frequency = serializers.ChoiceField(choices=Frequency.choices, required=False, allow_blank=True)
    day = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=31)
    month = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=12)


class TaskInSerializer(serializers.Serializer[dict[str, Any]]):
    label = serializers.CharField(required=False, allow_blank=True, default="", max_length=16)
    text = serializers.CharField(max_length=20000)
    lead = LeadInSerializer(
        many=True,
        max_length=MAX_ROWS,
        error_messages=list_errors(),
        help_text=_("Ít nhất một: mỗi cơ quan, mỗi xã nhận một nhiệm vụ riêng"),
    )
    coordinating = AgencyRefInSerializer(
        many=True, required=False, default=list, max_length=MAX_ROWS, error_messages=list_errors()
    )
    deadline = DeadlineInSerializer(required=False, allow_null=True, default=None)
    recurs_from = serializers.DateField(required=False, allow_null=True, default=None)
    recurs_until = serializers.DateField(required=False, allow_null=True, default=None)
    report_to = AgencyRefInSerializer(required=False, allow_null=True, default=None)


class DirectiveReferenceInSerializer(serializers.Serializer[dict[str, Any]]):
    doc_type = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)
    number = serializers.CharField(required=False, allow_blank=True, allow_null=True, default="", max_length=16)
    symbol = serializers.CharField(required=False, allow_blank=True, allow_null=True, default="", max_length=60)
    issued_on = serializers.DateField(required=False, allow_null=True, default=None)
    text = serializers.CharField(max_length=2000)


def _blank(value: Any) -> str:
    return "" if value is None else str(value)


class DirectiveCreateSerializer(serializers.Serializer[dict[str, Any]]):
    doc_type = serializers.CharField(help_text=_("Mã loại (cong_van, ke_hoach, chi_thi…) hoặc tên (“công văn”)"))
    number = serializers.CharField(required=False, allow_blank=True, allow_null=True, default="", max_length=16)
    symbol = serializers.CharField(required=False, allow_blank=True, allow_null=True, default="", max_length=60)
    issuer = serializers.CharField(required=False, allow_blank=True, allow_null=True, default="", max_length=200)
    place = serializers.CharField(required=False, allow_blank=True, allow_null=True, default="", max_length=120)
    issued_on = serializers.DateField(required=False, allow_null=True, default=None)
    subject = serializers.CharField(required=False, allow_blank=True, allow_null=True, default="", max_length=2000)
    recipients = UniqueListField(child=serializers.CharField(max_length=300), required=False, default=list)
    signer = DirectiveSignerSerializer(required=False, allow_null=True, default=None)
    references = DirectiveReferenceInSerializer(
        many=True, required=False, default=list, max_length=MAX_LIST_ITEMS, error_messages=list_errors()
    )
    full_text = serializers.CharField(
        required=False, allow_blank=True, default="", trim_whitespace=False, max_length=200_000
    )
    tasks = TaskInSerializer(many=True, required=False, default=list, max_length=MAX_ROWS, error_messages=list_errors())
    recurrence_start = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_(
            "Tính hạn định kỳ từ ngày (cho nhiệm vụ không ghi recurs_from). Bỏ trống: văn bản ban hành từ năm trước "
            "tính từ ngày nhập, văn bản trong năm tính từ ngày ban hành."
        ),
    )

    def validate_doc_type(self, value: str) -> str:
        if value in DocType.values:
            return value
        found = _FOLDED_DOC_TYPES.get(fold(value))
        if found is None:
            raise serializers.ValidationError(gettext("Loại văn bản không hợp lệ."))
        return str(found)

    def to_input(self, directory: Directory) -> DirectiveInput:
        """The service input, with codes resolved in the caller's directory (unknown codes → ValidationError)."""
        data = self.validated_data
        errors: dict[str, Any] = {}
        tasks: list[TaskInput] = []
        for index, item in enumerate(data["tasks"]):
            task, task_errors = task_input_from(item, directory)
            if task_errors:
                errors[f"tasks.{index}"] = {key: [message] for key, message in task_errors.items()}
            tasks.append(task)
        if errors:
            raise serializers.ValidationError(errors)
        signer = data.get("signer") or {}
        return DirectiveInput(
            doc_type=data["doc_type"],
            number=_blank(data.get("number")),
            symbol=_blank(data.get("symbol")),
            issuer=_blank(data.get("issuer")),
            place=_blank(data.get("place")),
            issued_on=data.get("issued_on"),
            subject=_blank(data.get("subject")),
            recipients=list(data.get("recipients") or []),
            signer_name=_blank(signer.get("name")),
            signer_title=_blank(signer.get("title")),
            signer_authority=_blank(signer.get("authority")),
            full_text=data.get("full_text") or "",
            references=[
                ReferenceInput(
                    text=ref["text"],
                    doc_type=ref["doc_type"],
                    number=_blank(ref["number"]),
                    symbol=_blank(ref["symbol"]),
                    issued_on=ref["issued_on"],
                )
                for ref in data["references"]
            ],
            tasks=tasks,
            recurrence_start=data.get("recurrence_start"),
        )


def _unknown_agency(code: str) -> str:
    return gettext("Không có cơ quan mã %(code)s trong tỉnh của bạn.") % {"code": code}


def lead_from_codes(pick: dict[str, Any], directory: Directory) -> tuple[LeadChoice | None, str]:
    """`{"agency": code}` or `{"commune": code}` as a lead of the caller's province, or (None, why not)."""
    if pick.get("agency"):
        agency = directory.agency_by_code(pick["agency"])
        return (LeadChoice(agency=agency), "") if agency else (None, _unknown_agency(pick["agency"]))
    if pick.get("commune"):
        commune = directory.commune_by_code(pick["commune"])
        if commune is not None:
            return LeadChoice(commune=commune), ""
        return None, gettext("Không có xã, phường mã %(code)s trong tỉnh của bạn.") % {"code": pick["commune"]}
    return None, gettext("Chọn cơ quan (agency) hoặc xã, phường (commune).")


def deadline_rule_from(deadline: dict[str, Any] | None) -> DeadlineRule:
    """A DeadlineInSerializer's data as a rule (no deadline when none was given)."""
    if not deadline:
        return DeadlineRule()
    return DeadlineRule(
        kind=deadline["kind"],
        date=deadline.get("date"),
        frequency=deadline.get("frequency") or "",
        day=deadline.get("day"),
        month=deadline.get("month") if deadline.get("frequency") != Frequency.MONTHLY else None,
    )


def task_input_from(item: dict[str, Any], directory: Directory) -> tuple[TaskInput, dict[str, str]]:
    """One task of the API (TaskInSerializer's data) as the services' input, codes resolved in the caller's
    directory; unknown codes are errors by field ("lead", "coordinating", "report_to")."""
    task_errors: dict[str, str] = {}
    leads: list[LeadChoice] = []
    for lead in item["lead"]:
        if lead["all_communes"]:
            leads.append(LeadChoice(all_communes=True))
        elif lead["agency"] or lead["commune"]:
            choice, error = lead_from_codes(lead, directory)
            if choice is not None:
                leads.append(choice)
            else:
                task_errors["lead"] = error
        else:
            task_errors["lead"] = gettext(
                "“%(name)s”: chọn cơ quan (agency), xã (commune) hoặc mọi xã (all_communes)."
            ) % {"name": lead["name"]}
    coordinating, unmatched = [], []
    for other in item["coordinating"]:
        agency = directory.agency_by_code(other["agency"])
        if other["agency"] and agency is None:
            task_errors["coordinating"] = _unknown_agency(other["agency"])
        elif agency is not None:
            coordinating.append(agency)
        elif other["name"]:
            unmatched.append(other["name"])
    report_to = None
    if item["report_to"] and item["report_to"]["agency"]:
        report_to = directory.agency_by_code(item["report_to"]["agency"])
        if report_to is None:
            task_errors["report_to"] = _unknown_agency(item["report_to"]["agency"])
    rule = deadline_rule_from(item["deadline"])
    task = TaskInput(
        text=item["text"],
        leads=leads,
        label=item["label"],
        lead_as_written="; ".join(lead["name"] for lead in item["lead"] if lead["name"]),
        coordinating=coordinating,
        coordinating_as_written=unmatched,
        rule=rule,
        recurs_from=item["recurs_from"],
        recurs_until=item["recurs_until"],
        report_to=report_to,
    )
    return task, task_errors
