"""Filter classes every list shares (django-filter), where its defaults do not suit a large PostgreSQL table."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet


class ChoicesInFilter(django_filters.MultipleChoiceFilter):  # type: ignore[misc] # django-filter is untyped
    """Several values of one column: `column IN (...)`, without DISTINCT.

    django-filter's MultipleChoiceFilter ORs one condition per value and adds DISTINCT over every selected column
    (meant for filters across to-many joins). On the case list that DISTINCT made PostgreSQL sort every matching
    row of a province before it could take a page; a plain IN keeps the index walk in list order.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__in": list(value)})
