"""Core API: the token endpoint for integrations, the unit and agency directories, the audit log."""

from __future__ import annotations

from typing import Any

import django_filters
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
from childprotect.filtering import ChoicesInFilter
from childprotect.models import AdministrativeUnit, Agency, AuditEvent
from childprotect.models.agencies import Sector
from childprotect.models.audit import AuditAction
from childprotect.models.units import CURRENT_SCHEME, CodeScheme, UnitKind


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


class ApiTokenViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet[Any]):
    """The caller's own API tokens that still work (never the secrets), and revoking one. Another user's token,
    or one that does not exist, answers 404."""

    serializer_class = ApiTokenSerializer
    queryset = AuthToken.objects.none()  # the model, for the schema; get_queryset gives the caller's own
    lookup_field = "token_key"
    lookup_url_kwarg = "token_id"
    lookup_value_regex = r"[A-Za-z0-9]+"
    pagination_class = None

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return AuthToken.objects.none()
        return api_tokens_of(self.request.user)  # type: ignore[arg-type] # IsAuthenticated: a User

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        do_revoke_api_token(acting_user=request.user, token_key=str(kwargs["token_id"]))  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)


class UnitFilter(django_filters.FilterSet):
    parent = django_filters.CharFilter(method="filter_parent", label="Mã đơn vị cấp trên")
    kind = django_filters.ChoiceFilter(choices=UnitKind.choices)
    scheme = django_filters.ChoiceFilter(choices=CodeScheme.choices, method="filter_scheme")
    q = django_filters.CharFilter(field_name="name", lookup_expr="unaccent__icontains", label="Tên")

    class Meta:
        model = AdministrativeUnit
        fields: list[str] = []

    def filter_parent(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(parent__code=value)

    def filter_scheme(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset  # applied in UnitViewSet.scoped_queryset, which needs it before any other filter


class UnitViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet[AdministrativeUnit]):
    """Administrative units (public reference data: any signed-in user). Current scheme unless
    `scheme=qd124_2004` asks for the legacy units."""

    serializer_class = AdministrativeUnitSerializer
    filterset_class = UnitFilter
    lookup_field = "code"

    def scoped_queryset(self, user: Any) -> QuerySet[AdministrativeUnit]:
        scheme = self.request.query_params.get("scheme") or CURRENT_SCHEME
        return AdministrativeUnit.objects.filter(scheme=scheme).select_related("parent").order_by("code")


class AgencyFilter(django_filters.FilterSet):
    sector = ChoicesInFilter(choices=Sector.choices)
    unit = django_filters.CharFilter(method="filter_unit", label="Mã địa bàn (gồm cả các đơn vị trực thuộc)")
    q = django_filters.CharFilter(field_name="name", lookup_expr="unaccent__icontains", label="Tên")

    class Meta:
        model = Agency
        fields: list[str] = []

    def filter_unit(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        unit = AdministrativeUnit.objects.filter(scheme=CURRENT_SCHEME, code=value).first()
        if unit is None:
            return queryset.none()
        return queryset.filter(unit__path__startswith=unit.path)


class AgencyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet[Agency]):
    """The agency directory (reference data for referrals and directive tasks)."""

    serializer_class = AgencySerializer
    filterset_class = AgencyFilter
    lookup_field = "code"

    def scoped_queryset(self, user: Any) -> QuerySet[Agency]:
        return Agency.objects.active().select_related("unit").order_by("name")


class AuditEventFilter(django_filters.FilterSet):
    actor = django_filters.CharFilter(field_name="actor_username", lookup_expr="iexact")
    action = django_filters.ChoiceFilter(choices=AuditAction.choices)
    target_type = django_filters.CharFilter()
    target_id = django_filters.CharFilter()
    since = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="gte")
    until = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="lt")

    class Meta:
        model = AuditEvent
        fields: list[str] = []


class AuditEventViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[AuditEvent]
):
    """The audit log, read-only: province officers see their province's records, admins everything."""

    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilter

    def scoped_queryset(self, user: Any) -> QuerySet[AuditEvent]:
        return AuditEvent.objects.visible_to(user).order_by("-at", "-id")
