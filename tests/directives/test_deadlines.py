from __future__ import annotations

import pytest

from directives.importer.deadlines import find_deadline, find_deadlines

CASES = [
    ("báo cáo trước ngày 15/11/2024", {"kind": "date", "date": "2024-11-15"}),
    ("hoàn thành trước ngày 15 tháng 11 năm 2024", {"kind": "date", "date": "2024-11-15"}),
    ("chậm nhất ngày 05-01-2025", {"kind": "date", "date": "2025-01-05"}),
    ("định kỳ 6 tháng báo cáo UBND tỉnh", {"kind": "recurring", "frequency": "semiannual"}),
    ("báo cáo 6 tháng trước ngày 15/5", {"kind": "recurring", "frequency": "semiannual", "day": 15, "month": 5}),
    ("hằng năm trước ngày 15/11", {"kind": "recurring", "frequency": "annual", "day": 15, "month": 11}),
    ("báo cáo hàng năm trước ngày 15/11", {"kind": "recurring", "frequency": "annual", "day": 15, "month": 11}),
    ("báo cáo hằng quý", {"kind": "recurring", "frequency": "quarterly"}),
    ("báo cáo hằng tháng trước ngày 25.", {"kind": "recurring", "frequency": "monthly", "day": 25}),
    ("thường xuyên rà soát", {"kind": "continuous"}),
    ("thường xuyên rà soát; báo cáo trước ngày 30/6/2024", {"kind": "date", "date": "2024-06-30"}),
    ("Diễu hành trẻ em định kỳ", None),
    ("trẻ em dưới 6 tháng tuổi được tiêm chủng", None),
    ("trước ngày 31/2/2024", None),  # no such date: nothing rather than a guess
    ("phấn đấu đến năm 2030", None),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_it_reads_deadline_phrases(text: str, expected: dict | None) -> None:
    assert find_deadline(text) == expected


def test_it_pairs_six_monthly_and_annual_dates_in_order() -> None:
    values = [v for _pos, v in find_deadlines("Định kỳ 6 tháng, hằng năm báo cáo trước ngày 15/5 và 15/11.")]
    assert values == [
        {"kind": "recurring", "frequency": "semiannual", "day": 15, "month": 5},
        {"kind": "recurring", "frequency": "annual", "day": 15, "month": 11},
    ]


def test_it_lists_every_deadline_of_the_binh_dinh_reporting_paragraph() -> None:
    text = (
        "định kỳ báo cáo kết quả công tác trẻ em 6 tháng trước ngày 15/5/2024 và kết quả năm 2024 trước ngày 15/11/2024"
    )
    assert [v for _pos, v in find_deadlines(text)] == [
        {"kind": "recurring", "frequency": "semiannual", "day": 15, "month": 5},
        {"kind": "date", "date": "2024-11-15"},
    ]
