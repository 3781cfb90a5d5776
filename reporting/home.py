"""The reporting groups of the "Việc cần làm" panel (childprotect/home.py `register_todo`): a province officer's
periodic reports generated and waiting for review. The group opens the archive filtered the same way, so its
count is that list's length. Registered by reporting/apps.py."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from childprotect.home import TODO_ITEMS, TodoGroup, TodoItem
from childprotect.roles import Role
from reporting.models import ReportRun, ReportStatus


def report_todo(user: Any) -> list[TodoGroup]:
    if user.role != Role.PROVINCE_OFFICER:
        return []
    runs = (
        ReportRun.objects.visible_to(user)
        .filter(status=ReportStatus.READY)
        .select_related("unit")
        .order_by("-requested_at", "-id")
    )
    count = runs.count()
    items = [
        TodoItem(
            label=f"{run.get_kind_display()} {run.year}",
            detail=run.unit.full_name,
            url=reverse("reporting:run", args=[run.pk]),
        )
        for run in (runs[:TODO_ITEMS] if count else [])
    ]
    url = f"{reverse('reporting:archive')}?status={ReportStatus.READY}"
    return [TodoGroup(key="reports", label=_("Báo cáo định kỳ chờ rà soát"), count=count, url=url, items=items)]
