"""Entry point: `parse_directive(text, agencies)` → a `ParsedDirective` (nothing is saved).

Every field is proposed from the text alone; a field the text does not give stays empty (None or []) and a
Vietnamese warning names it. Agency names are kept as written and matched to the directory where one agency
fits unambiguously.

A quyết định that issues a plan or programme carries it after its signature ("KẾ HOẠCH … (Ban hành kèm theo
Quyết định số … )"): the decision's own articles give their tasks (assignments.py), then the attachment's body is
read like a kế hoạch and gives the rest. The signer is the decision's.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from directives.importer.assignments import Task, closing_task, extract_tasks, find_addressees, split_body
from directives.importer.deadlines import find_deadline, find_deadlines
from directives.importer.header import collect_block, doc_type_from_title, parse_header
from directives.importer.matching import AgencyLike, is_generic, match_agency
from directives.importer.normalise import normalise
from directives.importer.recipients import find_recipients
from directives.importer.references import find_references
from directives.importer.report_to import find_report_to
from directives.importer.signature import AUTHORITY_RE, NOI_NHAN_RE, find_signer

MAX_TEXT_LENGTH = 200_000
_END_MARK_RE = re.compile(r"\./\.\s*$")
# What a quyết định issues as an attachment, and the note under the attachment's title.
_ATTACHED_TYPES = frozenset({"kế hoạch", "chương trình", "đề án", "quy chế", "quy định", "phương án", "hướng dẫn"})
_ATTACHMENT_NOTE_RE = re.compile(r"^\(?\s*(?:Ban hành\s+)?(?:kèm theo|Kèm theo)\b", re.IGNORECASE)


@dataclass
class ParsedDirective:
    doc_type: str | None = None
    number: str | None = None
    symbol: str | None = None
    issuer: str | None = None
    place: str | None = None
    issued_on: datetime.date | None = None
    subject: str | None = None
    recipients: list[str] = field(default_factory=list)
    signer: dict[str, str | None] = field(default_factory=lambda: {"name": None, "title": None, "authority": None})
    references: list[dict[str, Any]] = field(default_factory=list)
    tasks: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_type": self.doc_type,
            "number": self.number,
            "symbol": self.symbol,
            "issuer": self.issuer,
            "place": self.place,
            "issued_on": self.issued_on.isoformat() if self.issued_on else None,
            "subject": self.subject,
            "recipients": list(self.recipients),
            "signer": dict(self.signer),
            "references": [dict(r) for r in self.references],
            "tasks": [dict(t) for t in self.tasks],
            "warnings": list(self.warnings),
        }


def _body_end(lines: list[str], start: int) -> tuple[int, int]:
    """(end of the body, start of the tail holding Nơi nhận and the signature)."""
    for i in range(start, len(lines)):
        if NOI_NHAN_RE.match(lines[i]):
            return i, i
    for i in range(start, len(lines)):
        if _END_MARK_RE.search(lines[i]):
            return i + 1, i + 1
    for i in range(len(lines) - 1, start, -1):  # no Nơi nhận, no "./.": an authority line opens the signature
        if AUTHORITY_RE.match(lines[i]):
            return i, i
    return len(lines), len(lines)


def _attachment_start(lines: list[str], start: int) -> int | None:
    """The title line ("KẾ HOẠCH", "CHƯƠNG TRÌNH" …) of a document attached after a decision's signature."""
    for i in range(start, len(lines)):
        if doc_type_from_title(lines[i]) in _ATTACHED_TYPES:
            return i
    return None


def _attachment_tasks(lines: list[str], title: int) -> list[Task]:
    """The tasks of the attached plan: its body, after its trích yếu and the "(Ban hành kèm theo …)" note."""
    _subject, start = collect_block(lines, title + 1, len(lines))
    while start < len(lines) and (not lines[start] or _ATTACHMENT_NOTE_RE.match(lines[start])):
        start += 1
    end, _tail = _body_end(lines, start)
    body = split_body(lines[start:end])
    default_lead = find_addressees(body.preamble)
    return extract_tasks(body) + [closing_task(p, default_lead) for p in body.closing if find_deadline(p)]


