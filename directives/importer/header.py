"""The header of a directive (NĐ 30/2020, Appendix I): issuing body, number and symbol, place and date, the
document type (title line or symbol) and the subject (V/v line of a công văn, or the trích yếu under the title).

Works on the lines of `normalise()`d text. Pasted two-column headers come either column by column or row by row
("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI…" on one line); both are handled. Nothing is guessed: a blank number or
date in a draft ("Số: /UBND-VX", "ngày tháng năm 2024") gives None.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from directives.importer.normalise import fold

HEADER_SCAN_LINES = 40

# Folded type name → the name returned (NĐ 30/2020 Art. 7; Party documents add kết luận, thông tri).
DOC_TYPE_NAMES = {
    "cong van": "công văn",
    "ke hoach": "kế hoạch",
    "chi thi": "chỉ thị",
    "quyet dinh": "quyết định",
    "thong bao": "thông báo",
    "bao cao": "báo cáo",
    "huong dan": "hướng dẫn",
    "chuong trinh": "chương trình",
    "chuong trinh hanh dong": "chương trình",
    "nghi quyet": "nghị quyết",
    "cong dien": "công điện",
    "to trinh": "tờ trình",
    "de an": "đề án",
    "phuong an": "phương án",
    "quy che": "quy chế",
    "quy dinh": "quy định",
    "ket luan": "kết luận",
    "thong tri": "thông tri",
    "thong tu": "thông tư",
    "nghi dinh": "nghị định",
}
# Type abbreviations used in symbols (NĐ 30/2020 Appendix III; "CV" in Party symbols such as 1740-CV/TU).
DOC_TYPE_ABBREVIATIONS = {
    "CV": "công văn",
    "KH": "kế hoạch",
    "CT": "chỉ thị",
    "QĐ": "quyết định",
    "TB": "thông báo",
    "BC": "báo cáo",
    "HD": "hướng dẫn",
    "CTR": "chương trình",
    "NQ": "nghị quyết",
    "CĐ": "công điện",
    "TTR": "tờ trình",
    "ĐA": "đề án",
    "PA": "phương án",
    "QC": "quy chế",
    "QYĐ": "quy định",
    "KL": "kết luận",
    "TT": "thông tư",
    "NĐ": "nghị định",
}

_NATIONAL = ("cong hoa xa hoi chu nghia viet nam", "doc lap - tu do - hanh phuc", "dang cong san viet nam")
_NATIONAL_PIECES = ("cong hoa", "chu nghia", "doc lap", "hanh phuc", "cong san")
_STAMPS = {"khan", "hoa toc", "thuong khan", "mat", "toi mat", "tuyet mat", "du thao"}

NUMBER_RE = re.compile(
    r"\bSố\s*:?\s*[.…]*\s*(?P<number>\d{1,6}[a-zA-Z]?)?\s*[.…]*\s*(?P<sep>[/-])\s*"
    r"(?P<symbol>[0-9A-ZĐ][0-9A-Za-zĐđ&.\-/]*[0-9A-Za-zĐđ])"
)
_BLANK = r"[\s.…_]*"
PLACE_DATE_RE = re.compile(
    r"(?P<place>[^\W\d_][^,;:]{0,60}?)\s*,\s*ngày" + _BLANK + r"(?P<day>\d{1,2})?" + _BLANK + r"tháng"
    rf"{_BLANK}(?P<month>\d{{1,2}})?{_BLANK}năm{_BLANK}(?P<year>\d{{4}})?"
)
PLACE_DATE_NUMERIC_RE = re.compile(
    r"(?P<place>[^\W\d_][^,;:]{0,60}?)\s*,\s*ngày\s*(?P<day>\d{1,2})\s*/\s*(?P<month>\d{1,2})\s*/\s*(?P<year>\d{4})"
)
SUBJECT_START_RE = re.compile(r"^(?:V/v|V/V|v/v|Về việc)\s*:?\s*", re.UNICODE)
KINH_GUI_RE = re.compile(r"^Kính\s*gửi\b", re.IGNORECASE)  # "Kínhgửi:" glued in some pastes
BODY_START_RE = re.compile(r"^(?:Căn cứ|Thực hiện|Theo|Nhằm|Để)\b")
# The authority that decides, on its own line between a decision's trích yếu and its "Căn cứ".
AUTHORITY_LINE_RE = re.compile(
    r"^(?:ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|CHỦ TỊCH|BỘ TRƯỞNG|THỦ TƯỚNG|BAN THƯỜNG VỤ|BAN CHẤP HÀNH|HỘI ĐỒNG NHÂN DÂN|"
    r"GIÁM ĐỐC)\b"
)


@dataclass
class Header:
    issuer: str = ""
    number: str = ""
    symbol: str = ""
    place: str = ""
    issued_on: datetime.date | None = None
    date_blank: bool = False  # the place-and-date line is there, but day/month left blank (a draft)
    doc_type: str = ""
    subject: str = ""
    end: int = 0  # index of the first line after the header (title, subject, number, date)
    title_index: int | None = None
    notes: list[str] = field(default_factory=list)


def make_date(day: str | None, month: str | None, year: str | None) -> datetime.date | None:
    if not (day and month and year):
        return None
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _is_upper(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


def _cut_national(line: str) -> str:
    """Drop the quốc hiệu / tiêu ngữ / Party name from a line, wherever it stands (a row-by-row paste has it after
    the issuer, a PDF conversion before it); what stays is the issuer's part. A line that is only a wrapped piece
    of the quốc hiệu ("CỘNG" / "HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") leaves nothing."""
    folded = fold(line)
    for phrase in _NATIONAL:
        while (pos := folded.find(phrase)) >= 0:
            # fold() keeps the length of NFC Vietnamese text except collapsed spaces; normalise() already did that.
            line = line[:pos] + " " + line[pos + len(phrase) :]
            folded = folded[:pos] + " " + folded[pos + len(phrase) :]
    folded = " ".join(folded.split())
    if folded in ("cong", "hoa") or (
        any(piece in folded for piece in _NATIONAL_PIECES) and any(folded in phrase for phrase in _NATIONAL)
    ):
        return ""
    return " ".join(line.split()).strip(" -*|")


def doc_type_from_title(line: str) -> str:
    return DOC_TYPE_NAMES.get(fold(line).strip(" :."), "") if _is_upper(line) else ""


def doc_type_from_symbol(symbol: str) -> str:
    """KH-UBND → kế hoạch; 1740-CV/TU → công văn; UBND-KGVX (no type abbreviation) → công văn."""
    tokens = [t for t in re.split(r"[-/]", symbol) if t and not t.isdigit()]
    if not tokens:
        return ""
    first = tokens[0].upper()
    if first in DOC_TYPE_ABBREVIATIONS:
        return DOC_TYPE_ABBREVIATIONS[first]
    return "công văn"


def _find_place_date(line: str) -> re.Match[str] | None:
    return PLACE_DATE_RE.search(line) or PLACE_DATE_NUMERIC_RE.search(line)


def _clean_subject(parts: list[str]) -> str:
    text = " ".join(p.strip() for p in parts if p.strip())
    text = SUBJECT_START_RE.sub("", text)
    return text.strip(" .;:")


def parse_header(lines: list[str]) -> Header:
    header = Header()
    scan = min(len(lines), HEADER_SCAN_LINES)
    stop = scan
    for i in range(scan):
        if KINH_GUI_RE.match(lines[i]):
            stop = i
            break
    number_idx = date_idx = title_idx = subject_idx = None
    for i in range(stop):
        line = lines[i]
        if number_idx is None and (m := NUMBER_RE.search(line)):
            number_idx = i
            header.number = m.group("number") or ""
            header.symbol = m.group("symbol")  # as written: symbols are case-significant ("QĐ-TTg")
        if date_idx is None:
            nm = NUMBER_RE.search(line)
            offset = nm.end() if nm else 0  # number and date pasted on one line
            if dm := _find_place_date(line[offset:]):
                date_idx = i
                header.place = dm.group("place").strip(" .-")
                header.issued_on = make_date(dm.group("day"), dm.group("month"), dm.group("year"))
                header.date_blank = header.issued_on is None
        if title_idx is None and doc_type_from_title(line):
            title_idx = i
        if subject_idx is None and SUBJECT_START_RE.match(line):
            subject_idx = i

    # Issuer: the upper-case lines of the left column, above the number/date/title.
    first_mark = min(x for x in (number_idx, date_idx, title_idx, subject_idx, stop) if x is not None)
    issuer_parts: list[str] = []
    for i in range(first_mark):
        part = _cut_national(lines[i])
        if not part or not _is_upper(part) or fold(part) in _STAMPS:
            continue
        issuer_parts.append(part)
    if number_idx is not None and not issuer_parts:
        before = NUMBER_RE.search(lines[number_idx])
        if before and _is_upper(lines[number_idx][: before.start()].strip()):
            issuer_parts.append(lines[number_idx][: before.start()].strip())
    header.issuer = " ".join(issuer_parts)

    # Subject: the V/v lines of a công văn, else the trích yếu under the title.
    end = max(x for x in (number_idx, date_idx, title_idx, -1) if x is not None) + 1
    if subject_idx is not None:
        parts, j = collect_block(lines, subject_idx, stop)
        header.subject = _clean_subject(parts)
        end = max(end, j)
    elif title_idx is not None:
        parts, j = collect_block(lines, title_idx + 1, len(lines))
        header.subject = _clean_subject(parts)
        end = max(end, j)
    elif (untitled := _untitled_subject_start(lines, end, stop)) is not None:
        # The title line ("KẾ HOẠCH") lost in the paste: the trích yếu in capitals right under number and date.
        parts, j = collect_block(lines, untitled, len(lines))
        header.subject = _clean_subject(parts)
        end = max(end, j)
    header.end = min(max(end, 0), len(lines))
    header.title_index = title_idx

    if title_idx is not None:
        header.doc_type = doc_type_from_title(lines[title_idx])
    elif header.symbol:
        header.doc_type = doc_type_from_symbol(header.symbol)
    elif subject_idx is not None:
        header.doc_type = "công văn"  # only a công văn carries a V/v line (NĐ 30/2020, box 5b)
    return header


def _untitled_subject_start(lines: list[str], start: int, stop: int) -> int | None:
    """The first line after the header marks when it is a trích yếu in capitals (not a type title, the quốc hiệu
    or a stamp), else None."""
    j = start
    while j < stop and not lines[j]:
        j += 1
    if j >= stop or not _is_upper(lines[j]) or not _cut_national(lines[j]) or fold(lines[j]) in _STAMPS:
        return None
    return j


def collect_block(lines: list[str], start: int, stop: int) -> tuple[list[str], int]:
    """Lines from `start` up to a blank line (skipping blanks right at the start), a date line, Kính gửi or body.
    A trích yếu in capitals (a kế hoạch, a quyết định) ends at the first line that is not in capitals, or at the
    authority line of a decision ("ỦY BAN NHÂN DÂN TỈNH …" above its "Căn cứ")."""
    parts: list[str] = []
    j = start
    while j < stop and not lines[j]:
        j += 1
    capitals = j < stop and _is_upper(lines[j])
    while j < stop:
        line = lines[j]
        if not line or KINH_GUI_RE.match(line) or NUMBER_RE.match(line):
            break
        if parts and capitals and (not _is_upper(line) or AUTHORITY_LINE_RE.match(line)):
            break
        if parts and (BODY_START_RE.match(line) or re.match(r"^(?:[IVX]+|\d+)\.\s", line)):
            break
        if (dm := _find_place_date(line)) is not None:
            before = line[: dm.start()].strip()
            if before:
                parts.append(before)
            j += 1
            if parts:
                break
            continue
        parts.append(line)
        j += 1
    return parts, j
