"""Vietnamese text for search and sorting, computed in Python so it works on any PostgreSQL build.

- `search_key("Nguyễn Thị Hương")` → "nguyen thi huong": lower case, no tone marks or letter diacritics
  (đ → d), single spaces. Stored beside names so diacritic-insensitive search is an indexed column, not a
  per-row unaccent() call.
- `sort_key(text)` → an ASCII string whose byte order (COLLATE "C") is the Vietnamese dictionary order:
  letters a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y, then tones as the secondary key
  (ngang, huyền, hỏi, ngã, sắc, nặng). So "Á" sorts after "A" and before "B", "Đ" after every "D…".
  This needs no ICU collation, which many PostgreSQL builds (and the embedded one) do not have.
- `person_sort_key(full_name)` sorts people the Vietnamese way: by given name (the last word), then by
  the whole name.
- `in_vietnamese_order(units)` is the one order of every list of units and agencies a page, a picker, a report
  table or a dashboard shows: by name in that dictionary order ("Bạch" before "Bình", "Đ…" right after "D…"),
  the code breaking ties. SQL's `order_by("name")` is byte order ("Bình" before "Bạch", "Đ" after "Y"): read the
  rows, then sort them with this.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

_T = TypeVar("_T")

# Base letters in Vietnamese alphabetical order; f, j, w, z (foreign names) are placed where Latin puts them.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_CODE = {letter: f"{index + 10:02d}" for index, letter in enumerate(_ALPHABET)}

# Combining marks: the letter-forming ones (breve, circumflex, horn, and đ's stroke is a separate letter)
# and the five tones.
_BREVE, _CIRCUMFLEX, _HORN = "\u0306", "\u0302", "\u031b"
_TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}  # huyền hỏi ngã sắc nặng
_SPACES = re.compile(r"\s+")


def search_key(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip()


def _letters_and_tones(word: str) -> tuple[str, str]:
    letters: list[str] = []
    tones: list[str] = []
    for char in unicodedata.normalize("NFC", word.lower()):
        parts = unicodedata.normalize("NFD", char)
        base, marks = parts[0], parts[1:]
        if base == "đ" or char == "đ":
            letters.append(_LETTER_CODE["đ"])
            tones.append("0")
            continue
        letter = base
        if _BREVE in marks and base == "a":
            letter = "ă"
        elif _CIRCUMFLEX in marks and base in "aeo":
            letter = {"a": "â", "e": "ê", "o": "ô"}[base]
        elif _HORN in marks and base in "ou":
            letter = {"o": "ơ", "u": "ư"}[base]
        tone = next((_TONES[m] for m in marks if m in _TONES), "0")
        if letter in _LETTER_CODE:
            letters.append(_LETTER_CODE[letter])
        elif letter.isdigit():
            letters.append(f"0{letter}")
        else:
            continue  # punctuation and symbols do not take part in the order
        tones.append(tone)
    return "".join(letters), "".join(tones)


def sort_key(text: str) -> str:
    words = _SPACES.split(text.strip())
    pairs = [_letters_and_tones(word) for word in words if word]
    # Primary: letters word by word ("00" separates words so "An" < "An Bình" < "Anh"); secondary: tones.
    primary = "00".join(letters for letters, _ in pairs)
    secondary = "".join(tones for _, tones in pairs)
    return f"{primary}!{secondary}"  # "!" sorts below every digit: a word ends before any longer word


def person_sort_key(full_name: str) -> str:
    words = _SPACES.split(full_name.strip())
    given = words[-1] if words else ""
    return f"{sort_key(given)}|{sort_key(full_name)}"


def _name(item: Any) -> str:
    return str(item.name)


def _code(item: Any) -> str:
    return str(getattr(item, "code", "") or "")


def in_vietnamese_order(
    items: Iterable[_T], *, name: Callable[[_T], str] = _name, tie: Callable[[_T], Any] = _code
) -> list[_T]:
    """Units, agencies (anything with `.name`, and `.code` for ties), or any rows given `name=` and `tie=`, in
    Vietnamese alphabetical order of their name."""
    return sorted(items, key=lambda item: (sort_key(name(item) or ""), tie(item)))
