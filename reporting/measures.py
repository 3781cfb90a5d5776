"""The registry of measures: every figure of the dashboard, the API, the report tables, the narrative, the
indicators and the XLSX is one of these, and is counted only here.

A measure says
- its name (Vietnamese, translated for the reader);
- what it counts: cases (`CASES`), distinct children (`CHILDREN`: a child with two cases counts once) or events;
- which cases it counts: a condition built from the rules of the case list (cases/querysets.py), so every figure
  links to the list that shows exactly what it counts (`link`);
- the disaggregations it can be split by (sex, age group, ethnicity, abuse form, area...), each a list of buckets
  (`buckets()`) or a GROUP BY (ethnicity, area, month);
- its period rule: which cases of a period it looks at (`PeriodRule`).

"Where is the number of children who drowned defined?" — `ACCIDENT_DEATHS` below, split by `accident_type`.

Counting goes through `Tally` (one aggregate query with COUNT ... FILTER per figure) and the grouped helpers
`count_by_ethnicity` / `count_by_field`; nothing else in the code base builds a COUNT over cases for a figure.
The summary tables (reporting/summaries.py) are filled by the same definitions.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
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
from reporting.models import AgeBand, Dimension

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from cases.models import Case

# A special-circumstance child counts as supported once a support plan was approved (NĐ56 Art. 28–30): the
# case is at or past plan approval, or was closed after it.
SUPPORTED_STATUSES = [CaseStatus.PLAN_APPROVED, CaseStatus.IN_PROGRESS, CaseStatus.REVIEW, CaseStatus.CLOSED]
ENDED_STATUSES = [CaseStatus.CLOSED, CaseStatus.NOT_SUBSTANTIATED, CaseStatus.TRANSFERRED]
DEFAULT_AGE_BANDS = [(0, 5), (6, 10), (11, 15), (16, 17)]


class Counted:
    """What a measure counts."""

    CASES = "cases"  # vụ việc
    CHILDREN = "children"  # trẻ em, each once however many cases
    EVENTS = "events"  # lượt (referrals, task deadlines: reporting/figures/referrals.py, directive_tasks.py)


class PeriodRule:
    """Which cases of a period a measure looks at. Every rule starts from the cases received in the period
    (local calendar days) and recorded by the data cut-off (`Scope.as_of`), drafts left out."""

    RECEIVED = "received"  # the cases received in the period
    STATUS_AT_CUTOFF = "status_at_cutoff"  # ... by their status at the cut-off
    OVERDUE_AT_CUTOFF = "overdue_at_cutoff"  # ... open with a statutory step overdue at the cut-off


class Dim:
    """Disaggregations: those an admin can choose for an indicator (reporting.models.Dimension) and those the
    dashboard's tables use besides."""

    SEX = Dimension.SEX.value
    AGE_GROUP = Dimension.AGE_GROUP.value
    ETHNICITY = Dimension.ETHNICITY.value
    SETTING = Dimension.SETTING.value
    ABUSE_FORM = Dimension.ABUSE_FORM.value
    SPECIAL_GROUP = Dimension.SPECIAL_GROUP.value
    ACCIDENT_TYPE = Dimension.ACCIDENT_TYPE.value
    AREA = Dimension.AREA.value
    KIND = "kind"
    ABUSE_SUBTYPE = "abuse_subtype"
    STATUS = "status"
    DEADLINE_STEP = "deadline_step"
    MONTH = "month"


GROUPED_DIMENSIONS = frozenset({Dim.ETHNICITY, Dim.AREA, Dim.MONTH})


@dataclass(frozen=True)
class Bucket:
    """One value of a disaggregation: its key, label, condition on the cases and case-list filters."""

    key: str
    label: str
    condition: Q
    link: dict[str, Any]


def _open_q() -> Q:
    return Q(status__in=OPEN_STATUSES)


def overdue_q(as_of: datetime.datetime) -> Q:
    """Open, with the earliest statutory step due before `as_of`."""
    return Q(status__in=OPEN_STATUSES, next_deadline_at__lt=as_of)


