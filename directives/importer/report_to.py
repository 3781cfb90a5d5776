"""Where a task reports to: "gửi về Sở X để tổng hợp", "báo cáo kết quả về Sở X", "báo cáo UBND tỉnh (qua Sở X)".

The body that collects the reports is the one named after "gửi về / báo cáo (kết quả) về"; when the text says
"(qua Sở X)", reports go through Sở X, so Sở X is the answer. Only the first body of a list is taken ("về Bộ …,
UBND tỉnh": the Bộ). No phrase, no answer: never a guess.
"""

from __future__ import annotations

import re

_AFTER = r"để|trước|theo|trong|định kỳ|đúng|chậm nhất|hằng|hàng|và báo cáo|tổng hợp|kèm theo|bằng|qua|thông qua"
REPORT_TO_RE = re.compile(
    r"\b(?:gửi|báo\s+cáo|báo\s+cáo\s+kết\s+quả|gửi\s+báo\s+cáo)(?:\s+kết\s+quả)?\s+(?:về|cho|lên)\s+"
    rf"(?P<x>[^.;:\n()]+?)(?=\s+(?:{_AFTER})\b|\s*[.;:()]|\s*$)"
    r"(?:\s*\(\s*(?:qua|thông qua)\s+(?P<via>[^)]+)\))?",
    re.IGNORECASE,
)
VIA_RE = re.compile(r"\((?:qua|thông qua)\s+(?P<via>(?:Sở|Ban|Văn phòng|Phòng|Công an)[^)]+)\)", re.IGNORECASE)
_BODY_START_RE = re.compile(
    r"^(?:Sở|Ban|Bộ|Ủy ban|Uỷ ban|UBND|Công an|Văn phòng|Phòng|Cục|Chi cục|Trung tâm|Hội|Tỉnh ủy|Tỉnh uỷ|Thủ tướng)\b"
)


def find_report_to(text: str) -> str | None:
    """The name of the body the task reports to, as written, or None."""
    via = VIA_RE.search(text)
    for match in REPORT_TO_RE.finditer(text):
        if via and via.start() >= match.start():
            break
        if match.group("via"):
            return match.group("via").strip(" ,")
        name = match.group("x").split(",")[0].strip(" ,")
        if _BODY_START_RE.match(name):  # "báo cáo về công tác trẻ em" is a topic, not a body: read on
            return name
    return via.group("via").strip(" ,") if via else None
