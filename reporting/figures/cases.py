"""The case sections of the dashboard and the reports, computed in SQL over the indexed case columns.

Queries (whatever the number of cases — nothing is loaded into Python but aggregates):
1. the age bands (a handful of rows);
2. one aggregate over the scope's cases: every count by kind, form, sub-type, setting, sex, age band, special
   group, accident, status and overdue step, as COUNT(...) FILTER (WHERE ...) in a single pass;
3. children by ethnic group (GROUP BY the child's code);
4. cases by month of receipt (GROUP BY month);
5. and 6. cases by commune (or, for the whole country, by province): GROUP BY the area, then the list of
   areas so that those with no case show a 0.
The scope's cases come from `Case.objects.visible_to(viewer)` (reporting/figures/compute.py), so a figure never
counts a case its reader could not open; every figure links to the case list with the filters that select
exactly the cases it counts (for children: the cases of those children).
"""

from __future__ import annotations

import datetime
from operator import itemgetter
from typing import Any

from django.db.models import Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import AccidentOutcome, AccidentType, CaseKind
from cases.models.choices import ANY_GROUP, SPECIAL_GROUPS
from childprotect.models import AdministrativeUnit
from childprotect.models.units import UnitKind
from childprotect.text.vietnamese import in_vietnamese_order
from reporting.figures.registry import FigureContext
from reporting.figures.types import Cell, Column, Row, Section, Table
from reporting.measures import (
    ENDED_STATUSES,
    SUPPORTED_STATUSES,
    Dim,
    Tally,
    age_bands,
    ethnicity_rows,
    key_of,
)
from reporting.models import AgeBand

AREA_KINDS = [CaseKind.ABUSE, CaseKind.AT_RISK, CaseKind.SPECIAL_CIRCUMSTANCE, CaseKind.ACCIDENT]
__all__ = ["ENDED_STATUSES", "SUPPORTED_STATUSES", "age_bands", "provide"]

# The figures of the case sections, each (measure, disaggregation) of reporting/measures.py.
SPLITS = [
    ("cases", Dim.KIND),
    ("abuse_cases", Dim.ABUSE_FORM),
    ("abuse_cases", Dim.ABUSE_SUBTYPE),
    ("abuse_cases", Dim.SETTING),
    ("children", Dim.SEX),
    ("children", Dim.AGE_GROUP),
    ("special_children", Dim.SPECIAL_GROUP),
    ("special_children_supported", Dim.SPECIAL_GROUP),
    ("accident_children", Dim.ACCIDENT_TYPE),
    ("accident_deaths", Dim.ACCIDENT_TYPE),
    ("accident_injuries", Dim.ACCIDENT_TYPE),
    ("cases_by_status", Dim.STATUS),
    ("overdue_cases", Dim.DEADLINE_STEP),
]


def case_tally(as_of: datetime.datetime, bands: list[AgeBand]) -> Tally:
    tally = Tally(as_of, bands)
    for measure_key, dimension in SPLITS:
        tally.add_split(measure_key, dimension)
    return tally


def provide(ctx: FigureContext) -> list[Section]:
    bands = age_bands_of(ctx)
    v = ctx.values(case_tally(ctx.scope.as_of, bands))

    sections = [
        _cases_section(ctx, v),
        _children_section(ctx, v, bands),
        _special_section(ctx, v),
        _accident_section(ctx, v),
        _progress_section(ctx, v),
        _trend_section(ctx),
    ]
    area = _area_section(ctx)
    if area is not None:
        sections.append(area)
    ctx.totals.update(
        {
            "cases": v["cases"],
            "children": v["children"],
            "open": v[key_of("cases_by_status", Dim.STATUS, "open")],
            "overdue": v["overdue_cases"],
            **{f"kind.{kind}": v[key_of("cases", Dim.KIND, kind)] for kind in CaseKind.values},
        }
    )
    return sections


def _one(key: str, label: Any, value: int, url: str, *, total: bool = False) -> Row:
    return Row(key=key, label=str(label), cells=[Cell(value, url)], total=total)


