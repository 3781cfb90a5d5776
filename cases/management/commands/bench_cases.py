"""python manage.py bench_cases --cases N --json OUT  |  bench_cases --compare SMALL.json LARGE.json

`make bench` runs it once per dataset size, each in its own database (so the small dataset stays small), then
compares: each operation's median and p95 (app and raw SQL), the app's query count, and the ratios large/small
and app/raw. Data is kept, so a second run only measures (and tops up if N grew).
"""

# ruff: noqa: S608  (the raw SQL is assembled from fixed fragments; every value is a bound parameter)
from __future__ import annotations

import datetime
import json
import time
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone
from knox.models import AuthToken

from cases.bench import synthetic
from cases.bench.measure import Timing, measure
from childprotect.models import AdministrativeUnit, User
from childprotect.models.units import CURRENT_SCHEME, UnitKind
from childprotect.roles import Role

OPEN = [
    "received",
    "initial_assessment",
    "emergency",
    "detailed_assessment",
    "needs_meeting",
    "plan_drafted",
    "plan_approved",
    "in_progress",
    "review",
]
PAGE_SIZE = 50


class Command(BaseCommand):
    help = "Benchmark the case list, search, detail and intake at a small and a large number of cases."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=10_000, help="dataset size of this database")
        parser.add_argument("--compare", nargs=2, metavar=("SMALL_JSON", "LARGE_JSON"))
        parser.add_argument("--repeat", type=int, default=30)
        parser.add_argument("--province", default="79", help="province whose officer lists cases")
        parser.add_argument("--seed", type=int, default=2025)
        parser.add_argument("--json", help="also write the results to this file")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["compare"]:
            self._compare(*options["compare"])
            return
        if not AdministrativeUnit.objects.filter(scheme=CURRENT_SCHEME, kind=UnitKind.COMMUNE).exists():
            raise CommandError("No communes: run load_admin_units first (make bench does).")
        size = options["cases"]
        self._grow_to(size, options["seed"])
        # Measure the steady state that autovacuum keeps in production: the intake rows of earlier runs otherwise
        # leave pages not yet all-visible and statistics behind, and the timings then depend on when it last ran.
        with connection.cursor() as cursor:
            cursor.execute(
                "VACUUM (ANALYZE) cases_case, cases_child, cases_childnamekey, cases_reporter, cases_casedeadline"
            )
        timings = self._measure(options)
        self._print(synthetic.case_count(), timings)
        if options["json"]:
            with open(options["json"], "w", encoding="utf-8") as out:
                json.dump(
                    {
                        "cases": synthetic.case_count(),
                        "timings": [
                            {
                                **t.__dict__,
                                "app_median": t.app_median,
                                "app_p95": t.app_p95,
                                "app_sql_median": t.app_sql_median,
                                "raw_median": t.raw_median,
                                "raw_p95": t.raw_p95,
                            }
                            for t in timings
                        ],
                    },
                    out,
                    indent=2,
                )

    def _compare(self, small_path: str, large_path: str) -> None:
        with open(small_path, encoding="utf-8") as f:
            small = json.load(f)
        with open(large_path, encoding="utf-8") as f:
            large = json.load(f)
        self.stdout.write(f"\nRatios ({large['cases']:,} vs {small['cases']:,} cases; medians):")
        self.stdout.write(
            f"{'operation':<28}{'large/small':>12}{'app/raw @small':>16}{'app/raw @large':>16}"
            f"{'SQL/raw @large':>16}{'queries':>10}"
        )
        for before, after in zip(small["timings"], large["timings"], strict=True):
            growth = after["app_median"] / before["app_median"]
            sql_ratio = after.get("app_sql_median", float("nan")) / after["raw_median"]
            self.stdout.write(
                f"{after['name']:<28}{growth:>12.2f}{before['app_median'] / before['raw_median']:>16.2f}"
                f"{after['app_median'] / after['raw_median']:>16.2f}{sql_ratio:>16.2f}"
                f"{before['queries']:>5}/{after['queries']:<4}"
            )
        self.stdout.write(
            "SQL/raw: the time the app's own queries took in the database, beside the hand-written SQL; the rest of"
            "\n'app' is the Python work of the request (middleware, authentication, filters, serialisation)."
        )

    def _grow_to(self, size: int, seed: int) -> None:
        have = synthetic.case_count()
        if have >= size:
            self.stdout.write(f"{have:,} cases present: measuring.")
            return
        missing = size - have
        self.stdout.write(f"Loading {missing:,} synthetic cases (COPY)…")
        started = time.monotonic()

        def progress(done: int) -> None:
            rate = done / max(time.monotonic() - started, 1e-6)
            self.stdout.write(f"  {have + done:,} cases ({rate:,.0f}/s)")

        synthetic.load(missing, seed=seed + have, progress=progress)
        self.stdout.write(f"Loaded in {time.monotonic() - started:,.0f} s.")

    def _actors(self, province_code: str) -> tuple[User, User, AdministrativeUnit, AdministrativeUnit]:
        province = AdministrativeUnit.objects.get(scheme=CURRENT_SCHEME, kind=UnitKind.PROVINCE, code=province_code)
        commune = AdministrativeUnit.objects.filter(parent=province, kind=UnitKind.COMMUNE).order_by("code").first()
        assert commune is not None
        officer, _ = User.objects.get_or_create(
            username=f"bench_province_{province_code}", defaults={"role": Role.PROVINCE_OFFICER, "unit": province}
        )
        commune_officer, _ = User.objects.get_or_create(
            username=f"bench_commune_{commune.code}", defaults={"role": Role.COMMUNE_OFFICER, "unit": commune}
        )
        return officer, commune_officer, province, commune

    @override_settings(ALLOWED_HOSTS=["testserver"], DEBUG=False)
    def _measure(self, options: dict[str, Any]) -> list[Timing]:
        officer, commune_officer, province, commune = self._actors(options["province"])
        reader = Client(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user=officer)[1]}")
        writer = Client(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user=commune_officer)[1]}")
        repeat = options["repeat"]
        filters = {"status": OPEN, "abuse_form": "violence"}
        # The same work as the app, written by hand: the filtered cases of the province, counted by the same
        # count-or-estimate function, and one page along the (province, received_at) index.
        where = "c.province_id = %s AND c.status = ANY(%s) AND c.abuse_forms @> %s::varchar(24)[]"
        where_params = [province.id, OPEN, ["violence"]]
        page_sql = (
            "SELECT c.id, c.case_number, c.status, c.kind, c.abuse_forms, c.received_at, c.next_deadline_at, "
            "ch.full_name, ch.date_of_birth, ch.sex, u.code, u.name "
            "FROM cases_case c JOIN cases_child ch ON ch.id = c.child_id "
            "JOIN childprotect_administrativeunit u ON u.id = c.commune_id "
            "WHERE {where} ORDER BY c.received_at DESC, c.id DESC LIMIT %s"
        )

        def get(client: Client, url: str, params: dict[str, Any] | None = None) -> Any:
            response = client.get(url, params or {})
            if response.status_code != 200:
                raise CommandError(f"GET {url} answered {response.status_code}: {response.content[:300]!r}")
            return response

        def count_raw(cursor: Any, sql: str, params: list[Any]) -> None:
            cursor.execute("SELECT * FROM childprotect_count_rows(%s, %s)", [cursor.mogrify(sql, params), 1000])
            cursor.fetchall()

        def first_page_raw(cursor: Any, _i: int) -> None:
            count_raw(cursor, f"SELECT c.id FROM cases_case c WHERE {where}", where_params)
            cursor.execute(page_sql.format(where=where), [*where_params, PAGE_SIZE + 1])
            cursor.fetchall()

        # Page 100 the way a client reaches it: by following `next` (a cursor after the last case shown).
        url, page_number = "/api/v1/cases/?" + urlencode(filters, doseq=True), 1
        while page_number < 100:
            following = get(reader, url).json()["next"]
            if following is None:
                break
            url, page_number = following, page_number + 1
        deep_url = url
        boundary_id = int(parse_qs(urlparse(deep_url).query).get("cursor", ["1a0"])[0].split("a")[-1])

        def deep_page_raw(cursor: Any, _i: int) -> None:
            count_raw(cursor, f"SELECT c.id FROM cases_case c WHERE {where}", where_params)
            cursor.execute(
                f"SELECT c.received_at, c.id FROM cases_case c WHERE c.id = %s AND {where}",
                [boundary_id, *where_params],
            )
            row = cursor.fetchone()
            if row is None:  # the small dataset has one page: page 1 again
                cursor.execute(page_sql.format(where=where), [*where_params, PAGE_SIZE + 1])
            else:
                keyset = f"{where} AND c.received_at <= %s AND (c.received_at < %s OR c.id < %s)"
                cursor.execute(page_sql.format(where=keyset), [*where_params, row[0], row[0], row[1], PAGE_SIZE + 1])
            cursor.fetchall()

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.id FROM cases_case c WHERE c.province_id = %s ORDER BY c.id LIMIT 200", [province.id]
            )
            case_ids = [row[0] for row in cursor.fetchall()]
            cursor.execute(
                "SELECT ch.name_search FROM cases_child ch WHERE ch.unit_path LIKE %s LIMIT 50", [province.path + "%"]
            )
            names = [row[0] for row in cursor.fetchall()]
        timings = [
            measure(
                "list, page 1",
                lambda i: get(reader, "/api/v1/cases/", filters),
                first_page_raw,
                repeat=repeat,
            ),
            measure(
                f"list, page {page_number} (by next)",
                lambda i: get(reader, deep_url),
                deep_page_raw,
                repeat=repeat,
            ),
            measure(
                "name search",
                lambda i: get(reader, "/api/v1/cases/", {"search": names[i % len(names)]}),
                self._search_raw(province.id, names),
                repeat=repeat,
            ),
            measure(
                "case detail",
                lambda i: get(reader, f"/api/v1/cases/{case_ids[i % len(case_ids)]}/"),
                self._detail_raw(case_ids),
                repeat=repeat,
            ),
            measure(
                "intake POST",
                lambda i: self._intake(writer, commune, i),
                self._intake_raw(commune, commune_officer),
                repeat=max(10, repeat // 2),
            ),
        ]
        return timings

    @staticmethod
    def _search_raw(province_id: int, names: list[str]) -> Any:
        def run(cursor: Any, i: int) -> None:
            where = (
                "c.province_id = %s AND c.child_id IN (SELECT k.child_id FROM cases_childnamekey k WHERE k.key LIKE %s)"
            )
            params = [province_id, f"{names[i % len(names)]}%"]
            cursor.execute(
                "SELECT * FROM childprotect_count_rows(%s, %s)",
                [cursor.mogrify(f"SELECT c.id FROM cases_case c WHERE {where}", params), 1000],
            )
            cursor.fetchall()
            cursor.execute(
                "SELECT c.id, c.case_number, ch.full_name FROM cases_case c JOIN cases_child ch ON ch.id = c.child_id "
                f"WHERE {where} ORDER BY c.received_at DESC, c.id DESC LIMIT %s",
                [*params, PAGE_SIZE + 1],
            )
            cursor.fetchall()

        return run

    @staticmethod
    def _detail_raw(case_ids: list[int]) -> Any:
        def run(cursor: Any, i: int) -> None:
            case_id = case_ids[i % len(case_ids)]
            cursor.execute(
                "SELECT c.*, ch.* FROM cases_case c JOIN cases_child ch ON ch.id = c.child_id WHERE c.id = %s",
                [case_id],
            )
            cursor.fetchall()
            for table in ("cases_casedeadline", "cases_reporter"):
                cursor.execute(f"SELECT * FROM {table} WHERE case_id = %s", [case_id])
                cursor.fetchall()

        return run

    @staticmethod
    def _intake(client: Client, commune: AdministrativeUnit, i: int) -> None:
        body = {
            "child": {"full_name": f"Bench Nguyễn Thị {i}", "age_years": 9, "sex": "female", "commune": commune.code},
            "kind": "abuse",
            "abuse_forms": ["violence"],
            "setting": "family",
            "received_at": timezone.now().isoformat(),
            "immediate_danger": False,
            "reporter": {"channel": "phone"},
            "summary": "",
        }
        response = client.post("/api/v1/cases/", body, content_type="application/json")
        if response.status_code != 201:
            raise CommandError(f"POST /api/v1/cases/ answered {response.status_code}: {response.content[:300]!r}")

    @staticmethod
    def _intake_raw(commune: AdministrativeUnit, user: User) -> Any:
        def run(cursor: Any, i: int) -> None:
            now = timezone.now()
            cursor.execute(
                "INSERT INTO cases_child (full_name, name_search, name_sort, sex, ethnicity_code, "
                "ethnicity_code_system, id_number, disability, commune_id, unit_path, created_at, birth_year, "
                "birth_date_estimated) VALUES (%s, %s, %s, 'female', '', 'QD121_1979', '', 'none', %s, %s, %s, "
                "2016, true) RETURNING id",
                ["Raw", "raw", "raw", commune.id, commune.path, now],
            )
            child_id = cursor.fetchone()[0]
            cursor.execute(
                "INSERT INTO cases_case (child_id, kind, abuse_forms, abuse_subtypes, special_groups, setting, "
                "accident_type, accident_outcome, received_at, immediate_danger, summary, commune_id, province_id, "
                "unit_path, status, version, created_at, updated_at, next_deadline_step, created_by_id) "
                "VALUES (%s, 'abuse', '{violence}', '{}', '{}', 'family', '', '', %s, false, '', %s, %s, %s, "
                "'received', 1, %s, %s, 'plan_draft', %s) RETURNING id",
                [child_id, now, commune.id, commune.parent_id, commune.path, now, now, user.id],
            )
            case_id = cursor.fetchone()[0]
            cursor.execute(
                "INSERT INTO cases_reporter (case_id, channel, name, phone, relationship) "
                "VALUES (%s, 'phone', '', '', '')",
                [case_id],
            )
            cursor.execute(
                "INSERT INTO cases_casedeadline (case_id, step, due_at) VALUES (%s, 'plan_draft', %s)",
                [case_id, now + datetime.timedelta(days=7)],
            )

        return run

    def _print(self, size: int, timings: list[Timing]) -> None:
        self.stdout.write(
            f"\nAt {size:,} cases (ms; app = full Django request in process, of which app SQL in the database):"
        )
        self.stdout.write(
            f"{'operation':<28}{'app median':>12}{'app p95':>10}{'app SQL':>10}{'raw median':>12}{'raw p95':>10}"
            f"{'queries':>9}"
        )
        for t in timings:
            self.stdout.write(
                f"{t.name:<28}{t.app_median:>12.1f}{t.app_p95:>10.1f}{t.app_sql_median:>10.2f}{t.raw_median:>12.2f}"
                f"{t.raw_p95:>10.2f}{t.queries:>9}"
            )
