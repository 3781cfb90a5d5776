"""Summary tables: the dashboard's figures per unit × month × figure, kept exactly equal to the cases, so that a
province dashboard and the whole country's cost the same whatever the number of cases.

How they stay equal (design):
- A trigger on cases_case (insert, update, delete) and on cases_child (update, delete) marks the child in
  `SummaryDirtyChild`, in the same transaction as the change, whatever code path wrote it (a service, a bulk
  update, a data migration, psql).
- `bring_up_to_date()` takes the marked children, subtracts what their cases contributed when last summed
  (`CaseFigureState`), adds what they contribute now, and records the new state — all in one transaction, under
  an advisory lock so two runs never apply the same change twice. Its cost depends on the children changed, not
  on the number of cases. It runs when a transaction that saved a case or a child commits (signals), and before
  every read of the summaries, so a reader never sees a summary behind the cases it has committed.
- Per child rather than per unit-month: a figure counting children (a child counts once in a period however many
  cases it has) is not a sum over months, and a child's contribution depends only on its own cases.
- `drift()` recomputes every summary row from the cases through the same definitions and lists the
  differences (manage.py check_figures; tests; make bench).

Which figures: those of the dashboard's case sections (reporting/figures/cases.py `SPLITS`, each a measure of
reporting/measures.py and one bucket), children by ethnic group, and per commune the area table's figures.
Reports (a data cut-off in the past, figures as they were) and non-month-aligned periods read the cases.
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.postgres.fields import ArrayField
from django.db import connection, connections, models, router, transaction
from django.db.models import Case as CaseExpression
from django.db.models import Func, Q, Sum, Value, When
from django.db.models.functions import Cast, TruncDate, TruncMonth
from django.utils import timezone

from cases.models import Case
from cases.models.choices import OPEN_STATUSES
from reporting.measures import MEASURES, PeriodRule, age_bands, bands_key, buckets, key_of
from reporting.models import AgeBand, CaseFigureState, FigureSummary, SummaryDirtyChild, SummaryLevel

if TYPE_CHECKING:
    from childprotect.models import AdministrativeUnit

logger = logging.getLogger(__name__)
ETHNICITY_PREFIX = "children.ethnicity."
# The figures summed per commune too: the province dashboard's table of communes.
AREA_FIGURES = frozenset(
    {
        "cases",
        "cases.kind.abuse",
        "cases.kind.at_risk",
        "cases.kind.special_circumstance",
        "cases.kind.accident",
        "cases_by_status.status.open",
        "overdue_cases",
    }
)
_LOCK = 0x5EC12  # pg_advisory_xact_lock key of bring_up_to_date()

# (level, unit, month of receipt, figure, previous month, deadline day, deadline month): FigureSummary's key.
Key = tuple[str, int | None, datetime.date, str, datetime.date | None, datetime.date | None, datetime.date | None]


@dataclass(frozen=True)
class FigureDef:
    name: str
    children: bool
    deadline: bool  # an overdue figure: summed by the day the step falls due
    condition: Q


_CATALOGUES: dict[Any, dict[str, FigureDef]] = {}


def catalogue(bands: list[AgeBand] | None = None) -> dict[str, FigureDef]:
    """Every summed figure, from the measures of reporting/measures.py (the dashboard's splits); built once per
    set of age bands."""
    bands = age_bands() if bands is None else bands
    key = bands_key(bands)
    if key not in _CATALOGUES:
        if len(_CATALOGUES) > 16:
            _CATALOGUES.clear()
        _CATALOGUES[key] = _catalogue(bands)
    return _CATALOGUES[key]


def _catalogue(bands: list[AgeBand]) -> dict[str, FigureDef]:
    from reporting.figures.cases import SPLITS

    found: dict[str, FigureDef] = {}
    for measure_key, dimension in SPLITS:
        spec = MEASURES[measure_key]
        deadline = spec.period == PeriodRule.OVERDUE_AT_CUTOFF
        base = Q(status__in=OPEN_STATUSES, next_deadline_at__isnull=False) if deadline else Q(pk__isnull=False)
        if spec.where is not None:
            base &= spec.where
        found[measure_key] = FigureDef(measure_key, spec.children, deadline, base)
        for b in buckets(dimension, bands):
            name = key_of(measure_key, dimension, b.key)
            found[name] = FigureDef(name, spec.children, deadline, base & b.condition)
    return found


@dataclass(frozen=True)
class State:
    case_id: int
    child_id: int
    province_id: int | None
    commune_id: int | None
    received_at: datetime.datetime
    month: datetime.date
    figures: tuple[str, ...]
    deadline_day: datetime.date | None


def _figures_expression(figures: dict[str, FigureDef]) -> Func:
    whens = [CaseExpression(When(f.condition, then=Value(f.name)), default=None) for f in figures.values()]
    return Func(
        *whens,
        template="array_remove(ARRAY[%(expressions)s]::varchar[], NULL)",
        output_field=ArrayField(models.CharField()),
    )


STATE_COLUMNS = ["case_id", "child_id", "province_id", "commune_id", "received_at", "month", "figures", "deadline_day"]


def states_queryset(where: Q | None = None, figures: dict[str, FigureDef] | None = None) -> Any:
    """The cases' contributions as they are now (drafts count nowhere): one row per case, in the columns of
    CaseFigureState. The figures come from the measures' conditions, evaluated by PostgreSQL."""
    figures = catalogue() if figures is None else figures
    tz = timezone.get_current_timezone()
    cases = Case.objects.summed_in_figures()
    if where is not None:
        cases = cases.filter(where)
    return (
        cases.annotate(
            summary_figures=_WithEthnicity(
                _figures_expression(figures),
                Value(ETHNICITY_PREFIX),
                "child__ethnicity_code_system",
                "child__ethnicity_code",
            ),
            summary_month=Cast(TruncMonth("received_at", tzinfo=tz), models.DateField()),
            summary_deadline_day=TruncDate("next_deadline_at", tzinfo=tz),
        )
        .values_list(
            "id",
            "child_id",
            "province_id",
            "commune_id",
            "received_at",
            "summary_month",
            "summary_figures",
            "summary_deadline_day",
        )
        .order_by()
    )


class _WithEthnicity(Func):
    """The figures' names, plus "children.ethnicity.<code system>|<code>" for the child's recorded group."""

    template = "(%(expressions)s)"
    output_field = ArrayField(models.CharField())

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # type: ignore[override]
        parts, params = [], []
        for expression in self.source_expressions:
            sql, expression_params = compiler.compile(expression)
            parts.append(sql)
            params.extend(expression_params)
        figures, prefix, system, code = parts
        return f"({figures} || ARRAY[{prefix} || {system} || '|' || {code}]::varchar[])", params


def current_states(where: Q | None = None, figures: dict[str, FigureDef] | None = None) -> Iterator[State]:
    for row in states_queryset(where, figures).iterator(chunk_size=5000):
        case_id, child_id, province_id, commune_id, received_at, month, names, deadline_day = row
        yield State(case_id, child_id, province_id, commune_id, received_at, month, tuple(names), deadline_day)


def _is_children(name: str, figures: dict[str, FigureDef]) -> bool:
    return name.startswith(ETHNICITY_PREFIX) or figures[name].children


def contributions(states: Iterable[State], figures: dict[str, FigureDef]) -> Counter[Key]:
    """The summary rows the given cases make (all the cases of each child they belong to must be given)."""
    total: Counter[Key] = Counter()
    by_child: dict[int, list[State]] = {}
    for state in states:
        by_child.setdefault(state.child_id, []).append(state)
    for child_states in by_child.values():
        child_states.sort(key=lambda s: (s.month, s.case_id))
        last_month: dict[tuple[str, int | None, str], datetime.date] = {}
        for s in child_states:
            units: list[tuple[str, int | None]] = [(SummaryLevel.COUNTRY, None), (SummaryLevel.PROVINCE, s.province_id)]
            for name in s.figures:
                known = figures.get(name)
                if known is None and not name.startswith(ETHNICITY_PREFIX):
                    continue
                places = [*units, (SummaryLevel.COMMUNE, s.commune_id)] if name in AREA_FIGURES else units
                for level, unit in places:
                    if known is not None and known.deadline:
                        # Once by the day and once by the month (FigureSummary: what a dashboard reads).
                        total[(level, unit, s.month, name, None, s.deadline_day, None)] += 1
                        total[(level, unit, s.month, name, None, None, _month_of(s.deadline_day))] += 1
                    elif _is_children(name, figures):
                        seen = (level, unit, name)
                        previous = last_month.get(seen)
                        if previous == s.month:
                            continue  # this child already counted in this month
                        total[(level, unit, s.month, name, previous, None, None)] += 1
                        last_month[seen] = s.month
                    else:
                        total[(level, unit, s.month, name, None, None, None)] += 1
    return total


def _month_of(day: datetime.date | None) -> datetime.date | None:
    return None if day is None else day.replace(day=1)


def _stored_states(child_ids: list[int]) -> list[State]:
    return [
        State(
            r.case_id,
            r.child_id,
            r.province_id,
            r.commune_id,
            r.received_at,
            r.month,
            tuple(r.figures),
            r.deadline_day,
        )
        for r in CaseFigureState.objects.filter(child_id__in=child_ids)
    ]


def _apply(delta: Counter[Key]) -> None:
    changes = [(*key, n) for key, n in delta.items() if n]
    if not changes:
        return
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO reporting_figuresummary "
            "(level, unit_id, month, figure, prev_month, deadline_day, deadline_month, value) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT ON CONSTRAINT figure_summary_key "
            "DO UPDATE SET value = reporting_figuresummary.value + EXCLUDED.value",
            changes,
        )
        cursor.execute("DELETE FROM reporting_figuresummary WHERE value = 0")


