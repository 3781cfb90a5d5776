"""Clean pasted text into the lines a clerk reads: whatever the paste came through (a PDF or Word conversion to
Markdown, a legal library's web page, a scanned letter's text layer), the same words on the same lines.

What is undone, in order:
- Unicode: NFC, one kind of dash, one kind of space, no zero-width characters; line breaks a web page shows as
  the escapes "\\r\\n" are line breaks.
- Markdown: backslash escapes ("\\*", "1\\."), headings ("#"), quotes (">"), bold and italic markers, "*"/"•"
  bullets (→ "- "), indentation of nested bullets, horizontal rules, footnote markers ("¹", "[2]", "[^3]") and
  footnote definitions.
- A bullet in front of a label: "- Kính gửi:", "* Nơi nhận:" are the labels themselves.
- Page furniture: a page number alone on its line ("2", "- 2 -", "Trang 2/5").
- Tables: a letterhead copied from a two-column table comes with "|" between cells and each cell wrapped over
  several lines ("Số:" / "25/KH-UBND" / "|" / "Quảng" / "Ngãi, ngày 13 tháng 02 năm 2020" / "|"): each cell becomes
  one line, in the order the cells come. A number cell that also holds the "V/v" subject is split in two.
- Hard-wrapped lines (legal libraries wrap every 60-90 characters, "Điều" / "1. Phê duyệt", "Quyết định số" /
  "267/QĐ-TTg ngày …"): a line that continues the previous one is joined to it. A line continues when the previous
  one does not end a sentence and it starts in lower case or with a digit that is not an item number; when the
  text as a whole is hard-wrapped, also when it starts with a capital (a wrapped proper name: "Lâm" / "Đồng").
  Item numbers, bullets, headings in capitals and the usual opening words ("Căn cứ", "Thực hiện", "Kính gửi",
  "Nơi nhận", "Điều 2") always start a line of their own.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

# En dash, em dash, minus, hyphen, non-breaking hyphen, figure dash → "-".
_DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]")
# Non-breaking, thin, zero-width and other odd spaces → " " (zero-width ones vanish).
_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\f\v]")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_EMPHASIS = re.compile(r"\*{1,3}|(?<!\w)_{2,3}|_{2,3}(?!\w)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*")
_QUOTE_MARK = re.compile(r"^\s*>\s?")
_BULLET = re.compile(r"^\s*(?:[*•·▪◦○●]|\\\*)\s+")
_DASH_BULLET = re.compile(r"^\s*([-+])\s*")
_LABEL_BULLET = re.compile(r"^[-+]\s*(?=(?:Kính\s*gửi|Nơi\s+nhận|V/v|Số\s*:)\b)", re.IGNORECASE)
_FOOTNOTE = re.compile(r"(?<=\S)(?:[\u00b9\u00b2\u00b3\u2070-\u2079]+|\[\^?\d{1,3}\])")
_FOOTNOTE_DEFINITION = re.compile(r"^\[\^\d{1,3}\]:")
_PAGE_NUMBER = re.compile(r"^(?:-\s*)?\d{1,3}(?:\s*-)?$|^Trang\s+\d{1,3}(?:\s*/\s*\d{1,3})?$", re.IGNORECASE)
_RULE = re.compile(r"\s*[-_=*]{3,}\s*")
_NUMBER_WITH_SUBJECT = re.compile(r"^(Số\b.*?\S)\s+(V/v\b.*)$")

# Lines that always start a line of their own (never joined to the line above).
_ITEM = re.compile(
    r"^(?:[IVXL]{1,5}\.\s|\d{1,2}\.\s|\d{1,2}\.\d{1,2}(?:\.\d{1,2})?\.?\s|\d{1,2}\.$|[a-zđ]\)|[-+]\s|Điều\s+\d)"
)
_OPENING = re.compile(
    r"^(?:Căn\s+cứ|Thực\s+hiện|Triển\s+khai\s+thực\s+hiện|Xét\s+đề\s+nghị|Kính\s*gửi|Nơi\s+nhận|V/v|Số\s*:|"
    r"Theo\s+đề\s+nghị|Trên\s+đây|Phần\s+thứ)\b"
)
_SENTENCE_END = re.compile(r"[.;:!?…]$|\./\.$")
_LABEL_ONLY = re.compile(r"^(?:Điều|Số\s*:|\d{1,2}(?:\.\d{1,2}){0,2}\.|[a-zđ]\))$")
HEADER_SCAN_LINES = 60


def _is_upper(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) > 1 and all(ch.isupper() for ch in letters)


def _clean_line(raw: str) -> str:
    line = _HEADING.sub("", raw)
    line = _QUOTE_MARK.sub("", line)
    line = _BULLET.sub("- ", line)
    line = _ESCAPE.sub(r"\1", line)
    line = _EMPHASIS.sub("", line)
    line = _FOOTNOTE.sub("", line)
    line = re.sub(r" {2,}", " ", line).strip()
    if not line or set(line) <= set("-=_*"):
        return ""
    line = _DASH_BULLET.sub(lambda m: f"{m.group(1)} ", line) if _DASH_BULLET.match(line) and len(line) > 2 else line
    line = _LABEL_BULLET.sub("", line)
    if not line or set(line) <= set("-=_*") or _FOOTNOTE_DEFINITION.match(line) or _PAGE_NUMBER.match(line):
        return ""
    return line


def _table_cells(lines: list[str]) -> list[str]:
    """A letterhead pasted from a table ("|" between cells) → one line per cell."""
    scan = lines[:HEADER_SCAN_LINES]
    stop = next(
        (i for i, line in enumerate(scan) if _OPENING.match(line) and not line.startswith(("Số", "V/v"))), len(scan)
    )
    pipes = [i for i, line in enumerate(scan[:stop]) if "|" in line]
    if not pipes:
        return lines
    first, last = pipes[0], pipes[-1]
    start = first
    while start > 0 and lines[start - 1] and (_is_upper(lines[start - 1]) or _RULE.fullmatch(lines[start - 1])):
        start -= 1  # the first cell's wrapped lines above its "|"
    cells: list[str] = []
    current: list[str] = []
    for line in lines[start : last + 1]:
        for k, part in enumerate(line.split("|")):
            if k:
                cells.append(" ".join(current))
                current = []
            if part.strip():
                current.append(part.strip())
    cells.append(" ".join(current))
    out: list[str] = []
    for cell in cells:
        cell = _RULE.sub(" ", cell).strip()
        if cell:  # a blank line after each cell: a cell is whole, nothing joins onto it
            out.extend([*_NUMBER_WITH_SUBJECT.sub(r"\1\n\2", cell).split("\n"), ""])
    return [*lines[:start], *out, *lines[last + 1 :]]


def _starts_own_line(line: str) -> bool:
    return bool(_ITEM.match(line) or _OPENING.match(line) or _is_upper(line))


def _continues(previous: str, line: str, *, hard_wrapped: bool) -> bool:
    """Whether `line` continues `previous` (the two are adjacent, with no blank line between)."""
    if _LABEL_ONLY.match(previous):
        return True  # "Điều" / "1. Phê duyệt", "1." / "Mục tiêu:", "Số:" / "25/KH-UBND"
    if _is_upper(previous) and _is_upper(line):
        return previous.endswith(",")  # "I. MỤC ĐÍCH," / "YÊU CẦU"
    if _SENTENCE_END.search(previous) or _starts_own_line(line) or _is_upper(previous):
        return False
    first = line[:1]
    if re.match(r"Kính\s*gửi", previous) and not first.islower():
        return False  # "Kính gửi: <one recipient>" is complete; the body starts below it
    if first.islower() or (first.isdigit() and not _ITEM.match(line)):
        return True
    return hard_wrapped and first.isupper()


def _is_hard_wrapped(lines: list[str]) -> bool:
    """Most adjacent pairs of prose lines run on without ending a sentence: the text was wrapped by width."""
    pairs = [(a, b) for a, b in itertools.pairwise(lines) if a and b and not _is_upper(a)]
    running = sum(1 for a, b in pairs if not _SENTENCE_END.search(a) and not _starts_own_line(b))
    return running >= 5 and running >= 0.25 * len([line for line in lines if line])


def _join_wrapped(lines: list[str]) -> list[str]:
    hard_wrapped = _is_hard_wrapped(lines)
    out: list[str] = []
    for line in lines:
        if out and out[-1] and line and _continues(out[-1], line, hard_wrapped=hard_wrapped):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def normalise(text: str) -> str:
    """Return the text as clean lines: NFC, Markdown and page furniture removed, spaces and dashes unified,
    table cells and wrapped lines put back together, each line stripped, runs of blank lines collapsed to one."""
    text = unicodedata.normalize("NFC", text or "")
    if text.count("\\r\\n") >= 3:  # a page that shows its source's escapes: "…ngày 25/12/2019\r\n của …"
        text = text.replace("\\r\\n", "\n")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ZERO_WIDTH.sub("", text)
    text = _SPACES.sub(" ", text)
    text = _DASHES.sub("-", text)
    lines = _join_wrapped(_table_cells([_clean_line(raw) for raw in text.split("\n")]))
    out: list[str] = []
    for line in lines:
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def fold(text: str) -> str:
    """Case- and diacritic-insensitive form ("Sở Y tế" → "so y te") for comparisons."""
    text = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return re.sub(r"\s+", " ", text.lower()).strip()
