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

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.ethnicity import KINH_CODE, QD121_CODE_SYSTEM, ethnicity_name
from cases.models import (
    AbuseForm,
    AbuseSubtype,
    AccidentOutcome,
    AccidentType,
    CaseKind,
    CaseStatus,
    DeadlineStep,
    Setting,
    Sex,
)
from cases.models.choices import ANY_GROUP, OPEN_STATUSES, SPECIAL_GROUPS
from cases.querysets import UNKNOWN, age_between, age_unknown, special_circumstances_q, special_group_q
from childprotect.models import AdministrativeUnit
from childprotect.models.units import UnitKind
from childprotect.text.vietnamese import in_vietnamese_order
from reporting.figures.registry import FigureContext
from reporting.figures.types import Cell, Column, Row, Section, Table
from reporting.models import AgeBand

# A special-circumstance child counts as supported once a support plan was approved (NĐ56 Art. 28–30): the
# case is at or past plan approval, or was closed after it.
SUPPORTED_STATUSES = [CaseStatus.PLAN_APPROVED, CaseStatus.IN_PROGRESS, CaseStatus.REVIEW, CaseStatus.CLOSED]
DEFAULT_AGE_BANDS = [(0, 5), (6, 10), (11, 15), (16, 17)]
ENDED_STATUSES = [CaseStatus.CLOSED, CaseStatus.NOT_SUBSTANTIATED, CaseStatus.TRANSFERRED]
AREA_KINDS = [CaseKind.ABUSE, CaseKind.AT_RISK, CaseKind.SPECIAL_CIRCUMSTANCE, CaseKind.ACCIDENT]


def age_bands() -> list[AgeBand]:
    bands = list(AgeBand.objects.all())
    return bands or [AgeBand(min_age=lo, max_age=hi, position=i) for i, (lo, hi) in enumerate(DEFAULT_AGE_BANDS)]


def _open_q() -> Q:
    return Q(status__in=OPEN_STATUSES)


def _overdue_q(as_of: datetime.datetime) -> Q:
    return Q(status__in=OPEN_STATUSES, next_deadline_at__lt=as_of)


class _Aggregates:
    """Collects the COUNT ... FILTER expressions of query 2 under generated names."""

    def __init__(self) -> None:
        self.expressions: dict[str, Any] = {}

    def cases(self, name: str, condition: Q | None = None) -> str:
        self.expressions[name] = Count("id", filter=condition)
        return name

    def children(self, name: str, condition: Q | None = None) -> str:
        self.expressions[name] = Count("child_id", distinct=True, filter=condition)
        return name


def provide(ctx: FigureContext) -> list[Section]:
    as_of = ctx.scope.as_of
    bands = age_bands()
    agg = _Aggregates()
    agg.cases("cases")
    agg.children("children")
    for kind in CaseKind.values:
        agg.cases(f"kind.{kind}", Q(kind=kind))
    abuse = Q(kind=CaseKind.ABUSE)
    for form in AbuseForm.values:
        agg.cases(f"form.{form}", abuse & Q(abuse_forms__contains=[form]))
    for subtype in AbuseSubtype.values:
        agg.cases(f"subtype.{subtype}", abuse & Q(abuse_subtypes__contains=[subtype]))
    for setting in [*Setting.values, ""]:
        agg.cases(f"setting.{setting}", abuse & Q(setting=setting))
    for sex in Sex.values:
        agg.children(f"sex.{sex}", Q(child__sex=sex))
    for band in bands:
        agg.children(f"age.{band.key}", age_between(band.min_age, band.max_age))
    agg.children("age.unknown", age_unknown())
    # Ticked or implied by the case's data: a sexual-abuse case counts in group l (cases/special_groups.py).
    special = special_circumstances_q()
    supported = Q(status__in=SUPPORTED_STATUSES)
    agg.children("special.all", special)
    agg.children("special.all.supported", special & supported)
    for code, _label in SPECIAL_GROUPS:
        agg.children(f"special.{code}", special_group_q(code))
        agg.children(f"special.{code}.supported", supported & special_group_q(code))
    accident = Q(kind=CaseKind.ACCIDENT)
    for accident_type in AccidentType.values:
        for outcome in AccidentOutcome.values:
            agg.cases(
                f"accident.{accident_type}.{outcome}",
                accident & Q(accident_type=accident_type, accident_outcome=outcome),
            )
    agg.cases("status.open", _open_q())
    for status in ENDED_STATUSES:
        agg.cases(f"status.{status}", Q(status=status))
    agg.cases("overdue", _overdue_q(as_of))
    for step in DeadlineStep.values:
        agg.cases(f"overdue.{step}", _overdue_q(as_of) & Q(next_deadline_step=step))

    v: dict[str, int] = ctx.cases.aggregate(**agg.expressions)

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
            "open": v["status.open"],
            "overdue": v["overdue"],
            **{f"kind.{kind}": v[f"kind.{kind}"] for kind in CaseKind.values},
        }
    )
    return sections


