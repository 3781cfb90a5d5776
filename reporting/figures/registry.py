"""Section providers: the dashboard and the reports are a list of sections, each computed by a provider.

A provider is a function `(FigureContext) -> list[Section]`, registered by reporting/apps.py: the case sections
(reporting/figures/cases.py), referrals by agency with the median time to accept and the share answered on time
(referrals.py), and directive tasks per lead on time / late / overdue (directive_tasks.py). Each is a module in
reporting/figures/ that reads the models of cases or directives — reporting reads them, they never import
reporting. Sections are shown in the order of their `order` (cases 10–60, referrals 70, directive tasks 80,
monthly trend 90, breakdown by area 100).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.utils import timezone

from reporting.figures.types import Scope, Section
from reporting.measures import EthnicityCounts, Tally, count_by_ethnicity, count_by_field, key_of
from reporting.summaries import SummarySource

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from cases.models import Case
    from childprotect.models import User


@dataclass
class FigureContext:
    viewer: User
    scope: Scope
    cases: QuerySet[Case]  # visible_to(viewer), no drafts, the scope's unit, days and cut-off: count from here
    list_url: str  # the case list page
    base_filters: dict[str, Any]  # the list filters that select exactly `cases`
    totals: dict[str, int] = field(default_factory=dict)  # headline figures, filled in by the providers

    cache: dict[str, Any] = field(default_factory=dict)  # shared by the providers (the age bands)

    _prefixes: dict[frozenset[str], str] = field(default_factory=dict)

    # Read from the summary tables when the scope allows it (reporting/summaries.py), else counted from `cases`.
    summary: SummarySource | None = None

    # Counting: through the registry of measures (reporting/measures.py), nowhere else.
    def values(self, tally: Tally) -> dict[str, int]:
        """The tally's figures over the scope's cases (one aggregate query, or one read of the summaries)."""
        source = self.summary
        if source is None or not source.knows(tally.figures):
            return tally.run(self.cases)
        values = {name: source.total(name) for name in tally.figures}
        overdue = source.overdue_names(tally.figures)
        if overdue:
            by_area = self._due_today_by_area(source, {name: tally.figures[name] for name in overdue})
            for row in by_area.values():
                for name in overdue:
                    values[name] += row[name]
        return values

    def _due_today_by_area(
        self,
        source: SummarySource,
        figures: dict[str, tuple[str, str | None, str | None]],
        group_by: str | None = None,
    ) -> dict[Any, dict[str, int]]:
        """The overdue figures' part counted from the cases (steps fallen due today, before now), per area of the
        area table (`group_by`; by default the communes of a province, the provinces of the country): one query
        that the headline figures sum and the area table reads (`_summary_by_area`). Keyed by figure name."""
        group_by = group_by or ("province__code" if self.scope.unit is None else "commune__code")
        cached = self.cache.get("due_today_by_area")
        if cached is not None and cached[0] == group_by and all(name in cached[1] for name in figures):
            return cached[2]  # type: ignore[no-any-return]
        found = count_by_field(
            source.due_today(self.cases), group_by, figures, self.scope.as_of, self.cache.get("age_bands")
        )
        self.cache["due_today_by_area"] = (group_by, dict(figures), found)
        return found

    def by_ethnicity(self, measure_keys: list[str]) -> EthnicityCounts:
        if self.summary is not None and list(measure_keys) == ["children"]:
            return self.summary.ethnicity()
        return count_by_ethnicity(self.cases, measure_keys, self.scope.as_of)

    def by_field(
        self, group_by: str, figures: dict[str, tuple[str, str | None, str | None]], **annotations: Any
    ) -> dict[Any, dict[str, int]]:
        """Figures grouped by a field of the case (`province__code`) or by an annotation given here (a month)."""
        names = {name: key_of(*spec) for name, spec in figures.items()}
        source = self.summary
        if source is not None and source.knows(names.values()):
            if group_by == "month":
                return self._summary_by_month(source, names)
            if group_by in ("province__code", "commune__code"):
                return self._summary_by_area(source, group_by, figures, names)
        cases = self.cases.annotate(**annotations) if annotations else self.cases
        return count_by_field(cases, group_by, figures, self.scope.as_of, self.cache.get("age_bands"))

    def _summary_by_month(self, source: SummarySource, names: dict[str, str]) -> dict[Any, dict[str, int]]:
        tz = timezone.get_current_timezone()
        found: dict[Any, dict[str, int]] = {}
        for name, figure in names.items():
            for month, value in source.by_month.get(figure, {}).items():
                start = datetime.datetime.combine(month, datetime.time.min, tzinfo=tz)
                found.setdefault(start, dict.fromkeys(names, 0))[name] = value
        return found

    def _summary_by_area(
        self,
        source: SummarySource,
        group_by: str,
        figures: dict[str, tuple[str, str | None, str | None]],
        names: dict[str, str],
    ) -> dict[Any, dict[str, int]]:
        stored = source.area()
        found = {code: {name: row.get(figure, 0) for name, figure in names.items()} for code, row in stored.items()}
        overdue = {name: spec for name, spec in figures.items() if source.figures[names[name]].deadline}
        if overdue:
            # Usually counted already, per area and by figure name, by the headline figures' query (values()).
            by_figure = self._due_today_by_area(source, {names[n]: spec for n, spec in overdue.items()}, group_by)
            for code, row in by_figure.items():
                for name in overdue:
                    found.setdefault(code, dict.fromkeys(names, 0))[name] += row[names[name]]
        return found

    def link(self, **filters: Any) -> str:
        """The case list showing what a figure counts: the scope's filters plus the figure's own. A figure about
        another kind than the scope's is 0 by construction and gets no link. (Hundreds of links per page: the
        scope's part of the query string is encoded once per set of keys the figures override.)"""
        own = {k: v for k, v in filters.items() if v not in (None, "")}
        if "kind" in own and self.base_filters.get("kind") not in (None, own["kind"]):
            return ""
        overridden = frozenset(key for key in own if key in self.base_filters)
        prefix = self._prefixes.get(overridden)
        if prefix is None:
            kept = {k: v for k, v in self.base_filters.items() if k not in overridden}
            prefix = self._prefixes[overridden] = urlencode(kept, doseq=True)
        tail = _encode(own)
        return f"{self.list_url}?{prefix}&{tail}" if tail and prefix else f"{self.list_url}?{prefix or tail}"


_PLAIN = re.compile(r"^[A-Za-z0-9_.-]*$")


def _encode(params: dict[str, Any]) -> str:
    """urlencode() for the usual case of a few plain codes ("kind=abuse&commune=05713"), without quoting."""
    pairs = []
    for key, value in params.items():
        text = str(value)
        if isinstance(value, list | tuple) or not _PLAIN.match(text):
            return urlencode(params, doseq=True)
        pairs.append(f"{key}={text}")
    return "&".join(pairs)


SectionProvider = Callable[[FigureContext], "list[Section]"]
_providers: dict[str, SectionProvider] = {}


def register_section_provider(name: str, provider: SectionProvider) -> None:
    """Add (or replace, by name) a provider of dashboard and report sections."""
    _providers[name] = provider


def section_providers() -> list[SectionProvider]:
    return list(_providers.values())