@dataclass(frozen=True)
class MeasureDef:
    key: str
    label: str | Promise
    counts: str  # Counted.*
    where: Q | None = None  # None: every case of the period
    link: dict[str, Any] = field(default_factory=dict)
    disaggregations: tuple[str, ...] = ()
    period: str = PeriodRule.RECEIVED

    @property
    def children(self) -> bool:
        return self.counts == Counted.CHILDREN

    @property
    def unit_label(self) -> str:
        return _("Số trẻ em") if self.children else _("Số vụ việc")

    def condition(self, as_of: datetime.datetime) -> Q | None:
        """The cases it counts among those of the period (the period rule applied at the cut-off)."""
        if self.period == PeriodRule.OVERDUE_AT_CUTOFF:
            return overdue_q(as_of) if self.where is None else overdue_q(as_of) & self.where
        return self.where

    def count(self, as_of: datetime.datetime, extra: Q | None = None) -> Count:
        """The aggregate expression of this measure (narrowed by a bucket's condition)."""
        where = self.condition(as_of)
        if extra is not None:
            where = extra if where is None else where & extra
        if self.children:
            return Count("child_id", distinct=True, filter=where)
        return Count("id", filter=where)


_PERSON_DIMS = (Dim.SEX, Dim.AGE_GROUP, Dim.ETHNICITY, Dim.AREA, Dim.MONTH)
ACCIDENT = Q(kind=CaseKind.ACCIDENT)


def _m(key: str, label: Any, counts: str, where: Q | None, link: dict[str, Any], *dims: str, **kw: Any) -> MeasureDef:
    return MeasureDef(key, label, counts, where, link, tuple(dims), **kw)


_DEFINITIONS = [
    _m("cases", gettext_lazy("Số vụ việc tiếp nhận"), Counted.CASES, None, {}, Dim.KIND, *_PERSON_DIMS),
    _m("children", gettext_lazy("Số trẻ em"), Counted.CHILDREN, None, {}, *_PERSON_DIMS),
    _m(
        "abused_children",
        gettext_lazy("Số trẻ em bị xâm hại"),
        Counted.CHILDREN,
        Q(kind=CaseKind.ABUSE),
        {"kind": CaseKind.ABUSE},
        Dim.ABUSE_FORM,
        Dim.SETTING,
        *_PERSON_DIMS,
    ),
    _m(
        "abuse_cases",
        gettext_lazy("Số vụ việc xâm hại trẻ em"),
        Counted.CASES,
        Q(kind=CaseKind.ABUSE),
        {"kind": CaseKind.ABUSE},
        Dim.ABUSE_FORM,
        Dim.ABUSE_SUBTYPE,
        Dim.SETTING,
        *_PERSON_DIMS,
    ),
    _m(
        "at_risk_children",
        gettext_lazy("Số trẻ em có nguy cơ bị xâm hại"),
        Counted.CHILDREN,
        Q(kind=CaseKind.AT_RISK),
        {"kind": CaseKind.AT_RISK},
        *_PERSON_DIMS,
    ),
    # Children in special circumstances: recorded as such, or in a group ticked or implied (cases/special_groups.py).
    _m(
        "special_children",
        gettext_lazy("Số trẻ em có hoàn cảnh đặc biệt"),
        Counted.CHILDREN,
        special_circumstances_q(),
        {"special_group": ANY_GROUP},
        Dim.SPECIAL_GROUP,
        *_PERSON_DIMS,
    ),
    _m(
        "special_children_supported",
        gettext_lazy("Số trẻ em có hoàn cảnh đặc biệt được hỗ trợ"),
        Counted.CHILDREN,
        special_circumstances_q() & Q(status__in=SUPPORTED_STATUSES),
        {"special_group": ANY_GROUP, "status": SUPPORTED_STATUSES},
        Dim.SPECIAL_GROUP,
        *_PERSON_DIMS,
        period=PeriodRule.STATUS_AT_CUTOFF,
    ),
    _m(
        "accident_children",
        gettext_lazy("Số trẻ em bị tai nạn, thương tích"),
        Counted.CHILDREN,
        ACCIDENT,
        {"kind": CaseKind.ACCIDENT},
        Dim.ACCIDENT_TYPE,
        *_PERSON_DIMS,
    ),
    _m(
        "accident_deaths",
        gettext_lazy("Số trẻ em tử vong do tai nạn, thương tích"),
        Counted.CHILDREN,
        ACCIDENT & Q(accident_outcome=AccidentOutcome.DEATH),
        {"kind": CaseKind.ACCIDENT, "accident_outcome": AccidentOutcome.DEATH},
        Dim.ACCIDENT_TYPE,
        *_PERSON_DIMS,
    ),
    _m(
        "accident_injuries",
        gettext_lazy("Số trẻ em bị thương do tai nạn, thương tích"),
        Counted.CHILDREN,
        ACCIDENT & Q(accident_outcome=AccidentOutcome.INJURY),
        {"kind": CaseKind.ACCIDENT, "accident_outcome": AccidentOutcome.INJURY},
        Dim.ACCIDENT_TYPE,
        *_PERSON_DIMS,
    ),
    _m(
        "cases_by_status",
        gettext_lazy("Số vụ việc đang xử lý, đã kết thúc"),
        Counted.CASES,
        None,
        {},
        Dim.STATUS,
        Dim.AREA,
        period=PeriodRule.STATUS_AT_CUTOFF,
    ),
    _m(
        "overdue_cases",
        gettext_lazy("Số vụ việc có bước quá hạn"),
        Counted.CASES,
        None,
        {"open": "true", "due": "overdue"},
        Dim.DEADLINE_STEP,
        Dim.AREA,
        period=PeriodRule.OVERDUE_AT_CUTOFF,
    ),
]

