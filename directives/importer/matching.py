"""Match agency names as written ("Sở GD&ĐT", "Công an tỉnh") to the agency directory.

Comparison is case- and diacritic-insensitive, with the usual abbreviations expanded. A name matches an agency
when the two are equal, or when the directory name is the written name plus the place ("Công an tỉnh" ↔
"Công an tỉnh Thái Nguyên", "Sở Y tế" ↔ "Sở Y tế tỉnh Thái Nguyên"). Plural or generic names ("các sở, ban,
ngành") and names matching more than one agency match nothing: better no code than a wrong one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol

from directives.importer.normalise import fold


class AgencyLike(Protocol):
    code: str
    name: str
    short_name: str


# Applied to folded text (lower case, no diacritics, đ → d), in order.
_ABBREVIATIONS: list[tuple[str, str]] = [
    (r"\bld\s*-?\s*tb\s*(?:&|va)?\s*xh\b|\bldtbxh\b|\bslđtbxh\b|\bsldtbxh\b", "lao dong thuong binh va xa hoi"),
    (r"\bgd\s*(?:&|va|-)?\s*dt\b|\bgddt\b", "giao duc va dao tao"),
    (r"\bvh\s*,?\s*tt\s*(?:&|va)\s*dl\b|\bvhttdl\b", "van hoa the thao va du lich"),
    (r"\btt\s*(?:&|va)\s*tt\b|\btttt\b", "thong tin va truyen thong"),
    (r"\bkh\s*(?:&|va)\s*dt\b|\bkhdt\b", "ke hoach va dau tu"),
    (r"\btn\s*(?:&|va)\s*mt\b|\btnmt\b", "tai nguyen va moi truong"),
    (r"\bnn\s*(?:&|va)\s*ptnt\b|\bnnptnt\b", "nong nghiep va phat trien nong thon"),
    (r"\bub\s*mttq\b|\bubmttq\b", "uy ban mat tran to quoc"),
    (r"\bmttq\b", "mat tran to quoc"),
    (r"\bubnd\b", "uy ban nhan dan"),
    (r"\bhdnd\b", "hoi dong nhan dan"),
    (r"\bbhxh\b", "bao hiem xa hoi"),
    (r"\btw\b", "trung uong"),
    (r"\btp\b\.?", "thanh pho"),
    (r"^ca\b", "cong an"),
    (r"\bvn\b", "viet nam"),
]
_ABBREVIATION_RES = [(re.compile(p), r) for p, r in _ABBREVIATIONS]
GENERIC_RE = re.compile(r"(?:^|\s)(?:cac|moi|toan the|nhung)\s|\blien quan$")
_PLACE_WORDS = ("tinh", "thanh pho")


def canonical(name: str) -> str:
    """The comparable form of an agency name."""
    text = fold(name)
    text = re.sub(r"\(.*?\)", " ", text)
    for rx, replacement in _ABBREVIATION_RES:
        text = rx.sub(replacement, text)
    text = text.replace("&", " va ")
    text = re.sub(r"[^\w\s]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _matches(written: str, directory: str) -> bool:
    if not written or not directory:
        return False
    if written == directory:
        return True
    if not directory.startswith(written + " "):
        return False
    rest = directory[len(written) + 1 :]
    # "Công an tỉnh" + " Thái Nguyên"; "Sở Y tế" + " tỉnh Thái Nguyên".
    return written.endswith(_PLACE_WORDS) or rest.startswith(tuple(w + " " for w in _PLACE_WORDS))


def match_agency(name: str, agencies: Iterable[AgencyLike]) -> str | None:
    """The code of the one agency the written name designates, or None."""
    written = canonical(name)
    if not written or GENERIC_RE.search(written):
        return None
    exact: list[str] = []
    loose: list[str] = []
    for agency in agencies:
        forms = {canonical(agency.name), canonical(getattr(agency, "short_name", "") or "")} - {""}
        if written in forms:
            exact.append(agency.code)
        elif any(_matches(written, form) for form in forms):
            loose.append(agency.code)
    if len(set(exact)) == 1:
        return exact[0]
    if not exact and len(set(loose)) == 1:
        return loose[0]
    return None


def is_generic(name: str) -> bool:
    return bool(GENERIC_RE.search(canonical(name)))
