"""Filtering task lists (the HTML list and GET /api/v1/directive-tasks/): by lead, status, directive, review.
A thin adapter: the query rules (lead, due-date window, pending review) are in directives/querysets.py.

Every filter narrows a queryset that already went through `DirectiveTask.objects.visible_to(user)` and carries
the computed `status` (`with_status(today)`), so `status=` filters on the SQL rule of status.py.
- `agency=`: the lead agency's code (or its numeric id); `commune=`: the lead commune's code (or id);
  `province=`: the code of the province whose directive it is (the board's rows per province).
- `status=`: not_started | in_progress | done_on_time | done_late | overdue | cancelled | reassigned.
- `directive=`: a directive id; `review=pending`: tasks with a report waiting for review; `mine=true`: only the
  tasks the caller leads (leaves out those their agency only coordinates).
- `due_from=`, `due_to=`, `due_status=`: tasks with a due date (an occurrence) in that window, optionally one
  that was done on time, done late or is overdue (the rule of status.py for one occurrence), or `open` (not done,
  not yet due) — what the figures "directive tasks per lead" of the dashboard (reporting/figures/directive_tasks.py)
  and the board (directives/views/board.py) count, one EXISTS.
"""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from childprotect.filters import CalendarDateFilter
from directives.models import DirectiveTask, TaskStatus
from directives.querysets import DUE_OPEN, DUE_STATUSES, code_or_id, lead_filter, occurrence_in_window

# The states of one due date the window narrows to; the task list says the chosen one in words (views/tasks.py).
DUE_STATUS_CHOICES = [
    *[(status, TaskStatus(status).label) for status in DUE_STATUSES],
    (DUE_OPEN, _("Chưa hoàn thành, chưa đến hạn")),
]


class DirectiveTaskFilter(django_filters.FilterSet):
    agency = django_filters.CharFilter(label=_("Cơ quan chủ trì (mã)"), method="filter_agency")
    commune = django_filters.CharFilter(label=_("Xã, phường chủ trì (mã)"), method="filter_commune")
    province = django_filters.CharFilter(
        label=_("Tỉnh, thành phố (mã)"), field_name="directive__province__code", max_length=8, widget=forms.HiddenInput
    )
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
    # One EXISTS together (filter_queryset below); the dashboard's links set them, the page carries them hidden.
    due_from = CalendarDateFilter(label=_("Hạn từ ngày"), method="_window_day", widget=forms.HiddenInput)
    due_to = CalendarDateFilter(label=_("Hạn đến ngày"), method="_window_day", widget=forms.HiddenInput)
    due_status = django_filters.ChoiceFilter(
        label=_("Tình trạng của hạn"),
        choices=DUE_STATUS_CHOICES,
        method="_in_window",
        widget=forms.HiddenInput,
    )

    class Meta:
        model = DirectiveTask
        fields: list[str] = []

    def filter_agency(self, queryset: QuerySet[DirectiveTask], name: str, value: str) -> QuerySet[DirectiveTask]:
        return queryset.filter(code_or_id("lead_agency", value)) if value else queryset

    def filter_commune(self, queryset: QuerySet[DirectiveTask], name: str, value: str) -> QuerySet[DirectiveTask]:
        return queryset.filter(code_or_id("lead_commune", value)) if value else queryset

    def filter_status(self, queryset: QuerySet[DirectiveTask], name: str, value: str) -> QuerySet[DirectiveTask]:
        return queryset.filter(status=value) if value else queryset

    def filter_review(self, queryset: QuerySet[DirectiveTask], name: str, value: str) -> QuerySet[DirectiveTask]:
        return queryset.awaiting_review() if value == "pending" else queryset  # type: ignore[attr-defined]

    # The three are applied together, as one EXISTS, in filter_queryset (the annotations type the API's schema).
    def _window_day(
        self, queryset: QuerySet[DirectiveTask], name: str, value: datetime.date
    ) -> QuerySet[DirectiveTask]:
        return queryset

    def _in_window(self, queryset: QuerySet[DirectiveTask], name: str, value: str) -> QuerySet[DirectiveTask]:
        return queryset

    def filter_queryset(self, queryset: QuerySet[DirectiveTask]) -> QuerySet[DirectiveTask]:
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        start, end, status = data.get("due_from"), data.get("due_to"), data.get("due_status") or ""
        if start is None and end is None and not status:
            return queryset
        return queryset.filter(occurrence_in_window(start, end, status, timezone.localdate()))

    def filter_mine(self, queryset: QuerySet[DirectiveTask], name: str, value: Any) -> QuerySet[DirectiveTask]:
        if not value or self.request is None:
            return queryset
        leads = lead_filter(self.request.user)
        return queryset.filter(leads) if leads is not None else queryset.none()
