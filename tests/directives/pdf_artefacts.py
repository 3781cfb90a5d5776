"""A directive text as it comes out of a PDF or Word to Markdown conversion (the corpus test's "converted" variant).

`converted_from_pdf(text)` applies, deterministically, what such conversions do to a published text:

- the two header columns come out in the other order: the quốc hiệu before the issuer, the place-and-date line
  before the number and the "V/v" subject;
- the number line loses its colon and gains spaces around the slash ("Số 5310 / UBND-KGVX");
- titles and Roman section headings become Markdown headings ("# **KẾ HOẠCH**", "## I. MỤC TIÊU"), item numbers
  bold ("**1.** …"), the place and date italic;
- "-" bullets become "*", "+" or an escaped "\\*" bullet, and bullets under a lettered point are indented;
- "Kính gửi:" sits on a bullet line of its own, its recipients indented below it;
- footnote markers ("¹", "[2]") stick to the end of the first reference and of the subject;
- a page number stands alone on a line in the middle of the body;
- optionally (`drop_issuer`) the issuer block is gone altogether, as when the letterhead was an image.

Nothing is reworded: every value the clerk reads is still there, except the issuer when it is dropped.
"""

from __future__ import annotations

import re

_NATIONAL = re.compile(r"^(?:CỘNG\s+HÒA|Độc lập|CHỦ NGHĨA VIỆT NAM|HÒA XÃ HỘI|HỘI CHỦ NGHĨA)", re.IGNORECASE)
_RULE = re.compile(r"^[-_=]{3,}$")
_NUMBER = re.compile(r"^Số\s*:\s*(?P<number>[^/\s]*)\s*/\s*(?P<symbol>\S+)\s*$")
_PLACE_DATE = re.compile(r"^[^\W\d_][^,;:]{0,60},\s*ngày\b")
_SUBJECT = re.compile(r"^V/v\b")
_TITLE = re.compile(r"^(?:KẾ HOẠCH|CHỈ THỊ|QUYẾT ĐỊNH|CÔNG VĂN|THÔNG BÁO)$")
_ROMAN = re.compile(r"^[IVX]{1,4}\.\s")
_ARABIC = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*\.)\s+(\S.*)$")
_LETTER = re.compile(r"^[a-zđ]\)\s")
_BULLET = re.compile(r"^[-+]\s*")
_REFERENCE_DATE = re.compile(r"(ngày\s+\d{1,2}/\d{1,2}/\d{4})")
_BULLETS = ("* ", "+ ", "\\* ")


def _is_upper(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


def _header_end(lines: list[str]) -> int:
    """Index of the first line after the header (title, subject or the start of the body)."""
    for i, line in enumerate(lines):
        if _TITLE.match(line.strip()) or line.strip().startswith(("Kính gửi", "Thực hiện", "Căn cứ", "I. ", "1. ")):
            return i
    return len(lines)


def _drop_issuer_cell(head: list[str]) -> list[str]:
    first = next(i for i, line in enumerate(head) if "|" in line)
    start = first
    while start > 0 and (_is_upper(head[start - 1]) or _RULE.match(head[start - 1].strip())):
        start -= 1
    return [*head[:start], head[first].split("|", 1)[1], *head[first + 1 :]]


def _reorder_header(head: list[str], drop_issuer: bool) -> list[str]:
    """Quốc hiệu first, then the issuer (or nothing), then the place and date, then the number and subject."""
    if any("|" in line for line in head):
        # A table pasted row by row: its cells already come out in their own order. Without the letterhead the
        # issuer's cell is empty.
        return _drop_issuer_cell(head) if drop_issuer else head
    prefix, issuer, national, place_date, rest = [], [], [], [], []
    seen_national = False
    for line in head:
        text = line.strip().strip("*").strip()  # the converter sets its own emphasis
        if not text or _RULE.match(text):
            continue
        if not issuer and not national and not _is_upper(text):
            prefix.append(text)  # a site's name above the letterhead stays on top
        elif _NATIONAL.match(text):
            seen_national = True
            national.append(f"**{text}**")
        elif _PLACE_DATE.match(text):
            place_date.append(f"*{text}*")
        elif not seen_national and _is_upper(text) and not text.startswith("Số"):
            issuer.append(f"**{text}**")
        else:
            rest.append(text)
    if not national:
        return head
    out = [*prefix, *national, "", *([] if drop_issuer else [*issuer, ""]), *place_date, "", *rest, ""]
    return [_NUMBER.sub(lambda m: f"Số {m['number']} / {m['symbol']}".replace("Số  /", "Số /"), x) for x in out]


def converted_from_pdf(text: str, *, drop_issuer: bool = False) -> str:
    lines = text.replace("\r\n", "\n").split("\n")
    end = _header_end(lines)
    out = _reorder_header(lines[:end], drop_issuer)
    in_recipients = False
    under_letter = False
    bullet_no = 0
    reference_marked = subject_marked = page_number_added = False
    body = lines[end:]
    for index, raw in enumerate(body):
        line = raw.strip()
        if not line:
            in_recipients = (
                False
                if in_recipients and index + 1 < len(body) and not body[index + 1].startswith("-")
                else in_recipients
            )
            out.append("")
            continue
        if line.startswith("Kính gửi"):
            rest = line.split(":", 1)[1].strip() if ":" in line else ""
            out.append("- **Kính gửi:**")
            if rest:
                out.append(f"    - {rest}")
            in_recipients = True
            continue
        if in_recipients and _BULLET.match(line):
            out.append(f"    - {_BULLET.sub('', line)}")
            continue
        if in_recipients:
            out.append("")  # a Markdown list ends with a blank line
        in_recipients = False
        if _TITLE.match(line):
            out.append(f"# **{line}**")
            continue
        previous = next((b.strip() for b in reversed(body[:index]) if b.strip()), "")
        if not subject_marked and _TITLE.match(previous):
            out.append(f"## {line}²" if _is_upper(line) else line)
            subject_marked = True
            continue
        if _ROMAN.match(line) and _is_upper(line):
            out.append(f"## {line}")
            under_letter = False
            continue
        if m := _ARABIC.match(line):
            out.append(f"**{m.group(1)}** {m.group(2)}")
            under_letter = False
            continue
        if _LETTER.match(line):
            out.append(f"  {line}")
            under_letter = True
            continue
        if _BULLET.match(line) and not line.startswith("- Như trên") and not line.startswith("- Lưu"):
            marker = _BULLETS[bullet_no % len(_BULLETS)]
            bullet_no += 1
            out.append(("    " if under_letter else "") + marker + _BULLET.sub("", line))
            continue
        if not reference_marked and line.startswith(("Thực hiện", "Căn cứ")) and _REFERENCE_DATE.search(line):
            line = _REFERENCE_DATE.sub(lambda m: m.group(1) + "¹", line, count=1)
            reference_marked = True
        out.append(line)
        if not page_number_added and len(out) > 40 and line.endswith("."):
            out += ["", "2", ""]
            page_number_added = True
    return "\n".join(out) + "\n"