def _split_rows(ctx: FigureContext, v: dict[str, int], measure_key: str, dimension: str, **extra: Any) -> list[Row]:
    from reporting.measures import buckets, link_filters

    return [
        _one(
            b.key,
            b.label,
            v[key_of(measure_key, dimension, b.key)],
            ctx.link(**link_filters(measure_key, dimension, b), **extra),
        )
        for b in buckets(dimension, age_bands_of(ctx))
    ]


def age_bands_of(ctx: FigureContext) -> list[AgeBand]:
    if "age_bands" not in ctx.cache:
        ctx.cache["age_bands"] = age_bands()
    bands: list[AgeBand] = ctx.cache["age_bands"]
    return bands


def _cases_section(ctx: FigureContext, v: dict[str, int]) -> Section:
    count = [Column("cases", _("Số vụ việc"))]
    by_kind = Table(
        "cases_by_kind",
        _("Vụ việc theo loại"),
        count,
        [*_split_rows(ctx, v, "cases", Dim.KIND), _one("total", _("Tổng cộng"), v["cases"], ctx.link(), total=True)],
    )
    by_form = Table(
        "abuse_forms",
        _("Vụ việc xâm hại theo hình thức"),
        count,
        _split_rows(ctx, v, "abuse_cases", Dim.ABUSE_FORM),
        note=_("Một vụ việc có thể có nhiều hình thức xâm hại."),
    )
    by_subtype = Table(
        "abuse_subtypes",
        _("Vụ việc xâm hại theo chi tiết hình thức"),
        count,
        _split_rows(ctx, v, "abuse_cases", Dim.ABUSE_SUBTYPE),
    )
    by_setting = Table(
        "abuse_settings",
        _("Vụ việc xâm hại theo môi trường xảy ra"),
        count,
        _split_rows(ctx, v, "abuse_cases", Dim.SETTING),
    )
    return Section("cases", _("Vụ việc"), 10, [by_kind, by_form, by_subtype, by_setting])


def _children_section(ctx: FigureContext, v: dict[str, int], bands: list[AgeBand]) -> Section:
    count = [Column("children", _("Số trẻ em"))]
    by_sex = Table(
        "children_by_sex",
        _("Trẻ em theo giới tính"),
        count,
        [
            *_split_rows(ctx, v, "children", Dim.SEX),
            _one("total", _("Tổng số trẻ em"), v["children"], ctx.link(), total=True),
        ],
    )
    by_age = Table(
        "children_by_age",
        _("Trẻ em theo nhóm tuổi (tuổi khi tiếp nhận)"),
        count,
        _split_rows(ctx, v, "children", Dim.AGE_GROUP),
    )
    return Section(
        "children",
        _("Trẻ em"),
        20,
        [by_sex, by_age, _ethnicity_table(ctx)],
        note=_("Mỗi trẻ được đếm một lần dù có nhiều hồ sơ; liên kết mở danh sách hồ sơ của các trẻ đó."),
    )


def _ethnicity_table(ctx: FigureContext) -> Table:
    found = ctx.by_ethnicity(["children"])
    table_rows = [
        _one(r.key, r.label, r.value, ctx.link(ethnicity=r.key), total=r.total)
        for r in ethnicity_rows(found, "children")
    ]
    return Table("children_by_ethnicity", _("Trẻ em theo dân tộc"), [Column("children", _("Số trẻ em"))], table_rows)


