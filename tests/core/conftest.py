"""What the tests of tests/core share: a reader of gettext catalogues (the project's English one, the Vietnamese
one of the libraries' messages)."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class PoEntry:
    line: int
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)


def parse_po(path: Path) -> list[PoEntry]:
    """A small reader for the .po files GNU gettext writes (standard library only; obsolete #~ entries skipped)."""
    entries: list[PoEntry] = []
    entry: PoEntry | None = None
    flags: set[str] = set()
    target: tuple[str, int] | None = None  # which field continuation lines ("...") append to

    def append(value: str) -> None:
        assert entry is not None and target is not None
        name, index = target
        if name == "msgstr":
            entry.msgstr[index] = entry.msgstr.get(index, "") + value
        else:
            setattr(entry, name, (getattr(entry, name) or "") + value)

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            target = None if not line else target
            continue
        if line.startswith("#,"):
            flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            append(ast.literal_eval(line))
            continue
        value = ast.literal_eval(rest)
        if keyword in {"msgctxt", "msgid"} and (entry is None or entry.msgstr):
            entry = PoEntry(line=number, flags=flags)
            entries.append(entry)
            flags = set()
        assert entry is not None, f"{path}:{number}: {keyword} before any msgid"
        if keyword.startswith("msgstr"):
            index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
            target = ("msgstr", index)
        elif keyword in {"msgctxt", "msgid", "msgid_plural"}:
            target = (keyword, 0)
            setattr(entry, keyword, "")
        else:
            raise AssertionError(f"{path}:{number}: unexpected line {raw!r}")
        append(value)
    return entries
