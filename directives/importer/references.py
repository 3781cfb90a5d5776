"""The documents a directive implements: "Thực hiện/Căn cứ … Công văn số 1740-CV/TU ngày 14/7/2023 …".

Only clauses of the preamble that start with Thực hiện, Căn cứ, Triển khai or Theo count, so a "Tờ trình" cited
as the proposal ("trên cơ sở đề nghị của Sở … tại Tờ trình số …") is not taken for a parent directive. Laws cited
by name only, with no number ("Căn cứ Luật Trẻ em ngày 05/4/2016"), are skipped.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from directives.importer.header import DOC_TYPE_NAMES, make_date
from directives.importer.normalise import fold

_TYPES = (
    r"Công văn|Kế hoạch|Chỉ thị|Quyết định|Nghị quyết|Nghị định|Thông tư|Thông báo|Thông tri|Kết luận|Hướng dẫn|"
    r"Chương trình hành động|Chương trình|Công điện|Đề án|Luật|Tờ trình|Văn bản|Quy định|Quy chế"
)
REFERENCE_RE = re.compile(
    rf"(?P<type>{_TYPES})\s+(?:liên tịch\s+)?(?:số\s*:?\s*)?(?P<number>\d{{1,6}})\s*(?P<sep>[/-]|\s)\s*"
    r"(?P<symbol>[0-9]*\s*[A-ZĐ][0-9A-Za-zĐđ&.\-/]*[0-9A-Za-zĐđ])"
    r"(?:\s+ngày\s+(?P<date>\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}))?",
    re.IGNORECASE,
)
CLAUSE_START_RE = re.compile(r"^\s*(?:Thực hiện|Căn cứ|Triển khai|Theo|Tiếp theo)\b", re.IGNORECASE)
_TEXT_END_RE = re.compile(r"[;:]|\.(?:\s|$)|,\s+(?=(?:Chủ tịch|Ủy ban|Uỷ ban|UBND|Ban Thường vụ|Sở|Bộ)\b)")


def _date(raw: str | None) -> datetime.date | None:
    if not raw:
        return None
    parts = re.findall(r"\d+", raw)
    return make_date(parts[0], parts[1], parts[2]) if len(parts) == 3 else None


def find_references(preamble: list[str]) -> list[dict[str, Any]]:
    refs: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for paragraph in preamble:
        for clause in re.split(r";\s*", paragraph):
            if not CLAUSE_START_RE.match(clause):
                continue
            for m in REFERENCE_RE.finditer(clause):
                number, symbol = m.group("number"), re.sub(r"\s+", "", m.group("symbol")).upper()
                if m.group("sep").isspace():
                    symbol = symbol.lstrip("-/")  # "Chỉ thị số 28 CT/TW": a space for the dash
                if (number, symbol) in seen:
                    continue
                seen.add((number, symbol))
                rest = clause[m.start() :]
                nxt = REFERENCE_RE.search(rest, m.end() - m.start())
                end = _TEXT_END_RE.search(rest, m.end() - m.start())
                stop = min(x for x in (nxt.start() if nxt else None, end.start() if end else None, len(rest)) if x)
                text = rest[:stop].strip(" ,;.")
                type_name = fold(m.group("type"))
                issued_on = _date(m.group("date"))
                refs.append(
                    {
                        "doc_type": DOC_TYPE_NAMES.get(type_name, m.group("type").lower()),
                        "number": number,
                        "symbol": symbol,
                        "issued_on": issued_on.isoformat() if issued_on else None,
                        "text": re.sub(r"\s+(?:và|,)$", "", text),
                    }
                )
    return refs
