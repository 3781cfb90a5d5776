"""The history of a case as people read it: every corrected field (old → new, who, when, why) and every change of
the responsible officer. The page (cases/casefile.py, templates/cases/casefile/history.html) and the API
(cases/api/corrections.py) show the same entries.

Only the case-working roles of the child's commune and province read the corrections (`can_read_history`), and
only those who may see the reporter read the corrections of the reporter's identity. Reads are a constant number
of queries: the corrections, and the names of the units and agencies they mention (one query each, if any).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from cases.access import can_read_history
from cases.corrections import RECORDS, in_words, typed
from cases.models import Case, CaseAssignment, CaseCorrection, ValueType
from childprotect.models import AdministrativeUnit, Agency, User


@dataclass
class CorrectionEntry:
    id: int
    record: str
    record_label: str
    record_id: int
    field: str
    field_label: str
    value_type: str
    old_value: Any  # typed form (cases/models/history.py)
    new_value: Any
    old_text: str
    new_text: str
    reason: str
    actor: str
    effective_at: datetime.datetime


def _names(rows: list[CaseCorrection]) -> dict[tuple[str, int], str]:
    """Names of the units and agencies the history mentions (one query per kind, none if there are none)."""
    ids: dict[str, set[int]] = {ValueType.UNIT: set(), ValueType.AGENCY: set()}
    for row in rows:
        if row.value_type in ids:
            ids[row.value_type] |= {int(v) for v in (row.old_value, row.new_value) if v is not None}
    names: dict[tuple[str, int], str] = {}
    if ids[ValueType.UNIT]:
        units = AdministrativeUnit.objects.filter(pk__in=ids[ValueType.UNIT]).only("pk", "name", "full_name")
        names |= {(ValueType.UNIT, unit.pk): unit.full_name or unit.name for unit in units}
    if ids[ValueType.AGENCY]:
        names |= {(ValueType.AGENCY, a.pk): a.name for a in Agency.objects.filter(pk__in=ids[ValueType.AGENCY])}
    return names


def _person(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def correction_history(case: Case, user: User) -> list[CorrectionEntry]:
    """The corrections of the case this user may read, oldest first (empty for those who may read none)."""
    if not can_read_history(user, case):
        return []
    rows = list(case.corrections.select_related("actor").order_by("effective_at", "id"))
    names = _names(rows)
    entries = []
    for row in rows:
        record = RECORDS.get(row.record)
        if record is None:
            continue
        entries.append(
            CorrectionEntry(
                id=row.pk,
                record=row.record,
                record_label=str(record.label),
                record_id=row.record_id,
                field=row.field,
                field_label=record.field_label(row.field),
                value_type=row.value_type,
                old_value=row.old_value,
                new_value=row.new_value,
                old_text=in_words(record, row.field, row.old_value, names),
                new_text=in_words(record, row.field, row.new_value, names),
                reason=row.reason,
                actor=_person(row.actor),
                effective_at=row.effective_at,
            )
        )
    return entries


def assignment_history(case: Case) -> list[CaseAssignment]:
    """Who was responsible for the case and since when, oldest first (officer None: in the commune's queue)."""
    return list(case.assignments.select_related("officer", "previous_officer", "assigned_by").order_by("at", "id"))


def value_as_of(case: Case, record: str, record_id: int, field: str, current: Any, moment: datetime.datetime) -> Any:
    """The value a field had at `moment`: the old value of its first correction after that moment, or `current`
    when none came after (what a figure frozen at a cut-off reads; values in typed form)."""
    later = (
        case.corrections.filter(record=record, record_id=record_id, field=field, effective_at__gt=moment)
        .order_by("effective_at", "id")
        .first()
    )
    return typed(later.old_value, later.value_type) if later is not None else current