MEASURES: dict[str, MeasureDef] = {m.key: m for m in _DEFINITIONS}


def measure(key: str) -> MeasureDef:
    return MEASURES[key]


def age_bands() -> list[AgeBand]:
    bands = list(AgeBand.objects.all())
    return bands or [AgeBand(min_age=lo, max_age=hi, position=i) for i, (lo, hi) in enumerate(DEFAULT_AGE_BANDS)]


def bands_key(bands: list[AgeBand]) -> tuple[tuple[str, int | None, int | None, str], ...]:
    return tuple((b.key, b.min_age, b.max_age, b.display_label) for b in bands)


_BUCKETS: dict[tuple[Any, ...], list[Bucket]] = {}


def buckets(dimension: str, bands: list[AgeBand]) -> list[Bucket]:
    """The values of a fixed-valued disaggregation (not those read by GROUP BY: ethnicity, area, month), built
    once per set of age bands and language (the dashboard asks for them hundreds of times)."""
    key = (dimension, bands_key(bands), get_language())
    found = _BUCKETS.get(key)
    if found is None:
        if len(_BUCKETS) > 256:
            _BUCKETS.clear()
        found = _BUCKETS[key] = _buckets(dimension, bands)
    return found


def bucket_map(dimension: str, bands: list[AgeBand]) -> dict[str, Bucket]:
    return {b.key: b for b in buckets(dimension, bands)}


