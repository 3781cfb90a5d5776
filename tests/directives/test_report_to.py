"""Where a task reports to, read from the text ("gửi về Sở X", "báo cáo … (qua Sở X)"); nothing when unsaid."""

from __future__ import annotations

import pytest

from directives.importer import parse_directive
from directives.importer.report_to import find_report_to
from tests.directives.conftest import read_sample

CASES = [
    ("báo cáo về công tác trẻ em, định kỳ 6 tháng (theo mẫu) gửi về Sở Lao động - Thương binh và Xã hội để tổng hợp",
     "Sở Lao động - Thương binh và Xã hội"),
    ("báo cáo kết quả về Bộ Lao động - Thương binh và Xã hội, Ủy ban nhân dân tỉnh theo quy định",
     "Bộ Lao động - Thương binh và Xã hội"),
    ("định kỳ báo cáo 6 tháng, năm về UBND tỉnh (qua Sở Y tế) trước ngày 15/6", "Sở Y tế"),
    ("báo cáo UBND tỉnh (qua Sở Y tế) trước ngày 15/6", "Sở Y tế"),
    ("gửi báo cáo về Ủy ban nhân dân tỉnh trước ngày 20/12", "Ủy ban nhân dân tỉnh"),
    ("gửi về các cơ quan liên quan", None),
    ("Thường xuyên rà soát, báo cáo kịp thời", None),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_it_reads_who_the_reports_go_to(text: str, expected: str | None) -> None:
    assert find_report_to(text) == expected


def test_the_parse_result_carries_it_per_task() -> None:
    tasks = parse_directive(read_sample("binh-dinh-UBND-VX-2024-draft.txt")).to_dict()["tasks"]
    assert tasks[-1]["report_to"] == {"name": "Sở Lao động - Thương binh và Xã hội", "agency": None}
    assert tasks[-1]["deadlines"] == [
        {"kind": "recurring", "frequency": "semiannual", "day": 15, "month": 5},
        {"kind": "date", "date": "2024-11-15"},
    ]
    assert tasks[0]["report_to"] is None
