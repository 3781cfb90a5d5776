"""GET /api/v1/cases/ (filters, `search=`, `ordering=`), GET /api/v1/cases/{id}/, and the case's timeline,
notes and attachments. Same access rules as the pages: the list starts from `Case.objects.visible_to(user)`
(ScopedViewSetMixin), every single-case endpoint goes through `access_case` (reads audited), writes need
`can_work_case` (through `access_case(for_write=True)`), and an outsider gets 404 as for a missing case.

POST /api/v1/cases/ (creating a case) is implemented in cases/api/intake.py; `create` hands over to it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.mixins import ListModelMixin, RetrieveModelMixin
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from cases.access import access_case, can_see_reporter
from cases.api.intake import CREATE_CASE_SCHEMA, SERVICE_ERROR_FIELDS, create_case_from_api
from cases.api.pagination import CaseListPagination
from cases.api.serializers.browse import (
    AttachmentSerializer,
    AttachmentUploadSerializer,
    CaseDetailSerializer,
    CaseListSerializer,
    NoteSerializer,
    PrintableFormSerializer,
    TimelineEntrySerializer,
)
from cases.casefile import load_case_file
from cases.filters import CaseApiFilter
from cases.models import Case
from cases.printing.documents import access_case_file_pdf, access_form_pdf
from cases.printing.forms import FORMS, WHOLE_FILE, printable_forms
from cases.services.files import do_add_attachment, do_add_note
from cases.views.browse import access_attachment, attachment_response, timeline_of
from cases.views.printing import pdf_response
from childprotect.api.base import ScopedViewSetMixin
from childprotect.api.parsers import BoundedJSONParser
from childprotect.uploads import download_responses

LIST_COLUMNS = [
    "id", "case_number", "kind", "abuse_forms", "status", "received_at", "next_deadline_at", "next_deadline_step",
    "child__id", "child__full_name", "child__date_of_birth", "child__birth_year",
    "commune__id", "commune__code", "commune__name", "commune__full_name",
    "assigned_officer__id", "assigned_officer__username", "assigned_officer__first_name",
    "assigned_officer__last_name",
]  # fmt: skip
_NOT_FOUND = OpenApiResponse(description="Không có, hoặc không thuộc phạm vi được xem.")


@extend_schema_view(
    list=extend_schema(summary="Danh sách hồ sơ trong phạm vi được xem"),
    retrieve=extend_schema(
        summary="Một hồ sơ (mỗi lần đọc được ghi nhật ký)", responses={200: CaseDetailSerializer, 404: _NOT_FOUND}
    ),
)
class CaseViewSet(ScopedViewSetMixin, ListModelMixin, RetrieveModelMixin, GenericViewSet[Case]):
    """Cases the caller may see. The reporter's identity appears only for case-working roles of the child's
    commune and province (the `reporter` key is absent otherwise)."""

    audited_list = "cases"  # the list shows children: each request leaves an audit row

    serializer_class = CaseListSerializer
    filterset_class = CaseApiFilter
    pagination_class = CaseListPagination
    parser_classes = [BoundedJSONParser, MultiPartParser, FormParser]
    lookup_value_regex = r"[0-9]+"
    service_error_fields = SERVICE_ERROR_FIELDS  # POST: the intake service's field names, as in the request

    def scoped_queryset(self, user: Any) -> QuerySet[Case]:
        # Only the columns the list shows (CaseListSerializer): each row then costs a quarter of the Python work.
        return (
            Case.objects.visible_to(user)
            .select_related("child", "commune", "assigned_officer")
            .only(*LIST_COLUMNS)
            .order_by("-received_at", "-id")
        )

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if self.action == "retrieve":
            return CaseDetailSerializer
        return CaseListSerializer

    # ---------- one case ----------

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = access_case(request.user, kwargs["pk"])
        return Response(case_detail_data(request, case))

    @CREATE_CASE_SCHEMA
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return create_case_from_api(request)

    @extend_schema(
        summary="Dòng thời gian của hồ sơ (ai, khi nào, bước nào; cả ghi chú)",
        responses={200: TimelineEntrySerializer(many=True), 404: _NOT_FOUND},
        filters=False,
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def timeline(self, request: Request, pk: str) -> Response:
        case = access_case(request.user, pk)
        events = timeline_of(load_case_file(case, user=request.user))
        return Response(TimelineEntrySerializer(events, many=True).data)

    # ---------- printing (cases/printing/) ----------

    @extend_schema(
        summary="Các biểu mẫu in được của hồ sơ (Mẫu 01–07, biên bản họp) và toàn bộ hồ sơ",
        responses={200: PrintableFormSerializer(many=True), 404: _NOT_FOUND},
        filters=False,
    )
    @action(detail=True, methods=["get"], url_path="forms", pagination_class=None, filterset_class=None)
    def forms(self, request: Request, pk: str) -> Response:
        case = access_case(request.user, pk)
        casefile = load_case_file(case, user=request.user)
        rows = [
            {
                "form": p.spec.slug,
                "code": str(p.spec.short),
                "name": p.label,
                "record_id": p.record_id,
                "url": request.build_absolute_uri(
                    reverse("case-form-pdf", kwargs={"pk": case.pk, "form": p.spec.slug, "record_id": p.record_id})
                ),
            }
            for p in printable_forms(casefile)
        ]
        rows.append(
            {
                "form": WHOLE_FILE,
                "code": WHOLE_FILE,
                "name": _("Toàn bộ hồ sơ"),
                "record_id": None,
                "url": request.build_absolute_uri(reverse("case-file-pdf", kwargs={"pk": case.pk})),
            }
        )
        return Response(PrintableFormSerializer(rows, many=True).data)

    @extend_schema(
        summary="Một biểu mẫu điền từ một bản ghi của hồ sơ, dạng PDF (mỗi lần in được ghi nhật ký)",
        parameters=[
            OpenApiParameter("form", OpenApiTypes.STR, OpenApiParameter.PATH, enum=[s.slug for s in FORMS]),
            OpenApiParameter("record_id", OpenApiTypes.INT, OpenApiParameter.PATH),
        ],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, 404: _NOT_FOUND},
        filters=False,
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"forms/(?P<form>[a-z0-9-]+)/(?P<record_id>[0-9]+)/pdf",
        url_name="form-pdf",
        pagination_class=None,
        filterset_class=None,
    )
    def form_pdf(self, request: Request, pk: str, form: str, record_id: str) -> HttpResponse:
        return pdf_response(access_form_pdf(request.user, pk, form, record_id))

    @extend_schema(
        summary="Toàn bộ hồ sơ dạng PDF (mỗi lần in được ghi nhật ký)",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, 404: _NOT_FOUND},
        filters=False,
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="file/pdf",
        url_name="file-pdf",
        pagination_class=None,
        filterset_class=None,
    )
    def file_pdf(self, request: Request, pk: str) -> HttpResponse:
        return pdf_response(access_case_file_pdf(request.user, pk))

    @extend_schema(
        methods=["GET"],
        summary="Ghi chú của hồ sơ",
        responses={200: NoteSerializer(many=True), 404: _NOT_FOUND},
        filters=False,
    )
    @extend_schema(
        methods=["POST"],
        summary="Thêm ghi chú (cán bộ xử lý hồ sơ)",
        request=NoteSerializer,
        responses={
            201: NoteSerializer,
            400: OpenApiResponse(description="Ghi chú trống hoặc quá dài."),
            404: _NOT_FOUND,
        },
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_class=None)
    def notes(self, request: Request, pk: str) -> Response:
        if request.method == "POST":
            case = access_case(request.user, pk, for_write=True, audit=False)
            incoming = NoteSerializer(data=request.data)
            incoming.is_valid(raise_exception=True)
            note = do_add_note(acting_user=request.user, case=case, text=incoming.validated_data["text"])
            return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED)
        case = access_case(request.user, pk)
        notes = case.notes.select_related("author").order_by("created_at", "id")
        return Response(NoteSerializer(notes, many=True).data)

    @extend_schema(
        methods=["GET"],
        summary="Tài liệu đính kèm của hồ sơ",
        responses={200: AttachmentSerializer(many=True), 404: _NOT_FOUND},
        filters=False,
    )
    @extend_schema(
        methods=["POST"],
        summary="Tải lên tài liệu (multipart; cán bộ xử lý hồ sơ)",
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={
            201: AttachmentSerializer,
            400: OpenApiResponse(description="Tệp quá lớn hoặc không đúng loại."),
            404: _NOT_FOUND,
        },
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_class=None)
    def attachments(self, request: Request, pk: str) -> Response:
        if request.method == "POST":
            case = access_case(request.user, pk, for_write=True, audit=False)
            incoming = AttachmentUploadSerializer(data=request.data)
            incoming.is_valid(raise_exception=True)
            attachment = do_add_attachment(
                acting_user=request.user,
                case=case,
                uploaded=incoming.validated_data["file"],
                description=incoming.validated_data.get("description", ""),
            )
            return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)
        case = access_case(request.user, pk)
        attachments = case.attachments.select_related("uploaded_by").order_by("uploaded_at", "id")
        return Response(AttachmentSerializer(attachments, many=True).data)

    @extend_schema(
        summary="Tải tài liệu về (mỗi lần tải được ghi nhật ký)",
        parameters=[OpenApiParameter("att_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses={**download_responses(), 404: _NOT_FOUND},
        filters=False,
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"attachments/(?P<att_id>[0-9]+)/download",
        url_name="attachment-download",
        pagination_class=None,
        filterset_class=None,
    )
    def download(self, request: Request, pk: str, att_id: str) -> FileResponse:
        case, attachment = access_attachment(request.user, pk, att_id)
        return attachment_response(case, attachment)


def case_detail_data(request: Request, case: Case) -> dict[str, Any]:
    """The detail representation; also what the intake and workflow endpoints may answer with."""
    show_reporter = can_see_reporter(request.user, case)
    if show_reporter:
        try:
            case.reporter  # noqa: B018 - fetched now, once, only when it may be shown
        except ObjectDoesNotExist:
            show_reporter = False
    context = {
        "request": request,
        "show_reporter": show_reporter,
        "caregivers": list(case.child.caregivers.all()),
        "deadlines": list(case.deadlines.filter(met_at__isnull=True).order_by("due_at")),
    }
    data: dict[str, Any] = CaseDetailSerializer(case, context=context).data
    return data
