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

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from cases.ethnicity import KINH_CODE, QD121_CODE_SYSTEM, ethnicity_name
from cases.models import AbuseForm, AccidentType, CaseKind, Setting, Sex
from cases.models.choices import ANY_GROUP, SPECIAL_GROUPS
from cases.querysets import UNKNOWN, age_between, age_unknown, special_circumstances_q, special_group_q
from childprotect.models import AdministrativeUnit
from childprotect.models.units import UnitKind
from childprotect.text.vietnamese import in_vietnamese_order
from reporting.figures.cases import SUPPORTED_STATUSES, age_bands
from reporting.figures.registry import FigureContext
from reporting.figures.types import Cell, Column, Row, Table
from reporting.models import AgeBand, Dimension, Indicator, Measure


@dataclass(frozen=True)
class MeasureSpec:
    condition: Q
    children: bool  # count distinct children (True) or cases
    link: dict[str, Any]


MEASURES: dict[str, MeasureSpec] = {
    Measure.ABUSED_CHILDREN: MeasureSpec(Q(kind=CaseKind.ABUSE), True, {"kind": CaseKind.ABUSE}),
    Measure.ABUSE_CASES: MeasureSpec(Q(kind=CaseKind.ABUSE), False, {"kind": CaseKind.ABUSE}),
    Measure.AT_RISK_CHILDREN: MeasureSpec(Q(kind=CaseKind.AT_RISK), True, {"kind": CaseKind.AT_RISK}),
    # Children in special circumstances: recorded as such, or in a group ticked or implied (cases/special_groups.py).
    Measure.SPECIAL_CHILDREN: MeasureSpec(special_circumstances_q(), True, {"special_group": ANY_GROUP}),
    Measure.SPECIAL_CHILDREN_SUPPORTED: MeasureSpec(
        special_circumstances_q() & Q(status__in=SUPPORTED_STATUSES),
        True,
        {"special_group": ANY_GROUP, "status": SUPPORTED_STATUSES},
    ),
    Measure.ACCIDENT_CHILDREN: MeasureSpec(Q(kind=CaseKind.ACCIDENT), True, {"kind": CaseKind.ACCIDENT}),
    Measure.ACCIDENT_DEATHS: MeasureSpec(
        Q(kind=CaseKind.ACCIDENT, accident_outcome="death"),
        True,
        {"kind": CaseKind.ACCIDENT, "accident_outcome": "death"},
    ),
}


@dataclass(frozen=True)
class Bucket:
    key: str
    label: str
    condition: Q
    link: dict[str, Any]


def fixed_buckets(dimension: str, bands: list[AgeBand]) -> list[Bucket] | None:
    """The values of a fixed-valued dimension; None for those read by GROUP BY (ethnicity, area)."""
    if dimension == Dimension.SEX:
        return [Bucket(s, str(label), Q(child__sex=s), {"sex": s}) for s, label in Sex.choices]
    if dimension == Dimension.AGE_GROUP:
        return [
            Bucket(
                b.key,
                b.display_label,
                age_between(b.min_age, b.max_age),
                {"age_min": b.min_age, "age_max": b.max_age},
            )
            for b in bands
        ] + [Bucket(UNKNOWN, _("Chưa rõ tuổi"), age_unknown(), {"age_unknown": "true"})]
    if dimension == Dimension.SETTING:
        return [Bucket(s, str(label), Q(setting=s), {"setting": s}) for s, label in Setting.choices] + [
            Bucket(UNKNOWN, _("Chưa ghi"), Q(setting=""), {"setting": UNKNOWN})
        ]
    if dimension == Dimension.ABUSE_FORM:
        return [
            Bucket(f, str(label), Q(abuse_forms__contains=[f]), {"abuse_form": f}) for f, label in AbuseForm.choices
        ]
    if dimension == Dimension.SPECIAL_GROUP:
        return [Bucket(g, str(label), special_group_q(g), {"special_group": g}) for g, label in SPECIAL_GROUPS]
    if dimension == Dimension.ACCIDENT_TYPE:
        return [Bucket(t, str(label), Q(accident_type=t), {"accident_type": t}) for t, label in AccidentType.choices]
    return None


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


def _count(spec: MeasureSpec, condition: Q | None = None) -> Count:
    where = spec.condition if condition is None else spec.condition & condition
    return Count("child_id" if spec.children else "id", distinct=spec.children, filter=where)


def indicators_for(kind: str) -> list[Indicator]:
    return [i for i in Indicator.objects.filter(active=True) if not i.periods or kind in i.periods]