def _special_section(ctx: FigureContext, v: dict[str, int]) -> Section:
    columns = [Column("children", _("Số trẻ em")), Column("supported", _("Được hỗ trợ"))]

    def row(key: str, label: Any, group: str | None, *, total: bool = False) -> Row:
        children = "special_children" if group is None else key_of("special_children", Dim.SPECIAL_GROUP, group)
        supported = (
            "special_children_supported"
            if group is None
            else key_of("special_children_supported", Dim.SPECIAL_GROUP, group)
        )
        group = group or ANY_GROUP
        return Row(
            key,
            str(label),
            [
                Cell(v[children], ctx.link(special_group=group)),
                Cell(v[supported], ctx.link(special_group=group, status=SUPPORTED_STATUSES)),
            ],
            total=total,
        )

    table = Table(
        "special_groups",
        _("Trẻ em có hoàn cảnh đặc biệt theo nhóm (Luật Trẻ em, Điều 10)"),
        columns,
        [row(code, label, code) for code, label in SPECIAL_GROUPS]
        + [row("total", _("Tổng số trẻ em có hoàn cảnh đặc biệt"), None, total=True)],
        note=_("Được hỗ trợ: kế hoạch hỗ trợ, can thiệp đã được phê duyệt. Một trẻ có thể thuộc nhiều nhóm."),
    )
    return Section("special", _("Trẻ em có hoàn cảnh đặc biệt"), 30, [table])


def _accident_section(ctx: FigureContext, v: dict[str, int]) -> Section:
    """Children, each once: a child recorded in two accident cases (a duplicate, or two accidents) counts once
    in every cell, and a total is the number of distinct children, not the sum of its row or column."""
    kind = CaseKind.ACCIDENT
    columns = [
        Column(AccidentOutcome.DEATH, _("Tử vong")),
        Column(AccidentOutcome.INJURY, _("Bị thương")),
        Column("total", _("Cộng")),
    ]
    rows = []
    for accident_type, label in AccidentType.choices:
        rows.append(
            Row(
                accident_type,
                str(label),
                [
                    Cell(
                        v[key_of("accident_deaths", Dim.ACCIDENT_TYPE, accident_type)],
                        ctx.link(kind=kind, accident_type=accident_type, accident_outcome="death"),
                    ),
                    Cell(
                        v[key_of("accident_injuries", Dim.ACCIDENT_TYPE, accident_type)],
                        ctx.link(kind=kind, accident_type=accident_type, accident_outcome="injury"),
                    ),
                    Cell(
                        v[key_of("accident_children", Dim.ACCIDENT_TYPE, accident_type)],
                        ctx.link(kind=kind, accident_type=accident_type),
                    ),
                ],
            )
        )
    rows.append(
        Row(
            "total",
            _("Tổng cộng"),
            [
                Cell(v["accident_deaths"], ctx.link(kind=kind, accident_outcome="death")),
                Cell(v["accident_injuries"], ctx.link(kind=kind, accident_outcome="injury")),
                Cell(v["accident_children"], ctx.link(kind=kind)),
            ],
            total=True,
        )
    )
    table = Table(
        "accidents",
        _("Tai nạn, thương tích trẻ em"),
        [Column(c.key, c.label) for c in columns],
        rows,
        note=_("Số trẻ em: mỗi trẻ được đếm một lần dù có nhiều hồ sơ."),
    )
    return Section("accidents", _("Tai nạn, thương tích"), 40, [table])


