"""python manage.py bench_dashboard [--repeat N] [--province CODE] [--json OUT]

On a database already filled by `bench_cases` (make bench), time:
1. the province dashboard through the app's own code path — `compute_figures()` for a province officer of the
   busiest province over the last twelve months (every figure, from Case.objects.visible_to) — beside the same
   aggregates written by hand in raw SQL, median of N runs each, and the ratio app/raw (target: under 3);
2. the same dashboard through the full API request (GET /api/v1/dashboard/), for the overhead of the stack;
3. the annual report of that province generated end to end (figures, indicators, data warnings, PDF by
   WeasyPrint, XLSX, files stored) and, for scale, the report queries over every case of the database (the
   whole country, all years), each with its peak Python memory (tracemalloc): the figures are aggregates, so the
   memory a report needs does not grow with the number of cases.
Nothing is left behind: the report runs made for timing are deleted with their files.
"""

from __future__ import annotations

import datetime
import json
import time
import tracemalloc
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone
from knox.models import AuthToken

from cases.bench.measure import Timing, measure
from cases.models import AbuseForm, AbuseSubtype, AccidentType, CaseKind, DeadlineStep, Setting, Sex
from cases.models.choices import IMPLIED_GROUPS, OPEN_STATUSES, SPECIAL_GROUPS, ImpliedBy
from childprotect.models import AdministrativeUnit, User
from childprotect.models.units import CURRENT_SCHEME, UnitKind
from childprotect.roles import Role
from reporting.figures.cases import ENDED_STATUSES, SUPPORTED_STATUSES, age_bands
from reporting.figures.compute import compute_figures, figure_context
from reporting.figures.types import Scope
from reporting.indicators import compute_indicators, indicators_for
from reporting.models import FigureSummary, ReportKind, ReportRun, ReportStatus, SummaryDirtyChild
from reporting.quality import data_quality_warnings
from reporting.services import generate_report
from reporting.summaries import bring_up_to_date, drift, rebuild

AGE_SQL = (
    "CASE WHEN ch.date_of_birth IS NOT NULL THEN date_part('year', age((c.received_at AT TIME ZONE %(tz)s)::date, "
    "ch.date_of_birth))::integer WHEN ch.birth_year IS NOT NULL THEN extract(year FROM c.received_at AT TIME ZONE "
    "%(tz)s) - ch.birth_year END"
)


def _q(value: str) -> str:
    """A literal for the fixed vocabularies below (codes from the model's choices, never user input)."""
    return "'" + value.replace("'", "''") + "'"


def _listed(values: Any) -> str:
    return ", ".join(_q(str(v)) for v in values)


def _in(values: Any) -> str:
    return "(" + _listed(values) + ")"


def _implied_sql(rule: ImpliedBy) -> str:
    """A special-circumstance group implied by the case's data (cases/special_groups.py), as SQL."""
    abuse = f"c.kind = {_q(CaseKind.ABUSE)}"
    parts = []
    if rule.abuse_forms:
        parts.append(f"({abuse} AND c.abuse_forms && ARRAY[{_listed(rule.abuse_forms)}]::varchar[])")
    if rule.abuse_subtypes:
        parts.append(f"({abuse} AND c.abuse_subtypes && ARRAY[{_listed(rule.abuse_subtypes)}]::varchar[])")
    if rule.disabilities:
        parts.append(f"c.child_disability IN {_in(rule.disabilities)}")
    return "(" + " OR ".join(parts) + ")"


