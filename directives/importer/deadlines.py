"""Deadline phrases in task text → a deadline value (a dict), or None.

    {"kind": "date", "date": "2024-11-15"}
    {"kind": "recurring", "frequency": "monthly"|"quarterly"|"semiannual"|"annual", "day": 15, "month": 5}
    {"kind": "continuous"}

`day`/`month` of a recurring deadline are there only when the text gives them ("6 tháng trước ngày 15/5").
"""

from __future__ import annotations

import datetime
import re
from typing import Any

Deadline = dict[str, Any]

_D = r"(?P<day>\d{1,2})"
# "15/11/2024", "15-11-2024", "15.11.2024", "15 tháng 11 năm 2024", "15/11" (no year), "15 tháng 11".
_DATE = (
    rf"{_D}\s*(?:[/.-]\s*(?P<month>\d{{1,2}})(?:\s*[/.-]\s*(?P<year>\d{{4}}))?"
    r"|\s+tháng\s+(?P<month2>\d{1,2})(?:\s*(?:năm|,)\s*(?P<year2>\d{4}))?)"
)
BEFORE_DATE_RE = re.compile(
    rf"\b(?:trước|chậm nhất|muộn nhất|hạn chót|hạn cuối|hoàn thành)(?:\s+(?:là|vào|đến))?\s+(?:ngày\s+)?{_DATE}",
    re.IGNORECASE,
)
BEFORE_DAY_ONLY_RE = re.compile(
    r"\btrước\s+ngày\s+(?P<day>\d{1,2})\b(?!\s*[/-]\s*\d|\s*\.\s*\d|\s+tháng)", re.IGNORECASE
)
# "6 tháng, hằng năm … trước ngày 15/5 và 15/11": two recurring deadlines, dates in the same order.
PAIR_RE = re.compile(
    r"\b(?:0?6|sáu)\s+tháng\s*(?:,|và)\s*(?:hằng\s+|hàng\s+|cả\s+)?năm\b.{0,80}?\btrước\s+(?:ngày\s+)?"
    r"(?P<d1>\d{1,2})\s*/\s*(?P<m1>\d{1,2})(?:\s*/\s*\d{4})?\s*(?:và|,)\s*(?:ngày\s+)?"
    r"(?P<d2>\d{1,2})\s*/\s*(?P<m2>\d{1,2})",
    re.IGNORECASE | re.DOTALL,
)

_FREQUENCIES: list[tuple[str, str]] = [
    (r"\b(?:hằng|hàng|mỗi)\s+tháng\b|\bđịnh\s+kỳ\s+(?:hằng\s+|hàng\s+)?tháng\b|\btheo\s+tháng\b", "monthly"),
    (
        r"\b(?:hằng|hàng|mỗi)\s+quý\b|\bđịnh\s+kỳ\s+(?:hằng\s+|hàng\s+)?quý\b|\btheo\s+quý\b|\b(?:03|3|ba)\s+tháng\s+(?:một|1)\s+lần\b",
        "quarterly",
    ),
    (r"\b(?:0?6|sáu)\s+tháng\b(?!\s+(?:đầu|cuối)\s+năm\s+\d)|\bnửa\s+năm\b|\bbán\s+niên\b", "semiannual"),
    (r"\b(?:hằng|hàng|mỗi)\s+năm\b|\bđịnh\s+kỳ\s+(?:hằng\s+|hàng\s+)?năm\b|\bcuối\s+năm\b|\btheo\s+năm\b", "annual"),
]
FREQUENCY_RES = [(re.compile(p, re.IGNORECASE), f) for p, f in _FREQUENCIES]
PERIODIC_RE = re.compile(r"\bđịnh\s+kỳ\b|\bbáo\s+cáo\b|\bhằng\b|\bhàng\b|\bmỗi\b", re.IGNORECASE)
CONTINUOUS_RE = re.compile(r"\bthường\s+xuyên\b|\bliên\s+tục\b", re.IGNORECASE)
_NEAR = 80  # characters between a frequency word and the "trước ngày …" it governs


