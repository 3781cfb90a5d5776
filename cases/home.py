"""The cases panel of the home page: open, overdue and due-soon cases of the user's visible set, in one query.

Registered by cases/apps.py (`register_home_panel(case_home_panel)`); each figure links to the filtered list.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.filters import due_soon_hours
from cases.models import Case


def case_counts(user: Any) -> dict[str, int] | None:
    """{"open", "overdue", "soon"} over the open cases the user sees; None if the user sees no case at all
    (then no query is made)."""
    visible = Case.objects.visible_to(user)
    if visible.query.is_empty():
        return None
    now = timezone.now()
    horizon = now + datetime.timedelta(hours=due_soon_hours())
    counts: dict[str, int] = visible.open().aggregate(
        open=Count("id"),
        overdue=Count("id", filter=Q(next_deadline_at__lt=now)),
        soon=Count("id", filter=Q(next_deadline_at__gte=now, next_deadline_at__lte=horizon)),
    )
    return counts


def case_home_panel(user: Any) -> dict[str, Any] | None:
    counts = case_counts(user)
    if counts is None:
        return None
    url = reverse("cases:list")
    return {
        "title": _("Hồ sơ vụ việc"),
        "text": _("Hồ sơ đang xử lý trong phạm vi bạn được xem."),
        "rows": [
            {"label": _("Đang xử lý"), "value": counts["open"], "url": f"{url}?open=true"},
            {"label": _("Quá hạn"), "value": counts["overdue"], "url": f"{url}?open=true&due=overdue"},
            {
                "label": _("Sắp đến hạn (%(hours)s giờ tới)") % {"hours": due_soon_hours()},
                "value": counts["soon"],
                "url": f"{url}?open=true&due=soon&ordering=next_deadline_at",
            },
        ],
    }
