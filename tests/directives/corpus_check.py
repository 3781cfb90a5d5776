"""The directive corpus (tests/directives/corpus/): real published texts with the parse a clerk would write down,
and the field-by-field comparison the corpus test and `scripts/importer_scorecard.py` share.

Each document is `<slug>.txt` (the text as published; for the two project samples, `text_file` points at
tests/directives/samples/) and `<slug>.json` (`source`, `kind`, `complete`, `note`, `expected`). `complete` says
whether the text holds the whole document, up to its signature (the samples do; most stored page openings do
not). Expected values are written in the importer's normal form: NFC, one space between words, every dash a
hyphen-minus.

Fields counted per document: the seven header fields, the signer's name, title and authority, the recipients
(the whole list is one field), each expected reference (type, number, symbol with its case, date) plus one for
"no reference the text does not cite", the list of task labels, and each expected task's lead, coordinating
bodies and deadline.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parent / "corpus"
HEADER_FIELDS = ("doc_type", "number", "symbol", "issuer", "place", "issued_on", "subject")


@dataclass(frozen=True)
class Document:
    slug: str
    text: str
    source: str
    kind: str  # "excerpt" (a real text as stored) | "sample" (the project's two samples)
    expected: dict[str, Any]
    complete: bool = False  # the whole document, up to its signature


@dataclass(frozen=True)
class Field:
    name: str
    ok: bool
    expected: Any
    actual: Any


def load_corpus() -> list[Document]:
    documents = []
    for meta_path in sorted(CORPUS.glob("*.json")):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        text_path = (CORPUS / meta["text_file"]) if "text_file" in meta else meta_path.with_suffix(".txt")
        documents.append(
            Document(
                slug=meta_path.stem,
                text=text_path.read_text(encoding="utf-8"),
                source=meta["source"],
                kind=meta["kind"],
                expected=meta["expected"],
                complete=meta.get("complete", meta["kind"] == "sample"),
            )
        )
    return documents


def _names(items: list[dict[str, Any]] | None) -> list[str]:
    return [item["name"] for item in items or []]


def _ref_key(ref: dict[str, Any]) -> tuple[Any, ...]:
    return (ref.get("doc_type"), ref.get("number"), ref.get("symbol"), ref.get("issued_on"))


def compare(expected: dict[str, Any], actual: dict[str, Any]) -> list[Field]:
    """Every counted field of one document: what the clerk wrote down against what the importer proposed."""
    fields = [
        Field(name, expected[name] == actual.get(name), expected[name], actual.get(name)) for name in HEADER_FIELDS
    ]
    signer = actual.get("signer") or {}
    fields += [
        Field(
            f"signer.{part}", expected["signer"][part] == signer.get(part), expected["signer"][part], signer.get(part)
        )
        for part in ("name", "title", "authority")
    ]
    fields.append(Field("recipients", expected["recipients"] == actual.get("recipients"), expected["recipients"],
                        actual.get("recipients")))  # fmt: skip

    found = [_ref_key(r) for r in actual.get("references") or []]
    wanted = [_ref_key(r) for r in expected["references"]]
    fields += [
        Field(f"reference {key[1]}/{key[2]}", key in found, key, None if key in found else found) for key in wanted
    ]
    extra = [key for key in found if key not in wanted]
    fields.append(Field("references: none invented", not extra, [], extra))

    tasks = actual.get("tasks") or []
    labels = [t["label"] for t in expected["tasks"]]
    fields.append(
        Field("task labels", labels == [t.get("label") for t in tasks], labels, [t.get("label") for t in tasks])
    )
    for i, want in enumerate(expected["tasks"]):
        got = tasks[i] if i < len(tasks) else {}
        name = f"task {want['label'] or i + 1}"
        fields.append(
            Field(f"{name} lead", want["lead"] == _names(got.get("lead")), want["lead"], _names(got.get("lead")))
        )
        fields.append(
            Field(
                f"{name} coordinating",
                want["coordinating"] == _names(got.get("coordinating")),
                want["coordinating"],
                _names(got.get("coordinating")),
            )
        )
        fields.append(Field(f"{name} deadline", want["deadline"] == got.get("deadline"), want["deadline"],
                            got.get("deadline")))  # fmt: skip
    return fields
