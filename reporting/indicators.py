"""The statistical indicators (Indicator rows, admin-editable) computed over a report's cases.

Each indicator names a measure (what it counts) and its disaggregations. All indicators of a report are
computed together: one aggregate query for the total and every fixed-valued disaggregation (sex, age group,
setting, form, special group, accident type) as COUNT ... FILTER, plus one GROUP BY for ethnicity and one for
the area when an indicator asks for them. Children are counted once each (COUNT DISTINCT), cases as cases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from childprotect.models import AdministrativeUnit
from childprotect.models.units import UnitKind
from childprotect.text.vietnamese import in_vietnamese_order
from reporting.figures.registry import FigureContext
from reporting.figures.types import Cell, Column, Row, Table
from reporting.measures import MEASURES, Dim, MeasureDef, Tally, age_bands, buckets, ethnicity_rows, is_fixed, key_of
from reporting.models import Dimension, Indicator

__all__ = ["MEASURES", "IndicatorResult", "compute_indicators", "indicators_for"]


@dataclass
class IndicatorResult:
    indicator: Indicator
    unit_label: str
    total: Cell
    tables: list[Table] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.indicator.code,
            "name": self.indicator.name,
            "value": self.total.value,
            "link": self.total.url,
            "disaggregations": {
                table.key.rsplit(".", 1)[-1]: {row.key: row.cells[0].value for row in table.rows}
                for table in self.tables
            },
        }


def indicators_for(kind: str) -> list[Indicator]:
    return [i for i in Indicator.objects.filter(active=True) if not i.periods or kind in i.periods]


def compute_indicators(ctx: FigureContext, indicators: list[Indicator]) -> list[IndicatorResult]:
    """Each indicator is a measure of the registry (reporting/measures.py) with the disaggregations an admin
    chose: one aggregate for the totals and fixed-valued splits, one GROUP BY for ethnicity and one for the
    area when an indicator asks for them."""
    bands = ctx.cache.setdefault("age_bands", age_bands())
    usable = [i for i in indicators if i.measure in MEASURES]
    if not usable:
        return []
    tally = Tally(ctx.scope.as_of, bands)
    for indicator in usable:
        tally.add(indicator.measure)
        for dimension in indicator.disaggregations:
            if is_fixed(dimension) and dimension in MEASURES[indicator.measure].disaggregations:
                tally.add_split(indicator.measure, dimension)
    values = ctx.values(tally)
    wanted = {i.measure for i in usable}
    ethnicity = ctx.by_ethnicity(sorted(wanted)) if _wants(usable, Dimension.ETHNICITY) else {}
    field_name = _area_field(ctx)
    areas: dict[str, dict[str, int]] = (
        ctx.by_field(f"{field_name}__code", {key: (key, None, None) for key in sorted(wanted)})
        if _wants(usable, Dimension.AREA)
        else {}
    )
    area_names = _area_names(ctx, areas) if areas else {}

    results = []
    for indicator in usable:
        spec = MEASURES[indicator.measure]
        result = IndicatorResult(indicator, spec.unit_label, Cell(values[indicator.measure], ctx.link(**spec.link)))
        for dimension in indicator.disaggregations:
            if dimension not in spec.disaggregations:  # pragma: no cover - a split the measure cannot answer
                continue
            if is_fixed(dimension):
                # A bucket's own filter wins over the measure's (a special group narrows "any group").
                rows = [
                    Row(
                        b.key,
                        b.label,
                        [Cell(values[key_of(spec.key, dimension, b.key)], ctx.link(**spec.link | b.link))],
                    )
                    for b in buckets(dimension, bands)
                ]
            elif dimension == Dim.ETHNICITY:
                rows = [
                    Row(r.key, r.label, [Cell(r.value, ctx.link(**spec.link, ethnicity=r.key))], total=r.total)
                    for r in ethnicity_rows(ethnicity, spec.key, skip_empty=True)
                ]
            elif dimension == Dim.AREA:
                rows = _area_rows(ctx, spec, areas, area_names)
            else:  # pragma: no cover - an unknown dimension typed in the admin
                continue
            title = str(Dimension(dimension).label)
            result.tables.append(
                Table(f"{indicator.code}.{dimension}", title, [Column("value", spec.unit_label)], rows)
            )
        results.append(result)
    return results


def _wants(indicators: list[Indicator], dimension: str) -> bool:
    return any(dimension in i.disaggregations for i in indicators)


def _area_field(ctx: FigureContext) -> str:
    return "province" if ctx.scope.unit is None else "commune"


def _area_names(ctx: FigureContext, found: dict[str, dict[str, int]]) -> dict[str, str]:
    kind = UnitKind.PROVINCE if ctx.scope.unit is None else UnitKind.COMMUNE
    units = AdministrativeUnit.objects.filter(kind=kind, code__in=list(found))
    if ctx.scope.unit is not None:
        units = units.filter(path__startswith=ctx.scope.unit.path)
    return dict(in_vietnamese_order(units.values_list("code", "name"), name=itemgetter(1), tie=itemgetter(0)))


def _area_rows(
    ctx: FigureContext, spec: MeasureDef, found: dict[str, dict[str, int]], names: dict[str, str]
) -> list[Row]:
    field_name = _area_field(ctx)
    rows = []
    for code, name in names.items():
        value = found.get(code, {}).get(spec.key, 0)
        if value:
            rows.append(Row(code, name, [Cell(value, ctx.link(**spec.link, **{field_name: code}))]))
    return rows
