"""The compliance board: per lead (agency or commune) on-time rate, overdue count and upcoming deadlines over a
year, each figure a link to the tasks it counts (the task list filtered by lead and due-date window, filters.py).

Province officers see every lead of their province, admins and the national role all; a lead sees its own row.
All figures come from one aggregate query (compliance.py) over the tasks `visible_to(user)`. Admins and the
national role first see one row per province, each opening the board of that province (`?province=`).

The figures count tasks, not due dates (compliance.py, `per_task`): a monthly task three months overdue is one
overdue task, because the list it opens shows it once. The on-time rate alone is over due dates.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from childprotect.http import AuthenticatedHttpRequest
from childprotect.models import AdministrativeUnit
from childprotect.models.units import UnitKind
from directives.access import follows_every_province
from directives.compliance import (
    UPCOMING_DAYS,
    LeadCompliance,
    TaskCounts,
    compliance_by_lead,
    compliance_by_province,
    totals,
    upcoming_occurrences,
)
from directives.models import DirectiveTask, TaskStatus
from directives.querysets import DUE_OPEN


@dataclass
class Figure:
    n: int
    url: str  # the task list of exactly these tasks; "" when there is none to open


@dataclass
class BoardRow:
    """One row of a board table (templates/directives/partials/board_table.html)."""

    lead: LeadCompliance  # name, on-time rate, next due date
    url: str  # the name's link: the lead's tasks, or the board of the province
    figures: dict[str, Figure]  # tasks, on_time, late, overdue, upcoming


@dataclass
class Window:
    """The year the board shows and the day its figures are judged on."""

    start: datetime.date
    end: datetime.date
    today: datetime.date

    def figures(self, counts: TaskCounts, narrowing: dict[str, str]) -> dict[str, Figure]:
        """Each count with the task list that shows exactly those tasks: the lead or province (`narrowing`),
        the due dates of the year, and the state of one of them (the rules of compliance.py)."""
        year = {"due_from": self.start.isoformat(), "due_to": self.end.isoformat()}
        states = {
            "on_time": TaskStatus.DONE_ON_TIME,
            "late": TaskStatus.DONE_LATE,
            "overdue": TaskStatus.OVERDUE,
        }
        figures = {"tasks": self._figure(counts.tasks, {**narrowing, **year})}
        for key, state in states.items():
            figures[key] = self._figure(getattr(counts, key), {**narrowing, **year, "due_status": state})
        # Upcoming: open due dates from today to 30 days on, within the year (none in a past year).
        soon_from = max(self.start, self.today)
        soon_to = min(self.end, self.today + datetime.timedelta(days=UPCOMING_DAYS))
        soon = {"due_from": soon_from.isoformat(), "due_to": soon_to.isoformat(), "due_status": DUE_OPEN}
        figures["upcoming"] = self._figure(counts.upcoming, {**narrowing, **soon} if soon_from <= soon_to else None)
        return figures

    @staticmethod
    def _figure(n: int, params: dict[str, str] | None) -> Figure:
        # Zero opens nothing: shown as plain text, as before.
        return Figure(n, _task_list(params) if n and params is not None else "")


def _year(request: AuthenticatedHttpRequest, today: datetime.date) -> int:
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= today.year + 5:
        return int(raw)
    return today.year


def _lead(row: LeadCompliance, province: AdministrativeUnit | None) -> dict[str, str]:
    """The task list's narrowing to one lead, and to the province the board shows, if one is chosen."""
    lead = {"commune" if row.kind == "commune" else "agency": row.code}
    return {**lead, "province": province.code} if province is not None else lead


def _task_list(params: dict[str, str]) -> str:
    return f"{reverse('directives:tasks')}?{urlencode(params)}"


def _rows(
    leads: list[LeadCompliance],
    window: Window,
    url: Callable[[LeadCompliance], str],
    narrowing: Callable[[LeadCompliance], dict[str, str]],
) -> list[BoardRow]:
    return [
        BoardRow(lead, url(lead), window.figures(lead.per_task or TaskCounts(0, 0, 0, 0, 0), narrowing(lead)))
        for lead in leads
    ]


@login_required
@require_GET
def board(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    year = _year(request, today)
    window = Window(datetime.date(year, 1, 1), datetime.date(year, 12, 31), today)
    tasks = DirectiveTask.objects.visible_to(user)
    provinces: list[AdministrativeUnit] = []
    province: AdministrativeUnit | None = None
    by_province: list[BoardRow] = []
    if follows_every_province(user):
        provinces = list(AdministrativeUnit.objects.current().filter(kind=UnitKind.PROVINCE).order_by("name"))
        province = next((p for p in provinces if p.code == request.GET.get("province")), None)
        if province is not None:
            tasks = tasks.filter(unit_path__startswith=province.path)
        else:
            by_province = _rows(
                compliance_by_province(tasks, window.start, window.end, today=today, per_task=True),
                window,
                lambda row: f"{reverse('directives:board')}?{urlencode({'year': year, 'province': row.code})}",
                lambda row: {"province": row.code},
            )
    leads = compliance_by_lead(tasks, window.start, window.end, today=today, per_task=True)
    rows = _rows(leads, window, lambda row: _task_list(_lead(row, province)), lambda row: _lead(row, province))
    scope = {"province": province.code} if province is not None else {}
    summed = window.figures(TaskCounts.summed([lead.per_task for lead in leads if lead.per_task]), scope)
    # Tasks (not reports) awaiting review, as the list it opens counts them, in the province chosen.
    pending = tasks.awaiting_review().count() if not tasks.query.is_empty() else 0
    return render(
        request,
        "directives/board.html",
        {
            "rows": rows,
            "totals": totals(leads),
            "summed": summed,
            "year": year,
            "years": list(range(today.year + 1, today.year - 4, -1)),
            "upcoming": upcoming_occurrences(tasks, today=today),
            "upcoming_days": UPCOMING_DAYS,
            "pending_reports": pending,
            "pending_url": _task_list({"review": "pending", **scope}),
            "today": today,
            "provinces": provinces,
            "province": province,
            "by_province": by_province,
        },
    )
