"""The signature block: authority (TM./KT./Q./TL./TUQ.), title, signer's name (NĐ 30/2020, boxes 7a-7c).

In pasted text it usually follows the "Nơi nhận:" list (the two columns come one after the other), sometimes
precedes it or shares its lines. So: look at the lines after the end of the body that are not "- …" list items.
The name is the last line that looks like a Vietnamese personal name (2-6 capitalised words, no digits or dots),
so a drafter code such as "Pvk.CV72.LĐ" is not taken for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from directives.importer.normalise import fold

AUTHORITY_RE = re.compile(r"^(?P<prefix>TM|T/M|KT|K/T|Q|TL|T/L|TUQ)\s*\.?\s+(?P<rest>[^\W\d_].*)$")
NOI_NHAN_RE = re.compile(r"^Nơi\s+nhận\s*:?\s*", re.IGNORECASE)
_SKIP = {"da ky", "(da ky)", "ky ten", "(ky ten, dong dau)", "(ky, ghi ro ho ten)", "noi nhan", "du thao"}


@dataclass
class Signer:
    name: str = ""
    title: str = ""
    authority: str = ""


def _is_upper(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


def looks_like_name(line: str) -> bool:
    words = line.split()
    if not 2 <= len(words) <= 6 or any(ch.isdigit() or ch in ".,;:/()" for ch in line):
        return False
    return all(w.isalpha() and w[0].isupper() and (len(w) == 1 or w[1:].islower()) for w in words)


def find_signer(lines: list[str]) -> Signer:
    """`lines`: the tail of the document, after the body (from "Nơi nhận:" or the closing "./." on)."""
    candidates: list[str] = []
    for raw in lines:
        line = NOI_NHAN_RE.sub("", raw).strip()
        if not line or line.startswith(("-", "+", "•")) or fold(line).strip(".") in _SKIP:
            continue
        candidates.append(line)
    signer = Signer()
    for line in reversed(candidates):
        if looks_like_name(line):
            signer.name = line
            break
    authorities: list[str] = []
    titles: list[str] = []
    for line in candidates:
        if line == signer.name:
            break
        m = AUTHORITY_RE.match(line)
        if m:
            prefix = m.group("prefix").replace("/", "")
            authorities.append(f"{prefix}. {m.group('rest').strip()}")
            titles = []
        elif _is_upper(line) and len(line.split()) <= 8 and (authorities or titles or _is_title(line)):
            titles.append(line)
    signer.authority = " / ".join(authorities)
    signer.title = " ".join(titles)
    return signer


_TITLE_WORDS = ("CHU TICH", "GIAM DOC", "TRUONG", "BI THU", "THU TRUONG", "BO TRUONG", "CHANH", "TONG", "THUONG TRUC")


def _is_title(line: str) -> bool:
    folded = fold(line).upper()
    return any(word in folded for word in _TITLE_WORDS)
