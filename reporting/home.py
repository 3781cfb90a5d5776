"""The reporting parts of the home page. Registered by reporting/apps.py.

- The groups of the "Việc cần làm" panel (childprotect/home.py `register_todo`): a province officer's periodic
  reports generated and waiting for review. The group opens the archive filtered the same way, so its count is
  that list's length.
- The national role's panel: the whole country's headline figures of this year, the very cells of the country
  dashboard it opens (computed the same way, reporting/access.py `figures_viewer`), and its report archive.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from childprotect.home import TODO_ITEMS, TodoGroup, TodoItem
from childprotect.roles import Role
from reporting.access import figures_viewer, is_statistics_only
from reporting.figures.compute import compute_figures
from reporting.figures.types import Scope
from reporting.forms import default_period
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


def national_home_panel(user: Any) -> dict[str, Any] | None:
    """The national role: this year's figures of the whole country, each opening the country dashboard."""
    if not is_statistics_only(user):
        return None
    from reporting.views.dashboard import _headline  # the dashboard's own headline: the same four cells

    start, end = default_period()
    figures = compute_figures(figures_viewer(user, None), Scope(unit=None, start=start, end=end, as_of=timezone.now()))
    url = reverse("reporting:dashboard")
    runs = ReportRun.objects.visible_to(user)
    return {
        "title": _("Toàn quốc"),
        "text": _("Số liệu từ %(start)s đến %(end)s, tất cả các tỉnh, thành phố.")
        % {"start": start.strftime("%d/%m/%Y"), "end": end.strftime("%d/%m/%Y")},
        "rows": [{"label": item["label"], "value": item["cell"].value, "url": url} for item in _headline(figures)]
        + [
            {
                "label": _("Báo cáo định kỳ đã khóa"),
                "value": runs.filter(status=ReportStatus.LOCKED).count(),
                "url": f"{reverse('reporting:archive')}?status={ReportStatus.LOCKED}",
            }
        ],
        "links": [
            {"label": _("Thống kê"), "url": url},
            {"label": _("Báo cáo định kỳ"), "url": reverse("reporting:archive")},
        ],
    }
