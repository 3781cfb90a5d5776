"""The summary tables (reporting/summaries.py) equal the cases after every kind of write — whatever code path
makes it — and `check_figures` finds and reports any difference (exit status 1)."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from cases.models import Case, Child
from cases.models.choices import OPEN_STATUSES
from reporting.figures.compute import compute_figures
from reporting.figures.types import Scope
from reporting.models import FigureSummary, SummaryDirtyChild
from reporting.summaries import bring_up_to_date, drift
from tests.reporting.conftest import YEAR
from tests.reporting.factories import at

pytestmark = pytest.mark.django_db


def _same_figures(personas) -> None:
    for viewer, unit in ((personas.province_officer_a, personas.province_a), (personas.admin, None)):
        scope = Scope(unit=unit, start=at(YEAR, 1, 1).date(), end=at(YEAR, 12, 31).date(), as_of=timezone.now())
        assert compute_figures(viewer, scope, summaries=True).flat() == compute_figures(viewer, scope).flat()


def test_every_kind_of_write_keeps_the_summaries_equal_to_the_cases(personas, known_year) -> None:
    assert SummaryDirtyChild.objects.exists()  # marked by the trigger, in the test's transaction
    assert bring_up_to_date() > 0 and drift().ok
    cases = list(Case.objects.filter(province=personas.province_a).order_by("pk")[:6])
    # Bulk updates (no signal): a status, a kind, the month of receipt.
    Case.objects.filter(pk=cases[0].pk).update(status="closed")
    Case.objects.filter(pk=cases[1].pk).update(kind="at_risk", abuse_forms=[])
    Case.objects.filter(pk=cases[2].pk).update(received_at=at(YEAR, 11, 20))
    # The child: another sex, another ethnic group (every figure of its cases moves).
    Child.objects.filter(pk=cases[3].child_id).update(sex="male", ethnicity_code="05")
    # A duplicate merged: the case moves to another child, who now has two cases.
    Case.objects.filter(pk=cases[4].pk).update(child_id=cases[5].child_id)
    # Deleted, and a draft (counted nowhere).
    Case.objects.filter(pk=cases[5].pk).delete()
    Case.objects.filter(pk=cases[0].pk).update(status="draft")
    result = drift()
    assert result.ok, result.differences
    _same_figures(personas)


def test_check_figures_reports_drift_and_rebuilds(personas, known_year) -> None:
    bring_up_to_date()
    out = io.StringIO()
    call_command("check_figures", stdout=out)
    assert "no drift" in out.getvalue()

    row = FigureSummary.objects.filter(level="province", figure="accident_deaths").order_by("pk").first()
    FigureSummary.objects.filter(pk=row.pk).update(value=F("value") + 1)
    out = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("check_figures", stdout=out)
    assert exited.value.code == 1
    assert "DRIFT — 1 summary rows differ" in out.getvalue() and "accident_deaths" in out.getvalue()

    out = io.StringIO()
    call_command("check_figures", "--rebuild", stdout=out)
    assert "no drift" in out.getvalue()
    _same_figures(personas)


def test_many_marked_children_are_summed_by_one_rebuild(personas, known_year, monkeypatch) -> None:
    """After a bulk load (or the migration that creates the summaries), one SQL rebuild rather than per-child
    updates: the same rows."""
    from reporting import summaries

    monkeypatch.setattr(summaries, "REBUILD_ABOVE", 10)
    assert SummaryDirtyChild.objects.count() > 10
    bring_up_to_date()
    assert not SummaryDirtyChild.objects.exists()
    assert drift().ok
    _same_figures(personas)


def test_overdue_steps_are_read_by_month_before_this_month_and_by_day_within_it(personas, known_year) -> None:
    """An overdue figure's summary rows: by the month for the months before this one, by the day within it, and
    today's steps from the cases. Judged on the 15th of February after the known year at 14:00, steps due in
    January, on the 1st and the 14th, this morning, this afternoon and next month: the summaries give exactly
    what the cases give."""

    tz = timezone.get_current_timezone()
    now = datetime.datetime(YEAR + 1, 2, 15, 14, 0, tzinfo=tz)
    due = [
        datetime.datetime(YEAR + 1, 1, 3, 9, 0, tzinfo=tz),  # last month: a month row
        datetime.datetime(YEAR + 1, 1, 31, 23, 0, tzinfo=tz),
        datetime.datetime(YEAR + 1, 2, 1, 0, 30, tzinfo=tz),  # this month, before today: day rows
        datetime.datetime(YEAR + 1, 2, 14, 23, 59, tzinfo=tz),
        datetime.datetime(YEAR + 1, 2, 15, 8, 0, tzinfo=tz),  # today, before now: counted from the cases
        datetime.datetime(YEAR + 1, 2, 15, 16, 0, tzinfo=tz),  # today, after now: not yet overdue
        datetime.datetime(YEAR + 1, 3, 2, 8, 0, tzinfo=tz),  # next month
    ]
    cases = list(Case.objects.filter(province=personas.province_a, status__in=OPEN_STATUSES).order_by("pk")[: len(due)])
    assert len(cases) == len(due)
    for case, when in zip(cases, due, strict=True):
        Case.objects.filter(pk=case.pk).update(next_deadline_at=when)
    with time_machine.travel(now, tick=False):
        assert drift().ok
        month_rows = FigureSummary.objects.filter(figure="overdue_cases", deadline_month__isnull=False)
        assert month_rows.filter(deadline_month=datetime.date(YEAR + 1, 1, 1)).exists()
        assert not month_rows.filter(deadline_day__isnull=False).exists()
        scope = Scope(unit=personas.province_a, start=at(YEAR, 1, 1).date(), end=now.date(), as_of=now)
        from_summaries = compute_figures(personas.province_officer_a, scope, summaries=True)
        from_cases = compute_figures(personas.province_officer_a, scope)
        assert from_summaries.flat() == from_cases.flat()
        national = Scope(unit=None, start=at(YEAR, 1, 1).date(), end=now.date(), as_of=now)
        assert compute_figures(personas.admin, national, summaries=True).flat() == (
            compute_figures(personas.admin, national).flat()
        )
        # The five steps due before now (and any other overdue case of the known year), not the two after it.
        assert from_summaries.totals["overdue"] == from_cases.totals["overdue"] >= 5
