"""Core API: the token endpoint for integrations, the unit and agency directories, the audit log."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from childprotect.api.base import ScopedViewSetMixin
from childprotect.api.serializers import (
    AdministrativeUnitSerializer,
    AgencySerializer,
    AuditEventSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
)
from childprotect.filters import AgencyFilter, AuditEventFilter, UnitFilter
from childprotect.models import AdministrativeUnit, Agency, AuditEvent
from childprotect.models.audit import AuditAction
from childprotect.models.units import CURRENT_SCHEME
from childprotect.services import record_audit_event


class ObtainTokenView(APIView):
    """POST username + password (+ otp_token for roles with a second factor) → {"token": ...}."""

    authentication_classes: list[Any] = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenResponseSerializer}, auth=[])
    def post(self, request: Request) -> Response:
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        token, _created = Token.objects.get_or_create(user=user)
        record_audit_event(actor=user, action=AuditAction.TOKEN_ISSUED)
        return Response({"token": token.key}, status=status.HTTP_200_OK)


class UnitViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet[AdministrativeUnit]):
    """Administrative units (public reference data: any signed-in user). Current scheme unless
    `scheme=qd124_2004` asks for the legacy units."""

    serializer_class = AdministrativeUnitSerializer
    filterset_class = UnitFilter
    lookup_field = "code"

    def scoped_queryset(self, user: Any) -> QuerySet[AdministrativeUnit]:
        scheme = self.request.query_params.get("scheme") or CURRENT_SCHEME
        return AdministrativeUnit.objects.filter(scheme=scheme).select_related("parent").order_by("code")


class AgencyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet[Agency]):
    """The agency directory (reference data for referrals and directive tasks)."""

    serializer_class = AgencySerializer
    filterset_class = AgencyFilter
    lookup_field = "code"

    def scoped_queryset(self, user: Any) -> QuerySet[Agency]:
        return Agency.objects.active().select_related("unit").order_by("name")


class AuditEventViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[AuditEvent]
):
    """The audit log, read-only: province officers see their province's records, admins everything."""

    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilter

    def scoped_queryset(self, user: Any) -> QuerySet[AuditEvent]:
        return AuditEvent.objects.visible_to(user).order_by("-at", "-id")
