"""Intake through the API: the 111 hotline and other integrations record cases like the commune's form does.

`create_case_from_api(request)` is the whole of `POST /api/v1/cases/`, the `create` of the case list endpoint
(cases/api/browse.py), so one URL answers both verbs; `GET /api/v1/cases/duplicates/` is the duplicate check.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.access import can_create_case_in, linkable_child, may_record_cases
from cases.api.serializers.intake import (
    CaseCreatedSerializer,
    CaseCreateSerializer,
    DuplicateCandidateSerializer,
    DuplicateQuerySerializer,
)
from cases.querysets import DUPLICATE_FILTERS, duplicate_candidates, likely_existing_children, match_elsewhere
from cases.services.intake import CaregiverInput, CaseInput, ChildInput, ReporterInput, do_create_case
from childprotect.errors import NotAllowed
from childprotect.services import record_list_read

# The examples name real communes of the official list (QĐ 19/2025, childprotect/data): Đức Xuân and Bắc Kạn of
# Thái Nguyên, the demo data's two communes; tests/cases/test_api_examples.py checks that they exist.
_EXAMPLE_ABUSE = {
    "child": {
        "full_name": "Nguyễn Thị Hương",
        "date_of_birth": "2014-05-02",
        "sex": "female",
        "ethnicity_code": "01",
        "id_number": "019314000123",
        "commune": "01840",
    },
    "kind": "abuse",
    "abuse_forms": ["violence"],
    "setting": "family",
    "received_at": "2025-09-01T08:30:00+07:00",
    "incident_date": "2025-08-31",
    "incident_commune": "01840",
    "immediate_danger": True,
    "reporter": {"channel": "hotline_111", "name": "Trần Văn Bình", "phone": "0912345678"},
    "summary": "Hàng xóm báo trẻ bị cha đánh nhiều lần.",
}
_EXAMPLE_ACCIDENT = {
    "child": {"full_name": "Lò Văn Sáng", "age_years": 9, "sex": "male", "commune": "01843"},
    "kind": "accident",
    "accident_type": "drowning",
    "outcome": "death",
    "incident_date": "2025-07-20",
    "reporter": {"channel": "health_facility"},
    "summary": "Đuối nước khi tắm suối.",
}

CREATE_CASE_SCHEMA = extend_schema(
    operation_id="cases_create",
    summary="Ghi nhận vụ việc (Mẫu 01) hoặc tai nạn, thương tích",
    description=(
        "Records a reported case for a child, as the commune's intake page does. `kind` is `abuse`, `at_risk` "
        "or `special_circumstance`; or `accident` for an accident/injury incident provinces must count even "
        "when no protection case follows — then `accident_type` (`drowning`, `traffic`, `other_injury`) and "
        "`outcome` (`death`, `injury`) are required and no statutory deadline opens. `commune` and "
        "`incident_commune` are 5-digit unit codes (QĐ 19/2025). Commune roles record in their commune, "
        "province officers in their province, the 111 hotline anywhere; other roles get 403. The child is new "
        "unless `existing_child` names a child of the same commune; `possible_duplicates` lists known "
        "children that may be the same one. `draft: true` saves without a case number. The reporter's "
        "identity is confidential and never returned."
    ),
    request=CaseCreateSerializer,
    responses={
        201: CaseCreatedSerializer,
        400: OpenApiResponse(description="Field errors, in Vietnamese, keyed like the request."),
        403: OpenApiResponse(description="Role does not record cases, or the commune is outside your area."),
    },
    examples=[
        OpenApiExample("Xâm hại", value=_EXAMPLE_ABUSE, request_only=True),
        OpenApiExample("Tai nạn, thương tích", value=_EXAMPLE_ACCIDENT, request_only=True),
    ],
    tags=["cases"],
)

# The intake service's field names → this request's (dotted: nested), for its ValidationErrors (the API's error
# handler reads this from the view: childprotect/api/errors.py).
SERVICE_ERROR_FIELDS = {"full_name": "child.full_name", "accident_outcome": "outcome"}


def _require_recorder(request: Request) -> None:
    if not may_record_cases(request.user):
        raise NotAllowed(_("Vai trò của bạn không ghi nhận vụ việc."))


def create_case_from_api(request: Request) -> Response:
    """POST /api/v1/cases/: validate, check the caller may record in the commune, create, answer 201."""
    _require_recorder(request)
    serializer = CaseCreateSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data: dict[str, Any] = serializer.validated_data
    child_data, commune = data["child"], data["child"]["commune"]
    if not can_create_case_in(request.user, commune):
        raise NotAllowed(_("Bạn không thể ghi nhận vụ việc cho xã, phường này."))
    existing = None
    if data.get("existing_child") is not None:
        existing = linkable_child(request.user, data["existing_child"], commune)
        if existing is None:
            raise ApiValidationError({"existing_child": [_("Không tìm thấy trẻ này ở xã, phường đã chọn.")]})
    possible: list[int] = []
    if existing is None:
        possible = list(
            likely_existing_children(
                request.user,
                full_name=child_data["full_name"],
                commune=commune,
                date_of_birth=child_data.get("date_of_birth"),
                id_number=child_data.get("id_number", ""),
            ).values_list("pk", flat=True)
        )
    case = do_create_case(
        acting_user=request.user,
        child=ChildInput(
            full_name=child_data["full_name"],
            commune=commune,
            date_of_birth=child_data.get("date_of_birth"),
            age_years=child_data.get("age_years"),
            sex=child_data["sex"],
            ethnicity_code=child_data.get("ethnicity_code", ""),
            ethnicity_code_system=child_data["ethnicity_code_system"],
            id_number=child_data.get("id_number", ""),
            disability=child_data["disability"],
        ),
        case=CaseInput(
            kind=data["kind"],
            received_at=data["received_at"],
            abuse_forms=data["abuse_forms"],
            abuse_subtypes=data["abuse_subtypes"],
            special_groups=data["special_groups"],
            setting=data.get("setting", ""),
            accident_type=data.get("accident_type", ""),
            accident_outcome=data.get("outcome", ""),
            incident_date=data.get("incident_date"),
            incident_commune=data.get("incident_commune") or None,
            immediate_danger=data["immediate_danger"],
            summary=data.get("summary", ""),
        ),
        reporter=ReporterInput(**data["reporter"]),
        caregivers=[CaregiverInput(**c) for c in data.get("caregivers") or []],
        existing_child=existing,
        draft=data["draft"],
    )
    case.refresh_from_db(fields=["next_deadline_at", "next_deadline_step", "version", "status", "case_number"])
    body = CaseCreatedSerializer(
        {
            "id": case.pk,
            "case_number": case.case_number,
            "status": case.status,
            "next_deadline": case.next_deadline_at,
            "next_deadline_step": case.next_deadline_step,
            "version": case.version,
            "possible_duplicates": [pk for pk in possible if pk != case.child_id],
        }
    ).data
    return Response(body, status=status.HTTP_201_CREATED, headers={"Location": f"/api/v1/cases/{case.pk}/"})


MATCH_ELSEWHERE_HEADER = "Possible-Match-Elsewhere"


class CaseDuplicatesView(APIView):
    """GET /api/v1/cases/duplicates/: children already known who may be the one being reported."""

    @extend_schema(
        operation_id="cases_duplicates",
        summary="Kiểm tra trẻ đã có trong hệ thống",
        description=(
            "Children of the given commune with the same ID number, or a similar name (ignoring Vietnamese "
            "diacritics and case), best matches first (a matching date of birth ranks first). Only communes "
            "the caller may record cases in; the hotline: any. Only children with a case the caller may open "
            "(another user's draft is private to its author). Call before creating, then pass the chosen "
            "child's id as `existing_child`. For the 111 hotline, the header `Possible-Match-Elsewhere: true` "
            "says that a recorded case the hotline cannot open may be this child's (no personal data)."
        ),
        parameters=[
            DuplicateQuerySerializer,
            OpenApiParameter(
                MATCH_ELSEWHERE_HEADER,
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                response=[200],
                enum=["true"],
                description="Hotline only: a possible match exists in another commune (no personal data).",
            ),
        ],
        responses={
            200: DuplicateCandidateSerializer(many=True),
            400: OpenApiResponse(description="Field errors, in Vietnamese."),
            403: OpenApiResponse(description="Role does not record cases, or the commune is outside your area."),
        },
        tags=["cases"],
    )
    def get(self, request: Request) -> Response:
        _require_recorder(request)
        query = DuplicateQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        if not can_create_case_in(request.user, params["commune"]):
            raise NotAllowed(_("Bạn không thể ghi nhận vụ việc cho xã, phường này."))
        candidates = duplicate_candidates(
            request.user,
            full_name=params.get("full_name", ""),
            commune=params["commune"],
            date_of_birth=params.get("date_of_birth"),
            id_number=params.get("id_number", ""),
        )
        record_list_read(
            actor=request.user,
            list_name="duplicates",
            params=request.query_params,
            allowed=DUPLICATE_FILTERS,
            rows=len(candidates),
        )
        elsewhere = match_elsewhere(
            request.user,
            full_name=params.get("full_name", ""),
            commune=params["commune"],
            id_number=params.get("id_number", ""),
        )
        headers = {MATCH_ELSEWHERE_HEADER: "true"} if elsewhere else None
        return Response(DuplicateCandidateSerializer(candidates, many=True).data, headers=headers)
