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

from childprotect.querysets import JurisdictionQuerySet
from childprotect.roles import COMMUNE_ROLES, Role
from directives.status import occurrence_status_sql, task_status_sql

if TYPE_CHECKING:
    from childprotect.models import User
    from directives.models import Directive, DirectiveTask, TaskOccurrence, TaskReport  # noqa: F401


def _active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def lead_filter(user: User) -> Q | None:
    """The tasks the user answers for as lead, as a filter on DirectiveTask; None if they lead nothing."""
    if user.role == Role.AGENCY_FOCAL_POINT and user.agency_id is not None:
        return Q(lead_agency_id=user.agency_id)
    if user.role in COMMUNE_ROLES and user.unit_id is not None:
        return Q(lead_commune_id=user.unit_id)
    return None


class DirectiveTaskQuerySet(JurisdictionQuerySet["DirectiveTask"]):
    unit_path_lookup = "unit_path"

    def visible_to(self, user: User) -> DirectiveTaskQuerySet:
        if not _active(user):
            return self.none()
        if user.role == Role.ADMIN:
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
        if not _active(user):
            return self.none()
        leads = lead_filter(user)
        return self.filter(leads) if leads is not None else self.none()

    def with_status(self, today: datetime.date) -> DirectiveTaskQuerySet:
        return self.annotate(status=task_status_sql(today))

    def for_listing(self, today: datetime.date) -> DirectiveTaskQuerySet:
        """What every task list shows, computed in SQL in the same query: the status, the next open due date
        (`next_due`), whether a report waits for review (`has_pending`), and the directive and lead."""
        from directives.models import ReportStatus, TaskOccurrence, TaskReport

        next_due = (
            TaskOccurrence.objects.filter(task_id=OuterRef("pk"), completed_on__isnull=True, cancelled_on__isnull=True)
            .order_by(F("due_on").asc(nulls_last=True))
            .values("due_on")[:1]
        )
        pending = TaskReport.objects.filter(task_id=OuterRef("pk"), status=ReportStatus.SUBMITTED)
        return (
            self.with_status(today)
            .annotate(next_due=Subquery(next_due), has_pending=Exists(pending))
            .select_related("directive", "lead_agency", "lead_commune")
        )


class DirectiveQuerySet(JurisdictionQuerySet["Directive"]):
    unit_path_lookup = "unit_path"

    def visible_to(self, user: User) -> DirectiveQuerySet:
        """Province officers: their province's directives; leads and coordinating agencies: the directives
        that hold one of their tasks (and they see only those tasks of it)."""
        if not _active(user):
            return self.none()
        if user.role == Role.ADMIN:
            return self
        if user.role == Role.PROVINCE_OFFICER:
            scoped: DirectiveQuerySet = self.in_jurisdiction_of(user)  # type: ignore[assignment] # same class
            return scoped
        from directives.models import DirectiveTask

        tasks = DirectiveTask.objects.visible_to(user)
        if tasks.query.is_empty():
            return self.none()
        return self.filter(Exists(tasks.filter(directive_id=OuterRef("pk"))))

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
