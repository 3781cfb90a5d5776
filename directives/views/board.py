"""The compliance board: per lead (agency or commune) on-time rate, overdue count and upcoming deadlines over a
year, with drill-down to the lead's tasks (the task list filtered by lead and status).

Province officers see every lead of their province, admins and the national role all; a lead sees its own row.
All figures come from one aggregate query (compliance.py) over the tasks `visible_to(user)`. Admins and the
national role first see one row per province, each opening the board of that province (`?province=`).
"""

from __future__ import annotations

import datetime
from typing import Any
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
    compliance_by_lead,
    compliance_by_province,
    totals,
    upcoming_occurrences,
)
from directives.models import DirectiveTask, TaskReport


def _year(request: AuthenticatedHttpRequest, today: datetime.date) -> int:
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= today.year + 5:
        return int(raw)
    return today.year


def drill_url(row: Any, **extra: str) -> str:
    params = {"commune" if row.kind == "commune" else "agency": row.code, **extra}
    return f"{reverse('directives:tasks')}?{urlencode(params)}"


@login_required
@require_GET
def board(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    year = _year(request, today)
    tasks = DirectiveTask.objects.visible_to(user)
    provinces: list[AdministrativeUnit] = []
    province: AdministrativeUnit | None = None
    by_province: list[Any] = []
    if follows_every_province(user):
        provinces = list(AdministrativeUnit.objects.current().filter(kind=UnitKind.PROVINCE).order_by("name"))
        province = next((p for p in provinces if p.code == request.GET.get("province")), None)
        if province is not None:
            tasks = tasks.filter(unit_path__startswith=province.path)
        else:
            start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
            by_province = compliance_by_province(tasks, start, end, today=today)
            for row in by_province:
                row.url = f"{reverse('directives:board')}?{urlencode({'year': year, 'province': row.code})}"  # type: ignore[attr-defined]
    rows = compliance_by_lead(tasks, datetime.date(year, 1, 1), datetime.date(year, 12, 31), today=today)
    for row in rows:
        row.url = drill_url(row)  # type: ignore[attr-defined]
        row.overdue_url = drill_url(row, status="overdue")  # type: ignore[attr-defined]
    pending = TaskReport.objects.visible_to(user).pending().count() if not tasks.query.is_empty() else 0
    return render(
        request,
        "directives/board.html",
        {
            "rows": rows,
            "totals": totals(rows),
            "year": year,
            "years": list(range(today.year + 1, today.year - 4, -1)),
            "upcoming": upcoming_occurrences(tasks, today=today),
            "upcoming_days": UPCOMING_DAYS,
            "pending_reports": pending,
            "pending_url": f"{reverse('directives:tasks')}?review=pending",
            "today": today,
            "provinces": provinces,
            "province": province,
            "by_province": by_province,
        },
    )
