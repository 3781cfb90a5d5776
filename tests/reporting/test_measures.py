"""One definition per figure (reporting/measures.py): a measure that counts children counts a child once however
many cases it has, in the dashboard, the indicators and the narrative alike; every number of the narrative is a
table cell; every admin-selectable measure is in the registry."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from cases.models import Case
from reporting.access import unit_viewer
from reporting.document import narrative, number
from reporting.figures.compute import compute_figures, figure_context
from reporting.figures.types import Scope
from reporting.indicators import compute_indicators
from reporting.measures import MEASURES, Counted, Dim, Tally
from reporting.models import Dimension, Indicator, Measure, ReportRun
from tests.reporting.conftest import YEAR
from tests.reporting.factories import at, bulk_cases

pytestmark = pytest.mark.django_db


def _second_case_of_the_same_child(case: Case, **changes: object) -> Case:
    """The same child recorded again (a duplicate, or a second accident)."""
    twin = Case.objects.get(pk=case.pk)
    twin.pk = None
    twin.case_number = f"{case.case_number[:-6]}{800000 + case.pk % 100000:06d}"
    for name, value in changes.items():
        setattr(twin, name, value)
    twin.save()
    Case.objects.filter(pk=twin.pk).update(created_at=twin.received_at)
    return twin


@pytest.fixture
def child_drowned_twice(personas):
    """Province A: one child recorded in two drowning-death cases, another child with one traffic injury."""
    (first,) = bulk_cases(
        personas.commune_a1,
        1,
        received_at=at(YEAR, 6, 1),
        kind="accident",
        accident_type="drowning",
        accident_outcome="death",
        forms=[],
    )
    _second_case_of_the_same_child(first, received_at=at(YEAR, 6, 3))
    bulk_cases(
        personas.commune_a2,
        1,
        received_at=at(YEAR, 7, 1),
        kind="accident",
        accident_type="traffic",
        accident_outcome="injury",
        forms=[],
    )
    return first


def _scope(unit) -> Scope:
    return Scope(unit=unit, start=at(YEAR, 1, 1).date(), end=at(YEAR, 12, 31).date(), as_of=timezone.now())


def test_a_child_with_two_accident_cases_counts_once_where_the_measure_counts_children(
    personas, child_drowned_twice
) -> None:
    scope = _scope(personas.province_a)
    figures = compute_figures(personas.province_officer_a, scope).flat()
    assert figures["cases_by_kind.accident.cases"] == 3  # cases: both of that child's cases
    assert figures["accidents.drowning.death"] == 1  # "trẻ em tử vong": the child once
    assert figures["accidents.total.death"] == 1
    assert figures["accidents.drowning.total"] == 1
    assert figures["accidents.traffic.injury"] == 1
    assert figures["accidents.total.total"] == 2
    assert figures["children_by_sex.total.children"] == 2

    indicator = Indicator(code="T1", name="tử vong", measure=Measure.ACCIDENT_DEATHS, disaggregations=["accident_type"])
    (result,) = compute_indicators(figure_context(personas.province_officer_a, scope), [indicator])
    assert result.total.value == 1
    assert result.tables[0].value("drowning") == 1


def test_every_number_of_the_narrative_is_the_table_cell_it_describes(
    personas, known_year, child_drowned_twice
) -> None:
    unit = personas.province_a
    scope = _scope(unit)
    figures = compute_figures(unit_viewer(unit), scope)
    run = ReportRun(unit=unit, period_start=scope.start, period_end=scope.end)
    cited: list[tuple[str, object]] = []
    text = " ".join(narrative(run, figures, cited))
    cells = figures.flat()
    for key, value in cited:
        assert cells[key] == value, key
    # Each number printed (dates aside) is one of the cells read, and the headline ones are printed.
    printed = re.findall(r"\d[\d.,]*\d|\d", re.sub(r"\d{2}/\d{2}/\d{4}", "", text))
    quoted = {number(value) for _key, value in cited} | {str(value) for _key, value in cited}
    assert printed and all(n in quoted for n in printed), (printed, quoted)
    deaths = cells["accidents.total.death"]
    assert deaths == 32 + 1  # the known year's 32 children, plus the child who drowned (twice recorded) once
    assert f"{number(deaths)} trẻ em tử vong" in text
    assert f"{number(cells['children_by_sex.total.children'])} trẻ em" in text


def test_every_selectable_measure_and_disaggregation_is_defined_once_in_the_registry() -> None:
    assert set(Measure.values) <= set(MEASURES)
    for key in Measure.values:
        spec = MEASURES[key]
        assert spec.label and spec.counts in (Counted.CASES, Counted.CHILDREN)
        assert (spec.counts == Counted.CHILDREN) == ("children" in key or key == "accident_deaths")
    dimensions = {d for spec in MEASURES.values() for d in spec.disaggregations}
    assert set(Dimension.values) <= dimensions


def test_a_split_the_measure_does_not_declare_is_refused() -> None:
    tally = Tally(timezone.now(), bands=[])
    with pytest.raises(ValueError):
        tally.add("overdue_cases", Dim.SEX, "female")