def compute_indicators(ctx: FigureContext, indicators: list[Indicator]) -> list[IndicatorResult]:
    bands = age_bands()
    usable = [i for i in indicators if i.measure in MEASURES]
    if not usable:
        return []
    expressions: dict[str, Count] = {}
    for index, indicator in enumerate(usable):
        spec = MEASURES[indicator.measure]
        expressions[f"i{index}"] = _count(spec)
        for dimension in indicator.disaggregations:
            for bucket in fixed_buckets(dimension, bands) or []:
                expressions[f"i{index}.{dimension}.{bucket.key}"] = _count(spec, bucket.condition)
    values = ctx.cases.aggregate(**expressions)
    ethnicity = _grouped_by_ethnicity(ctx, usable) if _wants(usable, Dimension.ETHNICITY) else {}
    areas = _grouped_by_area(ctx, usable) if _wants(usable, Dimension.AREA) else {}
    area_names = _area_names(ctx, areas) if areas else {}

    results = []
    for index, indicator in enumerate(usable):
        spec = MEASURES[indicator.measure]
        unit_label = _("Số trẻ em") if spec.children else _("Số vụ việc")
        result = IndicatorResult(indicator, unit_label, Cell(values[f"i{index}"], ctx.link(**spec.link)))
        for dimension in indicator.disaggregations:
            buckets = fixed_buckets(dimension, bands)
            if buckets is not None:
                # A bucket's own filter wins over the measure's (a special group narrows "any group").
                rows = [
                    Row(b.key, b.label, [Cell(values[f"i{index}.{dimension}.{b.key}"], ctx.link(**spec.link | b.link))])
                    for b in buckets
                ]
            elif dimension == Dimension.ETHNICITY:
                rows = _ethnicity_rows(ctx, spec, ethnicity, index)
            elif dimension == Dimension.AREA:
                rows = _area_rows(ctx, spec, areas, area_names, index)
            else:  # pragma: no cover - an unknown dimension typed in the admin
                continue
            title = str(Dimension(dimension).label)
            result.tables.append(Table(f"{indicator.code}.{dimension}", title, [Column("value", unit_label)], rows))
        results.append(result)
    return results


def _wants(indicators: list[Indicator], dimension: str) -> bool:
    return any(dimension in i.disaggregations for i in indicators)


def _per_indicator(indicators: list[Indicator]) -> dict[str, Count]:
    return {
        f"i{index}": _count(MEASURES[i.measure])
        for index, i in enumerate(indicators)
        if Dimension.ETHNICITY in i.disaggregations or Dimension.AREA in i.disaggregations
    }


def _grouped_by_ethnicity(ctx: FigureContext, indicators: list[Indicator]) -> dict[tuple[str, str], dict[str, int]]:
    found: dict[tuple[str, str], dict[str, int]] = {}
    rows = (
        ctx.cases.values("child__ethnicity_code_system", "child__ethnicity_code")
        .annotate(**_per_indicator(indicators))
        .order_by()
    )
    for row in rows.iterator():
        found[(row.pop("child__ethnicity_code_system"), row.pop("child__ethnicity_code"))] = row
    return found


def _ethnicity_rows(
    ctx: FigureContext, spec: MeasureSpec, found: dict[tuple[str, str], dict[str, int]], index: int
) -> list[Row]:
    def total(match: Any) -> int:
        return sum(v.get(f"i{index}", 0) for key, v in found.items() if match(key))

    rows = [Row("kinh", _("Kinh"), [Cell(total(lambda k: k[1] == KINH_CODE), ctx.link(**spec.link, ethnicity="kinh"))])]
    for system, code in sorted(k for k in found if k[1] not in ("", KINH_CODE)):
        value = found[(system, code)].get(f"i{index}", 0)
        if not value:
            continue
        key = code if system == QD121_CODE_SYSTEM else f"{system}:{code}"
        label = ethnicity_name(code, system) or _("Mã %(code)s") % {"code": key}
        rows.append(Row(key, label, [Cell(value, ctx.link(**spec.link, ethnicity=key))]))
    rows.append(
        Row(
            "minority",
            _("Dân tộc thiểu số (cộng)"),
            [Cell(total(lambda k: k[1] not in ("", KINH_CODE)), ctx.link(**spec.link, ethnicity="minority"))],
            total=True,
        )
    )
    rows.append(
        Row(
            UNKNOWN,
            _("Chưa ghi dân tộc"),
            [Cell(total(lambda k: k[1] == ""), ctx.link(**spec.link, ethnicity=UNKNOWN))],
        )
    )
    return rows


def _area_field(ctx: FigureContext) -> str:
    return "province" if ctx.scope.unit is None else "commune"


def _grouped_by_area(ctx: FigureContext, indicators: list[Indicator]) -> dict[str, dict[str, int]]:
    field_name = _area_field(ctx)
    found: dict[str, dict[str, int]] = {}
    rows = ctx.cases.values(f"{field_name}__code").annotate(**_per_indicator(indicators)).order_by()
    for row in rows.iterator():
        found[row.pop(f"{field_name}__code")] = row
    return found


def _area_names(ctx: FigureContext, found: dict[str, dict[str, int]]) -> dict[str, str]:
    kind = UnitKind.PROVINCE if ctx.scope.unit is None else UnitKind.COMMUNE
    units = AdministrativeUnit.objects.filter(kind=kind, code__in=list(found))
    if ctx.scope.unit is not None:
        units = units.filter(path__startswith=ctx.scope.unit.path)
    return dict(in_vietnamese_order(units.values_list("code", "name"), name=itemgetter(1), tie=itemgetter(0)))


def _area_rows(
    ctx: FigureContext, spec: MeasureSpec, found: dict[str, dict[str, int]], names: dict[str, str], index: int
) -> list[Row]:
    field_name = _area_field(ctx)
    rows = []
    for code, name in names.items():
        value = found.get(code, {}).get(f"i{index}", 0)
        if value:
            rows.append(Row(code, name, [Cell(value, ctx.link(**spec.link, **{field_name: code}))]))
    return rows
