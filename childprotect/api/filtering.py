"""The API's filter backend (REST_FRAMEWORK["DEFAULT_FILTER_BACKENDS"]): the FilterSets of `filters.py`, with the
query string held to what the schema says. django-filter reads a yes/no filter it cannot understand
(`unread=275`) as "no filter", and an empty choice (`urgency=`) as "any": a page's form needs that leniency,
an API caller gets a 400 in the error shape instead of a list that silently ignores what they asked for. (An
empty text filter stays "any"; the schema's strings allow it.)"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers
from rest_framework.request import Request

YES_NO = frozenset({"true", "false", "1", "0"})


class StrictFilterBackend(DjangoFilterBackend):  # type: ignore[misc] # django-filter is untyped
    def get_filterset(self, request: Request, queryset: QuerySet[Any], view: Any) -> Any:
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            errors = query_errors(filterset.filters, request.query_params)
            if errors:
                raise serializers.ValidationError(errors)
        return filterset


def query_errors(filters: dict[str, Any], params: Any) -> dict[str, list[str]]:
    """Per filter, what the schema would refuse that django-filter lets through."""
    errors: dict[str, list[str]] = {}
    for name, declared in filters.items():
        values = params.getlist(name) if name in params else []
        if isinstance(declared, django_filters.BooleanFilter) and any(v.lower() not in YES_NO for v in values if v):
            errors[name] = [_("Chỉ nhận true hoặc false.")]
        elif not isinstance(declared, django_filters.CharFilter) and any(not v for v in values):
            # Only a text filter may be empty; a date, a number or a choice must be given or left out.
            errors[name] = [_("Nhập một giá trị, hoặc bỏ tham số này.")]
    return errors


def blank_parameters(params: Any, names: list[str]) -> dict[str, list[str]]:
    """For an endpoint that reads its query string with a page's form: the parameters among `names` (dates,
    numbers, choices) given empty, which the form would read as "not given"."""
    return {name: [_("Nhập một giá trị, hoặc bỏ tham số này.")] for name in names if params.get(name, None) == ""}
