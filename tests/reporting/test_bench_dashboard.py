"""The benchmark's raw SQL is the same computation as the app's figures (else the side-by-side timing would
compare different work), and the command runs end to end on a small data set."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from reporting.figures import cases as case_figures
from reporting.figures.compute import figure_context
from reporting.figures.types import Scope
from reporting.management.commands.bench_dashboard import WHERE_SQL, raw_aggregate_columns, raw_aggregate_sql
from reporting.measures import age_bands

pytestmark = pytest.mark.django_db


def test_the_raw_aggregate_gives_the_apps_numbers(personas, known_year) -> None:
    province = personas.province_a
    scope = Scope(unit=province, start=known_year.start, end=known_year.end, as_of=timezone.now())
    context = figure_context(personas.province_officer_a, scope)
    app = context.values(case_figures.case_tally(scope.as_of, age_bands()))
    tz = timezone.get_current_timezone()
    params = {
        "prefix": province.path + "%",
        "province": province.pk,
        "start": datetime.datetime.combine(scope.start, datetime.time.min, tzinfo=tz),
        "end": datetime.datetime.combine(scope.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz),
        "as_of": scope.as_of,
        "tz": str(tz),
    }
    with connection.cursor() as cursor:
        cursor.execute(raw_aggregate_sql().replace("%(where)s", WHERE_SQL), params)
        raw = cursor.fetchone()
    names = [name for name, _expression in raw_aggregate_columns()]
    assert dict(zip(names, raw, strict=True)) == app
    assert app["abuse_cases.abuse_form.sexual_abuse"] == 33


def test_the_command_runs(personas, known_year) -> None:
    out = io.StringIO()
    call_command("bench_dashboard", "--repeat", "1", "--province", "19", "--no-report", stdout=out)
    text = out.getvalue()
    assert "province dashboard (summaries)" in text and "national dashboard (summaries)" in text
    assert "app/raw" in text and "check_figures: no drift" in text
