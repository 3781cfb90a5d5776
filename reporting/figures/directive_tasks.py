"""Directive tasks per lead (issue 6): for each lead agency or commune, the due dates of the period met on time,
met late, and passed without completion — the figures of `directives.compliance` (one GROUP BY over the task
occurrences due in the scope's days), judged on the scope's `as_of` day.

Which tasks: `DirectiveTask.objects.visible_to(viewer)` narrowed to the scope's unit — a province: the tasks of its
directives; a commune: the tasks the commune leads; the whole country (admins): every task. A case kind chosen on
the dashboard does not narrow them (tasks are not about one kind of case).

Queries: 1. the per-lead aggregate (compliance_by_lead). The total row sums the leads' rows. Counts link to the
task list (directives/filters.py: the lead, and `due_from`/`due_to`/`due_status`) showing the tasks that have
those due dates.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from childprotect.models.units import UnitKind
from directives.compliance import LeadCompliance, compliance_by_lead, totals
from directives.models import DirectiveTask, TaskStatus
from reporting.figures.registry import FigureContext
from reporting.figures.types import Cell, Column, Row, Section, Table

ORDER = 80


def provide(ctx: FigureContext) -> list[Section]:
    scope = ctx.scope
    tasks = DirectiveTask.objects.visible_to(ctx.viewer)
    unit = scope.unit
    if unit is not None and unit.kind == UnitKind.COMMUNE:
        tasks = tasks.filter(lead_commune_id=unit.pk)
    elif unit is not None:
        tasks = tasks.filter(unit_path__startswith=unit.path)
    today = timezone.localtime(scope.as_of).date()
    leads = compliance_by_lead(tasks, scope.start, scope.end, today=today)
    window = {"due_from": scope.start.isoformat(), "due_to": scope.end.isoformat()}
    list_url = reverse("directives:tasks")

    def link(lead: dict[str, str], status: str) -> str:
        return f"{list_url}?{urlencode({**lead, **window, 'due_status': status})}"

    def row(key: str, label: str, figures: dict[str, Any], lead: dict[str, str], *, is_total: bool = False) -> Row:
        return Row(
            key,
            label,
            [
                Cell(figures["on_time"], link(lead, TaskStatus.DONE_ON_TIME)),
                Cell(figures["late"], link(lead, TaskStatus.DONE_LATE)),
                Cell(figures["overdue"], link(lead, TaskStatus.OVERDUE)),
                Cell(figures["on_time_rate"]),
            ],
            total=is_total,
        )

    rows = [row(lead.code, lead.name, lead.as_dict(), _lead_filter(lead)) for lead in leads]
    summed = totals(leads)
    rows.append(row("total", _("Tổng cộng"), summed, {}, is_total=True))
    table = Table(
        "directive_tasks_by_lead",
        _("Nhiệm vụ theo văn bản chỉ đạo, theo đơn vị chủ trì"),
        [
            Column("on_time", _("Đúng hạn")),
            Column("late", _("Trễ hạn")),
            Column("overdue", _("Quá hạn")),
            Column("on_time_rate", _("Tỷ lệ đúng hạn (%)")),
        ],
        rows,
        chart="stacked" if leads else "",
        stacked_columns=[0, 1, 2],
        note=_(
            "Đếm theo hạn: mỗi kỳ của nhiệm vụ định kỳ là một hạn; liên kết mở danh sách các nhiệm vụ có hạn đó. "
            "Đúng hạn, trễ hạn: hoàn thành đến hết ngày hạn, sau ngày hạn; quá hạn: đã qua ngày hạn mà chưa hoàn "
            "thành. Tỷ lệ đúng hạn tính trên các hạn đã đến."
        ),
    )
    ctx.totals.update({"directive_deadlines_overdue": summed["overdue"]})
    note = _("Các hạn thực hiện nhiệm vụ trong khoảng thời gian này; tình trạng tính đến ngày %(day)s.") % {
        "day": today.strftime("%d/%m/%Y")
    }
    if not leads:
        note += " " + _("Không có nhiệm vụ nào có hạn trong khoảng thời gian này.")
    return [Section("directive_tasks", _("Thực hiện văn bản chỉ đạo"), ORDER, [table], note=note)]


def _lead_filter(lead: LeadCompliance) -> dict[str, str]:
    return {"commune" if lead.kind == "commune" else "agency": lead.code}
