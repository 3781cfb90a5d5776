"""Clean pasted text: NFC, no markdown emphasis or heading marks, one kind of dash and space, tidy lines."""

from __future__ import annotations

import re
import unicodedata

# En dash, em dash, minus, hyphen, non-breaking hyphen, figure dash → "-".
_DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]")
# Non-breaking, thin, zero-width and other odd spaces → " " (zero-width ones vanish).
_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\f\v]")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_EMPHASIS = re.compile(r"\*{1,3}|(?<!\w)_{2,3}|_{2,3}(?!\w)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*")
_QUOTE_MARK = re.compile(r"^\s*>\s?")


def normalise(text: str) -> str:
    """Return the text as clean lines: NFC, markdown emphasis/headings removed, spaces and dashes unified,
    each line stripped, runs of blank lines collapsed to one."""
    text = unicodedata.normalize("NFC", text or "")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ZERO_WIDTH.sub("", text)
    text = _SPACES.sub(" ", text)
    text = _DASHES.sub("-", text)
    lines: list[str] = []
    for raw in text.split("\n"):
        line = _HEADING.sub("", raw)
        line = _QUOTE_MARK.sub("", line)
        line = _EMPHASIS.sub("", line)
        line = re.sub(r" {2,}", " ", line).strip()
        if line and set(line) <= set("-=_*"):  # horizontal rules, underline marks
            line = ""
        if not line and (not lines or not lines[-1]):
            continue
        lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def fold(text: str) -> str:
    """Case- and diacritic-insensitive form ("Sở Y tế" → "so y te") for comparisons."""
    text = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return re.sub(r"\s+", " ", text.lower()).strip()
