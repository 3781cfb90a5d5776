"""Core API: the token endpoint for integrations, the unit and agency directories, the audit log."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from knox.models import AuthToken
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from childprotect.api.base import ScopedViewSetMixin
from childprotect.api.serializers import (
    AdministrativeUnitSerializer,
    AgencySerializer,
    ApiTokenSerializer,
    AuditEventSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
)
from childprotect.api_tokens import api_tokens_of, do_issue_api_token, do_revoke_api_token
from childprotect.filters import AgencyFilter, AuditEventFilter, UnitFilter
from childprotect.http import AuthenticatedRequest
from childprotect.models import AdministrativeUnit, Agency, AuditEvent
from childprotect.models.units import CURRENT_SCHEME


class ObtainTokenView(APIView):
    """POST username + password (+ otp_token for roles with a second factor) → {"token": ...}: a new token,
    valid until `expiry`; send it as `Authorization: Token <token>`. Revoke it with
    DELETE /api/v1/auth/tokens/<token_id>/ (or on the page "Mã API"); a password change revokes them all.
    Rate-limited per client address (behind TRUSTED_PROXY_COUNT proxies; a forged X-Forwarded-For does not count)."""

    authentication_classes: list[Any] = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenResponseSerializer}, auth=[])
    def post(self, request: Request) -> Response:
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        instance, secret = do_issue_api_token(acting_user=serializer.validated_data["user"])
        body = TokenResponseSerializer({"token": secret, "token_id": instance.token_key, "expiry": instance.expiry})
        return Response(body.data, status=status.HTTP_200_OK)


class ApiTokenViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet[AuthToken]
):
    """The caller's own API tokens that still work (never the secrets), and revoking one. Another user's token,
    or one that does not exist, answers 404."""

    serializer_class = ApiTokenSerializer
    queryset = AuthToken.objects.none()  # the model, for the schema; scoped_queryset gives the caller's own
    lookup_field = "token_key"
    lookup_url_kwarg = "token_id"
    lookup_value_regex = r"[A-Za-z0-9]+"
    pagination_class = None

    def scoped_queryset(self, user: Any) -> QuerySet[AuthToken]:
        return api_tokens_of(user)

    def destroy(self, request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> Response:
        do_revoke_api_token(acting_user=request.user, token_key=str(kwargs["token_id"]))
        return Response(status=status.HTTP_204_NO_CONTENT)


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