def _store_states(states: list[State]) -> None:
    CaseFigureState.objects.bulk_create(
        [
            CaseFigureState(
                case_id=s.case_id,
                child_id=s.child_id,
                province_id=s.province_id,
                commune_id=s.commune_id,
                received_at=s.received_at,
                month=s.month,
                figures=list(s.figures),
                deadline_day=s.deadline_day,
            )
            for s in states
        ],
        batch_size=5000,
    )


# Above this many marked children (a bulk load, a data migration), one rebuild in SQL is quicker than the
# per-child updates in Python.
REBUILD_ABOVE = 20_000


def bring_up_to_date() -> int:
    """Apply the changes of the marked children; returns how many children were brought up to date."""
    if not SummaryDirtyChild.objects.exists():
        return 0
    if SummaryDirtyChild.objects.count() > REBUILD_ABOVE:
        return rebuild()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
            cursor.execute("DELETE FROM reporting_summarydirtychild RETURNING child_id")
            child_ids = [row[0] for row in cursor.fetchall()]
        if not child_ids:
            return 0
        figures = catalogue()
        old = _stored_states(child_ids)
        new = list(current_states(Q(child_id__in=child_ids), figures))
        delta = contributions(new, figures)
        delta.subtract(contributions(old, figures))
        _apply(delta)
        CaseFigureState.objects.filter(Q(child_id__in=child_ids) | Q(case_id__in=[s.case_id for s in new])).delete()
        _store_states(new)
    return len(child_ids)


