#!/usr/bin/env python3
"""How many of the corpus's expected fields an importer gets right, per document, as published and as converted
from PDF (tests/directives/corpus/, tests/directives/corpus_check.py).

    .venv/bin/python scripts/importer_scorecard.py                      # this checkout's importer
    .venv/bin/python scripts/importer_scorecard.py --before /work/main  # another checkout's importer beside it
    .venv/bin/python scripts/importer_scorecard.py --show-misses        # and what each miss was

Each importer runs in a child process with only its checkout on the path (the importer needs no Django), so two
versions never mix. The corpus and the way fields are counted are always this checkout's.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.directives.corpus_check import Document, Field, compare, load_corpus  # noqa: E402
from tests.directives.pdf_artefacts import converted_from_pdf  # noqa: E402

_CHILD = """
import json, sys
sys.path.insert(0, sys.argv[1])
from directives.importer import parse_directive
texts = json.load(sys.stdin)
json.dump([parse_directive(t).to_dict() for t in texts], sys.stdout, ensure_ascii=False)
"""


def run_importer(checkout: Path, texts: list[str]) -> list[dict]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(checkout)],
        input=json.dumps(texts, ensure_ascii=False),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def variants(documents: list[Document]) -> list[tuple[str, str, dict]]:
    """(label, text, expected) for each document as published and as converted from PDF; every third converted
    text loses its issuer block, and then the expected issuer is None."""
    out = []
    for n, doc in enumerate(documents):
        out.append((doc.slug, doc.text, doc.expected))
        drop = n % 3 == 2
        expected = dict(doc.expected, issuer=None) if drop else doc.expected
        out.append(
            (
                doc.slug + (" (pdf, no issuer)" if drop else " (pdf)"),
                converted_from_pdf(doc.text, drop_issuer=drop),
                expected,
            )
        )
    return out


def score(fields: list[Field]) -> int:
    return sum(f.ok for f in fields)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", type=Path, help="another checkout whose importer to score beside this one")
    parser.add_argument("--show-misses", action="store_true", help="list each field this checkout gets wrong")
    args = parser.parse_args()

    rows = variants(load_corpus())
    texts = [text for _label, text, _expected in rows]
    after = run_importer(ROOT, texts)
    before = run_importer(args.before.resolve(), texts) if args.before else None

    width = max(len(label) for label, _t, _e in rows)
    head = f"{'document':<{width}}  fields  " + ("before  " if before else "") + "after"
    print(head)
    print("-" * len(head))
    totals = [0, 0, 0]
    for i, (label, _text, expected) in enumerate(rows):
        mine = compare(expected, after[i])
        totals[0] += len(mine)
        totals[2] += score(mine)
        line = f"{label:<{width}}  {len(mine):>6}  "
        if before is not None:
            theirs = score(compare(expected, before[i]))
            totals[1] += theirs
            line += f"{theirs:>6}  "
        print(line + f"{score(mine):>5}")
        if args.show_misses:
            for field in mine:
                if not field.ok:
                    print(f"    ✗ {field.name}: expected {field.expected!r}, got {field.actual!r}")
    print("-" * len(head))
    print(f"{'total':<{width}}  {totals[0]:>6}  " + (f"{totals[1]:>6}  " if before else "") + f"{totals[2]:>5}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
