"""Who sees which directive, task, occurrence and report: one rule, used by every page, endpoint and report.

- Admins see everything; a user with no jurisdiction (or an inactive one) sees nothing.
- Province officers see every directive and task of their province (prefix match on `unit_path`).
- Agency focal points see the tasks their agency leads or coordinates, and the directives those belong to.
- Commune officers and chairs see the tasks led by their commune, and the directives those belong to.
- Everyone else (the hotline, …) sees none.

Only the leads report on a task (`assigned_to`); coordinating agencies read. A task outside these rules gets the
same 404 as a task that does not exist (access.py).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from childprotect.access import is_active_user
from childprotect.querysets import JurisdictionQuerySet
from childprotect.roles import COMMUNE_ROLES, Role
from directives.models.choices import TaskStatus
from directives.status import occurrence_status_sql, task_status_sql

if TYPE_CHECKING:
    from childprotect.models import User
    from directives.models import Directive, DirectiveTask, TaskOccurrence, TaskReport  # noqa: F401


def lead_filter(user: User) -> Q | None:
    """The tasks the user answers for as lead, as a filter on DirectiveTask; None if they lead nothing."""
    if user.role == Role.AGENCY_FOCAL_POINT and user.agency_id is not None:
        return Q(lead_agency_id=user.agency_id)
    if user.role in COMMUNE_ROLES and user.unit_id is not None:
        return Q(lead_commune_id=user.unit_id)
    return None


def code_or_id(field: str, value: str) -> Q:
    """A lead agency or commune named by its code, or by its numeric id."""
    value = value.strip()
    match = Q(**{f"{field}__code": value})
    if value.isdigit():
        match |= Q(**{f"{field}_id": int(value)})
    return match


DUE_STATUSES = (TaskStatus.DONE_ON_TIME, TaskStatus.DONE_LATE, TaskStatus.OVERDUE)
# A due date not met yet and not passed: with a window from today, the board's "due in the next 30 days".
DUE_OPEN = "open"


def occurrence_in_window(
    start: datetime.date | None, end: datetime.date | None, status: str, today: datetime.date
) -> Q:
    """Tasks with an occurrence due in [start, end] (either bound optional) and, if given, of that status."""
    from directives.models import TaskOccurrence

    occurrences = TaskOccurrence.objects.filter(task_id=OuterRef("pk"), cancelled_on__isnull=True)
    if start is not None:
        occurrences = occurrences.filter(due_on__gte=start)
    if end is not None:
        occurrences = occurrences.filter(due_on__lte=end)
    if status == TaskStatus.DONE_ON_TIME:
        occurrences = occurrences.filter(
            Q(completed_on__isnull=False) & (Q(due_on__isnull=True) | Q(completed_on__lte=F("due_on")))
        )
    elif status == TaskStatus.DONE_LATE:
        occurrences = occurrences.filter(completed_on__gt=F("due_on"))
    elif status == TaskStatus.OVERDUE:
        occurrences = occurrences.filter(completed_on__isnull=True, due_on__lt=today)
    elif status == DUE_OPEN:
        occurrences = occurrences.filter(completed_on__isnull=True, due_on__gte=today)
    return Q(Exists(occurrences))


def _pending_review() -> Exists:
    """A report of the task waits for the province's review."""
    from directives.models import ReportStatus, TaskReport

    return Exists(TaskReport.objects.filter(task_id=OuterRef("pk"), status=ReportStatus.SUBMITTED))


class DirectiveTaskQuerySet(JurisdictionQuerySet["DirectiveTask"]):
    unit_path_lookup = "unit_path"

    def visible_to(self, user: User) -> DirectiveTaskQuerySet:
        if not is_active_user(user):
            return self.none()
        if user.role in {Role.ADMIN, Role.NATIONAL_OFFICER}:  # the national role: every province, read only
            return self
        if user.role == Role.PROVINCE_OFFICER:
            scoped: DirectiveTaskQuerySet = self.in_jurisdiction_of(user)  # type: ignore[assignment] # same class
            return scoped
        leads = lead_filter(user)
        if leads is None:
            return self.none()
        if user.role == Role.AGENCY_FOCAL_POINT:
            # EXISTS, not a join on the m2m: a join would repeat the task once per coordinating agency.
            through = self.model.coordinating.through
            coordinates = Exists(through.objects.filter(directivetask_id=OuterRef("pk"), agency_id=user.agency_id or 0))
            return self.filter(leads | Q(coordinates))
        return self.filter(leads)

    def assigned_to(self, user: User) -> DirectiveTaskQuerySet:
        """The tasks the user reports on: those their agency or commune leads."""
        if not is_active_user(user):
            return self.none()
        leads = lead_filter(user)
        return self.filter(leads) if leads is not None else self.none()

    def awaiting_review(self) -> DirectiveTaskQuerySet:
        """Tasks with a report waiting for the province's review."""
        return self.filter(_pending_review())

    def recurring_behind(self, horizon: datetime.date) -> DirectiveTaskQuerySet:
        """The daily extension's read: recurring tasks whose occurrences stop before `horizon` although their
        recurrence goes on and the task was not cancelled (directives/services/occurrences.py)."""
        from directives.models import DeadlineKind

        return self.filter(
            deadline_kind=DeadlineKind.RECURRING, occurrences_until__lt=horizon, cancelled_at__isnull=True
        ).filter(Q(recurs_until__isnull=True) | Q(recurs_until__gt=F("occurrences_until")))

    def open_on_item(self, directive_id: int, position: int) -> DirectiveTaskQuerySet:
        """The tasks of one item of a directive still open (not cancelled or handed over), one per lead: a
        hand-over must not give the item to a lead that already holds it (directives/services/changes.py)."""
        return self.filter(directive_id=directive_id, position=position, cancelled_at__isnull=True)

    def with_status(self, today: datetime.date) -> DirectiveTaskQuerySet:
        return self.annotate(status=task_status_sql(today))

    def for_listing(self, today: datetime.date) -> DirectiveTaskQuerySet:
        """What every task list shows, computed in SQL in the same query: the status, the next open due date
        (`next_due`), whether a report waits for review (`has_pending`), and the directive and lead."""
        from directives.models import TaskOccurrence

        next_due = (
            TaskOccurrence.objects.filter(task_id=OuterRef("pk"), completed_on__isnull=True, cancelled_on__isnull=True)
            .order_by(F("due_on").asc(nulls_last=True))
            .values("due_on")[:1]
        )
        return (
            self.with_status(today)
            .annotate(next_due=Subquery(next_due), has_pending=_pending_review())
            .select_related("directive", "lead_agency", "lead_commune")
        )


