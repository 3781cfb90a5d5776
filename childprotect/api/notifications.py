"""Notifications API: each user sees only their own; anyone else's answers 404 like a missing one."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from childprotect.api.base import ScopedViewSetMixin
from childprotect.api.parsers import BoundedJSONParser
from childprotect.api.serializers import NotificationSerializer, PreferenceSerializer
from childprotect.filters import NotificationFilter
from childprotect.models import Notification
from childprotect.notifications import (
    do_mark_all_read,
    do_mark_read,
    do_set_email_preference,
    email_enabled_for,
    notifications_for,
)


class NotificationViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Notification]
):
    """The caller's notifications, newest first; `POST {id}/read/` marks one read, `POST read-all/` all;
    `GET`/`PUT preferences/` the caller's choice about emails."""

    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter

    def scoped_queryset(self, user: Any) -> QuerySet[Notification]:
        return notifications_for(user).order_by("-created_at", "-id")

    @extend_schema(request=None, responses={200: NotificationSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str | None = None) -> Response:
        row = self.get_object()  # the scoped lookup: someone else's notification is a 404 here already
        return Response(self.get_serializer(do_mark_read(request.user, row.pk)).data)

    @extend_schema(request=None, responses={200: inline_serializer("ReadAll", {"marked": serializers.IntegerField()})})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        return Response({"marked": do_mark_all_read(request.user)})

    @extend_schema(methods=["GET"], request=None, responses={200: PreferenceSerializer})
    @extend_schema(methods=["PUT"], request=PreferenceSerializer, responses={200: PreferenceSerializer})
    # JSON only: a form-encoded `email_enabled=0` could not be told from a wrong type (the schema's boolean).
    @action(
        detail=False,
        methods=["get", "put"],
        pagination_class=None,
        filterset_class=None,
        parser_classes=[BoundedJSONParser],
    )
    def preferences(self, request: Request) -> Response:
        if request.method == "PUT":
            incoming = PreferenceSerializer(data=request.data)
            incoming.is_valid(raise_exception=True)
            do_set_email_preference(request.user, enabled=incoming.validated_data["email_enabled"])
        return Response({"email_enabled": email_enabled_for(request.user)})
