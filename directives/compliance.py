"""Compliance per lead (agency or commune): on time, late, overdue, upcoming — one SQL aggregate.

`agency_compliance(user, start, end)` is what dashboards and reports call: over the occurrences due from
`start` to `end` (both included) of the tasks the user may see, one row per lead with
- `on_time`  — completed on or before the due date,
- `late`     — completed after it,
- `overdue`  — not completed and the due date has passed (before `today`),
- `upcoming` — not completed, due from today to `today + upcoming_days`,
- `open`     — not completed and not yet due,
- `tasks`    — distinct tasks, and `next_due` — the next open due date;
and `on_time_rate` = on_time / (on_time + late + overdue), None while nothing has fallen due.
With `per_task=True` a row also carries `per_task` (TaskCounts): how many distinct tasks have such a due date — a
monthly task with three overdue months is one overdue task, as the task list the board links to shows it once.
Continuous and undated tasks have no due date and are not counted here (their status is on the task list).
Due dates a follow-up document took back (a cancelled or handed-over task, a re-dated one's dropped dates: their
`cancelled_on` is set) are not counted either: a cancelled task is not overdue. A handed-over task's open due
dates count for the lead that took it; a re-dated one counts with its new date.
The whole computation is one GROUP BY over TaskOccurrence joined to its task and the lead's name.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Min, Q, QuerySet
from django.utils import timezone

from directives.models import DirectiveTask, TaskOccurrence

UPCOMING_DAYS = 30
FIGURES = ("tasks", "on_time", "late", "overdue", "upcoming", "open", "next_due")
PER_TASK = ("on_time", "late", "overdue", "upcoming")


@dataclass
class TaskCounts:
    """Distinct tasks behind a row's figures (the board shows these: each is the length of the list it opens)."""

    tasks: int
    on_time: int
    late: int
    overdue: int
    upcoming: int

    @classmethod
    def summed(cls, counts: list[TaskCounts]) -> TaskCounts:
        """Rows of different leads (or provinces) share no task: a task has one lead, its directive one province."""
        return cls(*(sum(getattr(c, key) for c in counts) for key in ("tasks", *PER_TASK)))


@dataclass
class LeadCompliance:
    kind: str  # "agency" | "commune" (a lead); "province" (compliance_by_province)
    id: int
    code: str
    name: str
    tasks: int
    on_time: int
    late: int
    overdue: int
    upcoming: int
    open: int
    next_due: datetime.date | None
    per_task: TaskCounts | None = None

    @property
    def due(self) -> int:
        return self.on_time + self.late + self.overdue

    @property
    def on_time_rate(self) -> float | None:
        return round(100 * self.on_time / self.due, 1) if self.due else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "code": self.code,
            "name": self.name,
            "tasks": self.tasks,
            "on_time": self.on_time,
            "late": self.late,
            "overdue": self.overdue,
            "upcoming": self.upcoming,
            "open": self.open,
            "next_due": self.next_due,
            "on_time_rate": self.on_time_rate,
        }


def _due_in(tasks: QuerySet[DirectiveTask], start: datetime.date, end: datetime.date) -> QuerySet[TaskOccurrence]:
    return TaskOccurrence.objects.filter(
        task__in=tasks.values("pk"), due_on__gte=start, due_on__lte=end, cancelled_on__isnull=True
    )


def _conditions(today: datetime.date, upcoming_days: int) -> dict[str, Q]:
    """Which due dates each figure counts: the rules of the module docstring."""
    soon = today + datetime.timedelta(days=upcoming_days)
    done = Q(completed_on__isnull=False)
    return {
        "on_time": done & Q(completed_on__lte=F("due_on")),
        "late": done & Q(completed_on__gt=F("due_on")),
        "overdue": ~done & Q(due_on__lt=today),
        "upcoming": ~done & Q(due_on__gte=today, due_on__lte=soon),
        "open": ~done & Q(due_on__gte=today),
    }


def _counts(today: datetime.date, upcoming_days: int, *, per_task: bool) -> dict[str, Any]:
    """The figures of one row, whatever the rows are (leads or provinces)."""
    conditions = _conditions(today, upcoming_days)
    counts: dict[str, Any] = {
        "tasks": Count("task", distinct=True),
        **{key: Count("pk", filter=condition) for key, condition in conditions.items()},
        "next_due": Min("due_on", filter=conditions["open"]),
    }
    if per_task:
        counts.update({f"tasks_{key}": Count("task", distinct=True, filter=conditions[key]) for key in PER_TASK})
    return counts


