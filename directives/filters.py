"""Filtering task lists (the HTML list and GET /api/v1/directive-tasks/): by lead, status, directive, review.

Every filter narrows a queryset that already went through `DirectiveTask.objects.visible_to(user)` and carries
the computed `status` (`with_status(today)`), so `status=` filters on the SQL rule of status.py.
- `agency=`: the lead agency's code (or its numeric id); `commune=`: the lead commune's code (or id).
- `status=`: not_started | in_progress | done_on_time | done_late | overdue.
- `directive=`: a directive id; `review=pending`: tasks with a report waiting for review; `mine=true`: only the
  tasks the caller leads (leaves out those their agency only coordinates).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from directives.models import DirectiveTask, ReportStatus, TaskReport, TaskStatus
from directives.querysets import lead_filter


def _code_or_id(field: str, value: str) -> Q:
    value = value.strip()
    match = Q(**{f"{field}__code": value})
    if value.isdigit():
        match |= Q(**{f"{field}_id": int(value)})
    return match


class DirectiveTaskFilter(django_filters.FilterSet):
    agency = django_filters.CharFilter(label=_("Cơ quan chủ trì (mã)"), method="filter_agency")
    commune = django_filters.CharFilter(label=_("Xã, phường chủ trì (mã)"), method="filter_commune")
    status = django_filters.ChoiceFilter(
        label=_("Tình trạng"), choices=TaskStatus.choices, method="filter_status", empty_label=_("Tất cả")
    )
    directive = django_filters.NumberFilter(label=_("Văn bản"), field_name="directive_id")
    review = django_filters.ChoiceFilter(
        label=_("Báo cáo"),
        choices=[("pending", _("Có báo cáo chờ xem xét"))],
        method="filter_review",
        empty_label=_("Tất cả"),
    )
    mine = django_filters.BooleanFilter(label=_("Chỉ nhiệm vụ đơn vị chủ trì"), method="filter_mine")

    class Meta:
        model = DirectiveTask
        fields: list[str] = []

    def filter_agency(self, queryset: QuerySet[DirectiveTask], name: str, value: str) -> QuerySet[DirectiveTask]:
        return queryset.filter(_code_or_id("lead_agency", value)) if value else queryset

    def filter_commune(self, queryset: QuerySet[DirectiveTask], name: str, value: str) -> QuerySet[DirectiveTask]:
        return queryset.filter(_code_or_id("lead_commune", value)) if value else queryset

    def filter_status(self, queryset: QuerySet[DirectiveTask], name: str, value: str) -> QuerySet[DirectiveTask]:
        return queryset.filter(status=value) if value else queryset

    def filter_review(self, queryset: QuerySet[DirectiveTask], name: str, value: str) -> QuerySet[DirectiveTask]:
        if value != "pending":
            return queryset
        pending = TaskReport.objects.filter(task_id=OuterRef("pk"), status=ReportStatus.SUBMITTED)
        return queryset.filter(Exists(pending))

    def filter_mine(self, queryset: QuerySet[DirectiveTask], name: str, value: Any) -> QuerySet[DirectiveTask]:
        if not value or self.request is None:
            return queryset
        leads = lead_filter(self.request.user)
        return queryset.filter(leads) if leads is not None else queryset.none()
