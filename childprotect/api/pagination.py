"""The API's default page-number pagination, strict about the page asked for.

DRF's own takes an empty `page=` as the first page, which the schema (an integer ≥ 1) does not allow; here an
empty, non-numeric, zero or repeated `page` is a 404 in the one error shape, as a page past the end already is.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request


def refuse_unreadable_page(request: Request, name: str = "page") -> None:
    """404 for a page number no list can read: empty, not a number, below 1, or given twice."""
    pages = request.query_params.getlist(name)
    if pages and (len(pages) > 1 or not pages[0].isdigit() or int(pages[0]) < 1):
        raise NotFound(gettext("Trang không hợp lệ."), code="not_found")


class StrictPageNumberPagination(PageNumberPagination):
    def paginate_queryset(self, queryset: QuerySet[Any], request: Request, view: Any = None) -> list[Any] | None:
        refuse_unreadable_page(request, self.page_query_param)
        return super().paginate_queryset(queryset, request, view)
