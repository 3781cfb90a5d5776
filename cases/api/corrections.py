"""Correcting the case file, its history, and assigning the case, through the API:

- `GET /api/v1/cases/{id}/corrections/`: every corrected field (old → new in typed form and in words, who, when,
  why), for the case roles who may read it; `POST` the same path corrects one record (cases/corrections.py says
  which records and fields), with a reason and the version read (409 on a stale one, nothing written).
- `POST /api/v1/cases/{id}/caregivers/`: a caregiver found after receipt.
- `GET /api/v1/cases/{id}/assignment/`: the responsible officer and the history; `POST` assigns or reassigns.

Same rules as the pages: `access_case` first (404 for outsiders and for a record of another case), then one
`do_*` service; refusals answer in the shape of childprotect/api/errors.py. Values are checked by the same form
as the page's (cases/forms/corrections.py).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.access import access_case, can_read_history, can_see_reporter
from cases.api.serializers.corrections import (
    AssignmentRequestSerializer,
    AssignmentStateSerializer,
    CaregiverRequestSerializer,
    CorrectionRequestSerializer,
    CorrectionSerializer,
)
from cases.corrections import RECORDS
from cases.forms.corrections import correction_form
from cases.history import assignment_history, correction_history
from cases.models import Case
from cases.services.assignment import assignable_officers, do_assign_case
from cases.services.corrections import do_add_caregiver, do_correct_record
from childprotect.access import not_found
from childprotect.models import User


def _person(user: User | None) -> dict[str, Any] | None:
    return None if user is None else {"id": user.pk, "name": user.get_full_name() or user.username}


def _history(case: Case, user: User) -> list[dict[str, Any]]:
    return list(CorrectionSerializer(correction_history(case, user), many=True).data)


class CaseCorrectionsView(APIView):
    @extend_schema(
        operation_id="cases_corrections_list",
        summary="Lịch sử chỉnh sửa của hồ sơ (từng trường: giá trị cũ, mới, ai, khi nào, lý do)",
        responses={200: CorrectionSerializer(many=True)},
        tags=["cases"],
    )
    def get(self, request: Request, case_id: int) -> Response:
        case = access_case(request.user, case_id)
        if not can_read_history(request.user, case):
            raise not_found()
        return Response(_history(case, request.user))

    @extend_schema(
        operation_id="cases_corrections_create",
        summary="Sửa thông tin một phần của hồ sơ sau khi tiếp nhận (có lý do; giữ lịch sử)",
        request=CorrectionRequestSerializer,
        responses={201: CorrectionSerializer(many=True)},
        tags=["cases"],
    )
    def post(self, request: Request, case_id: int) -> Response:
        case = access_case(request.user, case_id, for_write=True, audit=False)
        incoming = CorrectionRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        record = RECORDS[data["record"]]
        if record.reporter and not can_see_reporter(request.user, case):
            raise not_found()
        row = record.row(case, data["record_id"])
        if row is None:
            raise not_found()
        changes: dict[str, Any] = data["changes"]
        unknown = [name for name in changes if name not in record.fields]
        if unknown:
            raise ValidationError({name: _("Trường này không sửa được ở đây.") for name in unknown})
        form = correction_form(
            record, case, row, {**changes, "version": data["version"], "reason": data["reason"]}, only=list(changes)
        )
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        corrections = do_correct_record(
            acting_user=request.user,
            case=case,
            record=record.key,
            record_id=row.pk,
            expected_version=data["version"],
            changes=form.changes(),
            reason=form.cleaned_data["reason"],
        )
        made = {correction.pk for correction in corrections}
        entries = [entry for entry in correction_history(case, request.user) if entry.id in made]
        return Response(CorrectionSerializer(entries, many=True).data, status=status.HTTP_201_CREATED)


class CaseCaregiversView(APIView):
    @extend_schema(
        operation_id="cases_caregivers_create",
        summary="Thêm cha mẹ, người chăm sóc biết được sau khi tiếp nhận (có lý do; giữ lịch sử)",
        request=CaregiverRequestSerializer,
        responses={201: CorrectionSerializer(many=True)},
        tags=["cases"],
    )
    def post(self, request: Request, case_id: int) -> Response:
        case = access_case(request.user, case_id, for_write=True, audit=False)
        incoming = CaregiverRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        caregiver = do_add_caregiver(acting_user=request.user, case=case, expected_version=data.pop("version"), **data)
        entries = [
            entry
            for entry in correction_history(case, request.user)
            if entry.record == "caregiver" and entry.record_id == caregiver.pk
        ]
        return Response(CorrectionSerializer(entries, many=True).data, status=status.HTTP_201_CREATED)


def assignment_state(case: Case) -> dict[str, Any]:
    case.refresh_from_db(fields=["version", "assigned_officer"])
    history = [
        {
            "id": row.pk,
            "officer": _person(row.officer),
            "previous_officer": _person(row.previous_officer),
            "assigned_by": _person(row.assigned_by),
            "at": row.at,
            "note": row.note,
        }
        for row in assignment_history(case)
    ]
    return dict(
        AssignmentStateSerializer(
            {"version": case.version, "assigned_officer": _person(case.assigned_officer), "history": history}
        ).data
    )


class CaseAssignmentView(APIView):
    @extend_schema(
        operation_id="cases_assignment_read",
        summary="Cán bộ phụ trách hồ sơ và lịch sử phân công",
        responses={200: AssignmentStateSerializer},
        tags=["cases"],
    )
    def get(self, request: Request, case_id: int) -> Response:
        case = access_case(request.user, case_id)
        return Response(assignment_state(case))

    @extend_schema(
        operation_id="cases_assignment_set",
        summary="Phân công, phân công lại cán bộ phụ trách (null: trả về hàng chờ của xã)",
        request=AssignmentRequestSerializer,
        responses={200: AssignmentStateSerializer},
        tags=["cases"],
    )
    def post(self, request: Request, case_id: int) -> Response:
        case = access_case(request.user, case_id, for_write=True, audit=False)
        incoming = AssignmentRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        officer = None
        if data["officer"] is not None:
            officer = assignable_officers(case).filter(pk=data["officer"]).first()
            if officer is None:
                raise ValidationError(
                    {"officer": _("Chọn một cán bộ bảo vệ trẻ em đang làm việc tại xã, phường của hồ sơ.")}
                )
        do_assign_case(
            acting_user=request.user,
            case=case,
            expected_version=data["version"],
            officer=officer,
            note=data["note"],
        )
        return Response(assignment_state(case))
