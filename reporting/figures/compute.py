"""Compute the figures of a scope for a viewer: the entry point of the dashboard, its API and the reports.

Every figure starts from `Case.objects.visible_to(viewer)` — the one access rule — narrowed to the scope's
unit, days of receipt and data cut-off, drafts left out. The narrowing repeats the unit as an equality on the
indexed (province|commune, received_at) columns, so PostgreSQL reads only that range of that unit.

The dashboard (`summaries=True`) reads a province's or the whole country's case figures over whole months from
the summary tables instead (reporting/summaries.py): the same measures (reporting/measures.py), the same numbers
(`manage.py check_figures`), at a cost that does not grow with the number of cases. The unit has been checked
against the user's jurisdiction by reporting/access.py before.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.urls import reverse

from cases.models import Case, CaseStatus
from cases.querysets import received_between
from childprotect.models.units import UnitKind
from reporting.figures.registry import FigureContext, section_providers
from reporting.figures.types import Figures, Scope
from reporting.measures import age_bands
from reporting.summaries import SummarySource

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from childprotect.models import User


def unit_cases(viewer: User, scope: Scope) -> QuerySet[Case]:
    """The cases of the scope's unit (and kind) as the viewer sees them, received whenever: the cases whose
    referrals the referral figures count (reporting/figures/referrals.py)."""
    cases = Case.objects.visible_to(viewer).exclude(status=CaseStatus.DRAFT)
    unit = scope.unit
    if unit is not None:
        cases = cases.filter(unit_path__startswith=unit.path)
        if unit.kind == UnitKind.PROVINCE:
            cases = cases.filter(province_id=unit.pk)
        elif unit.kind == UnitKind.COMMUNE:
            cases = cases.filter(commune_id=unit.pk)
    if scope.kind:
        cases = cases.filter(kind=scope.kind)
    return cases


def scoped_cases(viewer: User, scope: Scope, *, recorded_by_as_of: bool = True) -> QuerySet[Case]:
    """The scope's cases as the viewer sees them. `recorded_by_as_of=False` also keeps those recorded after the
    scope's `as_of` (a report's data cut-off), for the warning that counts them. With `late_since`, the cases
    received before the scope's days and recorded after `late_since` (late entries of earlier periods) count too."""
    received = received_between(scope.start, scope.end)
    if scope.late_since is not None:
        earlier = received_between(None, scope.start - datetime.timedelta(days=1))
        received |= earlier & Q(created_at__gt=scope.late_since)
    cases = unit_cases(viewer, scope).filter(received)
    if recorded_by_as_of:
        cases = cases.filter(created_at__lte=scope.as_of)
    return cases


def base_filters(scope: Scope) -> dict[str, Any]:
    """The case-list filters (cases/filters.py) that select the scope's cases."""
    filters: dict[str, Any] = {
        "recorded": "true",
        "received_from": scope.start.isoformat(),
        "received_to": scope.end.isoformat(),
    }
    unit = scope.unit
    if unit is not None and unit.kind == UnitKind.PROVINCE:
        filters["province"] = unit.code
    elif unit is not None and unit.kind == UnitKind.COMMUNE:
        filters["commune"] = unit.code
    if scope.kind:
        filters["kind"] = scope.kind
    return filters


def figure_context(viewer: User, scope: Scope, *, summaries: bool = False) -> FigureContext:
    """`summaries=True` (the dashboard, judged now): read the case figures from the summary tables when the scope
    is a province or the whole country over whole months (reporting/summaries.py). Which unit's figures a user
    may read is decided before, by reporting/access.py; the summaries hold no case a unit's officer could not
    open (drafts are left out)."""
    summary, cache = None, {}
    if summaries and SummarySource.usable(scope.unit, scope.start, scope.end, scope.kind):
        cache["age_bands"] = age_bands()
        summary = SummarySource(scope.unit, scope.start, scope.end, scope.as_of, cache["age_bands"])
    return FigureContext(
        viewer=viewer,
        scope=scope,
        cases=scoped_cases(viewer, scope),
        list_url=reverse("cases:list"),
        base_filters=base_filters(scope),
        summary=summary,
        cache=cache,
    )


def compute_figures(
    viewer: User, scope: Scope, context: FigureContext | None = None, *, summaries: bool = False
) -> Figures:
    context = context or figure_context(viewer, scope, summaries=summaries)
    sections = [section for provider in section_providers() for section in provider(context)]
    sections.sort(key=lambda section: section.order)
    return Figures(scope=scope, sections=sections, totals=context.totals)