class DirectiveQuerySet(JurisdictionQuerySet["Directive"]):
    unit_path_lookup = "unit_path"

    def visible_to(self, user: User) -> DirectiveQuerySet:
        """Admins and the national role: all; province officers: their province's directives; leads and
        coordinating agencies: the directives that hold one of their tasks (and they see only those tasks of it)."""
        if not is_active_user(user):
            return self.none()
        if user.role in {Role.ADMIN, Role.NATIONAL_OFFICER}:  # the national role: every province, read only
            return self
        if user.role == Role.PROVINCE_OFFICER:
            scoped: DirectiveQuerySet = self.in_jurisdiction_of(user)  # type: ignore[assignment] # same class
            return scoped
        from directives.models import DirectiveTask

        tasks = DirectiveTask.objects.visible_to(user)
        if tasks.query.is_empty():
            return self.none()
        return self.filter(Exists(tasks.filter(directive_id=OuterRef("pk"))))

    def with_reference(self, province_id: int, number: str, symbol: str) -> DirectiveQuerySet:
        """The province's directives numbered `number`/`symbol` (the symbol in any case): the duplicate check of
        a new or corrected directive, and the link from a document that cites it."""
        return self.filter(province_id=province_id, number=number, symbol__iexact=symbol)

    def with_task_counts(self, user: User, today: datetime.date) -> DirectiveQuerySet:
        """`task_count` (tasks the user sees) and `overdue_count` (of those, with an overdue due date), each a
        scalar subquery: one query for a whole page of directives."""
        from directives.models import DirectiveTask, TaskOccurrence

        tasks = DirectiveTask.objects.visible_to(user)
        overdue = tasks.filter(
            Exists(
                TaskOccurrence.objects.filter(
                    task_id=OuterRef("pk"), completed_on__isnull=True, cancelled_on__isnull=True, due_on__lt=today
                )
            )
        )
        return self.annotate(task_count=_count_per_directive(tasks), overdue_count=_count_per_directive(overdue))


def _count_per_directive(tasks: models.QuerySet[Any]) -> Coalesce:
    counted = (
        tasks.filter(directive_id=OuterRef("pk")).order_by().values("directive_id").annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(counted, output_field=models.IntegerField()), 0)


class TaskOccurrenceQuerySet(models.QuerySet["TaskOccurrence"]):
    def visible_to(self, user: User) -> TaskOccurrenceQuerySet:
        from directives.models import DirectiveTask

        tasks = DirectiveTask.objects.visible_to(user)
        if tasks.query.is_empty():
            return self.none()
        return self.filter(task__in=tasks.values("pk"))

    def open(self) -> TaskOccurrenceQuerySet:
        """Due dates still to be met: not completed, not cancelled."""
        return self.filter(completed_on__isnull=True, cancelled_on__isnull=True)

    def with_status(self, today: datetime.date) -> TaskOccurrenceQuerySet:
        return self.annotate(status=occurrence_status_sql(today))


class TaskReportQuerySet(models.QuerySet["TaskReport"]):
    def visible_to(self, user: User) -> TaskReportQuerySet:
        """Reports are seen with their task: by the province officers, the lead and coordinating agencies."""
        from directives.models import DirectiveTask

        tasks = DirectiveTask.objects.visible_to(user)
        if tasks.query.is_empty():
            return self.none()
        return self.filter(task__in=tasks.values("pk"))

    def pending(self) -> TaskReportQuerySet:
        from directives.models.choices import ReportStatus

        return self.filter(status=ReportStatus.SUBMITTED)
