"""The Django admin for cases: the working-day calendar (admins add each year's holidays and make-up days), and a
read-only list of cases for support (numbers, status, commune: never the child's name in lists)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from cases.models import CalendarDay, Case


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    search_fields = ["name"]
    date_hierarchy = "date"


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Browse only: cases change through the procedure's services (timeline, audit, deadlines), never here."""

    list_display = ["case_number", "status", "commune", "received_at", "next_deadline_at"]
    list_filter = ["status", "kind"]
    search_fields = ["case_number"]
    list_select_related = ["commune"]
    date_hierarchy = "received_at"
    actions = None
    fields = [
        "case_number",
        "kind",
        "status",
        "status_changed_at",
        "received_at",
        "commune",
        "province",
        "next_deadline_at",
        "next_deadline_step",
        "version",
        "closed_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
