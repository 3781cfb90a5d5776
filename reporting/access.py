"""Who may read which figures and reports — the dashboard's units and the report archive.

- The dashboard and the archive are for case-working roles and admins. A province officer picks their province
  or one of its communes; a commune officer or chair sees their commune; an admin picks any unit or the whole
  country. The unit chosen here is the scope of the figures: a province's or the whole country's dashboard is
  read from the summary tables of that scope (reporting/summaries.py: no draft, nothing but counts), which hold
  exactly the cases such a user could open; other scopes are counted from `Case.objects.visible_to(user)`
  (reporting/figures/compute.py). Functions take the unit (None: the whole country), so a role whose scope is
  the whole country plugs in through `access_dashboard_unit`.
- Report runs: `ReportRun.objects.visible_to(user)` (reporting/querysets.py); `access_report_run` answers the
  same 404 for a run that does not exist and for one outside the user's jurisdiction.
- Generating and reviewing a unit's report: case-working roles covering the unit. Locking (submitting) it: the
  province officer for a province's report, the commune chair for a commune's. Admins generate and read; they
  do not submit a unit's report.
- The figures of a report are those the unit's own case-working officers see (`unit_viewer`), whoever clicked
  "generate" (or beat, with nobody): a report's content never depends on who asked for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from childprotect.access import covers, get_visible_or_404, is_active_user, not_found
from childprotect.models import AdministrativeUnit, User
from childprotect.models.units import CURRENT_SCHEME, UnitKind
from childprotect.roles import CASE_WORKING_ROLES, Role
from reporting.models import ReportRun

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

REPORT_UNIT_KINDS = frozenset({UnitKind.PROVINCE, UnitKind.COMMUNE})


def can_use_reporting(user: User | AnonymousUser) -> bool:
    """The dashboard and the report archive: case-working roles with a jurisdiction, and admins."""
    if not is_active_user(user):
        return False
    if user.role == Role.ADMIN:
        return True
    return user.role in CASE_WORKING_ROLES and user.unit_id is not None


def default_dashboard_unit(user: User) -> AdministrativeUnit | None:
    """The unit a user's dashboard opens on: their own; the whole country (None) for an admin."""
    return None if user.role == Role.ADMIN else user.unit


def find_unit(code: str) -> AdministrativeUnit | None:
    """A current province ("19") or commune ("05713") by its QĐ 19/2025 code."""
    code = (code or "").strip()
    if not code.isdigit() or len(code) > 8:
        return None
    return (
        AdministrativeUnit.objects.filter(scheme=CURRENT_SCHEME, code=code, kind__in=REPORT_UNIT_KINDS)
        .select_related("parent")
        .first()
    )


def access_dashboard_unit(user: User, code: str | None) -> AdministrativeUnit | None:
    """The unit named by `code` if the user may see its figures (None: the whole country, admins only).
    No code: the user's default. 404 for a unit that does not exist and for one outside the jurisdiction."""
    if not can_use_reporting(user):
        raise not_found()
    if not code:
        return default_dashboard_unit(user)
    unit = find_unit(code)
    if unit is None or not covers(user, unit.path):
        raise not_found()
    return unit


def access_report_run(user: User, run_id: int | str) -> ReportRun:
    run: ReportRun = get_visible_or_404(
        ReportRun.objects.visible_to(user).select_related("unit", "generated_by", "reviewed_by", "locked_by"),
        pk=run_id,
    )
    return run


def can_generate_report(user: User, unit: AdministrativeUnit) -> bool:
    if not can_use_reporting(user) or unit.kind not in REPORT_UNIT_KINDS:
        return False
    return covers(user, unit.path)


def can_review_report(user: User, run: ReportRun) -> bool:
    return user.role != Role.ADMIN and can_generate_report(user, run.unit)


def can_lock_report(user: User, run: ReportRun) -> bool:
    """The province officer submits a province's report; the commune chair a commune's."""
    if not can_use_reporting(user) or not covers(user, run.unit_path):
        return False
    if run.unit.kind == UnitKind.PROVINCE:
        return user.role == Role.PROVINCE_OFFICER
    return user.role == Role.COMMUNE_CHAIR


def unit_viewer(unit: AdministrativeUnit) -> User:
    """An unsaved account standing for the unit's own case-working officer: the report's figures are what such
    an officer sees through `Case.objects.visible_to` (never saved, never able to log in)."""
    role = Role.PROVINCE_OFFICER if unit.kind == UnitKind.PROVINCE else Role.COMMUNE_OFFICER
    # pk 0 is no account's id: visible_to's "drafts of others" rule compares created_by with it (no draft
    # is counted anyway), and it can never match a real row.
    viewer = User(pk=0, username=f"report-viewer-{unit.code}", role=role, unit=unit, is_active=True)
    viewer.set_unusable_password()
    viewer.save = _never_saved  # type: ignore[method-assign]
    return viewer


def _never_saved(*args: object, **kwargs: object) -> None:
    raise RuntimeError("unit_viewer() stands for an officer of the unit; it is never saved.")


def report_units_for(user: User) -> list[AdministrativeUnit]:
    """The units the user may generate reports for, for the archive's form: their own unit (a province officer
    also each commune of the province); admins: every current province."""
    if not can_use_reporting(user):
        return []
    current = AdministrativeUnit.objects.current()
    if user.role == Role.ADMIN:
        return list(current.filter(kind=UnitKind.PROVINCE).order_by("name"))
    assert user.unit is not None
    if user.unit.kind == UnitKind.PROVINCE:
        communes = current.filter(kind=UnitKind.COMMUNE, path__startswith=user.unit.path).order_by("name")
        return [user.unit, *communes]
    return [user.unit]
