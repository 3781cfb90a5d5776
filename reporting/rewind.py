"""A unit's case data as it stood at a report's data cut-off, for a freeze that comes late (reporting/snapshots.py).

Inside one transaction that is always rolled back, the rows of the unit's cases (recorded by the cut-off) that
changed after it are put back as they were, from the append-only history the cases keep; the figures are computed
there, unchanged code reading ordinary columns, and the transaction is undone. What is put back:

- a case's status: the `to_status` of its last timeline entry at or before the cut-off (a draft then, recorded
  after it, is a draft again: left out), and `closed_at`;
- its next deadline: the earliest of its deadlines not met by the cut-off (one opened later falls due after the
  cut-off, so it can never make a case "overdue at the cut-off");
- every field of the case and of the child corrected after the cut-off: the old value of its first correction
  after it (`CaseCorrection`, as `cases.history.value_as_of` reads it);
- a referral's answer, completion and withdrawal recorded after the cut-off, and its status from those moments.

Not put back (counted by `unrewound_changes`, and a report frozen with any says so): transfers of a case to
another commune after the cut-off, timeline entries of kinds not listed in REWOUND_EVENTS, and directive tasks
changed or reported on after the cut-off.

The rows put back are locked until the transaction ends (the time one computation of the unit's figures takes);
a case worker saving one of those cases meanwhile waits that long. Reads go to the primary: a replica would not see
the rewound rows.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from django.db import transaction
from django.db.models import Case as SqlCase
from django.db.models import F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

from cases.corrections import RECORDS, typed
from cases.models import Case, CaseCorrection, CaseDeadline, CaseEvent, CaseEventType, Referral, ReferralStatus
from childprotect.db_router import reading_from_primary
from childprotect.models.units import UnitKind
from directives.models import DirectiveTask
from reporting.access import unit_viewer
from reporting.figures.compute import unit_cases
from reporting.figures.types import Scope

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from childprotect.models import AdministrativeUnit

T = TypeVar("T")

# Timeline entries whose effect on the figures is put back (or that have none).
REWOUND_EVENTS = frozenset(
    {
        CaseEventType.TRANSITION,
        CaseEventType.CORRECTED,
        CaseEventType.REFERRAL,
        CaseEventType.ASSESSMENT,
        CaseEventType.EMERGENCY,
        CaseEventType.PLAN,
        CaseEventType.NOTE,
        CaseEventType.ATTACHMENT,
        CaseEventType.DEADLINE_OVERDUE,
        CaseEventType.ASSIGNED,
        CaseEventType.HANDED_TO_COMMUNE,
        CaseEventType.DRAFT_SAVED,  # a draft at the cut-off is put back as a draft: left out
    }
)
# Only these records' fields are read by the figures.
_CORRECTED_RECORDS = ("case", "child")


class _RolledBack(Exception):
    def __init__(self, value: object) -> None:
        self.value = value


def _recorded_cases(
    unit: AdministrativeUnit, start: datetime.date, end: datetime.date, cutoff: datetime.datetime
) -> QuerySet[Case]:
    scope = Scope(unit=unit, start=start, end=end, as_of=cutoff)
    return unit_cases(unit_viewer(unit), scope).filter(created_at__lte=cutoff)


def as_of_cutoff(
    unit: AdministrativeUnit,
    start: datetime.date,
    end: datetime.date,
    cutoff: datetime.datetime,
    compute: Callable[[], T],
) -> T:
    """`compute()` run on the unit's data put back as it stood at `cutoff`; nothing written survives."""
    try:
        with reading_from_primary(), transaction.atomic():
            _rewind(_recorded_cases(unit, start, end, cutoff), cutoff)
            raise _RolledBack(compute())
    except _RolledBack as done:
        return done.value  # type: ignore[return-value] # what compute() returned