def bring_up_to_date_on_commit(**kwargs: Any) -> None:
    """Signal receiver (reporting/apps.py): once per transaction that saved a case or a child."""
    if connection.in_atomic_block:
        if getattr(connection, "_summary_update_pending", False):
            return
        connection._summary_update_pending = True  # type: ignore[attr-defined]

        def run() -> None:
            connection._summary_update_pending = False  # type: ignore[attr-defined]
            try:
                bring_up_to_date()
            except Exception:  # the marks stay: the next read or write brings the summaries up to date
                logger.exception("summaries: bringing them up to date after a commit failed")

        transaction.on_commit(run)
    else:
        bring_up_to_date()


def _summary_select(states_sql: str) -> str:
    """The summary rows as one SELECT over case states (`states_sql`: a query in CaseFigureState's columns) — the
    same sums as `contributions()`, said in SQL: rebuilt in the database, and an independent check of the
    per-child updates in `drift()`."""
    return f"""
    WITH f AS (
        SELECT s.child_id, s.province_id, s.commune_id, s.month, s.deadline_day, x.figure
        FROM ({states_sql}) AS s({", ".join(STATE_COLUMNS)}) CROSS JOIN LATERAL unnest(s.figures) AS x(figure)
    ), lv AS (
        SELECT 'country'::varchar AS level, NULL::bigint AS unit_id, child_id, month, deadline_day, figure FROM f
        UNION ALL SELECT 'province', province_id, child_id, month, deadline_day, figure FROM f
        UNION ALL SELECT 'commune', commune_id, child_id, month, deadline_day, figure FROM f
            WHERE figure = ANY(%(area)s)
    ), kids AS (
        SELECT DISTINCT level, unit_id, figure, child_id, month FROM lv
        WHERE figure = ANY(%(children)s) OR figure LIKE %(ethnicity)s
    )
    SELECT level, unit_id, month, figure, NULL::date AS prev_month, deadline_day, NULL::date AS deadline_month,
           count(*)::integer AS value
        FROM lv WHERE figure = ANY(%(deadline)s) GROUP BY 1, 2, 3, 4, 6
    UNION ALL
    SELECT level, unit_id, month, figure, NULL::date, NULL::date,
           deadline_day - (extract(day FROM deadline_day)::integer - 1), count(*)::integer
        FROM lv WHERE figure = ANY(%(deadline)s) GROUP BY 1, 2, 3, 4, 7
    UNION ALL
    SELECT level, unit_id, month, figure, NULL::date, NULL::date, NULL::date, count(*)::integer FROM lv
        WHERE NOT (figure = ANY(%(deadline)s) OR figure = ANY(%(children)s) OR figure LIKE %(ethnicity)s)
        GROUP BY 1, 2, 3, 4
    UNION ALL
    SELECT level, unit_id, month, figure, prev, NULL::date, NULL::date, count(*)::integer FROM (
        SELECT level, unit_id, figure, month,
               lag(month) OVER (PARTITION BY level, unit_id, figure, child_id ORDER BY month) AS prev
        FROM kids
    ) k GROUP BY level, unit_id, month, figure, prev
    """  # noqa: S608 (no user input: the states' SQL is Django's)


