"""The task list's filters in words ("Đang lọc: Cơ quan chủ trì: Công an tỉnh Thái Nguyên · Tình trạng của hạn:
Quá hạn · Hạn trong năm 2026"), each removable (childprotect/filter_line.py). The board's figures open the list
with filters a lead's form does not show, so the line says them.

A lead, commune, province or directive is named only if it is on a task the user sees (`visible_to`, the list's
own rule): an unknown code and one out of the user's scope both read "không xác định", and nothing else. One query
per filter named so; choices and days need none.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from childprotect.filter_line import ActiveFilter, FilterLine, days_in_words
from directives.filters import DUE_STATUS_CHOICES, DirectiveTaskFilter
from directives.models import DirectiveTask, TaskStatus
from directives.querysets import code_or_id


def task_filter_line(filterset: DirectiveTaskFilter, user: Any, list_url: str, query: QueryDict) -> list[ActiveFilter]:
    """The filters in use, as the list applied them (none if the form refused them: the list is not narrowed)."""
    if not filterset.is_valid():
        return []
    data = filterset.form.cleaned_data
    visible = DirectiveTask.objects.visible_to(user)

    def named(match: Q, name: str) -> str:
        found = visible.filter(match).order_by().values_list(name, flat=True).first()
        return found or _("không xác định")

    line = FilterLine(list_url, query)
    if data.get("agency"):
        line.add(
            ["agency"], _("Cơ quan chủ trì"), named(code_or_id("lead_agency", data["agency"]), "lead_agency__name")
        )
    if data.get("commune"):
        line.add(
            ["commune"],
            _("Xã, phường chủ trì"),
            named(code_or_id("lead_commune", data["commune"]), "lead_commune__full_name"),
        )
    if data.get("province"):
        line.add(
            ["province"],
            pgettext("một điều kiện lọc", "Tỉnh, thành phố"),  # one province, not the menu's plural
            named(Q(directive__province__code=data["province"]), "directive__province__full_name"),
        )
    if data.get("directive") is not None:
        line.add(["directive"], _("Văn bản"), _directive(visible, int(data["directive"])))
    if data.get("status"):
        line.add(["status"], _("Tình trạng"), str(TaskStatus(data["status"]).label))
    if data.get("due_status"):
        line.add(["due_status"], _("Tình trạng của hạn"), str(dict(DUE_STATUS_CHOICES)[data["due_status"]]))
    period = _period(data.get("due_from"), data.get("due_to"))
    if period:
        line.add(["due_from", "due_to"], "", period)
    if data.get("review") == "pending":
        line.add(["review"], _("Báo cáo"), _("Có báo cáo chờ xem xét"))
    if "mine" in query and data.get("mine"):
        line.add(["mine"], "", _("Chỉ nhiệm vụ đơn vị chủ trì"))
    return line.filters


def _directive(visible: Any, directive_id: int) -> str:
    task = visible.filter(directive_id=directive_id).select_related("directive").order_by().first()
    return task.directive.reference if task is not None else _("không xác định")


def _period(start: datetime.date | None, end: datetime.date | None) -> str:
    """The due-date window in words; a whole calendar year (the board's links) as the year."""
    if start is not None and end is not None:
        if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
            return _("Hạn trong năm %(year)s") % {"year": start.year}
    return days_in_words(
        start,
        end,
        between=_("Hạn từ %(start)s đến %(end)s"),
        since=_("Hạn từ %(start)s"),
        until=_("Hạn đến %(end)s"),
    )