def _rewind(cases: QuerySet[Case], cutoff: datetime.datetime) -> None:
    later = CaseEvent.objects.filter(case__in=cases.values("pk"), at__gt=cutoff)
    touched = cases.filter(pk__in=later.values("case_id"))

    # The status at the cut-off: where the last status change before it led, or where the first one after it
    # started from (a case whose history holds no change before the cut-off), or, with neither, the current one.
    status_then = (
        CaseEvent.objects.filter(case=OuterRef("pk"), at__lte=cutoff)
        .exclude(to_status="")
        .order_by("-at", "-id")
        .values("to_status")[:1]
    )
    status_left = (
        CaseEvent.objects.filter(case=OuterRef("pk"), at__gt=cutoff)
        .exclude(from_status="")
        .order_by("at", "id")
        .values("from_status")[:1]
    )
    open_then = (
        CaseDeadline.objects.filter(case=OuterRef("pk"))
        .filter(Q(met_at__isnull=True) | Q(met_at__gt=cutoff))
        .order_by("due_at", "id")
    )
    touched.update(
        status=Coalesce(Subquery(status_then), Subquery(status_left), F("status")),
        closed_at=SqlCase(When(closed_at__gt=cutoff, then=Value(None)), default=F("closed_at")),
        next_deadline_at=Subquery(open_then.values("due_at")[:1]),
        next_deadline_step=Coalesce(Subquery(open_then.values("step")[:1]), Value("")),
    )

    seen: set[tuple[str, int, str]] = set()
    corrections = CaseCorrection.objects.filter(
        case__in=cases.values("pk"), effective_at__gt=cutoff, record__in=_CORRECTED_RECORDS
    ).order_by("effective_at", "id")
    for row in corrections:
        key = (row.record, row.record_id, row.field)
        if key in seen:
            continue
        seen.add(key)
        record = RECORDS[row.record]
        field = record.field(row.field)
        record.model._default_manager.filter(pk=row.record_id).update(
            **{field.attname: typed(row.old_value, row.value_type)}
        )

    def then(name: str) -> SqlCase:
        return SqlCase(When(**{f"{name}__gt": cutoff}, then=Value(None)), default=F(name))

    moments = ("responded_at", "accepted_at", "completed_at", "withdrawn_at", "closed_at")
    answered_later = Q()
    for name in moments:
        answered_later |= Q(**{f"{name}__gt": cutoff})
    Referral.objects.of_cases(cases).filter(sent_at__lte=cutoff).filter(answered_later).update(
        status=SqlCase(
            When(withdrawn_at__lte=cutoff, then=Value(ReferralStatus.WITHDRAWN)),
            When(completed_at__lte=cutoff, then=Value(ReferralStatus.COMPLETED)),
            When(accepted_at__lte=cutoff, then=Value(ReferralStatus.ACCEPTED)),
            When(responded_at__lte=cutoff, then=Value(ReferralStatus.DECLINED)),
            default=Value(ReferralStatus.SENT),
        ),
        **{name: then(name) for name in moments},
    )


def unrewound_changes(
    unit: AdministrativeUnit,
    start: datetime.date,
    end: datetime.date,
    cutoff: datetime.datetime,
    until: datetime.datetime,
) -> int:
    """Changes recorded between the cut-off and `until` that the rewind does not put back: timeline entries of
    other kinds (a transfer) on the unit's cases, and directive tasks of the unit changed or reported on."""
    if until <= cutoff:
        return 0
    cases = _recorded_cases(unit, start, end, cutoff)
    events = (
        CaseEvent.objects.filter(case__in=cases.values("pk"), at__gt=cutoff, at__lte=until)
        .exclude(event_type__in=REWOUND_EVENTS)
        .count()
    )
    tasks = DirectiveTask.objects.visible_to(unit_viewer(unit))
    if unit.kind == UnitKind.COMMUNE:
        tasks = tasks.filter(lead_commune_id=unit.pk)
    else:
        tasks = tasks.filter(unit_path__startswith=unit.path)
    changed = (
        Q(changes__changed_at__gt=cutoff, changes__changed_at__lte=until)
        | Q(reports__submitted_at__gt=cutoff, reports__submitted_at__lte=until)
        | Q(reports__reviewed_at__gt=cutoff, reports__reviewed_at__lte=until)
    )
    return events + tasks.filter(changed).distinct().count()
