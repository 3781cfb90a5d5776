"""The importer on the corpus of real directives (tests/directives/corpus/, see corpus_check.py): every header
field, the recipients, the references and each task's lead, coordinating bodies and deadline, as published and
as converted from PDF (pdf_artefacts.py)."""

from __future__ import annotations

import datetime
import json

import pytest

from directives.importer import parse_directive
from tests.directives.corpus_check import CORPUS, Document, compare, load_corpus
from tests.directives.pdf_artefacts import converted_from_pdf

DOCUMENTS = load_corpus()


def _misses(document: Document, text: str, expected: dict) -> list[str]:
    parsed = parse_directive(text).to_dict()
    return [f"{f.name}: expected {f.expected!r}, got {f.actual!r}" for f in compare(expected, parsed) if not f.ok]


@pytest.mark.parametrize("document", DOCUMENTS, ids=[d.slug for d in DOCUMENTS])
def test_it_reads_each_text_as_published(document: Document) -> None:
    assert _misses(document, document.text, document.expected) == []


@pytest.mark.parametrize("document", DOCUMENTS, ids=[d.slug for d in DOCUMENTS])
def test_it_reads_each_text_converted_from_pdf(document: Document) -> None:
    assert _misses(document, converted_from_pdf(document.text), document.expected) == []


@pytest.mark.parametrize("document", DOCUMENTS, ids=[d.slug for d in DOCUMENTS])
def test_without_a_letterhead_it_leaves_the_issuer_empty_and_says_so(document: Document) -> None:
    text = converted_from_pdf(document.text, drop_issuer=True)
    assert _misses(document, text, dict(document.expected, issuer=None)) == []
    assert "Không tìm thấy cơ quan ban hành" in parse_directive(text).warnings


def test_the_corpus_holds_fifteen_real_texts_of_2016_to_2026_besides_the_samples() -> None:
    real = [d for d in DOCUMENTS if d.kind == "excerpt"]
    in_range = [
        d
        for d in real
        if d.expected["issued_on"] and 2016 <= datetime.date.fromisoformat(d.expected["issued_on"]).year <= 2026
    ]
    assert len(in_range) >= 15
    assert {d.expected["doc_type"] for d in real} >= {"kế hoạch", "công văn", "quyết định"}
    # A quyết định whose assignment sits in its articles ("Điều 2. Giao Sở … chủ trì …").
    assert any(t["label"].startswith("Điều") for d in real for t in d.expected["tasks"])
    assert {d.slug for d in DOCUMENTS if d.kind == "sample"} == {
        "binh-dinh-UBND-VX-2024-draft",
        "thai-nguyen-5310-UBND-KGVX-2023",
    }
    for document in real:  # each cites where it was published
        assert document.source.startswith(("https://", "http://")), document.slug


def test_each_expected_parse_is_complete() -> None:
    keys = {"doc_type", "number", "symbol", "issuer", "place", "issued_on", "subject", "recipients", "signer"}
    for path in CORPUS.glob("*.json"):
        expected = json.loads(path.read_text(encoding="utf-8"))["expected"]
        assert keys | {"references", "tasks"} <= set(expected), path.name
        for task in expected["tasks"]:
            assert set(task) == {"label", "lead", "coordinating", "deadline"}, path.name
