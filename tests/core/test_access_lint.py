"""Let the machine enforce the access rule (zulip's lint habit): views and API modules never fetch protected
records with `.objects.get/filter/all/...`; they go through `visible_to(user)` or an `access_*` function.

Add a model to PROTECTED_MODELS when its records belong to a jurisdiction.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ["childprotect", "cases", "directives", "reporting"]
PROTECTED_MODELS = ["User", "AuditEvent", "Case", "Child", "Referral", "CaseTransfer", "DirectiveTask", "ReportRun"]
FORBIDDEN = re.compile(r"\b(?P<model>" + "|".join(PROTECTED_MODELS) + r")\.objects\.(?!visible_to\b)(?P<method>\w+)\(")


def _request_facing_modules() -> list[Path]:
    modules: list[Path] = []
    for app in APPS:
        base = ROOT / app
        for name in ("views", "api"):
            if (base / f"{name}.py").exists():
                modules.append(base / f"{name}.py")
            modules.extend(sorted((base / name).glob("*.py")) if (base / name).is_dir() else [])
    return modules


def test_it_finds_the_modules_it_checks():
    assert any(path.name == "pages.py" for path in _request_facing_modules())


def test_it_fetches_protected_records_only_through_the_access_rules():
    offences = []
    for path in _request_facing_modules():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = FORBIDDEN.search(line)
            if match:
                offences.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offences, (
        "Use Model.objects.visible_to(user) or an access_*() function from access.py instead of these "
        "direct fetches, so the jurisdiction rule and the 404 for outsiders apply:\n" + "\n".join(offences)
    )


def test_it_catches_a_direct_fetch():
    assert FORBIDDEN.search("case = Case.objects.get(pk=pk)")
    assert FORBIDDEN.search("User.objects.filter(unit=unit)")
    assert not FORBIDDEN.search("User.objects.visible_to(request.user)")
