"""Section providers: the dashboard and the reports are a list of sections, each computed by a provider.

A provider is a function `(FigureContext) -> list[Section]`. The case sections (reporting/figures/cases.py)
are registered by reporting/apps.py. Referrals by agency (median response time, % on time) and directive
tasks per agency (on time / late / overdue) plug in the same way once those apps exist: a module in
reporting/figures/ that reads their models — reporting reads cases and directives, they never import
reporting — and one `register_section_provider(...)` line in reporting/apps.py. Sections are shown in the
order of their `order` (cases 10–60, referrals 70, directive tasks 80, monthly trend 90, breakdown by area 100).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from reporting.figures.types import Scope, Section

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

    def link(self, **filters: Any) -> str:
        """The case list showing what a figure counts: the scope's filters plus the figure's own. A figure about
        another kind than the scope's is 0 by construction and gets no link."""
        own = {k: v for k, v in filters.items() if v not in (None, "")}
        if "kind" in own and self.base_filters.get("kind") not in (None, own["kind"]):
            return ""
        return f"{self.list_url}?{urlencode({**self.base_filters, **own}, doseq=True)}"


SectionProvider = Callable[[FigureContext], "list[Section]"]
_providers: dict[str, SectionProvider] = {}


def register_section_provider(name: str, provider: SectionProvider) -> None:
    """Add (or replace, by name) a provider of dashboard and report sections."""
    _providers[name] = provider


def section_providers() -> list[SectionProvider]:
    return list(_providers.values())
