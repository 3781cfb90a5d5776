"""Let the machine enforce the access rule (zulip's lint habit), in every module that can fetch records: pages,
endpoints, forms, filters, home panels, services, tasks and the reports' figures.

Outside the modules where the rule is written (each app's `querysets.py` and `access.py`) and its models, a
protected record is reached only through:

- `visible_to(user)` or an `access_*` function (the user's view of it: 404 for outsiders);
- a named method of the model's QuerySet, written once in querysets.py with a docstring saying whose read it is
  (the system's own reads: whom to tell, what a sweep claims, the next version of a report);
- a write: `create`, `bulk_create`, `bulk_update`, or a chain that ends in `update(...)` / `delete()` — services
  write records they were handed, claimed or locked (childprotect/sweeps.py, childprotect/services.py `lock`).

Django's generic reads (`Model.objects.get/filter/all/values/...`) anywhere else are refused, however the call
is spread over lines. Add a model to PROTECTED_MODELS when its records belong to a jurisdiction.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ["childprotect", "cases", "directives", "reporting"]
PROTECTED_MODELS = {
    "User", "AuditEvent", "Case", "Child", "Referral", "CaseTransfer", "Directive", "DirectiveTask", "TaskReport",
    "TaskChange", "ReportRun", "FrozenFigures",
}  # fmt: skip
# Where the rule is written, and what is not request or service code (data migrations, admin commands, benches).
EXEMPT_FILES = {"querysets.py", "access.py"}
EXEMPT_DIRS = {"models", "migrations", "management", "bench", "importer"}
GENERIC_READS = {
    "all", "filter", "exclude", "get", "first", "last", "earliest", "latest", "values", "values_list", "annotate",
    "aggregate", "order_by", "select_related", "prefetch_related", "only", "defer", "in_bulk", "iterator", "count",
    "exists", "raw", "extra", "select_for_update", "distinct", "get_or_create", "update_or_create", "alias", "union",
    "dates", "datetimes", "using", "reverse",
}  # fmt: skip
WRITES_AT_THE_END = {"update", "delete"}


def checked_modules() -> list[Path]:
    modules = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT / app)
            if path.name in EXEMPT_FILES or EXEMPT_DIRS & set(relative.parts[:-1]):
                continue
            modules.append(path)
    return modules


def _manager_method(call: ast.Call) -> tuple[str, str] | None:
    """("Case", "filter") for a call `Case.objects.filter(...)`; None for anything else."""
    func = call.func
    if (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Attribute)
        and func.value.attr == "objects"
        and isinstance(func.value.value, ast.Name)
        and func.value.value.id in PROTECTED_MODELS
    ):
        return func.value.value.id, func.attr
    return None


def offences_in(source: str) -> list[tuple[int, str]]:
    tree = ast.parse(source)
    parents: dict[ast.AST, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or (hit := _manager_method(node)) is None:
            continue
        model, method = hit
        if method not in GENERIC_READS:
            continue  # visible_to, a named read of querysets.py, create, bulk_create, bulk_update, none
        # Follow the chain outwards (Case.objects.filter(...).update(...)): a write at its end is allowed.
        outer: ast.AST = node
        while isinstance(parents.get(outer), ast.Attribute) and isinstance(parents.get(parents[outer]), ast.Call):
            outer = parents[parents[outer]]
        last = outer.func.attr if isinstance(outer, ast.Call) and isinstance(outer.func, ast.Attribute) else ""
        if outer is not node and last in WRITES_AT_THE_END:
            continue
        found.append((node.lineno, f"{model}.objects.{method}(…)"))
    return found


def test_it_finds_the_modules_it_checks():
    names = {path.relative_to(ROOT).as_posix() for path in checked_modules()}
    for expected in (
        "childprotect/views/pages.py",
        "childprotect/home.py",
        "cases/forms/intake.py",
        "cases/filters.py",
        "cases/home.py",
        "cases/services/referrals.py",
        "directives/services/create.py",
        "reporting/services.py",
        "reporting/figures/referrals.py",
    ):
        assert expected in names
    assert "cases/querysets.py" not in names and "cases/access.py" not in names


def test_it_fetches_protected_records_only_through_the_access_rules():
    offences = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in checked_modules()
        for line, what in offences_in(path.read_text(encoding="utf-8"))
    ]
    assert not offences, (
        "Use Model.objects.visible_to(user), an access_*() function from access.py, or a named read of "
        "querysets.py instead of these direct fetches, so the jurisdiction rule and the 404 for outsiders apply:\n"
        + "\n".join(offences)
    )


def test_it_catches_a_direct_fetch():
    assert offences_in("case = Case.objects.get(pk=pk)")
    assert offences_in("User.objects.filter(unit=unit)")
    assert offences_in("rows = (\n    Referral.objects.select_related('case')\n    .filter(agency=a)\n    .first()\n)")
    assert offences_in("rows = Case.objects.filter(pk=1)\nrows.update(version=2)")  # the write is elsewhere
    assert not offences_in("User.objects.visible_to(request.user)")
    assert not offences_in("Case.objects.filter(pk=case.pk).update(next_deadline_at=None)")
    assert not offences_in("Referral.objects.create(case=case)")
    assert not offences_in("User.objects.province_officers_of(unit_id)")  # a named read of querysets.py
