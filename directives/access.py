"""Fetching one directive, task or report for a user: 404 for missing and forbidden alike.

- Read: whatever `visible_to(user)` allows (querysets.py): province officers their province, leads and
  coordinating agencies their tasks (and the directives holding them), admins and the national role all (the
  national role reads only: every write below names another role).
- Report on a task (`for_report=True`): only its lead — the focal points of the lead agency, or the officers and
  chair of the lead commune. Anyone else, a coordinating agency included, gets the same 404.
- Review a report (`for_review=True`): only the province officers of the task's province.
- Create a directive: only province officers (`can_create_directives`); the API answers others 403, the page
  404s its form. Correct one: the province officers of its province (`can_edit_directive`). Read a pasted one
  with the importer: province officers and admins (`can_import_directives`), against `import_directory`.
- Change a saved directive's tasks (add, hand over, re-date, cancel: `for_change=True`): the province officers
  of its province (`can_change_tasks`); anyone else, a lead included, gets the same 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from childprotect.access import covers, get_visible_or_404, is_active_user, not_found
from childprotect.models import Agency
from childprotect.models.units import UnitKind
from childprotect.roles import COMMUNE_ROLES, Role
from directives.models import Directive, DirectiveTask, TaskReport

if TYPE_CHECKING:
    from childprotect.models import User


def follows_every_province(user: Any) -> bool:
    """Admins and the national role read every province's directives; the board sums them per province."""
    return bool(is_active_user(user) and user.role in {Role.ADMIN, Role.NATIONAL_OFFICER})


def can_create_directives(user: Any) -> bool:
    """Province officers of a province (their directives belong to it)."""
    return bool(
        is_active_user(user)
        and user.role == Role.PROVINCE_OFFICER
        and user.unit is not None
        and user.unit.kind == UnitKind.PROVINCE
    )


def can_edit_directive(user: Any, directive: Directive) -> bool:
    """Province officers of the directive's province correct its header."""
    return bool(is_active_user(user) and user.role == Role.PROVINCE_OFFICER and covers(user, directive.unit_path))


def can_change_tasks(user: Any, directive: Directive) -> bool:
    """Province officers of the directive's province change its tasks after saving (add, hand over, re-date,
    cancel), as they correct its header."""
    return can_edit_directive(user, directive)


def can_import_directives(user: Any) -> bool:
    """Province officers and administrators read pasted directives with the importer (nothing is saved)."""
    return bool(is_active_user(user) and user.role in {Role.PROVINCE_OFFICER, Role.ADMIN})


def import_directory(user: Any) -> QuerySet[Agency]:
    """The agencies the importer matches names against: the user's province (all of them for an admin)."""
    agencies = Agency.objects.active()
    if user.role == Role.ADMIN:
        return agencies
    if user.unit is None:
        return agencies.none()
    return agencies.within(user.unit)


def can_report_on(user: Any, task: DirectiveTask) -> bool:
    """The lead of the task: a focal point of the lead agency, or an officer or the chair of the lead commune."""
    if not is_active_user(user):
        return False
    if user.role == Role.AGENCY_FOCAL_POINT:
        return task.lead_agency_id is not None and task.lead_agency_id == user.agency_id
    if user.role in COMMUNE_ROLES:
        return task.lead_commune_id is not None and task.lead_commune_id == user.unit_id
    return False


def can_review(user: Any, task: DirectiveTask) -> bool:
    """Province officers of the task's province accept reports or return them for rework."""
    return bool(is_active_user(user) and user.role == Role.PROVINCE_OFFICER and covers(user, task.unit_path))


def access_directive(user: User, directive_id: int | str, *, for_change: bool = False) -> Directive:
    directive: Directive = get_visible_or_404(
        Directive.objects.visible_to(user).select_related("province", "created_by"), pk=directive_id
    )
    if for_change and not can_change_tasks(user, directive):
        raise not_found()
    return directive


def access_task(user: User, task_id: int | str, *, for_report: bool = False, for_change: bool = False) -> DirectiveTask:
    task: DirectiveTask = get_visible_or_404(
        DirectiveTask.objects.visible_to(user).select_related(
            "directive",
            "lead_agency",
            "lead_commune",
            "report_to",
            "replaced_by__lead_agency",
            "replaced_by__lead_commune",
        ),
        pk=task_id,
    )
    if for_report and not can_report_on(user, task):
        raise not_found()
    if for_change and not can_change_tasks(user, task.directive):
        raise not_found()
    return task


def access_report(user: User, report_id: int | str, *, for_review: bool = False) -> TaskReport:
    report: TaskReport = get_visible_or_404(
        TaskReport.objects.visible_to(user).select_related(
            "task", "task__directive", "task__lead_agency", "task__lead_commune", "occurrence", "author"
        ),
        pk=report_id,
    )
    if for_review and not can_review(user, report.task):
        raise not_found()
    return report