def _summary_params(figures: dict[str, FigureDef]) -> dict[str, Any]:
    return {
        "area": sorted(AREA_FIGURES),
        "children": sorted(name for name, f in figures.items() if f.children and not f.deadline),
        "deadline": sorted(name for name, f in figures.items() if f.deadline),
        "ethnicity": _like_prefix(ETHNICITY_PREFIX),
    }


def _states_sql(figures: dict[str, FigureDef]) -> tuple[str, tuple[Any, ...]]:
    sql, params = states_queryset(None, figures).query.sql_with_params()
    return sql, tuple(params)


def _named(sql: str, params: tuple[Any, ...]) -> tuple[str, dict[str, Any]]:
    """Django's positional %s parameters turned into named ones, to mix with the summary query's."""
    names: dict[str, Any] = {}
    parts = sql.replace("%%", "\x00").split("%s")
    out = parts[0]
    for index, part in enumerate(parts[1:]):
        names[f"p{index}"] = params[index]
        out += f"%(p{index})s" + part
    return out.replace("\x00", "%%"), names


def rebuild() -> int:
    """Recompute every summary row and case state from the cases, in the database (a first load, edited age
    bands, a new measure). Returns the number of cases summed."""
    figures = catalogue()
    states_sql, states_params = _named(*_states_sql(figures))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # (TRUNCATE refuses pending deferred checks)
        cursor.execute("TRUNCATE reporting_figuresummary, reporting_casefigurestate, reporting_summarydirtychild")
        cursor.execute(
            f"INSERT INTO reporting_casefigurestate ({', '.join(STATE_COLUMNS)}) {states_sql}",
            states_params,
        )
        cases = int(cursor.rowcount)
        cursor.execute(
            "INSERT INTO reporting_figuresummary "  # noqa: S608
            "(level, unit_id, month, figure, prev_month, deadline_day, deadline_month, value) "
            + _summary_select(f"SELECT {', '.join(STATE_COLUMNS)} FROM reporting_casefigurestate"),  # noqa: S608
            _summary_params(figures),
        )
    return cases


@dataclass
class Drift:
    rows_checked: int
    differences: list[tuple[Key, int, int]]  # (row, in the summary, from the cases)
    stale_states: int

    @property
    def ok(self) -> bool:
        return not self.differences and not self.stale_states