def _date_parts(m: re.Match[str]) -> tuple[int, int | None, int | None]:
    month = m.group("month") or m.group("month2")
    year = m.group("year") or m.group("year2")
    return int(m.group("day")), int(month) if month else None, int(year) if year else None


def _valid(day: int, month: int | None, year: int | None) -> bool:
    try:
        datetime.date(year or 2024, month or 1, day)  # 2024: a leap year, so 29/2 passes without a year
    except ValueError:
        return False
    return True


def find_deadlines(text: str) -> list[tuple[int, Deadline]]:
    """Every deadline in the text, as (position, value), in text order."""
    found: list[tuple[int, Deadline]] = []
    used: list[tuple[int, int]] = []  # spans of "trước ngày …" already attached to a frequency

    pairs: list[tuple[int, int]] = []
    for pm in PAIR_RE.finditer(text):
        d1, m1, d2, m2 = (int(pm.group(g)) for g in ("d1", "m1", "d2", "m2"))
        if _valid(d1, m1, None) and _valid(d2, m2, None):
            found.append((pm.start(), {"kind": "recurring", "frequency": "semiannual", "day": d1, "month": m1}))
            found.append((pm.start() + 1, {"kind": "recurring", "frequency": "annual", "day": d2, "month": m2}))
            pairs.append((pm.start(), pm.end()))
            used.append((pm.start(), pm.end()))

    for rx, frequency in FREQUENCY_RES:
        for fm in rx.finditer(text):
            if any(start <= fm.start() < end for start, end in pairs):
                continue
            if frequency == "semiannual" and not _is_periodic(text, fm.start()):
                continue
            value: Deadline = {"kind": "recurring", "frequency": frequency}
            window = text[fm.end() : fm.end() + _NEAR]
            bm = BEFORE_DATE_RE.search(window)
            if bm and not _has_other_frequency(window[: bm.start()]):
                day, month, _year = _date_parts(bm)
                if _valid(day, month, None):
                    value["day"] = day
                    if month and frequency in ("semiannual", "annual"):
                        value["month"] = month
                    used.append((fm.end() + bm.start(), fm.end() + bm.end()))
            elif (dm := BEFORE_DAY_ONLY_RE.search(window)) and not _has_other_frequency(window[: dm.start()]):
                value["day"] = int(dm.group("day"))
                used.append((fm.end() + dm.start(), fm.end() + dm.end()))
            found.append((fm.start(), value))

    for bm in BEFORE_DATE_RE.finditer(text):
        if any(start <= bm.start() < end for start, end in used):
            continue
        day, month, year = _date_parts(bm)
        if month and year and _valid(day, month, year):
            found.append((bm.start(), {"kind": "date", "date": datetime.date(year, month, day).isoformat()}))

    found.extend((cm.start(), {"kind": "continuous"}) for cm in CONTINUOUS_RE.finditer(text))
    found.sort(key=lambda item: item[0])
    return _dedupe(found)


def find_deadline(text: str) -> Deadline | None:
    """The deadline of a task: the first date or recurring deadline in the text; else "thường xuyên"; else None."""
    found = find_deadlines(text)
    for _pos, value in found:
        if value["kind"] != "continuous":
            return value
    return found[0][1] if found else None


def _is_periodic(text: str, pos: int) -> bool:
    """ "6 tháng" is a period only in a reporting/periodic context ("định kỳ 6 tháng", "báo cáo 6 tháng")."""
    before = text[max(0, pos - 60) : pos]
    after = text[pos : pos + 40]
    return bool(PERIODIC_RE.search(before) or re.search(r"tháng\s*(?:,|và)\s*(?:hằng\s+|hàng\s+)?năm", after))


def _has_other_frequency(between: str) -> bool:
    return any(rx.search(between) for rx, _f in FREQUENCY_RES)


def _dedupe(found: list[tuple[int, Deadline]]) -> list[tuple[int, Deadline]]:
    out: list[tuple[int, Deadline]] = []
    for pos, value in found:
        if value["kind"] == "continuous" and any(v["kind"] == "continuous" for _p, v in out):
            continue
        if value in [v for _p, v in out]:
            continue
        out.append((pos, value))
    return out
