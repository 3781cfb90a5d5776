"""The test suite's own shape: shared builders and fixtures live in conftest.py files, test modules never import
from one another, and every test_*.py holds tests."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def _modules() -> list[Path]:
    return sorted(TESTS.rglob("test_*.py"))


def test_test_modules_import_builders_from_conftest_files_only() -> None:
    offences = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("tests."):
                if node.module.rsplit(".", 1)[-1].startswith("test_"):
                    offences.append(f"{path.relative_to(TESTS.parent)}: from {node.module} import …")
    assert not offences, "Move what several test modules need into a conftest.py:\n" + "\n".join(offences)


def test_every_test_module_has_tests() -> None:
    empty = []
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = [node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.ClassDef)]
        if not any(name.startswith(("test_", "Test")) for name in names):
            empty.append(str(path.relative_to(TESTS.parent)))
    assert not empty, empty