def drift(show: int = 50) -> Drift:
    """Every summary row recomputed from the cases (in SQL, apart from the per-child updates it checks) and
    compared with the table, after pending changes; and every case's recorded state with its current one."""
    bring_up_to_date()
    figures = catalogue()
    states_sql, states_params = _named(*_states_sql(figures))
    params = {**_summary_params(figures), **states_params}
    key = ["level", "unit_id", "month", "figure", "prev_month", "deadline_day", "deadline_month"]
    either = ", ".join(f"coalesce(s.{c}, e.{c})" for c in key)
    # (IS NOT DISTINCT FROM cannot drive a FULL JOIN: empty units and dates compared through a stand-in.)
    none = "'0001-01-01'::date"
    stand_in = {"unit_id": "-1", "prev_month": none, "deadline_day": none, "deadline_month": none}
    same = " AND ".join(
        f"coalesce(s.{c}, {stand_in[c]}) = coalesce(e.{c}, {stand_in[c]})" if c in stand_in else f"s.{c} = e.{c}"
        for c in key
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS expected_summary")
        cursor.execute(
            f"CREATE TEMPORARY TABLE expected_summary ON COMMIT DROP AS {_summary_select(states_sql)}", params
        )
        cursor.execute("SELECT count(*) FROM expected_summary")
        (checked,) = cursor.fetchone()
        cursor.execute(
            f"SELECT {either}, coalesce(s.value, 0), coalesce(e.value, 0) "  # noqa: S608
            f"FROM reporting_figuresummary s FULL OUTER JOIN expected_summary e ON ({same}) "
            "WHERE coalesce(s.value, 0) <> coalesce(e.value, 0) LIMIT %(show)s",
            {"show": show},
        )
        differences = [((r[0], r[1], r[2], r[3], r[4], r[5], r[6]), r[7], r[8]) for r in cursor.fetchall()]
        columns = ", ".join(STATE_COLUMNS)
        cursor.execute(
            f"SELECT count(*) FROM ((SELECT {columns} FROM reporting_casefigurestate EXCEPT {states_sql}) "  # noqa: S608
            f"UNION ALL ({states_sql.replace('%(p', '%(q')} EXCEPT SELECT {columns} FROM reporting_casefigurestate)) d",
            {**states_params, **{k.replace("p", "q", 1): v for k, v in states_params.items()}},
        )
        (stale,) = cursor.fetchone()
        cursor.execute("DROP TABLE expected_summary")  # (inside an outer transaction, ON COMMIT comes late)
    return Drift(checked, differences, stale)


# --- reading -----------------------------------------------------------------------------------------------------


def month_aligned(start: datetime.date, end: datetime.date, today: datetime.date) -> bool:
    """Whole months: from a 1st to a month's last day, or to today or later (no case is received in the future)."""
    next_day = end + datetime.timedelta(days=1)
    return start.day == 1 and (next_day.day == 1 or end >= today)


def _level_of(unit: AdministrativeUnit | None) -> tuple[str, int | None]:
    return (SummaryLevel.COUNTRY, None) if unit is None else (SummaryLevel.PROVINCE, unit.pk)


def read(
    unit: AdministrativeUnit | None, start: datetime.date, end: datetime.date, today: datetime.date
) -> dict[str, dict[datetime.date, int]]:
    """{figure: {month: value}} of a province (or the whole country: None) over whole months [start, end]: one
    query over at most (months × figures × a few) rows, whatever the number of cases. A children figure's
    values of different months add up to the distinct children of the period; an overdue figure counts the
    steps that fell due before today (the month rows of earlier months, the day rows of this month)."""
    level, unit_id = _level_of(unit)
    this_month = today.replace(day=1)
    in_scope = FigureSummary.objects.filter(level=level, unit_id=unit_id, month__gte=start, month__lte=end)
    by_month = (
        in_scope.filter(deadline_day__isnull=True)
        .filter(Q(prev_month__isnull=True) | Q(prev_month__lt=start))
        .filter(Q(deadline_month__isnull=True) | Q(deadline_month__lt=this_month))
        .values_list("figure", "month")
        .annotate(total=Sum("value"))
        .order_by()
    )
    due_this_month = (
        in_scope.filter(deadline_day__gte=this_month, deadline_day__lt=today)
        .values_list("figure", "month")
        .annotate(total=Sum("value"))
        .order_by()
    )
    found: dict[str, dict[datetime.date, int]] = {}
    for name, month, total in by_month.union(due_this_month, all=True):
        months = found.setdefault(name, {})
        months[month] = months.get(month, 0) + total
    return found


def read_by_area(
    unit: AdministrativeUnit | None, start: datetime.date, end: datetime.date, today: datetime.date
) -> dict[str, dict[str, int]]:
    """{area code: {figure: value}} for the area table: the provinces (whole country) or a province's communes.

    The province's communes are looked up first (an InitPlan: `unit_id = ANY(ARRAY(...))`), so that PostgreSQL
    reads each commune's range of the summary indexes alone, rather than every commune row of the country joined
    on the unit's path; the codes are looked up for the sums afterwards. Overdue steps as in `read()`: the month rows
    of earlier months, the day rows of this month before today."""
    params: dict[str, Any] = {
        "start": start,
        "end": end,
        "today": today,
        "this_month": today.replace(day=1),
        "figures": sorted(AREA_FIGURES),
    }
    if unit is None:
        params["level"] = SummaryLevel.PROVINCE
        units = ""
    else:
        params["level"] = SummaryLevel.COMMUNE
        params["prefix"] = _like_prefix(unit.path)
        units = "AND s.unit_id = ANY(ARRAY(SELECT id FROM childprotect_administrativeunit WHERE path LIKE %(prefix)s))"
    rows = (
        "SELECT s.unit_id, s.figure, s.value FROM reporting_figuresummary s "  # noqa: S608 (fixed SQL)
        f"WHERE s.level = %(level)s {units} AND s.month >= %(start)s AND s.month <= %(end)s "
        "AND s.figure = ANY(%(figures)s) AND"
    )
    # Each area's code looked up by its id (a few hundred index probes), rather than a join that hashes every
    # unit of the country.
    sql = (
        "SELECT (SELECT u.code FROM childprotect_administrativeunit u WHERE u.id = t.unit_id), t.figure, t.total "  # noqa: S608
        "FROM (SELECT unit_id, figure, sum(value) AS total FROM ("
        f"{rows} s.deadline_day IS NULL AND (s.deadline_month IS NULL OR s.deadline_month < %(this_month)s) "
        f"UNION ALL {rows} s.deadline_day >= %(this_month)s AND s.deadline_day < %(today)s"
        ") r GROUP BY unit_id, figure) t"
    )
    found: dict[str, dict[str, int]] = {}
    # Raw SQL bypasses the router: ask it, so that a dashboard served from the replica reads this there too.
    alias = router.db_for_read(FigureSummary)
    national = unit is None
    with transaction.atomic(using=alias) if national else nullcontext(), connections[alias].cursor() as cursor:
        if national:
            # The provinces' rows are a few thousand index entries: starting parallel workers costs more than
            # reading them, but PostgreSQL overestimates the rows of the partial indexes tenfold and would.
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        cursor.execute(sql, params)
        for code, name, total in cursor.fetchall():
            found.setdefault(code, {})[name] = int(total)
    return found


def _like_prefix(path: str) -> str:
    return path.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class SummarySource:
    """The figures of a dashboard scope read from the summaries (FigureContext.summary): a province or the whole
    country over whole months, judged now. Only the overdue steps falling due today, before now, are counted from
    the cases (an index range of today's deadlines)."""

    def __init__(
        self,
        unit: AdministrativeUnit | None,
        start: datetime.date,
        end: datetime.date,
        as_of: datetime.datetime,
        bands: list[AgeBand],
    ) -> None:
        bring_up_to_date()
        self.unit, self.start, self.end, self.as_of = unit, start, end, as_of
        tz = timezone.get_current_timezone()
        self.today = timezone.localtime(as_of, tz).date()
        self.today_start = datetime.datetime.combine(self.today, datetime.time.min, tzinfo=tz)
        self.figures = catalogue(bands)
        self._by_month: dict[str, dict[datetime.date, int]] | None = None

    @classmethod
    def usable(cls, unit: AdministrativeUnit | None, start: datetime.date, end: datetime.date, kind: str) -> bool:
        from childprotect.models.units import UnitKind

        today = timezone.localdate()
        return not kind and (unit is None or unit.kind == UnitKind.PROVINCE) and month_aligned(start, end, today)

    @property
    def by_month(self) -> dict[str, dict[datetime.date, int]]:
        if self._by_month is None:
            self._by_month = read(self.unit, self.start.replace(day=1), self.end, self.today)
        return self._by_month

    def knows(self, names: Iterable[str]) -> bool:
        return all(name in self.figures for name in names)

    def overdue_names(self, names: Iterable[str]) -> list[str]:
        return [name for name in names if self.figures[name].deadline]

    def total(self, name: str) -> int:
        return sum(self.by_month.get(name, {}).values())

    def due_today(self, cases: Any) -> Any:
        """The scope's cases whose earliest step fell due today before now (counted from the cases)."""
        return cases.filter(next_deadline_at__gte=self.today_start, next_deadline_at__lt=self.as_of)

    def ethnicity(self) -> dict[tuple[str, str], dict[str, int]]:
        found: dict[tuple[str, str], dict[str, int]] = {}
        for name, months in self.by_month.items():
            if name.startswith(ETHNICITY_PREFIX):
                system, _sep, code = name[len(ETHNICITY_PREFIX) :].partition("|")
                found[(system, code)] = {"children": sum(months.values())}
        return found

    def area(self) -> dict[str, dict[str, int]]:
        return read_by_area(self.unit, self.start.replace(day=1), self.end, self.today)