def _one(key: str, label: Any, value: int, url: str, *, total: bool = False) -> Row:
    return Row(key=key, label=str(label), cells=[Cell(value, url)], total=total)


def _cases_section(ctx: FigureContext, v: dict[str, int]) -> Section:
    count = [Column("cases", _("Số vụ việc"))]
    by_kind = Table(
        "cases_by_kind",
        _("Vụ việc theo loại"),
        count,
        [_one(kind, label, v[f"kind.{kind}"], ctx.link(kind=kind)) for kind, label in CaseKind.choices]
        + [_one("total", _("Tổng cộng"), v["cases"], ctx.link(), total=True)],
    )
    by_form = Table(
        "abuse_forms",
        _("Vụ việc xâm hại theo hình thức"),
        count,
        [
            _one(form, label, v[f"form.{form}"], ctx.link(kind=CaseKind.ABUSE, abuse_form=form))
            for form, label in AbuseForm.choices
        ],
        note=_("Một vụ việc có thể có nhiều hình thức xâm hại."),
    )
    by_subtype = Table(
        "abuse_subtypes",
        _("Vụ việc xâm hại theo chi tiết hình thức"),
        count,
        [
            _one(
                subtype,
                f"{AbuseForm(subtype.split('.')[0]).label} – {label}",
                v[f"subtype.{subtype}"],
                ctx.link(kind=CaseKind.ABUSE, abuse_subtype=subtype),
            )
            for subtype, label in AbuseSubtype.choices
        ],
    )
    by_setting = Table(
        "abuse_settings",
        _("Vụ việc xâm hại theo môi trường xảy ra"),
        count,
        [
            _one(setting, label, v[f"setting.{setting}"], ctx.link(kind=CaseKind.ABUSE, setting=setting))
            for setting, label in Setting.choices
        ]
        + [_one(UNKNOWN, _("Chưa ghi"), v["setting."], ctx.link(kind=CaseKind.ABUSE, setting=UNKNOWN))],
    )
    return Section("cases", _("Vụ việc"), 10, [by_kind, by_form, by_subtype, by_setting])


def _children_section(ctx: FigureContext, v: dict[str, int], bands: list[AgeBand]) -> Section:
    count = [Column("children", _("Số trẻ em"))]
    by_sex = Table(
        "children_by_sex",
        _("Trẻ em theo giới tính"),
        count,
        [_one(sex, label, v[f"sex.{sex}"], ctx.link(sex=sex)) for sex, label in Sex.choices]
        + [_one("total", _("Tổng số trẻ em"), v["children"], ctx.link(), total=True)],
    )
    by_age = Table(
        "children_by_age",
        _("Trẻ em theo nhóm tuổi (tuổi khi tiếp nhận)"),
        count,
        [
            _one(
                band.key, band.display_label, v[f"age.{band.key}"], ctx.link(age_min=band.min_age, age_max=band.max_age)
            )
            for band in bands
        ]
        + [_one(UNKNOWN, _("Chưa rõ tuổi"), v["age.unknown"], ctx.link(age_unknown="true"))],
    )
    return Section(
        "children",
        _("Trẻ em"),
        20,
        [by_sex, by_age, _ethnicity_table(ctx)],
        note=_("Mỗi trẻ được đếm một lần dù có nhiều hồ sơ; liên kết mở danh sách hồ sơ của các trẻ đó."),
    )


def _ethnicity_table(ctx: FigureContext) -> Table:
    counts: dict[tuple[str, str], int] = {}
    rows = (
        ctx.cases.values_list("child__ethnicity_code_system", "child__ethnicity_code")
        .annotate(children=Count("child_id", distinct=True))
        .order_by()
    )
    for system, code, children in rows.iterator():
        counts[(system, code)] = counts.get((system, code), 0) + children
    kinh = sum(n for (_system, code), n in counts.items() if code == KINH_CODE)
    unknown = sum(n for (_system, code), n in counts.items() if code == "")
    minorities = sorted(
        ((system, code, n) for (system, code), n in counts.items() if code not in ("", KINH_CODE)),
        key=lambda item: (item[0] != QD121_CODE_SYSTEM, item[1]),
    )
    table_rows = [_one("kinh", _("Kinh"), kinh, ctx.link(ethnicity="kinh"))]
    for system, code, n in minorities:
        if system == QD121_CODE_SYSTEM:
            key, label = code, ethnicity_name(code) or _("Mã %(code)s") % {"code": code}
        else:
            key, label = f"{system}:{code}", _("Mã %(code)s (%(system)s)") % {"code": code, "system": system}
        table_rows.append(_one(key, label, n, ctx.link(ethnicity=key)))
    table_rows.append(
        _one(
            "minority",
            _("Dân tộc thiểu số (cộng)"),
            sum(n for _s, _c, n in minorities),
            ctx.link(ethnicity="minority"),
            total=True,
        )
    )
    table_rows.append(_one(UNKNOWN, _("Chưa ghi dân tộc"), unknown, ctx.link(ethnicity=UNKNOWN)))
    return Table("children_by_ethnicity", _("Trẻ em theo dân tộc"), [Column("children", _("Số trẻ em"))], table_rows)