def raw_aggregate_columns() -> list[tuple[str, str]]:
    """The dashboard's one aggregate (the case tally of reporting/figures/cases.py, from the measures of
    reporting/measures.py), written by hand: (figure name, SQL expression)."""
    open_in = _in(OPEN_STATUSES)
    children = "count(DISTINCT c.child_id) FILTER"
    cols: list[tuple[str, str]] = [("cases", "count(*)")]
    cols += [(f"cases.kind.{k}", f"count(*) FILTER (WHERE c.kind = {_q(k)})") for k in CaseKind.values]
    abuse = f"c.kind = {_q(CaseKind.ABUSE)}"
    cols.append(("abuse_cases", f"count(*) FILTER (WHERE {abuse})"))
    cols += [
        (
            f"abuse_cases.abuse_form.{f}",
            f"count(*) FILTER (WHERE {abuse} AND c.abuse_forms @> ARRAY[{_q(f)}]::varchar[])",
        )
        for f in AbuseForm.values
    ]
    cols += [
        (
            f"abuse_cases.abuse_subtype.{s}",
            f"count(*) FILTER (WHERE {abuse} AND c.abuse_subtypes @> ARRAY[{_q(s)}]::varchar[])",
        )
        for s in AbuseSubtype.values
    ]
    cols += [
        (f"abuse_cases.setting.{s}", f"count(*) FILTER (WHERE {abuse} AND c.setting = {_q(s)})") for s in Setting.values
    ]
    cols.append(("abuse_cases.setting.unknown", f"count(*) FILTER (WHERE {abuse} AND c.setting = '')"))
    cols.append(("children", "count(DISTINCT c.child_id)"))
    cols += [(f"children.sex.{s}", f"{children} (WHERE c.child_sex = {_q(s)})") for s in Sex.values]
    cols += [
        (f"children.age_group.{b.key}", f"{children} (WHERE age BETWEEN {b.min_age} AND {b.max_age})")
        for b in age_bands()
    ]
    cols.append(("children.age_group.unknown", f"{children} (WHERE age IS NULL)"))
    implied = {code: _implied_sql(rule) for code, rule in IMPLIED_GROUPS.items()}
    special = " OR ".join(
        [f"c.kind = {_q(CaseKind.SPECIAL_CIRCUMSTANCE)}", "c.special_groups <> '{}'", *implied.values()]
    )
    supported = f"c.status IN {_in(SUPPORTED_STATUSES)}"
    cols += [
        ("special_children", f"{children} (WHERE {special})"),
        ("special_children_supported", f"{children} (WHERE ({special}) AND {supported})"),
    ]
    for code, _label in SPECIAL_GROUPS:
        has = f"(c.special_groups @> ARRAY[{_q(code)}]::varchar[]" + (
            f" OR {implied[code]})" if code in implied else ")"
        )
        cols += [
            (f"special_children.special_group.{code}", f"{children} (WHERE ({special}) AND {has})"),
            (
                f"special_children_supported.special_group.{code}",
                f"{children} (WHERE ({special}) AND {supported} AND {has})",
            ),
        ]
    accident = f"c.kind = {_q(CaseKind.ACCIDENT)}"
    for name, outcome in (("accident_children", None), ("accident_deaths", "death"), ("accident_injuries", "injury")):
        where = accident if outcome is None else f"{accident} AND c.accident_outcome = {_q(outcome)}"
        cols.append((name, f"{children} (WHERE {where})"))
        cols += [
            (f"{name}.accident_type.{t}", f"{children} (WHERE {where} AND c.accident_type = {_q(t)})")
            for t in AccidentType.values
        ]
    cols.append(("cases_by_status", "count(*)"))
    cols.append(("cases_by_status.status.open", f"count(*) FILTER (WHERE c.status IN {open_in})"))
    cols += [(f"cases_by_status.status.{s}", f"count(*) FILTER (WHERE c.status = {_q(s)})") for s in ENDED_STATUSES]
    overdue = f"c.status IN {open_in} AND c.next_deadline_at < %(as_of)s"
    cols.append(("overdue_cases", f"count(*) FILTER (WHERE {overdue})"))
    cols += [
        (f"overdue_cases.deadline_step.{s}", f"count(*) FILTER (WHERE {overdue} AND c.next_deadline_step = {_q(s)})")
        for s in DeadlineStep.values
    ]
    return cols


def raw_aggregate_sql() -> str:
    parts = [expression for _name, expression in raw_aggregate_columns()]
    return (
        f"SELECT {', '.join(parts)} FROM (SELECT c.*, ch.sex AS child_sex, ch.disability AS child_disability, "  # noqa: S608 (fixed vocabularies)
        f"{AGE_SQL} AS age FROM cases_case c "
        "JOIN cases_child ch ON ch.id = c.child_id WHERE %(where)s) c"
    )


WHERE_SQL = (
    "c.unit_path LIKE %(prefix)s AND c.province_id = %(province)s AND c.status <> 'draft' "
    "AND c.received_at >= %(start)s AND c.received_at < %(end)s AND c.created_at <= %(as_of)s"
)
NATIONAL_WHERE_SQL = (
    "c.status <> 'draft' AND c.received_at >= %(start)s AND c.received_at < %(end)s AND c.created_at <= %(as_of)s"
)


