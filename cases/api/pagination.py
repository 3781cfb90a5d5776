"""Pagination of GET /api/v1/cases/: the same pages as the HTML list (cases/pagination.py).

The response keeps the shape integrations were written against — `count`, `next`, `previous`, `results` — and
adds `count_exact`: false when `count` is the planner's estimate (lists longer than LIST_EXACT_COUNT_LIMIT).
`next`/`previous` carry a `cursor` and cost the same on every page; `page=N` still jumps by offset.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from cases.models import Case
from cases.pagination import CasePage, paginate_cases
from childprotect.api.pagination import refuse_unreadable_page


class CaseListPagination(BasePagination):
    page_size = 50

    def paginate_queryset(self, queryset: QuerySet[Case], request: Request, view: Any = None) -> list[Case]:
        self.request = request
        # The page's list would read a page it cannot use as the first; the API answers as its other lists do.
        refuse_unreadable_page(request)
        self.page: CasePage = paginate_cases(
            queryset,
            ordering=request.query_params.get("ordering"),
            size=self.page_size,
            cursor=request.query_params.get("cursor"),
            page=request.query_params.get("page"),
        )
        return self.page.rows

    def _link(self, cursor: str | None) -> str:
        url = remove_query_param(self.request.build_absolute_uri(), "page")
        if cursor is None:
            return remove_query_param(url, "cursor")
        return replace_query_param(url, "cursor", cursor)

    def get_paginated_response(self, data: Any) -> Response:
        page = self.page
        return Response(
            {
                "count": page.count.total,
                "count_exact": page.count.exact,
                "next": self._link(page.next_cursor) if page.has_next else None,
                "previous": self._link(page.previous_cursor) if page.has_previous else None,
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["count", "count_exact", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "description": "Số hồ sơ: chính xác khi count_exact, nếu không là ước tính của cơ sở dữ liệu.",
                },
                "count_exact": {"type": "boolean"},
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": "cursor",
                "in": "query",
                "required": False,
                "description": "Vị trí trang (lấy từ liên kết next/previous).",
                "schema": {"type": "string"},
            },
            {
                "name": "page",
                "in": "query",
                "required": False,
                "description": "Số trang (nhảy trang theo vị trí; trang càng sâu càng chậm).",
                "schema": {"type": "integer"},
            },
        ]
