"""The Django admin for reporting: admins edit the indicators, the age bands, the report calendar and each
unit's issuing body; report runs are browse-only (they change through the archive's services, and a locked one
never changes)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from reporting.models import AgeBand, FrozenFigures, Indicator, ReportIssuer, ReportRun, ReportSchedule


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "measure", "group", "active", "position"]
    list_editable = ["active", "position"]
    list_filter = ["active", "measure"]
    search_fields = ["code", "name"]


@admin.register(AgeBand)
class AgeBandAdmin(admin.ModelAdmin):
    list_display = ["__str__", "min_age", "max_age", "position"]
    list_editable = ["min_age", "max_age", "position"]


@admin.register(ReportSchedule)
class ReportScheduleAdmin(admin.ModelAdmin):
    list_display = [
        "kind",
        "start_day",
        "start_month",
        "end_day",
        "end_month",
        "cutoff_day",
        "cutoff_month",
        "due_day",
        "due_month",
        "auto_generate",
        "late_entries",
    ]


@admin.register(ReportIssuer)
class ReportIssuerAdmin(admin.ModelAdmin):
    list_display = ["unit", "issuer_name", "document_symbol", "signer_authority", "signer_title", "signer_name"]
    raw_id_fields = ["unit"]
    fieldsets = [
        (None, {"fields": ["unit", "parent_body", "issuer_name", "issuer_abbreviation", "document_symbol"]}),
        (_("Người ký (NĐ 30/2020)"), {"fields": ["signer_authority", "signer_title", "signer_name"]}),
        (_("Nơi nhận"), {"fields": ["recipients", "drafting_unit"]}),
    ]
    search_fields = ["issuer_name", "unit__name", "unit__code"]


@admin.register(ReportRun)
class ReportRunAdmin(admin.ModelAdmin):
    """Browse only: runs are made, reviewed and locked through the archive, never edited here."""

    list_display = ["id", "kind", "year", "unit", "version", "status", "requested_at", "locked_at"]
    list_filter = ["status", "kind", "year"]
    search_fields = ["unit__code"]
    list_select_related = ["unit"]
    actions = None
    fields = [
        "kind", "year", "unit", "version", "period_start", "period_end", "data_cutoff", "due_date", "status",
        "generated_by", "requested_at", "finished_at", "figures_as_of", "frozen_at", "reviewed_by", "reviewed_at",
        "locked_by", "locked_at", "error",
    ]  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(FrozenFigures)
class FrozenFiguresAdmin(admin.ModelAdmin):
    """Browse only: each period's figures as frozen at its data cut-off (reporting/snapshots.py)."""

    list_display = ["id", "kind", "year", "unit", "data_cutoff", "frozen_at", "changes_after_cutoff"]
    list_filter = ["kind", "year"]
    search_fields = ["unit__code"]
    list_select_related = ["unit"]
    actions = None
    fields = [
        "kind", "year", "unit", "period_start", "period_end", "data_cutoff", "late_since", "frozen_at",
        "changes_after_cutoff",
    ]  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
