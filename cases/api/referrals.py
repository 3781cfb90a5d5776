"""/api/v1/referrals/ — the caller's inbox (a focal point: referrals to their agency) or the referrals of the cases
they see (case workers), creating one, and the steps of the handshake:

    POST /api/v1/referrals/ {"case", "agency": CODE, "reason", "services", "urgency", "due_at"} → 201
    POST /api/v1/referrals/{id}/accept/ · /decline/ {"reason"} · /progress/ {"note"} · /complete/ {"outcome"}
    POST /api/v1/referrals/{id}/withdraw/ {"reason" (optional)}

Same rules as the pages: lists start from `visible_to(user)` (ScopedViewSetMixin), one record from
`access_referral` (404 for anyone it is not for), creating from `access_case(for_write=True)`.
Answers: 200/201 with the record; refusals in the shape of childprotect/api/errors.py (400 field errors, 403 not
your side of the referral, 409 not in this status).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.mixins import ListModelMixin, RetrieveModelMixin
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from cases.access import access_case, access_referral
from cases.api.serializers.referrals import (
    OptionalReasonSerializer,
    OutcomeSerializer,
    ProgressNoteSerializer,
    ReasonSerializer,
    ReferralCreateSerializer,
    ReferralDetailSerializer,
    ReferralListSerializer,
)
from cases.filters import ReferralApiFilter
from cases.models import Referral
from cases.services import referrals as svc
from childprotect.api.base import ScopedViewSetMixin
from childprotect.api.errors import NOT_FOUND


def _step(request_serializer: Any, summary: str, description: str = "") -> Any:
    return extend_schema(
        summary=summary,
        description=description,
        request=request_serializer,
        responses={200: ReferralDetailSerializer},
        filters=False,
    )


@extend_schema_view(
    list=extend_schema(summary="Hộp chuyển gửi (đầu mối cơ quan) hoặc các chuyển gửi của hồ sơ bạn được xem"),
    retrieve=extend_schema(
        summary="Một chuyển gửi, với thông tin cần thiết về hồ sơ (mỗi lần đọc được ghi nhật ký)",
        responses={200: ReferralDetailSerializer},
    ),
)
class ReferralViewSet(ScopedViewSetMixin, ListModelMixin, RetrieveModelMixin, GenericViewSet[Referral]):
    audited_list = "referrals"  # the list shows children: each request leaves an audit row
    serializer_class = ReferralListSerializer
    filterset_class = ReferralApiFilter
    lookup_value_regex = r"[0-9]+"

    def scoped_queryset(self, user: Any) -> QuerySet[Referral]:
        return Referral.objects.visible_to(user).select_related("case", "agency").order_by("-sent_at", "-id")

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        return ReferralListSerializer if self.action == "list" else ReferralDetailSerializer

    def _answer(self, referral: Referral) -> Response:
        referral.refresh_from_db()
        return Response(ReferralDetailSerializer(referral).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(ReferralDetailSerializer(access_referral(request.user, kwargs["pk"])).data)

    @extend_schema(
        summary="Chuyển gửi hồ sơ tới một cơ quan",
        description="Người xử lý hồ sơ chuyển gửi tới cơ quan trong danh bạ (mã cơ quan). `due_at` bỏ trống: hạn "
        "phản hồi mặc định theo mức độ khẩn. Hồ sơ không thuộc quyền xử lý của người gọi: 404.",
        request=ReferralCreateSerializer,
        responses={201: ReferralDetailSerializer, 404: NOT_FOUND},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incoming = ReferralCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        case = access_case(request.user, data["case"], for_write=True, audit=False)
        referral = svc.do_create_referral(
            acting_user=request.user,
            case=case,
            agency=data["agency"],
            reason=data["reason"],
            services=data["services"],
            urgency=data["urgency"],
            due_at=data["due_at"],
        )
        return Response(
            ReferralDetailSerializer(referral).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": f"/api/v1/referrals/{referral.pk}/"},
        )

    def _run(self, pk: str, service: Any, body: type[serializers.Serializer[Any]] | None = None) -> Response:
        referral = access_referral(self.request.user, pk, audit=False)
        kwargs: dict[str, Any] = {}
        if body is not None:
            incoming = body(data=self.request.data)
            incoming.is_valid(raise_exception=True)
            kwargs = dict(incoming.validated_data)
        service(acting_user=self.request.user, referral=referral, **kwargs)
        return self._answer(referral)

    @_step(None, "Tiếp nhận chuyển gửi (đầu mối cơ quan nhận)")
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        return self._run(pk, svc.do_accept_referral)

    @_step(ReasonSerializer, "Từ chối chuyển gửi, có lý do (đầu mối cơ quan nhận)")
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str) -> Response:
        return self._run(pk, svc.do_decline_referral, ReasonSerializer)

    @_step(
        ProgressNoteSerializer,
        "Cập nhật tiến độ (đầu mối cơ quan nhận)",
        "Lần đầu chuyển trạng thái sang “đang thực hiện”.",
    )
    @action(detail=True, methods=["post"])
    def progress(self, request: Request, pk: str) -> Response:
        return self._run(pk, svc.do_add_referral_progress, ProgressNoteSerializer)

    @_step(OutcomeSerializer, "Hoàn thành, có kết quả (đầu mối cơ quan nhận)")
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str) -> Response:
        return self._run(pk, svc.do_complete_referral, OutcomeSerializer)

    @_step(OptionalReasonSerializer, "Rút lại chuyển gửi đang mở (người xử lý hồ sơ)")
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        return self._run(pk, svc.do_withdraw_referral, OptionalReasonSerializer)
