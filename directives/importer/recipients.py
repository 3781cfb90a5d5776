"""Kính gửi: one recipient on the same line, or several on the lines below ("- …;" … "- … .")."""

from __future__ import annotations

import re

from directives.importer.header import KINH_GUI_RE

_ITEM_START = re.compile(r"^[-+•]\s*")
_BODY_START = re.compile(
    r"^(?:Căn cứ|Thực hiện|Theo|Ngày|Nhằm|Để|Trong|Qua|Hiện nay|Sau|Nhận được)\b|^(?:\d+|[IVX]+)\.\s"
)


def _clean(item: str) -> str:
    return item.strip().strip(" ;.,").strip()


def find_recipients(lines: list[str], start: int = 0, stop: int | None = None) -> tuple[list[str], int | None]:
    """Return (recipients, index of the line after the list), or ([], None) when there is no Kính gửi."""
    stop = len(lines) if stop is None else stop
    for i in range(start, stop):
        m = KINH_GUI_RE.match(lines[i])
        if not m:
            continue
        items: list[str] = []
        rest = lines[i][m.end() :].strip().lstrip(":").strip()
        if rest:
            items.extend(_split_inline(rest))
        j = i + 1
        if rest and not _ITEM_START.match(rest) and rest.endswith("."):
            return [x for x in items if x], j
        while j < stop:
            line = lines[j]
            if not line:
                # A blank line ends the list only once something was listed and the next line is not an item.
                nxt = next((k for k in range(j + 1, stop) if lines[k]), None)
                if items and (nxt is None or not _ITEM_START.match(lines[nxt])):
                    j += 1
                    break
                j += 1
                continue
            if _ITEM_START.match(line):
                items.append(_clean(_ITEM_START.sub("", line)))
            elif items and not _BODY_START.match(line) and not items[-1].endswith(".") and line[:1].islower():
                items[-1] = f"{items[-1]} {_clean(line)}"  # an item wrapped onto the next line
            elif not items and not _BODY_START.match(line):
                items.extend(_split_inline(line))
            else:
                break
            j += 1
        return [x for x in items if x], j
    return [], None


def _split_inline(text: str) -> list[str]:
    text = _ITEM_START.sub("", text)
    return [_clean(part) for part in re.split(r";\s*(?:-\s*)?", text) if _clean(part)]
