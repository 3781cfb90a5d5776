"""Every spreadsheet the system writes goes through childprotect/spreadsheets.py, so no export can carry a
formula a user typed ("=HYPERLINK(…)", "+…", "-…", "@…") or a date as a string (issue 13, "Exports that cannot
attack their reader"; issue 12, one date format). The machine checks it: a module that imports openpyxl makes
its cells with `cell()` / `row()` only, and every row it appends is made of them."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ["childprotect", "cases", "directives", "reporting"]
HELPER = ROOT / "childprotect" / "spreadsheets.py"
CELL_MAKERS = {"cell", "_cell"}
ROW_MAKERS = {"row", "_row"}


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _spreadsheet_modules() -> list[Path]:
    found = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if path == HELPER or "migrations" in path.parts:
                continue
            if "openpyxl" in path.read_text(encoding="utf-8"):
                found.append(path)
    return found


def _problems(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("openpyxl.cell"):
            problems.append(f"{path.name}:{node.lineno} imports openpyxl.cell: use childprotect.spreadsheets")
        if isinstance(node, ast.Call) and _name(node.func) == "append" and len(node.args) == 1:
            (arg,) = node.args
            if isinstance(arg, ast.Call) and _name(arg.func) in ROW_MAKERS:
                continue
            if isinstance(arg, ast.List) and all(
                isinstance(element, ast.Call) and _name(element.func) in CELL_MAKERS for element in arg.elts
            ):
                continue
            if isinstance(arg, ast.List | ast.Call | ast.ListComp):
                problems.append(f"{path.name}:{node.lineno} appends cells not made by spreadsheets.cell/row")
    return problems


def test_every_spreadsheet_cell_is_made_by_the_safe_helper() -> None:
    modules = _spreadsheet_modules()
    assert modules, "no module writes a spreadsheet: is the report's XLSX gone?"
    problems = [problem for path in modules for problem in _problems(path)]
    assert problems == []
