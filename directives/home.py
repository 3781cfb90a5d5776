"""The directives' parts of the home page. Registered by directives/apps.py.

- The leads' panel (agency focal points, commune officers and chairs): how many of the tasks they lead are
  overdue, in progress and not started, each figure counted by the rule of status.py on tasks (not on their
  due dates), so it equals the length of the task list it opens (`?status=`); one aggregate query, none for
  users who lead no task.
- The national role's panel: how the provinces carry out their directives (every province's tasks by the same
  status rule), each figure opening the task list `?status=`; one aggregate query.
- The province officer's "Việc cần làm" group (childprotect/home.py `register_todo`): tasks whose report waits
  for their review, opening the task list filtered `?review=pending`.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from childprotect.access import is_active_user
from childprotect.home import TODO_ITEMS, TodoGroup, TodoItem
from childprotect.roles import NATIONAL_ROLES, Role
from directives.models import DirectiveTask, TaskStatus
from directives.querysets import lead_filter

SHOWN = (TaskStatus.OVERDUE, TaskStatus.IN_PROGRESS, TaskStatus.NOT_STARTED)


def lead_counts(user: Any, today: datetime.date | None = None) -> dict[str, int] | None:
    """{status: number of tasks} for the tasks the user leads (overdue, in progress, not started); None if they
    lead none."""
    if not is_active_user(user) or lead_filter(user) is None:
        return None
    today = today or timezone.localdate()
    counts: dict[str, int] = (
        DirectiveTask.objects.assigned_to(user)
        .with_status(today)
        .aggregate(**{status.value: Count("pk", filter=Q(status=status)) for status in SHOWN})
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
            {"label": status.label, "value": counts[status.value], "url": f"{url}?status={status.value}"}
            for status in SHOWN
        ],
    }


def national_directive_panel(user: Any) -> dict[str, Any] | None:
    """The national role: every province's directive tasks by status, read only."""
    if not is_active_user(user) or user.role not in NATIONAL_ROLES:
        return None
    today = timezone.localdate()
    counts = (
        DirectiveTask.objects.visible_to(user)
        .with_status(today)
        .aggregate(**{status.value: Count("pk", filter=Q(status=status)) for status in SHOWN})
    )
    url = reverse("directives:tasks")
    return {
        "title": _("Thực hiện văn bản chỉ đạo"),
        "text": _("Nhiệm vụ của các tỉnh, thành phố theo văn bản chỉ đạo."),
        "rows": [
            {"label": status.label, "value": counts[status.value], "url": f"{url}?status={status.value}"}
            for status in SHOWN
        ],
        "links": [
            {"label": _("Theo dõi thực hiện"), "url": reverse("directives:board")},
            {"label": _("Văn bản chỉ đạo"), "url": reverse("directives:list")},
        ],
    }


def directive_todo(user: Any) -> list[TodoGroup]:
    """A province officer: the tasks with a report waiting for their review, oldest directive first."""
    if user.role != Role.PROVINCE_OFFICER:
        return []
    tasks = (
        DirectiveTask.objects.visible_to(user)
        .awaiting_review()
        .select_related("directive")
        .order_by("-directive__created_at", "directive_id", "position", "id")
    )
    count = tasks.count()
    items = [
        TodoItem(
            label=task.directive.reference,
            detail=_("mục %(item)s") % {"item": task.item_label} if task.item_label else "",
            url=reverse("directives:task", args=[task.pk]),
        )
        for task in (tasks[:TODO_ITEMS] if count else [])
    ]
    url = f"{reverse('directives:tasks')}?review=pending"
    label = _("Báo cáo nhiệm vụ chờ xem xét")
    return [TodoGroup(key="task-reports", label=label, count=count, url=url, items=items)]