def _buckets(dimension: str, bands: list[AgeBand]) -> list[Bucket]:
    if dimension == Dim.SEX:
        return [Bucket(s, str(label), Q(child__sex=s), {"sex": s}) for s, label in Sex.choices]
    if dimension == Dim.AGE_GROUP:
        return [
            Bucket(
                b.key, b.display_label, age_between(b.min_age, b.max_age), {"age_min": b.min_age, "age_max": b.max_age}
            )
            for b in bands
        ] + [Bucket(UNKNOWN, _("Chưa rõ tuổi"), age_unknown(), {"age_unknown": "true"})]
    if dimension == Dim.SETTING:
        return [Bucket(s, str(label), Q(setting=s), {"setting": s}) for s, label in Setting.choices] + [
            Bucket(UNKNOWN, _("Chưa ghi"), Q(setting=""), {"setting": UNKNOWN})
        ]
    if dimension == Dim.ABUSE_FORM:
        return [
            Bucket(f, str(label), Q(abuse_forms__contains=[f]), {"abuse_form": f}) for f, label in AbuseForm.choices
        ]
    if dimension == Dim.ABUSE_SUBTYPE:
        return [
            Bucket(
                s,
                f"{AbuseForm(s.split('.')[0]).label} – {label}",
                Q(abuse_subtypes__contains=[s]),
                {"abuse_subtype": s},
            )
            for s, label in AbuseSubtype.choices
        ]
    if dimension == Dim.SPECIAL_GROUP:
        return [Bucket(g, str(label), special_group_q(g), {"special_group": g}) for g, label in SPECIAL_GROUPS]
    if dimension == Dim.ACCIDENT_TYPE:
        return [Bucket(t, str(label), Q(accident_type=t), {"accident_type": t}) for t, label in AccidentType.choices]
    if dimension == Dim.KIND:
        return [Bucket(k, str(label), Q(kind=k), {"kind": k}) for k, label in CaseKind.choices]
    if dimension == Dim.STATUS:
        return [Bucket("open", _("Đang xử lý"), _open_q(), {"open": "true"})] + [
            Bucket(s, str(CaseStatus(s).label), Q(status=s), {"status": s}) for s in ENDED_STATUSES
        ]
    if dimension == Dim.DEADLINE_STEP:
        return [
            Bucket(step, str(label), Q(next_deadline_step=step), {"next_step": step})
            for step, label in DeadlineStep.choices
        ]
    raise ValueError(f"{dimension} is not a fixed-valued disaggregation")


def is_fixed(dimension: str) -> bool:
    return dimension not in GROUPED_DIMENSIONS


class Tally:
    """The figures asked of one set of cases, answered by ONE aggregate query (COUNT ... FILTER per figure).

        tally = Tally(as_of, bands)
        deaths = tally.add("accident_deaths")                     # the measure's total
        drowned = tally.add("accident_deaths", Dim.ACCIDENT_TYPE, "drowning")
        values = tally.run(cases)                                 # {name: int}

    The expressions are built only when counted from the cases (`run`, `expression`): read from the summary
    tables, a tally is its figures' names.
    """

    def __init__(self, as_of: datetime.datetime, bands: list[AgeBand] | None = None) -> None:
        self.as_of = as_of
        self.bands = age_bands() if bands is None else bands
        self.figures: dict[str, tuple[str, str | None, str | None]] = {}

    def bucket(self, dimension: str, key: str) -> Bucket:
        return bucket_map(dimension, self.bands)[key]

    def add(self, measure_key: str, dimension: str | None = None, bucket: str | None = None) -> str:
        spec = MEASURES[measure_key]
        name = key_of(measure_key, dimension, bucket)
        if dimension is not None and dimension not in spec.disaggregations:
            raise ValueError(f"{measure_key} cannot be split by {dimension}")
        self.figures[name] = (measure_key, dimension, bucket)
        return name

    def add_split(self, measure_key: str, dimension: str) -> list[Bucket]:
        """The measure's total and every bucket of a fixed-valued disaggregation."""
        self.add(measure_key)
        found = buckets(dimension, self.bands)
        for b in found:
            self.add(measure_key, dimension, b.key)
        return found

    def expression(self, name: str) -> Count:
        measure_key, dimension, bucket = self.figures[name]
        extra = None if dimension is None or bucket is None else self.bucket(dimension, bucket).condition
        return MEASURES[measure_key].count(self.as_of, extra)

    @property
    def expressions(self) -> dict[str, Count]:
        return {name: self.expression(name) for name in self.figures}

    def run(self, cases: QuerySet[Case]) -> dict[str, int]:
        if not self.figures:
            return {}
        return dict(cases.aggregate(**self.expressions))


def key_of(measure_key: str, dimension: str | None = None, bucket: str | None = None) -> str:
    """The name of a figure: "accident_deaths", "accident_deaths.accident_type.drowning"."""
    return measure_key if dimension is None or bucket is None else f"{measure_key}.{dimension}.{bucket}"