def _progress_section(ctx: FigureContext, v: dict[str, int]) -> Section:
    count = [Column("cases", _("Số vụ việc"))]
    by_status = Table(
        "cases_by_status",
        _("Vụ việc đang xử lý, đã kết thúc"),
        count,
        _split_rows(ctx, v, "cases_by_status", Dim.STATUS),
    )
    overdue_rows = _split_rows(ctx, v, "overdue_cases", Dim.DEADLINE_STEP)
    overdue_rows.append(
        _one(
            "total",
            _("Tổng số vụ việc có bước quá hạn"),
            v["overdue_cases"],
            ctx.link(open="true", due="overdue"),
            total=True,
        )
    )
    overdue = Table(
        "overdue_steps",
        _("Bước theo thời hạn luật định đã quá hạn"),
        count,
        overdue_rows,
        note=_("Vụ việc đang xử lý có bước quá hạn, theo bước đến hạn sớm nhất."),
    )
    return Section("progress", _("Tiến độ xử lý"), 60, [by_status, overdue])


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _trend_section(ctx: FigureContext) -> Section:
    tz = timezone.get_current_timezone()
    counts: dict[datetime.date, dict[str, int]] = {}
    month_figures: dict[str, tuple[str, str | None, str | None]] = {"total": ("cases", None, None)}
    month_figures.update({kind: ("cases", Dim.KIND, kind) for kind in CaseKind.values})
    found_by_month = ctx.by_field("month", month_figures, month=TruncMonth("received_at", tzinfo=tz))
    for month_start, row in found_by_month.items():
        counts[timezone.localtime(month_start, tz).date()] = row
    columns = [Column("total", _("Tổng")), *[Column(kind, str(label)) for kind, label in CaseKind.choices]]
    table_rows = []
    month = _month_start(ctx.scope.start)
    while month <= ctx.scope.end:
        following = (month + datetime.timedelta(days=32)).replace(day=1)
        first, last = max(month, ctx.scope.start), min(following - datetime.timedelta(days=1), ctx.scope.end)
        found = counts.get(month, {})
        dates = {"received_from": first.isoformat(), "received_to": last.isoformat()}
        table_rows.append(
            Row(
                month.strftime("%Y-%m"),
                f"{month.month:02d}/{month.year}",
                [Cell(found.get("total", 0), ctx.link(**dates))]
                + [Cell(found.get(kind, 0), ctx.link(kind=kind, **dates)) for kind in CaseKind.values],
            )
        )
        month = following
    table = Table("cases_by_month", _("Vụ việc theo tháng tiếp nhận"), columns, table_rows, chart="trend")
    return Section("trend", _("Diễn biến theo tháng"), 90, [table])


def _area_section(ctx: FigureContext) -> Section | None:
    unit = ctx.scope.unit
    if unit is not None and unit.kind == UnitKind.COMMUNE:
        return None
    by_province = unit is None
    field = "province" if by_province else "commune"
    area_figures: dict[str, tuple[str, str | None, str | None]] = {
        "total": ("cases", None, None),
        "open": ("cases_by_status", Dim.STATUS, "open"),
        "overdue": ("overdue_cases", None, None),
    }
    area_figures.update({kind: ("cases", Dim.KIND, kind) for kind in AREA_KINDS})
    figures: dict[str, dict[str, int]] = ctx.by_field(f"{field}__code", area_figures)
    if by_province:
        areas = AdministrativeUnit.objects.current().filter(kind=UnitKind.PROVINCE)
    else:
        assert unit is not None
        areas = AdministrativeUnit.objects.filter(kind=UnitKind.COMMUNE, path__startswith=unit.path)
        areas = areas.filter(Q(pk__in=AdministrativeUnit.objects.current().values("pk")) | Q(code__in=list(figures)))
    names = dict(in_vietnamese_order(areas.values_list("code", "name"), name=itemgetter(1), tie=itemgetter(0)))
    for code in figures:
        names.setdefault(code, code)
    columns = [
        Column("total", _("Tổng số vụ việc")),
        *[Column(kind, str(CaseKind(kind).label)) for kind in AREA_KINDS],
        Column("open", _("Đang xử lý")),
        Column("overdue", _("Có bước quá hạn")),
    ]
    table_rows = []
    for code, name in names.items():
        found = figures.get(code, {})
        where = {field: code}
        table_rows.append(
            Row(
                code,
                name,
                [Cell(found.get("total", 0), ctx.link(**where))]
                + [Cell(found.get(kind, 0), ctx.link(kind=kind, **where)) for kind in AREA_KINDS]
                + [
                    Cell(found.get("open", 0), ctx.link(open="true", **where)),
                    Cell(found.get("overdue", 0), ctx.link(open="true", due="overdue", **where)),
                ],
            )
        )
    title = _("Vụ việc theo tỉnh, thành phố") if by_province else _("Vụ việc theo xã, phường, đặc khu")
    table = Table("cases_by_area", title, columns, table_rows)
    return Section("areas", title, 100, [table])
