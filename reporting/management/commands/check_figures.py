"""python manage.py check_figures [--rebuild] [--show N]

Recompute every summary row (reporting/summaries.py) from the cases through the registry of measures and report
any difference from the stored summaries ("drift"). Exit status 1 when there is drift. `--rebuild` first
rebuilds the summaries from the cases (after a first load, or when the age bands or the measures changed).
Prints figure names, units, months and counts only: no child data.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from reporting.summaries import drift, rebuild


class Command(BaseCommand):
    help = "Compare the summary tables with the cases (exit 1 on drift); --rebuild recomputes them first."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rebuild", action="store_true", help="rebuild the summaries from the cases first")
        parser.add_argument("--show", type=int, default=20, help="differences to print (default 20)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["rebuild"]:
            started = time.perf_counter()
            cases = rebuild()
            self.stdout.write(f"rebuilt the summaries from {cases:,} cases in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        result = drift()
        elapsed = time.perf_counter() - started
        if result.ok:
            self.stdout.write(
                f"check_figures: no drift — {result.rows_checked:,} summary rows equal the cases ({elapsed:.1f} s)"
            )
            return
        self.stdout.write(
            f"check_figures: DRIFT — {len(result.differences):,} summary rows differ from the cases, "
            f"{result.stale_states:,} case states stale ({elapsed:.1f} s)"
        )
        for key, stored, expected in result.differences[: options["show"]]:
            level, unit, month, figure, prev, day, due_month = key
            due = day or (f"{due_month:%Y-%m}" if due_month else "-")
            self.stdout.write(
                f"  {level} {unit or ''} {month:%Y-%m} {figure} prev={prev or '-'} due={due}: "
                f"stored {stored}, from the cases {expected}"
            )
        sys.exit(1)
