"""Due dates of deadline rules across years, month ends and leap days (directives/recurrence.py; no database)."""

from __future__ import annotations

import datetime

import pytest

from directives.models import DeadlineKind, Frequency
from directives.recurrence import DeadlineRule, clamp_day, due_dates, first_due_date

D = datetime.date


def recurring(frequency: str, day: int, month: int | None = None) -> DeadlineRule:
    return DeadlineRule(kind=DeadlineKind.RECURRING, frequency=frequency, day=day, month=month)


def test_six_monthly_on_15_5_falls_due_on_15_5_and_15_11_every_year() -> None:
    rule = recurring(Frequency.SEMIANNUAL, 15, 5)
    assert due_dates(rule, D(2023, 10, 10), D(2025, 12, 31)) == [
        D(2023, 11, 15), D(2024, 5, 15), D(2024, 11, 15), D(2025, 5, 15), D(2025, 11, 15),
    ]  # fmt: skip
    # The anchor month may be either half: 15/11 gives the same dates.
    assert due_dates(recurring(Frequency.SEMIANNUAL, 15, 11), D(2024, 1, 1), D(2024, 12, 31)) == [
        D(2024, 5, 15),
        D(2024, 11, 15),
    ]


def test_yearly_report_by_15_11_across_years() -> None:
    rule = recurring(Frequency.ANNUAL, 15, 11)
    assert due_dates(rule, D(2024, 11, 16), D(2027, 11, 15)) == [D(2025, 11, 15), D(2026, 11, 15), D(2027, 11, 15)]


def test_yearly_29_february_is_28_february_in_common_years() -> None:
    rule = recurring(Frequency.ANNUAL, 29, 2)
    assert rule.errors() == {}
    assert due_dates(rule, D(2023, 1, 1), D(2029, 12, 31)) == [
        D(2023, 2, 28), D(2024, 2, 29), D(2025, 2, 28), D(2026, 2, 28), D(2027, 2, 28), D(2028, 2, 29),
        D(2029, 2, 28),
    ]  # fmt: skip
    # 2100 is not a leap year (divisible by 100, not by 400); 2000 was.
    assert due_dates(rule, D(2100, 1, 1), D(2100, 12, 31)) == [D(2100, 2, 28)]
    assert due_dates(rule, D(2000, 1, 1), D(2000, 12, 31)) == [D(2000, 2, 29)]


def test_monthly_on_the_31st_is_the_last_day_of_shorter_months() -> None:
    rule = recurring(Frequency.MONTHLY, 31)
    assert due_dates(rule, D(2023, 12, 1), D(2024, 6, 30)) == [
        D(2023, 12, 31), D(2024, 1, 31), D(2024, 2, 29), D(2024, 3, 31), D(2024, 4, 30), D(2024, 5, 31),
        D(2024, 6, 30),
    ]  # fmt: skip
    assert D(2025, 2, 28) in due_dates(rule, D(2025, 2, 1), D(2025, 2, 28))


def test_quarterly_anchored_on_any_month_of_the_quarter() -> None:
    rule = recurring(Frequency.QUARTERLY, 20, 3)
    assert rule.months() == (3, 6, 9, 12)
    assert recurring(Frequency.QUARTERLY, 20, 11).months() == (2, 5, 8, 11)
    assert due_dates(rule, D(2024, 12, 21), D(2025, 12, 20)) == [
        D(2025, 3, 20),
        D(2025, 6, 20),
        D(2025, 9, 20),
        D(2025, 12, 20),
    ]
    # Quarterly on the 30th anchored in February: February takes its last day, leap or not.
    assert due_dates(recurring(Frequency.QUARTERLY, 30, 2), D(2024, 1, 1), D(2025, 3, 1)) == [
        D(2024, 2, 29), D(2024, 5, 30), D(2024, 8, 30), D(2024, 11, 30), D(2025, 2, 28),
    ]  # fmt: skip


def test_bounds_are_inclusive_and_the_order_is_chronological() -> None:
    rule = recurring(Frequency.SEMIANNUAL, 15, 5)
    assert due_dates(rule, D(2024, 5, 15), D(2024, 11, 15)) == [D(2024, 5, 15), D(2024, 11, 15)]
    assert due_dates(rule, D(2024, 5, 16), D(2024, 11, 14)) == []
    assert due_dates(rule, D(2025, 1, 1), D(2024, 1, 1)) == []


def test_a_date_rule_has_its_one_date_and_the_others_none() -> None:
    assert due_dates(DeadlineRule(kind=DeadlineKind.DATE, date=D(2024, 11, 15)), D(2024, 1, 1), D(2024, 12, 31)) == [
        D(2024, 11, 15)
    ]
    assert due_dates(DeadlineRule(kind=DeadlineKind.CONTINUOUS), D(2024, 1, 1), D(2030, 1, 1)) == []
    assert due_dates(DeadlineRule(), D(2024, 1, 1), D(2030, 1, 1)) == []
    assert first_due_date(recurring(Frequency.ANNUAL, 15, 11), D(2024, 11, 16)) == D(2025, 11, 15)


@pytest.mark.parametrize(
    ("rule", "field"),
    [
        (recurring(Frequency.ANNUAL, 31, 4), "deadline_day"),  # 31/4 exists in no year
        (recurring(Frequency.ANNUAL, 30, 2), "deadline_day"),
        (recurring(Frequency.ANNUAL, 15, None), "deadline_month"),
        (recurring(Frequency.SEMIANNUAL, 15, 13), "deadline_month"),
        (DeadlineRule(kind=DeadlineKind.RECURRING, frequency="semiannual", day=None, month=5), "deadline_day"),
        (DeadlineRule(kind=DeadlineKind.RECURRING, frequency="", day=15, month=5), "frequency"),
        (DeadlineRule(kind=DeadlineKind.DATE), "deadline_date"),
    ],
)
def test_incomplete_or_impossible_rules_are_refused(rule: DeadlineRule, field: str) -> None:
    assert field in rule.errors()
    assert due_dates(rule, D(2024, 1, 1), D(2026, 1, 1)) == [] or rule.kind == DeadlineKind.DATE


def test_clamp_and_describe() -> None:
    assert clamp_day(2023, 2, 29) == D(2023, 2, 28)
    assert clamp_day(2024, 4, 31) == D(2024, 4, 30)
    assert recurring(Frequency.SEMIANNUAL, 15, 5).describe() == "6 tháng một lần, hạn ngày 15/5 – 15/11"
    assert recurring(Frequency.MONTHLY, 25).describe() == "Hằng tháng, hạn ngày 25"
    assert DeadlineRule(kind=DeadlineKind.DATE, date=D(2024, 11, 15)).describe() == "Hạn ngày 15/11/2024"


def test_it_reads_the_importers_deadline_values() -> None:
    assert DeadlineRule.from_proposal({"kind": "recurring", "frequency": "semiannual", "day": 15, "month": 5}) == (
        recurring(Frequency.SEMIANNUAL, 15, 5)
    )
    assert DeadlineRule.from_proposal({"kind": "date", "date": "2024-11-15"}).date == D(2024, 11, 15)
    assert DeadlineRule.from_proposal({"kind": "continuous"}).kind == DeadlineKind.CONTINUOUS
    assert DeadlineRule.from_proposal(None).kind == DeadlineKind.NONE
    # "báo cáo hằng quý" names no day: the rule stays incomplete (the form asks), never a guessed day.
    assert "deadline_day" in DeadlineRule.from_proposal({"kind": "recurring", "frequency": "quarterly"}).errors()
