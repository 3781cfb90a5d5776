"""The home-page panel of the leads (agency focal points, commune officers and chairs): their tasks' due
dates that are overdue, due soon and still open, in one aggregate query; no panel (and no query) for users who
lead no task. Registered by directives/apps.py."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from childprotect.access import is_active_user
from directives.models import DirectiveTask, TaskOccurrence
from directives.querysets import lead_filter

SOON_DAYS = 7


def lead_counts(user: Any, today: datetime.date | None = None) -> dict[str, int] | None:
    """{"open", "overdue", "soon"} over the due dates of the tasks the user leads; None if they lead none."""
    if not is_active_user(user) or lead_filter(user) is None:
        return None
    today = today or timezone.localdate()
    open_ = Q(completed_on__isnull=True, cancelled_on__isnull=True)
    counts: dict[str, int] = TaskOccurrence.objects.filter(
        task__in=DirectiveTask.objects.assigned_to(user).values("pk")
    ).aggregate(
        open=Count("pk", filter=open_),
        overdue=Count("pk", filter=open_ & Q(due_on__lt=today)),
        soon=Count("pk", filter=open_ & Q(due_on__gte=today, due_on__lte=today + datetime.timedelta(days=SOON_DAYS))),
    )
    return counts


def directive_home_panel(user: Any) -> dict[str, Any] | None:
    counts = lead_counts(user)
    if counts is None:
        return None
    url = reverse("directives:my-tasks")
    return {
        "title": _("Nhiệm vụ được giao"),
        "text": _("Nhiệm vụ theo văn bản chỉ đạo mà đơn vị bạn chủ trì."),
        "rows": [
            {"label": _("Quá hạn"), "value": counts["overdue"], "url": f"{url}?status=overdue"},
            {"label": _("Đến hạn trong %(days)s ngày tới") % {"days": SOON_DAYS}, "value": counts["soon"], "url": url},
            {"label": _("Chưa hoàn thành"), "value": counts["open"], "url": url},
        ],
    }