def _figures(row: dict[str, Any], *, per_task: bool) -> dict[str, Any]:
    figures = {key: row[key] for key in FIGURES}
    if per_task:
        figures["per_task"] = TaskCounts(row["tasks"], *(row[f"tasks_{key}"] for key in PER_TASK))
    return figures


def compliance_by_province(
    tasks: QuerySet[DirectiveTask],
    start: datetime.date,
    end: datetime.date,
    *,
    today: datetime.date | None = None,
    upcoming_days: int = UPCOMING_DAYS,
    per_task: bool = False,
) -> list[LeadCompliance]:
    """The same figures per province that tracks the directives (kind "province"), in one GROUP BY: how each
    province's directives are carried out, for those who follow every province (admins, the national role)."""
    today = today or timezone.localdate()
    rows = (
        _due_in(tasks, start, end)
        .values("task__directive__province_id", "task__directive__province__code", "task__directive__province__name")
        .annotate(**_counts(today, upcoming_days, per_task=per_task))
        .order_by("-overdue", "task__directive__province__name")
    )
    return [
        LeadCompliance(
            kind="province",
            id=row["task__directive__province_id"],
            code=row["task__directive__province__code"],
            name=row["task__directive__province__name"],
            **_figures(row, per_task=per_task),
        )
        for row in rows
    ]


def compliance_by_lead(
    tasks: QuerySet[DirectiveTask],
    start: datetime.date,
    end: datetime.date,
    *,
    today: datetime.date | None = None,
    upcoming_days: int = UPCOMING_DAYS,
    per_task: bool = False,
) -> list[LeadCompliance]:
    """Per-lead figures over the occurrences of `tasks` due in [start, end]; most overdue first."""
    today = today or timezone.localdate()
    rows = (
        _due_in(tasks, start, end)
        .values(
            "task__lead_agency_id",
            "task__lead_agency__code",
            "task__lead_agency__name",
            "task__lead_commune_id",
            "task__lead_commune__code",
            "task__lead_commune__full_name",
        )
        .annotate(**_counts(today, upcoming_days, per_task=per_task))
        .order_by("-overdue", "task__lead_agency__name", "task__lead_commune__full_name")
    )
    out: list[LeadCompliance] = []
    for row in rows:
        is_agency = row["task__lead_agency_id"] is not None
        prefix = "task__lead_agency__" if is_agency else "task__lead_commune__"
        out.append(
            LeadCompliance(
                kind="agency" if is_agency else "commune",
                id=row["task__lead_agency_id"] if is_agency else row["task__lead_commune_id"],
                code=row[prefix + "code"],
                name=row[prefix + ("name" if is_agency else "full_name")],
                **_figures(row, per_task=per_task),
            )
        )
    return out


def agency_compliance(
    user: Any, start: datetime.date, end: datetime.date, *, today: datetime.date | None = None
) -> list[LeadCompliance]:
    """The dashboard's figures: compliance per lead over a period, for the directives the user may see."""
    return compliance_by_lead(DirectiveTask.objects.visible_to(user), start, end, today=today)


def totals(rows: list[LeadCompliance]) -> dict[str, Any]:
    on_time = sum(r.on_time for r in rows)
    late = sum(r.late for r in rows)
    overdue = sum(r.overdue for r in rows)
    due = on_time + late + overdue
    return {
        "tasks": sum(r.tasks for r in rows),
        "on_time": on_time,
        "late": late,
        "overdue": overdue,
        "upcoming": sum(r.upcoming for r in rows),
        "open": sum(r.open for r in rows),
        "on_time_rate": round(100 * on_time / due, 1) if due else None,
    }


def upcoming_occurrences(
    tasks: QuerySet[DirectiveTask], *, today: datetime.date | None = None, days: int = UPCOMING_DAYS, limit: int = 20
) -> list[TaskOccurrence]:
    """The next open due dates (from today), with task, directive and lead, in one query."""
    today = today or timezone.localdate()
    return list(
        TaskOccurrence.objects.filter(
            task__in=tasks.values("pk"),
            completed_on__isnull=True,
            cancelled_on__isnull=True,
            due_on__gte=today,
            due_on__lte=today + datetime.timedelta(days=days),
        )
        .select_related("task", "task__directive", "task__lead_agency", "task__lead_commune")
        .order_by("due_on", "task__directive_id", "task__position", "pk")[:limit]
    )