def _names(names: list[str], agencies: list[AgencyLike], warnings: list[str]) -> list[dict[str, str | None]]:
    out: list[dict[str, str | None]] = []
    for name in names:
        code = match_agency(name, agencies) if agencies else None
        if agencies and code is None and not is_generic(name):
            message = f"Không khớp được cơ quan \u201c{name}\u201d với danh mục cơ quan"
            if message not in warnings:
                warnings.append(message)
        out.append({"name": name, "agency": code})
    return out


def _report_to(text: str, agencies: list[AgencyLike]) -> dict[str, str | None] | None:
    name = find_report_to(text)
    if name is None:
        return None
    return {"name": name, "agency": match_agency(name, agencies) if agencies else None}


def parse_directive(text: str, agencies: Iterable[AgencyLike] | None = None) -> ParsedDirective:
    directory = list(agencies or [])
    lines = normalise(text).split("\n")
    result = ParsedDirective()
    warnings = result.warnings
    if not any(lines):
        warnings.append("Văn bản trống")
        return result

    header = parse_header(lines)
    recipients, recipients_end = find_recipients(lines, 0, min(len(lines), 60))
    body_start = max(header.end, recipients_end or 0)
    body_end, tail_start = _body_end(lines, body_start)
    body = split_body(lines[body_start:body_end])

    result.doc_type = header.doc_type or None
    result.number = header.number or None
    result.symbol = header.symbol or None
    result.issuer = header.issuer or None
    result.place = header.place or None
    result.issued_on = header.issued_on
    result.subject = header.subject or None
    result.recipients = recipients

    attachment = _attachment_start(lines, tail_start) if header.doc_type == "quyết định" else None
    signer = find_signer(lines[tail_start:attachment])
    result.signer = {"name": signer.name or None, "title": signer.title or None, "authority": signer.authority or None}

    result.references = find_references(body.preamble, header.subject)

    tasks = extract_tasks(body)
    default_lead = find_addressees(body.preamble)
    tasks += [closing_task(p, default_lead) for p in body.closing if find_deadline(p)]
    if attachment is not None:
        tasks += _attachment_tasks(lines, attachment)
    for n, task in enumerate(tasks, start=1):
        label = task.label or str(n)
        if not task.lead:
            warnings.append(f"Nhiệm vụ {label}: không xác định được cơ quan chủ trì")
        result.tasks.append(
            {
                "label": task.label,
                "lead": _names(task.lead, directory, warnings),
                "coordinating": _names(task.coordinating, directory, warnings),
                "text": task.text,
                "deadline": find_deadline(task.text),
                # Every deadline phrase of the task, in text order (the first dated one is "deadline").
                "deadlines": [value for _pos, value in find_deadlines(task.text)],
                "report_to": _report_to(task.text, directory),
            }
        )

    _warn_missing(result, header.date_blank, warnings)
    return result


def _warn_missing(result: ParsedDirective, date_blank: bool, warnings: list[str]) -> None:
    missing: list[str] = []
    if not result.doc_type:
        missing.append("Không xác định được loại văn bản")
    if not result.number:
        missing.append("Không tìm thấy số văn bản (văn bản dự thảo?)")
    if not result.symbol:
        missing.append("Không tìm thấy ký hiệu văn bản")
    if not result.issuer:
        missing.append("Không tìm thấy cơ quan ban hành")
    if not result.place:
        missing.append("Không tìm thấy địa danh")
    if not result.issued_on:
        missing.append(
            "Không tìm thấy ngày ban hành (văn bản dự thảo?)" if date_blank else "Không tìm thấy ngày ban hành"
        )
    if not result.subject:
        missing.append("Không tìm thấy trích yếu (V/v)")
    if not result.recipients and result.doc_type in (None, "công văn"):
        missing.append("Không tìm thấy nơi nhận (Kính gửi)")
    if not result.signer["name"]:
        missing.append("Không tìm thấy họ tên người ký")
    if not result.signer["title"] and not result.signer["authority"]:
        missing.append("Không tìm thấy chức vụ, thẩm quyền người ký (TM./KT./Q./TL./TUQ.)")
    if not result.references:
        missing.append("Không tìm thấy văn bản được thực hiện, căn cứ (Thực hiện/Căn cứ …)")
    if not result.tasks:
        missing.append("Không tìm thấy nhiệm vụ nào (các mục đánh số 1., 2., I., a)…)")
    warnings[:0] = missing
