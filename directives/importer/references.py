"""The documents a directive implements: "Thực hiện/Căn cứ … Công văn số 1740-CV/TU ngày 14/7/2023 …".

A cited document counts when the preamble says the directive carries it out:
- in a clause that starts with Thực hiện, Căn cứ, Triển khai, Theo or Tiếp theo, and in the clauses that follow
  it after ";" as long as each starts with a document ("Thực hiện Nghị quyết số 121/2020/QH14 …; Quyết định số
  23/QĐ-TTg …; Ủy ban nhân dân tỉnh ban hành …" cites both);
- anywhere else when the verb stands right before it ("…, đẩy mạnh thực hiện Chỉ thị số 18/CT-TTg …").
So a "Tờ trình" cited as the proposal ("trên cơ sở đề nghị của Sở … tại Tờ trình số …") is not taken for a parent
directive. Laws cited by name only, with no number ("Căn cứ Luật Trẻ em ngày 05/4/2016"), are skipped.

Symbols keep their case and punctuation ("23/QĐ-TTg", "2526-QĐ/TU"); a symbol wrapped inside ("…-CA- NNPTNT-…")
is put back together. A document cited twice is listed once, as the body of the text writes it (a trích yếu in
capitals writes "QĐ-TTG"); the subject of a kế hoạch ("TRIỂN KHAI THỰC HIỆN QUYẾT ĐỊNH SỐ …") is read last.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from directives.importer.header import DOC_TYPE_NAMES, make_date
from directives.importer.normalise import fold

_TYPES = (
    r"Công văn|Kế hoạch liên tịch|Kế hoạch|Chỉ thị|Quyết định|Nghị quyết liên tịch|Nghị quyết|Nghị định|"
    r"Thông tư liên tịch|Thông tư|Thông báo kết luận|Thông báo|Thông tri|Kết luận|Hướng dẫn|Chương trình hành động|"
    r"Chương trình phối hợp|Chương trình|Công điện|Đề án|Luật|Tờ trình|Văn bản|Quy chế phối hợp|Quy chế|Quy định"
)
REFERENCE_RE = re.compile(
    rf"(?P<type>{_TYPES})\s+(?:số\s*:?\s*)?(?P<number>\d{{1,6}})\s*(?P<sep>[/-]|\s)\s*"
    # Case-sensitive: a symbol starts with a capital (or a year: "121/2020/QH14"); "-" and a space inside one is a
    # line wrap ("QCPH-LĐTBXH-GDĐT-CA- NNPTNT-TLĐ").
    r"(?P<symbol>(?-i:(?:\d{4}/)?[A-ZĐ][0-9A-Za-zĐđ&.\-/]*[0-9A-Za-zĐđ](?:-\s+[A-ZĐ][0-9A-Za-zĐđ&.\-/]*[0-9A-Za-zĐđ])*))"
    r"(?:\s*,?\s+ngày\s+(?P<date>\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}))?",
    re.IGNORECASE,
)
CLAUSE_START_RE = re.compile(r"^\s*(?:Thực hiện|Căn cứ|Triển khai|Theo|Tiếp theo)\b", re.IGNORECASE)
_DOCUMENT_START_RE = re.compile(rf"^\s*(?:{_TYPES})\b", re.IGNORECASE)
_VERB_BEFORE_RE = re.compile(r"(?:thực hiện|triển khai|căn cứ|theo|tiếp theo)\s*$", re.IGNORECASE)
_TEXT_END_RE = re.compile(r"[;:]|\.(?:\s|$)|,\s+(?=(?:Chủ tịch|Ủy ban|Uỷ ban|UBND|Ban Thường vụ|Sở|Bộ)\b)")
# A proposal or a report is cited as the ground of a decision, never as a document carried out.
_NOT_IMPLEMENTED = ("to trinh", "bao cao")


def _date(raw: str | None) -> datetime.date | None:
    if not raw:
        return None
    parts = re.findall(r"\d+", raw)
    return make_date(parts[0], parts[1], parts[2]) if len(parts) == 3 else None


def _symbol(match: re.Match[str]) -> str:
    symbol = re.sub(r"\s+", "", match.group("symbol"))
    if match.group("sep").isspace():
        symbol = symbol.lstrip("-/")  # "Chỉ thị số 28 CT/TW": a space for the dash
    return symbol


def _type_name(raw: str) -> str:
    folded = fold(raw)
    for suffix in (" lien tich", " phoi hop", " ket luan"):
        if folded.endswith(suffix) and folded[: -len(suffix)] in DOC_TYPE_NAMES:
            folded = folded[: -len(suffix)]
    return DOC_TYPE_NAMES.get(folded, raw.lower())


def _cited(clause: str, *, carried_out: bool) -> list[re.Match[str]]:
    """The documents of one clause that the directive carries out."""
    found = []
    for m in REFERENCE_RE.finditer(clause):
        if fold(m.group("type")) in _NOT_IMPLEMENTED:
            continue
        if carried_out or _VERB_BEFORE_RE.search(clause[: m.start()]):
            found.append(m)
    return found


def _clauses(paragraphs: list[str]) -> list[tuple[str, bool]]:
    """(clause, carried out) for every ";"-separated clause: a Thực hiện/Căn cứ clause and the document clauses
    that continue its list are carried out as a whole; other clauses only where the verb precedes a document."""
    out: list[tuple[str, bool]] = []
    for paragraph in paragraphs:
        listing = False
        for clause in re.split(r";\s*", paragraph):
            if CLAUSE_START_RE.match(clause):
                listing = True
            elif not _DOCUMENT_START_RE.match(clause):
                listing = False
            out.append((clause, listing))
    return out


def reference_fields(m: re.Match[str]) -> dict[str, Any]:
    """Type, number, symbol (as written) and date of one match of REFERENCE_RE."""
    issued_on = _date(m.group("date"))
    return {
        "doc_type": _type_name(m.group("type")),
        "number": m.group("number"),
        "symbol": _symbol(m),
        "issued_on": issued_on.isoformat() if issued_on else None,
    }


def find_references(preamble: list[str], subject: str = "") -> list[dict[str, Any]]:
    """The documents the directive carries out, in the order the preamble cites them (module docstring)."""
    refs: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    clauses = _clauses(preamble)
    if subject and CLAUSE_START_RE.match(subject):
        clauses.append((subject, True))
    for clause, carried_out in clauses:
        for m in _cited(clause, carried_out=carried_out):
            fields = reference_fields(m)
            key = (fields["number"], fields["symbol"].upper())
            if key in seen:
                continue
            seen.add(key)
            rest = clause[m.start() :]
            nxt = REFERENCE_RE.search(rest, m.end() - m.start())
            end = _TEXT_END_RE.search(rest, m.end() - m.start())
            stop = min(x for x in (nxt.start() if nxt else None, end.start() if end else None, len(rest)) if x)
            refs.append(fields | {"text": re.sub(r"\s+(?:và|,)$", "", rest[:stop].strip(" ,;."))})
    return refs