class Command(BaseCommand):
    help = "Time the province dashboard beside raw SQL, and a report's generation, on a bench database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--repeat", type=int, default=15)
        parser.add_argument("--province", help="province code (default: the one with the most cases)")
        parser.add_argument("--no-report", action="store_true", help="only the dashboard timings")
        parser.add_argument("--json", help="also write the results to this file")
        parser.add_argument("--compare", nargs=2, metavar=("SMALL", "LARGE"), help="compare two --json results")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["compare"]:
            self._compare(*options["compare"])
            return
        province = self._province(options["province"])
        officer, _ = User.objects.get_or_create(
            username=f"bench_province_{province.code}", defaults={"role": Role.PROVINCE_OFFICER, "unit": province}
        )
        admin, _ = User.objects.get_or_create(username="bench_admin", defaults={"role": Role.ADMIN})
        self._summaries_ready()
        today = timezone.localdate()
        # Twelve whole months up to today (the dashboard's summaries answer whole months).
        start = (today.replace(day=1) - datetime.timedelta(days=330)).replace(day=1)
        end = today
        as_of = timezone.now()
        scope = Scope(unit=province, start=start, end=end, as_of=as_of)
        national = Scope(unit=None, start=start, end=end, as_of=as_of)
        in_scope = compute_figures(officer, scope, summaries=True).totals["cases"]
        in_country = compute_figures(admin, national, summaries=True).totals["cases"]
        total = self._count("SELECT count(*) FROM cases_case")
        self.stdout.write(
            f"{total:,} cases in the database; {start:%d/%m/%Y}–{end:%d/%m/%Y}: province {province.code} "
            f"({province.name}) {in_scope:,} cases, whole country {in_country:,} cases."
        )
        repeat = options["repeat"]
        timings = [
            measure(
                "province dashboard (summaries)",
                lambda i: compute_figures(officer, scope, summaries=True),
                self._raw(province, scope),
                repeat=repeat,
            ),
            measure(
                "national dashboard (summaries)",
                lambda i: compute_figures(admin, national, summaries=True),
                self._raw(None, national),
                repeat=repeat,
            ),
            self._api_timing(officer, province, scope, repeat),
            measure(
                "province dashboard (from cases)",
                lambda i: compute_figures(officer, scope),
                self._raw(province, scope),
                repeat=max(1, repeat // 3),
            ),
        ]
        self._print(timings)
        started = time.perf_counter()
        result = drift()
        drift_seconds = time.perf_counter() - started
        verdict = "no drift" if result.ok else f"DRIFT: {len(result.differences)} rows, {result.stale_states} states"
        self.stdout.write(
            f"\ncheck_figures: {verdict} — {result.rows_checked:,} summary rows recomputed from the cases "
            f"({drift_seconds:.1f} s)"
        )
        results: dict[str, Any] = {
            "cases": total,
            "province": province.code,
            "cases_in_scope": in_scope,
            "cases_in_country": in_country,
            "timings": [
                {"name": t.name, "app_median": t.app_median, "raw_median": t.raw_median, "queries": t.queries}
                for t in timings
            ],
            "drift": {"ok": result.ok, "rows": result.rows_checked, "seconds": drift_seconds},
        }
        if not options["no_report"]:
            results["reports"] = self._reports(province, officer)
        if options["json"]:
            with open(options["json"], "w", encoding="utf-8") as out:
                json.dump(results, out, indent=2)
        if not result.ok:
            raise CommandError("the summary tables differ from the cases (manage.py check_figures)")

    def _summaries_ready(self) -> None:
        """A database loaded before the summaries existed (or by COPY): rebuild them once, timed."""
        pending = SummaryDirtyChild.objects.count()
        if pending > 1000 or not FigureSummary.objects.exists():
            started = time.perf_counter()
            cases = rebuild()
            # As autovacuum would after such a load: the visibility map set, so that the dashboard's reads are
            # answered from figure_summary_read_idx alone (index-only scans), and fresh statistics.
            if not connection.in_atomic_block:  # (VACUUM cannot run in a transaction: a test's)
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM (ANALYZE) reporting_figuresummary")
            self.stdout.write(f"summaries rebuilt from {cases:,} cases in {time.perf_counter() - started:.1f} s")
        else:
            bring_up_to_date()
            if not connection.in_atomic_block:  # (after a migration that added rows, as autovacuum would soon)
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM (ANALYZE) reporting_figuresummary")

    def _compare(self, small_path: str, large_path: str) -> None:
        with open(small_path, encoding="utf-8") as small_file, open(large_path, encoding="utf-8") as large_file:
            small, large = json.load(small_file), json.load(large_file)
        self.stdout.write(
            f"\nDashboards, {large['cases']:,} vs {small['cases']:,} cases (medians, ms; goal: ≤ 50 ms, ratio ≤ 1.5):"
        )
        self.stdout.write(
            f"{'operation':<34}{'small app':>10}{'large app':>10}{'large/small':>12}{'raw small':>10}{'raw large':>10}"
        )
        by_name = {t["name"]: t for t in small["timings"]}
        for t in large["timings"]:
            s = by_name.get(t["name"])
            if s is None:
                continue
            self.stdout.write(
                f"{t['name']:<34}{s['app_median']:>10.1f}{t['app_median']:>10.1f}"
                f"{t['app_median'] / s['app_median']:>12.2f}{s['raw_median']:>10.1f}{t['raw_median']:>10.1f}"
            )
        for label, data in (("small", small), ("large", large)):
            d = data.get("drift", {})
            self.stdout.write(
                f"check_figures ({label}): {'no drift' if d.get('ok') else 'DRIFT'}, {d.get('rows', 0):,} rows"
            )

    def _province(self, code: str | None) -> AdministrativeUnit:
        if code is None:
            with connection.cursor() as cursor:
                cursor.execute("SELECT province_id FROM cases_case GROUP BY province_id ORDER BY count(*) DESC LIMIT 1")
                row = cursor.fetchone()
            if row is None:
                raise CommandError("No cases: run bench_cases first (make bench does).")
            return AdministrativeUnit.objects.get(pk=row[0])
        return AdministrativeUnit.objects.get(scheme=CURRENT_SCHEME, kind=UnitKind.PROVINCE, code=code)

    @staticmethod
    def _count(sql: str) -> int:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return int(cursor.fetchone()[0])

    @staticmethod
    def _raw(province: AdministrativeUnit | None, scope: Scope) -> Any:
        """The six queries of compute_figures(), by hand, with the same bounds (local-midnight days)."""
        tz = timezone.get_current_timezone()
        start = datetime.datetime.combine(scope.start, datetime.time.min, tzinfo=tz)
        end = datetime.datetime.combine(scope.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
        params = {
            "prefix": (province.path if province else "") + "%",
            "province": province.pk if province else None,
            "start": start,
            "end": end,
            "as_of": scope.as_of,
            "tz": str(tz),
        }
        where = WHERE_SQL if province is not None else NATIONAL_WHERE_SQL
        area = "c.commune_id" if province is not None else "c.province_id"
        aggregate = raw_aggregate_sql().replace("%(where)s", where)
        kinds = ", ".join(f"count(*) FILTER (WHERE c.kind = {_q(k)})" for k in CaseKind.values)
        open_in = _in(OPEN_STATUSES)
        by_area = (
            f"SELECT u.code, count(*), count(*) FILTER (WHERE c.status IN {open_in}), count(*) FILTER (WHERE "  # noqa: S608
            f"c.status IN {open_in} AND c.next_deadline_at < %(as_of)s), {kinds} FROM cases_case c "
            f"JOIN childprotect_administrativeunit u ON u.id = {area} WHERE {where} GROUP BY u.code"
        )
        queries = [
            ("SELECT * FROM reporting_ageband ORDER BY position, min_age", {}),
            (aggregate, params),
            (
                "SELECT ch.ethnicity_code_system, ch.ethnicity_code, count(DISTINCT c.child_id) FROM cases_case c "  # noqa: S608
                f"JOIN cases_child ch ON ch.id = c.child_id WHERE {where} GROUP BY 1, 2",
                params,
            ),
            (
                f"SELECT date_trunc('month', c.received_at AT TIME ZONE %(tz)s), count(*), {kinds} FROM cases_case c "  # noqa: S608
                f"WHERE {where} GROUP BY 1 ORDER BY 1",
                params,
            ),
            (by_area, params),
            (
                "SELECT code, name FROM childprotect_administrativeunit "
                "WHERE kind = %(kind)s AND path LIKE %(prefix)s ORDER BY name, code",
                {**params, "kind": "commune" if province else "province"},
            ),
        ]

        def run(cursor: Any, _i: int) -> None:
            for sql, values in queries:
                cursor.execute(sql, values)
                cursor.fetchall()

        return run

    @override_settings(ALLOWED_HOSTS=["testserver"], DEBUG=False)
    def _api_timing(self, officer: User, province: AdministrativeUnit, scope: Scope, repeat: int) -> Timing:
        client = Client(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user=officer)[1]}")
        params = {"unit": province.code, "from": scope.start.isoformat(), "to": scope.end.isoformat()}

        def app(_i: int) -> None:
            response = client.get("/api/v1/dashboard/", params)
            if response.status_code != 200:
                raise CommandError(f"GET /api/v1/dashboard/ answered {response.status_code}")

        return measure("dashboard API (full request)", app, self._raw(province, scope), repeat=repeat)

    def _print(self, timings: list[Timing]) -> None:
        self.stdout.write(f"\n{'operation':<32}{'app median':>12}{'raw median':>12}{'app/raw':>9}{'queries':>9}")
        for t in timings:
            self.stdout.write(
                f"{t.name:<32}{t.app_median:>10.1f}ms{t.raw_median:>10.1f}ms{t.app_median / t.raw_median:>9.2f}"
                f"{t.queries:>9}"
            )

    def _reports(self, province: AdministrativeUnit, officer: User) -> dict[str, Any]:
        """The province's annual report end to end, then the report queries over every case (whole country)."""
        year = timezone.localdate().year
        self.stdout.write("\nReports (one warm-up render first: WeasyPrint loads its fonts once per process):")
        results = {}
        for label, start in [
            ("annual report, last 12 months", None),
            ("same, over all years", datetime.date(2000, 1, 1)),
        ]:
            self._generate(province, year, start)  # warm-up (and the same work once more below)
            seconds, peak, cases, pdf_bytes = self._generate(province, year, start, traced=False)
            _s, peak, _c, _b = self._generate(province, year, start, traced=True)
            self.stdout.write(
                f"  {label:<34}{cases:>9,} cases {seconds:>7.2f} s  peak Python memory {peak / 1e6:>6.1f} MB  "
                f"PDF {pdf_bytes / 1024:,.0f} KB"
            )
            results[label] = {"cases": cases, "seconds": seconds, "peak_mb": peak / 1e6}
        admin = User(pk=0, username="bench-admin", role=Role.ADMIN, is_active=True)
        scope = Scope(unit=None, start=datetime.date(2000, 1, 1), end=timezone.localdate(), as_of=timezone.now())
        tracemalloc.start()
        started = time.perf_counter()
        context = figure_context(admin, scope)
        figures = compute_figures(admin, scope, context)
        compute_indicators(context, indicators_for(ReportKind.ANNUAL))
        data_quality_warnings(context)
        seconds = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        self.stdout.write(
            f"  {'report queries, whole country':<34}{figures.totals['cases']:>9,} cases {seconds:>7.2f} s  "
            f"peak Python memory {peak / 1e6:>6.1f} MB"
        )
        results["report queries, whole country"] = {
            "cases": figures.totals["cases"],
            "seconds": seconds,
            "peak_mb": peak / 1e6,
        }
        return results

    def _generate(
        self, province: AdministrativeUnit, year: int, start: datetime.date | None, *, traced: bool = False
    ) -> tuple[float, int, int, int]:
        today = timezone.localdate()
        run = ReportRun.objects.create(
            kind=ReportKind.ANNUAL,
            year=year,
            unit=province,
            unit_path=province.path,
            version=30000 + ReportRun.objects.filter(unit=province).count(),
            period_start=start or today - datetime.timedelta(days=365),
            period_end=today,
            data_cutoff=timezone.now() + datetime.timedelta(days=1),
            due_date=today,
        )
        if traced:
            tracemalloc.start()
        started = time.perf_counter()
        generate_report(run.pk)
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] if traced else 0
        if traced:
            tracemalloc.stop()
        run.refresh_from_db()
        if run.status != ReportStatus.READY:
            raise CommandError(f"report run {run.pk} ended {run.status}: {run.error}")
        cases = int(run.figures["totals"]["cases"])
        size = run.pdf.size
        run.pdf.delete(save=False)
        run.xlsx.delete(save=False)
        run.delete()
        return seconds, peak, cases, size
