"""Filters: the filter classes every list shares (django-filter), where its defaults do not suit a large
PostgreSQL table; and the FilterSets of the platform's own lists (units, agencies, the audit log, notifications)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from childprotect.models import AdministrativeUnit, Agency, AuditEvent, Notification
from childprotect.models.agencies import AgencyQuerySet, Sector
from childprotect.models.audit import AuditAction
from childprotect.models.units import CURRENT_SCHEME, CodeScheme, UnitKind
from childprotect.validators import CalendarDateField, UniqueMultipleChoiceField
from childprotect.widgets import DATE_INPUT


class CalendarDateFilter(django_filters.DateFilter):  # type: ignore[misc] # django-filter is untyped
    """A day within the calendar (childprotect/validators.py): 9999-12-31 is a 400, not an overflow further on."""

    field_class = CalendarDateField


class _ChoicesField(django_filters.fields.MultipleChoiceField, UniqueMultipleChoiceField):  # type: ignore[misc]
    """django-filter's choice field, bounded and de-duplicated (childprotect/validators.py)."""


class ChoicesInFilter(django_filters.MultipleChoiceFilter):  # type: ignore[misc] # django-filter is untyped
    """Several values of one column: `column IN (...)`, without DISTINCT.

    django-filter's MultipleChoiceFilter ORs one condition per value and adds DISTINCT over every selected column
    (meant for filters across to-many joins). On the case list that DISTINCT made PostgreSQL sort every matching
    row of a province before it could take a page; a plain IN keeps the index walk in list order.
    """

    field_class = _ChoicesField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__in": list(value)})


class UnitFilter(django_filters.FilterSet):  # type: ignore[misc] # django-filter is untyped
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


class AgencyFilter(django_filters.FilterSet):  # type: ignore[misc] # django-filter is untyped
    sector = ChoicesInFilter(choices=Sector.choices)
    unit = django_filters.CharFilter(method="filter_unit", label="Mã địa bàn (gồm cả các đơn vị trực thuộc)")
    q = django_filters.CharFilter(field_name="name", lookup_expr="unaccent__icontains", label="Tên")

    class Meta:
        model = Agency
        fields: list[str] = []

    def filter_unit(self, queryset: AgencyQuerySet, name: str, value: str) -> QuerySet[Any]:
        unit = AdministrativeUnit.objects.filter(scheme=CURRENT_SCHEME, code=value).first()
        if unit is None:
            return queryset.none()
        return queryset.within(unit)


class AuditEventFilter(django_filters.FilterSet):  # type: ignore[misc] # django-filter is untyped
    """The audit log: the page (`date_from`/`date_to`) and GET /api/v1/audit-events/ (also `since`/`until`)."""

    actor = django_filters.CharFilter(field_name="actor_username", lookup_expr="iexact", label=_("Người dùng"))
    action = django_filters.ChoiceFilter(choices=AuditAction.choices, label=_("Hành động"))
    target_type = django_filters.CharFilter(label=_("Loại hồ sơ"))
    target_id = django_filters.CharFilter(label=_("Mã hồ sơ"))
    # A native date picker: it submits ISO dates, so a typed "05/12/2025" cannot be read as 12 May (Django's
    # default input formats put the month first).
    date_from = CalendarDateFilter(field_name="at", lookup_expr="date__gte", label=_("Từ ngày"), widget=DATE_INPUT)
    date_to = CalendarDateFilter(field_name="at", lookup_expr="date__lte", label=_("Đến ngày"), widget=DATE_INPUT)
    # For the API: moments in ISO 8601 (hidden on the page, whose date pickers say the same in days).
    since = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="gte", widget=forms.HiddenInput)
    until = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="lt", widget=forms.HiddenInput)

    class Meta:
        model = AuditEvent
        fields: list[str] = []


class NotificationFilter(django_filters.FilterSet):  # type: ignore[misc] # django-filter is untyped
    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", label="Chỉ chưa đọc")
    kind = django_filters.CharFilter()

    class Meta:
        model = Notification
        fields: list[str] = []
