"""The dashboard page: one unit, one period, every figure as a chart beside its table, each number a link to
the cases it counts. Figures come from reporting/figures (SQL aggregates over `Case.objects.visible_to`). The
national role's come from the unit's own officers' view and link only to other units' dashboards (the drill-down
country → province → commune; reporting/access.py `figures_viewer`, `statistics_only`)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from childprotect.access import not_found
from childprotect.db_router import reads_from_replica
from childprotect.http import AuthenticatedHttpRequest
from childprotect.models import AdministrativeUnit
from childprotect.models.units import UnitKind
from childprotect.text.vietnamese import in_vietnamese_order
from reporting.access import (
    access_dashboard_unit,
    can_use_reporting,
    figures_viewer,
    is_statistics_only,
    sees_whole_country,
    statistics_only,
)
from reporting.charts import chart_for
from reporting.figures.compute import compute_figures
from reporting.figures.types import Figures, Scope
from reporting.forms import DashboardForm, default_period

WIDE_TABLES = frozenset({"cases_by_month", "cases_by_area", "referrals_by_agency", "directive_tasks_by_lead"})


def unit_choices(user: Any, selected: AdministrativeUnit | None) -> list[dict[str, Any]]:
    """The unit picker, limited to the user's jurisdiction: groups of (code, label, selected)."""
    current = AdministrativeUnit.objects.current()
    groups: list[dict[str, Any]] = []
    province: AdministrativeUnit | None = None
    if sees_whole_country(user):
        provinces = in_vietnamese_order(current.filter(kind=UnitKind.PROVINCE))
        groups.append(
            {
                "label": _("Tỉnh, thành phố"),
                "options": [("", _("Toàn quốc"))] + [(u.code, u.full_name) for u in provinces],
            }
        )
        if selected is not None:
            province = selected if selected.kind == UnitKind.PROVINCE else selected.parent
    elif user.unit is not None and user.unit.kind == UnitKind.PROVINCE:
        province = user.unit
        groups.append({"label": _("Tỉnh, thành phố"), "options": [(province.code, province.full_name)]})
    elif user.unit is not None:
        groups.append({"label": _("Xã, phường"), "options": [(user.unit.code, user.unit.full_name)]})
    if province is not None:
        communes = in_vietnamese_order(current.filter(kind=UnitKind.COMMUNE, path__startswith=province.path))
        groups.append(
            {
                "label": _("Xã, phường, đặc khu của %(province)s") % {"province": province.full_name},
                "options": [(u.code, u.full_name) for u in communes],
            }
        )
    chosen = selected.code if selected is not None else ""
    for group in groups:
        group["options"] = [(code, label, code == chosen) for code, label in group["options"]]
    return groups


def _headline(figures: Figures) -> list[dict[str, Any]]:
    def cell(table: str, row: str) -> Any:
        found = figures.table(table)
        return next(r.cells[0] for r in found.rows if r.key == row)

    return [
        {"label": _("Vụ việc tiếp nhận"), "cell": cell("cases_by_kind", "total")},
        {"label": _("Trẻ em"), "cell": cell("children_by_sex", "total")},
        {"label": _("Đang xử lý"), "cell": cell("cases_by_status", "open")},
        {"label": _("Có bước quá hạn"), "cell": cell("overdue_steps", "total"), "warn": True},
    ]


def _trail(user: Any, unit: AdministrativeUnit | None, period: dict[str, str]) -> list[dict[str, str]]:
    """The way back up from a commune or a province to the whole country, for those who drill down through it
    (admins and the national role): [{"label", "url"}], the last one the page itself (no url)."""
    if not sees_whole_country(user) or unit is None:
        return []
    base = reverse("reporting:dashboard")
    steps = [{"label": _("Toàn quốc"), "url": f"{base}?{urlencode(period)}" if period else base}]
    if unit.kind == UnitKind.COMMUNE and unit.parent is not None:
        up = urlencode({**period, "unit": unit.parent.code})
        steps.append({"label": unit.parent.full_name, "url": f"{base}?{up}"})
    steps.append({"label": unit.full_name, "url": ""})
    return steps


@login_required
@require_GET
@reads_from_replica
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not can_use_reporting(user):
        raise not_found()
    query = request.GET.copy()
    start_default, end_default = default_period()
    query.setdefault("from", start_default.isoformat())
    query.setdefault("to", end_default.isoformat())
    form = DashboardForm(query)
    if not form.is_valid():
        unit = access_dashboard_unit(user, None)
        invalid = {"form": form, "figures": None, "units": unit_choices(user, unit), "unit": unit}
        return render(request, "reporting/dashboard.html", invalid, status=400)
    data = form.cleaned_data
    start, end = data["from"], data["to"]
    unit = access_dashboard_unit(user, data.get("unit"))
    scope = Scope(unit=unit, start=start, end=end, as_of=timezone.now(), kind=data.get("kind") or "")
    figures = compute_figures(figures_viewer(user, unit), scope, summaries=True)
    period = {key: request.GET[key] for key in ("from", "to", "kind") if request.GET.get(key)}
    figures = statistics_only(user, figures, query=period)
    sections = [
        {
            "section": section,
            "tables": [
                {"table": table, "chart": chart_for(table), "wide": table.key in WIDE_TABLES}
                for table in section.tables
            ],
        }
        for section in figures.sections
    ]
    context: dict[str, Any] = {
        "form": form,
        "figures": figures,
        "sections": sections,
        "headline": _headline(figures),
        "units": unit_choices(user, unit),
        "unit": unit,
        "start": start,
        "end": end,
        "kind": scope.kind,
        "statistics_only": is_statistics_only(user),
        "trail": _trail(user, unit, period),
    }
    return render(request, "reporting/dashboard.html", context)
