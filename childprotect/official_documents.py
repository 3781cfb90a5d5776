"""The building blocks of an administrative document in the layout of NĐ 30/2020/NĐ-CP, Appendix I (domain.md §9),
shared by the periodic reports (reporting/) and the statutory forms of the case file (cases/printing/): the date
and place line, the issuing body and the signers, and the PDF rendering.

The matching print templates live in templates/official/: `document.css` (A4, margins, a Times-compatible serif
with every Vietnamese letter, page numbers from page 2), `header.html` (issuing body, number and symbol, national
title, place and date) and `closing.html` (recipients and signature blocks). A document template includes the
three and adds its own body.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _


def vn_date(day: datetime.date) -> str:
    """ "05/5/2025": day with a leading zero below 10, month with one only for January and February
    (NĐ 30/2020, Appendix I)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{day.day:02d}/{month}/{day.year}"


# The words an administrative unit's full name begins with (QĐ 19/2025 and the older kinds): written with a capital
# at the start of a sentence and in headings, in lower case inside a sentence ("trên địa bàn tỉnh Thái Nguyên").
UNIT_KIND_WORDS = ("thành phố", "đặc khu", "thị trấn", "thị xã", "tỉnh", "xã", "phường", "huyện", "quận")


def unit_in_sentence(name: str) -> str:
    """ "Tỉnh Thái Nguyên" → "tỉnh Thái Nguyên", "Thành phố Hồ Chí Minh" → "thành phố Hồ Chí Minh": the unit's
    name as it reads inside a sentence. A name that does not begin with a kind of unit is left as it is."""
    lowered = name.lower()
    for word in UNIT_KIND_WORDS:
        if lowered.startswith(word + " "):
            return word + name[len(word) :]
    return name


def unit_heading(name: str) -> str:
    """ "tỉnh Thái Nguyên" → "Tỉnh Thái Nguyên": the unit's name at the start of a sentence or in a heading."""
    return name[:1].upper() + name[1:]


def body_without_unit(name: str, unit_names: list[str]) -> str:
    """ "Sở Y tế tỉnh Thái Nguyên" → "Sở Y tế": an agency's name without the unit it belongs to, as the second
    line of the header shows it under the parent body "UBND TỈNH THÁI NGUYÊN" (NĐ 30/2020, Appendix I)."""
    lowered = name.lower()
    for unit_name in sorted(unit_names, key=len, reverse=True):
        suffix = " " + unit_name.lower()
        if unit_name and lowered.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)].strip(" ,-")
    return name


def abbreviation(name: str) -> str:
    """ "Sở Y tế" → "SYT", "Phòng Văn hóa - Xã hội" → "PVHXH": the initials of a body's name, as its symbol in a
    document number ("BC-SYT"). The letter Đ stays Đ."""
    return "".join(word[0] for word in name.replace("-", " ").split() if word[0].isalpha()).upper()


def place_and_date(place: str, day: datetime.date) -> str:
    """ "Thái Nguyên, ngày 05 tháng 5 năm 2025" (NĐ 30/2020: leading zero for days below 10 and for months 1–2)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return _("%(place)s, ngày %(day)s tháng %(month)s năm %(year)s") % {
        "place": place,
        "day": f"{day.day:02d}",
        "month": month,
        "year": day.year,
    }


def number_line(number: str, symbol: str) -> str:
    """ "Số: 05/QĐ-UBND" (numbers below 10 with a leading zero), or "Số:       /QĐ-UBND" left blank for the
    officer to number by hand when the register gives the number at signing."""
    raw = (number or "").strip()
    shown = raw.zfill(2) if raw.isdigit() else raw
    if "/" in shown:  # the whole number and symbol were typed ("12/QĐ-UBND")
        return _("Số: %(number)s") % {"number": shown}
    return _("Số: %(number)s/%(symbol)s") % {"number": shown or "\u00a0" * 6, "symbol": symbol}


@dataclass
class Signer:
    """One signature block: authority ("TM. ỦY BAN NHÂN DÂN"), title ("CHỦ TỊCH"), a note ("(Ký, ghi rõ họ tên)")
    and the name printed under the space left for the signature."""

    title: str
    authority: str = ""
    note: str = ""
    name: str = ""


@dataclass
class Issuer:
    parent_body: str
    issuer_lines: list[str]
    abbreviation: str
    drafting_unit: str
    signer_authority: str
    signer_title: str
    signer_name: str
    recipients: list[str]
    extra_signers: list[Signer] = field(default_factory=list)
    symbol: str = ""  # the number's symbol after "/", e.g. "BC-SYT"; each document type may build its own

    @property
    def signers(self) -> list[Signer]:
        """The signature blocks, left to right; the issuer's own signer last (on the right, as the decree shows)."""
        own = Signer(title=self.signer_title, authority=self.signer_authority, name=self.signer_name)
        return [*self.extra_signers, own]


def render_pdf(html: str) -> bytes:
    """An official document's HTML (built on templates/official/) as PDF, by WeasyPrint."""
    from weasyprint import HTML  # imported here: loading Pango is slow and only printing needs it

    pdf: bytes = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    return pdf
