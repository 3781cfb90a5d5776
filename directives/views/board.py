"""The compliance board: per lead (agency or commune) on-time rate, overdue count and upcoming deadlines over a
year, with drill-down to the lead's tasks (the task list filtered by lead and status).

Province officers see every lead of their province, admins all; a lead sees its own row. All figures come from
one aggregate query (compliance.py) over the tasks `visible_to(user)`.
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
from directives.compliance import UPCOMING_DAYS, compliance_by_lead, totals, upcoming_occurrences
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
        },
    )
