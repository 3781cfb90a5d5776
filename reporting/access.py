"""Who may read which figures and reports — the dashboard's units and the report archive.

- The dashboard and the archive are for case-working roles and admins. A province officer picks their province
  or one of its communes; a commune officer or chair sees their commune; an admin picks any unit or the whole
  country. The unit chosen here is the scope of the figures: a province's or the whole country's dashboard is
  read from the summary tables of that scope (reporting/summaries.py: no draft, nothing but counts), which hold
  exactly the cases such a user could open; other scopes are counted from `Case.objects.visible_to(user)`
  (reporting/figures/compute.py). Functions take the unit (None: the whole country).
- The national role (Cục Bà mẹ và Trẻ em, Bộ Y tế) reads statistics of the whole country and never a case:
  `Case.objects.visible_to` gives it nothing. Its figures are those of the unit's own officers (`figures_viewer`:
  `unit_viewer` for a province or a commune, `country_viewer` for the whole country), so a province's numbers are
  the very numbers its province officer sees; they carry no link to a case list (`statistics_only`), and the rows
  of provinces and communes link to their own dashboards instead (the drill-down). It reads every report run and
  never generates, reviews or locks one.
- Report runs: `ReportRun.objects.visible_to(user)` (reporting/querysets.py); `access_report_run` answers the
  same 404 for a run that does not exist and for one outside the user's jurisdiction.
- Generating and reviewing a unit's report: case-working roles covering the unit. Locking (submitting) it: the
  province officer for a province's report, the commune chair for a commune's. Admins generate and read; they
  do not submit a unit's report.
- The figures of a report are those the unit's own case-working officers see (`unit_viewer`), whoever clicked
  "generate" (or beat, with nobody): a report's content never depends on who asked for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.urls import reverse

from childprotect.access import covers, get_visible_or_404, is_active_user, not_found
from childprotect.models import AdministrativeUnit, User
from childprotect.models.units import CURRENT_SCHEME, UnitKind
from childprotect.roles import CASE_WORKING_ROLES, NATIONAL_ROLES, Role
from childprotect.text.vietnamese import in_vietnamese_order
from reporting.models import ReportRun

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from reporting.figures.types import Figures

REPORT_UNIT_KINDS = frozenset({UnitKind.PROVINCE, UnitKind.COMMUNE})


def can_use_reporting(user: User | AnonymousUser) -> bool:
    """The dashboard and the report archive: case-working roles with a jurisdiction, admins and the national
    role."""
    if not is_active_user(user):
        return False
    if sees_whole_country(user):
        return True
    return user.role in CASE_WORKING_ROLES and user.unit_id is not None


def is_statistics_only(user: User | AnonymousUser) -> bool:
    """The national role: figures, directives and reports of every province, never a case file."""
    return is_active_user(user) and user.role in NATIONAL_ROLES


def sees_whole_country(user: User | AnonymousUser) -> bool:
    """Admins and the national role pick any province or commune, or the whole country."""
    return is_active_user(user) and (user.role == Role.ADMIN or user.role in NATIONAL_ROLES)


def default_dashboard_unit(user: User) -> AdministrativeUnit | None:
    """The unit a user's dashboard opens on: their own; the whole country (None) for an admin or the national
    role."""
    return None if sees_whole_country(user) else user.unit


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
    if unit is None or not (sees_whole_country(user) or covers(user, unit.path)):
        raise not_found()
    return unit


def figures_viewer(user: User, unit: AdministrativeUnit | None) -> User:
    """Whose view of the cases the user's figures of `unit` are computed from: the user's own, except for the
    national role, which sees no case: then the unit's own officer (`unit_viewer`), or for the whole country
    `country_viewer`. So the national role's figures of a province are its province officer's figures."""
    if not is_statistics_only(user):
        return user
    return unit_viewer(unit) if unit is not None else country_viewer()


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


def country_viewer() -> User:
    """An unsaved account standing for the whole country's figures (every province's officers together): the
    national role's country dashboard. Never saved, never able to log in."""
    viewer = User(pk=0, username="report-viewer-country", role=Role.ADMIN, is_active=True)
    viewer.set_unusable_password()
    viewer.save = _never_saved  # type: ignore[method-assign]
    return viewer


def statistics_only(user: User, figures: Figures, *, query: dict[str, Any] | None = None) -> Figures:
    """The figures as the national role gets them: numbers without the links to case, referral or task lists
    it may not open; the rows of provinces (or communes) link to that unit's dashboard with the same `query`
    (period, kind) instead: the drill-down country → province → commune. Anyone else: unchanged."""
    if not is_statistics_only(user):
        return figures
    dashboard = reverse("reporting:dashboard")
    for section in figures.sections:
        for table in section.tables:
            for row in table.rows:
                drill = ""
                if table.key == "cases_by_area" and not row.total:
                    drill = f"{dashboard}?{urlencode({**(query or {}), 'unit': row.key})}"
                for cell in row.cells:
                    cell.url = drill
    return figures


def report_units_for(user: User) -> list[AdministrativeUnit]:
    """The units the user may generate reports for, for the archive's form: their own unit (a province officer
    also each commune of the province); admins: every current province; the national role: none (it reads the
    provinces' reports, it does not make them)."""
    if not can_use_reporting(user) or is_statistics_only(user):
        return []
    current = AdministrativeUnit.objects.current()
    if user.role == Role.ADMIN:
        return in_vietnamese_order(current.filter(kind=UnitKind.PROVINCE))
    assert user.unit is not None
    if user.unit.kind == UnitKind.PROVINCE:
        communes = in_vietnamese_order(current.filter(kind=UnitKind.COMMUNE, path__startswith=user.unit.path))
        return [user.unit, *communes]
    return [user.unit]