def link_filters(measure_key: str, dimension: str | None = None, bucket: Bucket | None = None) -> dict[str, Any]:
    """The case-list filters of a figure: the measure's, then the bucket's (a bucket narrows the measure)."""
    filters = dict(MEASURES[measure_key].link)
    if bucket is not None:
        filters.update(bucket.link)
    return filters


# --- disaggregations read by GROUP BY ---------------------------------------------------------------------------

EthnicityCounts = dict[tuple[str, str], dict[str, int]]


def count_by_ethnicity(cases: QuerySet[Case], measure_keys: Iterable[str], as_of: datetime.datetime) -> EthnicityCounts:
    """{(code system, code): {measure: count}} — one GROUP BY of the cases on the child's recorded group."""
    expressions = {key: MEASURES[key].count(as_of) for key in measure_keys}
    found: EthnicityCounts = {}
    rows = (
        cases.values("child__ethnicity_code_system", "child__ethnicity_code")
        .annotate(**expressions)
        .order_by()
        .iterator()
    )
    for row in rows:
        found[(row.pop("child__ethnicity_code_system"), row.pop("child__ethnicity_code"))] = row
    return found


@dataclass(frozen=True)
class EthnicityRow:
    key: str
    label: str
    value: int
    total: bool = False


def ethnicity_rows(found: EthnicityCounts, measure_key: str, *, skip_empty: bool = False) -> list[EthnicityRow]:
    """Kinh, each minority group (QĐ 121 first, by code), the minorities' total, then "not recorded" — the one
    definition of the ethnicity table (a child has one recorded group, so the totals are sums)."""
    counts = {key: v.get(measure_key, 0) for key, v in found.items()}
    kinh = sum(n for (_system, code), n in counts.items() if code == KINH_CODE)
    unknown = sum(n for (_system, code), n in counts.items() if code == "")
    minorities = sorted(
        ((system, code, n) for (system, code), n in counts.items() if code not in ("", KINH_CODE)),
        key=lambda item: (item[0] != QD121_CODE_SYSTEM, item[1]),
    )
    rows = [EthnicityRow("kinh", _("Kinh"), kinh)]
    for system, code, n in minorities:
        if skip_empty and not n:
            continue
        if system == QD121_CODE_SYSTEM:
            key, label = code, ethnicity_name(code) or _("Mã %(code)s") % {"code": code}
        else:
            key, label = f"{system}:{code}", _("Mã %(code)s (%(system)s)") % {"code": code, "system": system}
        rows.append(EthnicityRow(key, label, n))
    rows.append(EthnicityRow("minority", _("Dân tộc thiểu số (cộng)"), sum(n for _s, _c, n in minorities), total=True))
    rows.append(EthnicityRow(UNKNOWN, _("Chưa ghi dân tộc"), unknown))
    return rows


def count_by_field(
    cases: QuerySet[Case],
    group_by: str,
    figures: dict[str, tuple[str, str | None, str | None]],
    as_of: datetime.datetime,
    bands: list[AgeBand] | None = None,
) -> dict[Any, dict[str, int]]:
    """{value of `group_by`: {name: count}} for figures given as {name: (measure, dimension, bucket)} — the area
    and month breakdowns. `group_by` may be an expression name annotated on `cases` beforehand."""
    bands = age_bands() if bands is None else bands
    expressions: dict[str, Count] = {}
    for name, (measure_key, dimension, bucket_key) in figures.items():
        spec = MEASURES[measure_key]
        extra = None
        if dimension is not None and bucket_key is not None:
            extra = next(b for b in buckets(dimension, bands) if b.key == bucket_key).condition
        expressions[name] = spec.count(as_of, extra)
    found: dict[Any, dict[str, int]] = {}
    # (A plain fetch: a row per area or month. iterator() would declare a server-side cursor, which outside a
    # transaction is held — materialised — and costs two more round trips.)
    for row in cases.values(group_by).annotate(**expressions).order_by():
        found[row.pop(group_by)] = row
    return found