def _special_section(ctx: FigureContext, v: dict[str, int]) -> Section:
    columns = [Column("children", _("Số trẻ em")), Column("supported", _("Được hỗ trợ"))]

    def row(key: str, label: Any, group: str | None, *, total: bool = False) -> Row:
        prefix = "special.all" if group is None else f"special.{group}"
        group = group or ANY_GROUP
        return Row(
            key,
            str(label),
            [
                Cell(v[prefix], ctx.link(special_group=group)),
                Cell(v[f"{prefix}.supported"], ctx.link(special_group=group, status=SUPPORTED_STATUSES)),
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
    kind = CaseKind.ACCIDENT
    columns = [
        Column(AccidentOutcome.DEATH, _("Tử vong")),
        Column(AccidentOutcome.INJURY, _("Bị thương")),
        Column("total", _("Cộng")),
    ]
    rows = []
    for accident_type, label in AccidentType.choices:
        deaths, injuries = v[f"accident.{accident_type}.death"], v[f"accident.{accident_type}.injury"]
        rows.append(
            Row(
                accident_type,
                str(label),
                [
                    Cell(deaths, ctx.link(kind=kind, accident_type=accident_type, accident_outcome="death")),
                    Cell(injuries, ctx.link(kind=kind, accident_type=accident_type, accident_outcome="injury")),
                    Cell(deaths + injuries, ctx.link(kind=kind, accident_type=accident_type)),
                ],
            )
        )
    all_deaths = sum(v[f"accident.{t}.death"] for t in AccidentType.values)
    all_injuries = sum(v[f"accident.{t}.injury"] for t in AccidentType.values)
    rows.append(
        Row(
            "total",
            _("Tổng cộng"),
            [
                Cell(all_deaths, ctx.link(kind=kind, accident_outcome="death")),
                Cell(all_injuries, ctx.link(kind=kind, accident_outcome="injury")),
                Cell(all_deaths + all_injuries, ctx.link(kind=kind)),
            ],
            total=True,
        )
    )
    table = Table("accidents", _("Tai nạn, thương tích trẻ em"), columns, rows)
    return Section("accidents", _("Tai nạn, thương tích"), 40, [table])


def _progress_section(ctx: FigureContext, v: dict[str, int]) -> Section:
    count = [Column("cases", _("Số vụ việc"))]
    status_rows = [_one("open", _("Đang xử lý"), v["status.open"], ctx.link(open="true"))]
    status_rows += [_one(s, CaseStatus(s).label, v[f"status.{s}"], ctx.link(status=s)) for s in ENDED_STATUSES]
    by_status = Table("cases_by_status", _("Vụ việc đang xử lý, đã kết thúc"), count, status_rows)
    overdue_rows = [
        _one(step, label, v[f"overdue.{step}"], ctx.link(open="true", due="overdue", next_step=step))
        for step, label in DeadlineStep.choices
    ]
    overdue_rows.append(
        _one(
            "total",
            _("Tổng số vụ việc có bước quá hạn"),
            v["overdue"],
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
    rows = (
        ctx.cases.annotate(month=TruncMonth("received_at", tzinfo=tz))
        .values("month")
        .annotate(total=Count("id"), **{kind: Count("id", filter=Q(kind=kind)) for kind in CaseKind.values})
        .order_by("month")
    )
    for row in rows.iterator():
        counts[timezone.localtime(row.pop("month"), tz).date()] = row
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
    as_of = ctx.scope.as_of
    figures: dict[str, dict[str, int]] = {}
    rows = (
        ctx.cases.values(f"{field}__code")
        .annotate(
            total=Count("id"),
            open=Count("id", filter=_open_q()),
            overdue=Count("id", filter=_overdue_q(as_of)),
            **{kind: Count("id", filter=Q(kind=kind)) for kind in AREA_KINDS},
        )
        .order_by()
    )
    for row in rows.iterator():
        figures[row.pop(f"{field}__code")] = row
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
