"""/api/v1/transfers/ — transfer requests between communes, seen from either side, and the answers:

    POST /api/v1/transfers/{id}/accept/ · /decline/ {"reason"} (the receiving commune) · /cancel/ (the sender)

A request is made with the case action that always did it: POST /api/v1/cases/{id}/actions/transfer/.
The list starts from `CaseTransfer.objects.visible_to(user)`; one request from `access_transfer` (404 otherwise).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.mixins import ListModelMixin, RetrieveModelMixin
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from cases.access import access_transfer
from cases.api.serializers.referrals import ReasonSerializer, TransferSerializer
from cases.filters import TransferFilter
from cases.models import CaseTransfer
from cases.services import transfers as transfer_svc
from childprotect.api.base import ScopedViewSetMixin


def _transfer_step(request_serializer: Any, summary: str) -> Any:
    return extend_schema(
        summary=summary,
        request=request_serializer,
        responses={200: TransferSerializer},
        filters=False,
    )


@extend_schema_view(
    list=extend_schema(summary="Đề nghị chuyển hồ sơ giữa các xã (chuyển đến và chuyển đi)"),
    retrieve=extend_schema(summary="Một đề nghị chuyển hồ sơ", responses={200: TransferSerializer}),
)
class TransferViewSet(ScopedViewSetMixin, ListModelMixin, RetrieveModelMixin, GenericViewSet[CaseTransfer]):
    audited_list = "transfers"  # the list shows children: each request leaves an audit row
    serializer_class = TransferSerializer
    filterset_class = TransferFilter
    lookup_value_regex = r"[0-9]+"

    def scoped_queryset(self, user: Any) -> QuerySet[CaseTransfer]:
        return (
            CaseTransfer.objects.visible_to(user)
            .select_related("case", "from_commune", "to_commune", "requested_by", "responded_by")
            .order_by("-requested_at", "-id")
        )

    def _run(self, pk: str, service: Any, body: type[serializers.Serializer[Any]] | None = None) -> Response:
        transfer = access_transfer(self.request.user, pk)
        kwargs: dict[str, Any] = {}
        if body is not None:
            incoming = body(data=self.request.data)
            incoming.is_valid(raise_exception=True)
            kwargs = dict(incoming.validated_data)
        service(acting_user=self.request.user, transfer=transfer, **kwargs)
        transfer.refresh_from_db()
        return Response(TransferSerializer(transfer).data)

    @_transfer_step(None, "Đồng ý nhận hồ sơ (cán bộ hoặc Chủ tịch UBND xã nhận)")
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        return self._run(pk, transfer_svc.do_accept_transfer)

    @_transfer_step(ReasonSerializer, "Từ chối nhận hồ sơ, có lý do (cán bộ hoặc Chủ tịch UBND xã nhận)")
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str) -> Response:
        return self._run(pk, transfer_svc.do_decline_transfer, ReasonSerializer)

    @_transfer_step(None, "Hủy đề nghị chuyển (xã chuyển)")
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        return self._run(pk, transfer_svc.do_cancel_transfer)
