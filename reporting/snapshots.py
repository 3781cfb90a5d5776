"""Figures frozen at the data cut-off: a report's figures are what the data said at its cut-off, and every later
run of that report gives the same numbers, whatever is recorded afterwards (answers to referrals, status changes,
corrections, new steps, late entries).

Design: a snapshot written at the cut-off, not a recomputation from the cases' history.
- The figures read current columns all over (a case's status and next deadline, the corrected fields of the
  child and the case, referral answers, directive task completion). Recomputing them "as of" a moment would mean
  an as-of twin of every filter (status from the timeline, each corrected field through `value_as_of`, referral
  and task states from their dates) kept in step with every measure forever; one missed rule and a re-run moves.
- A snapshot stores the complete payload the report renders — the figures, the indicators and the data-quality
  warnings, as the objects the page, the PDF and the XLSX are built from (encoded generically below, so the
  payload stays whatever the compute functions produce) — once per unit and period (`FrozenFigures`).
- Beat (`freeze_due_periods`, every 10 minutes) freezes each period soon after its cut-off passes, for every
  unit that has case-working officers or a report run of that period. A run generated after the cut-off renders
  the frozen payload; if none exists yet (a unit nobody froze, the worker down at the moment), the run freezes
  it at first need.
- A run generated before the cut-off computes live, as of the moment it runs, and is provisional
  (`ReportRun.is_provisional`: figures taken before the cut-off; `frozen_at` empty).

What "as of the cut-off" means when the freeze comes late (first need, worker down): cases and referrals recorded
after the cut-off are left out by their own timestamps (`created_at`, `sent_at`), "overdue" is judged at the
cut-off, and the freeze computes on the unit's data put back as it stood at the cut-off from the history the cases
keep (statuses from the timeline, corrected fields through the corrections' old values, referral answers and
deadlines from their moments: reporting/rewind.py), inside a transaction that is rolled back. What that does not
put back — a case transferred to another commune, directive tasks changed — is counted (`changes_after_cutoff`)
and the report says how many changes its figures may include. On time (beat running) there are none.

Late entries (cases received in the period, entered after its cut-off: created after it, or a draft then recorded
after it) never change the frozen figures. Each run counts them when it is generated and says so; the schedule
(`ReportSchedule.late_entries`) says where they count: listed as a correction of the period, or counted in the
next period of the same kind (reporting/periods.py; that period takes the cases received before its start and
created after the previous cut-off — a draft saved before that cut-off and recorded later is not carried over, and
carried-over cases are in every table but the one by month of receipt, which covers the period's own months).

Freezing reads the primary (the rewind writes there, rolled back), once per unit and period; re-runs read the
stored payload (one row), not the cases.
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import importlib
import logging
import time
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, IntegrityError, models, transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.models import CaseEvent, CaseKind, CaseStatus
from childprotect.models import AdministrativeUnit
from childprotect.models.units import UnitKind
from childprotect.roles import COMMUNE_ROLES, Role
from reporting.access import unit_viewer
from reporting.figures.compute import compute_figures, figure_context, scoped_cases
from reporting.figures.types import Figures, Scope
from reporting.indicators import IndicatorResult, compute_indicators, indicators_for
from reporting.models import FrozenFigures, LateEntries, ReportKind, ReportRun
from reporting.periods import ReportPeriod, period_for
from reporting.quality import data_quality_warnings
from reporting.rewind import as_of_cutoff, unrewound_changes

if TYPE_CHECKING:
    from childprotect.models import User

logger = logging.getLogger(__name__)

# The beat job freezes periods whose cut-off passed at most this long ago; older ones freeze at first need.
FREEZE_WINDOW = datetime.timedelta(days=30)
# One beat run stops starting new units after this long (the next run, 10 minutes later, carries on).
FREEZE_TIME_BUDGET = 240.0


# --- The payload, encoded -----------------------------------------------------------------------------------------
# Dataclasses (of the reporting package only), model instances (their concrete fields, so a name edited later
# does not change a frozen report), dates, decimals; everything else is JSON already.

_ALLOWED_PREFIX = "reporting."


def encode(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str | Promise):
        return str(value)
    if isinstance(value, list | tuple):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        return {"d": {str(key): encode(item) for key, item in value.items()}}
    if isinstance(value, datetime.datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"date": value.isoformat()}
    if isinstance(value, datetime.timedelta):
        return {"td": value.total_seconds()}
    if isinstance(value, decimal.Decimal):
        return {"dec": str(value)}
    if isinstance(value, models.Model):
        concrete = {f.attname: encode(getattr(value, f.attname)) for f in value._meta.concrete_fields}
        return {"m": value._meta.label, "f": concrete}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        cls = type(value)
        path = f"{cls.__module__}:{cls.__qualname__}"
        if not path.startswith(_ALLOWED_PREFIX):
            raise TypeError(f"cannot freeze a {path}")
        return {"dc": path, "f": {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    raise TypeError(f"cannot freeze a {type(value).__name__}")


def decode(data: Any) -> Any:
    if isinstance(data, list):
        return [decode(item) for item in data]
    if not isinstance(data, dict):
        return data
    if "d" in data:
        return {key: decode(item) for key, item in data["d"].items()}
    if "dt" in data:
        return datetime.datetime.fromisoformat(data["dt"])
    if "date" in data:
        return datetime.date.fromisoformat(data["date"])
    if "td" in data:
        return datetime.timedelta(seconds=data["td"])
    if "dec" in data:
        return decimal.Decimal(data["dec"])
    if "m" in data:
        model = apps.get_model(data["m"])
        instance = model(**{name: decode(value) for name, value in data["f"].items()})
        instance._state.adding = False
        instance._state.db = "default"
        return instance
    if "dc" in data:
        path = data["dc"]
        if not path.startswith(_ALLOWED_PREFIX):
            raise TypeError(f"cannot thaw a {path}")
        module_name, _sep, qualname = path.partition(":")
        cls: Any = importlib.import_module(module_name)
        for part in qualname.split("."):
            cls = getattr(cls, part)
        values = {name: decode(value) for name, value in data["f"].items()}
        fields = {f.name: f for f in dataclasses.fields(cls)}
        instance = cls(**{k: v for k, v in values.items() if k in fields and fields[k].init})
        for name, value in values.items():
            if name in fields and not fields[name].init:
                setattr(instance, name, value)
        return instance
    raise TypeError("not a frozen payload")


# --- Computing and freezing ------------------------------------------------------------------------------------


@dataclass
class ReportFigures:
    """What a report run renders: the figures, the indicators, the data-quality warnings, as of `as_of`;
    `frozen` is the snapshot they were read from (None: computed live before the cut-off, provisional)."""

    figures: Figures
    indicators: list[IndicatorResult]
    warnings: list[dict[str, Any]]
    as_of: datetime.datetime
    frozen: FrozenFigures | None = None


def compute(kind: str, unit: AdministrativeUnit, period: ReportPeriod, as_of: datetime.datetime) -> ReportFigures:
    """The report's figures, live, as of `as_of` (cases and referrals recorded after it left out)."""
    viewer = unit_viewer(unit)
    scope = Scope(unit=unit, start=period.start, end=period.end, as_of=as_of, late_since=period.late_since)
    context = figure_context(viewer, scope)
    figures = compute_figures(viewer, scope, context)
    indicators = compute_indicators(context, indicators_for(kind))
    warnings = data_quality_warnings(context)
    return ReportFigures(figures, indicators, warnings, as_of)


def freeze(kind: str, year: int, unit: AdministrativeUnit, period: ReportPeriod) -> FrozenFigures:
    """The unit's figures of the period as of its cut-off, stored once (a concurrent freeze of the same period
    keeps the first). Only after the cut-off."""
    now = timezone.now()
    if now <= period.cutoff:
        raise ValueError("a period's figures are frozen only after its data cut-off")
    # Read on the primary: a replica a few seconds behind must not make a second freeze look missing.
    existing = (
        FrozenFigures.objects.of_period(kind=kind, unit=unit, start=period.start, end=period.end, cutoff=period.cutoff)
        .using(DEFAULT_DB_ALIAS)
        .first()
    )
    if existing is not None:
        return existing
    computed = as_of_cutoff(
        unit, period.start, period.end, period.cutoff, lambda: compute(kind, unit, period, period.cutoff)
    )
    changes = unrewound_changes(unit, period.start, period.end, period.cutoff, now)
    frozen = FrozenFigures(
        kind=kind,
        year=year,
        unit=unit,
        unit_path=unit.path,
        period_start=period.start,
        period_end=period.end,
        data_cutoff=period.cutoff,
        late_since=period.late_since,
        frozen_at=now,
        changes_after_cutoff=changes,
        payload={
            "figures": encode(computed.figures),
            "indicators": encode(computed.indicators),
            "warnings": computed.warnings,
        },
    )
    try:
        with transaction.atomic():
            frozen.save()
    except IntegrityError:  # frozen meanwhile by another worker: theirs stands
        return (
            FrozenFigures.objects.of_period(
                kind=kind, unit=unit, start=period.start, end=period.end, cutoff=period.cutoff
            )
            .using(DEFAULT_DB_ALIAS)
            .get()
        )
    if changes:
        logger.warning("frozen figures %s: frozen late, %s changes recorded after the cut-off", frozen.pk, changes)
    return frozen


def thaw(frozen: FrozenFigures) -> ReportFigures:
    payload = frozen.payload
    return ReportFigures(
        figures=decode(payload["figures"]),
        indicators=decode(payload["indicators"]),
        warnings=list(payload["warnings"]),
        as_of=frozen.data_cutoff,
        frozen=frozen,
    )


def run_period(run: ReportRun) -> ReportPeriod:
    """The run's own period and cut-off (as requested), with the schedule's rule for late entries."""
    period = period_for(run.kind, run.year)
    return dataclasses.replace(period, start=run.period_start, end=run.period_end, cutoff=run.data_cutoff)


def figures_for_run(run: ReportRun, now: datetime.datetime) -> ReportFigures:
    """Before the cut-off: live and provisional. After it: the frozen figures, frozen now if nobody did yet."""
    period = run_period(run)
    if now <= period.cutoff:
        return compute(run.kind, run.unit, period, now)
    return thaw(freeze(run.kind, run.year, run.unit, period))


# --- Late entries ---------------------------------------------------------------------------------------------------


def late_entries(run: ReportRun, now: datetime.datetime, frozen: FrozenFigures | None) -> dict[str, Any]:
    """Cases received in the run's period but entered after its cut-off, counted now (they keep coming), by
    kind; where the schedule counts them; and, in next-period mode, how many late entries of earlier periods
    the frozen figures include."""
    period = run_period(run)
    result: dict[str, Any] = {"policy": period.late_entries, "count": 0, "by_kind": {}, "counted_at": None}
    if frozen is not None and frozen.late_since is not None:
        result["carried_in"] = _carried_in(run.unit, period)
    if now <= period.cutoff:
        return result
    viewer = unit_viewer(run.unit)
    scope = Scope(unit=run.unit, start=period.start, end=period.end, as_of=period.cutoff)
    # Entered after the cut-off: created after it, or a draft then that was recorded (left the draft) after it.
    recorded_later = CaseEvent.objects.filter(at__gt=period.cutoff, from_status=CaseStatus.DRAFT).exclude(to_status="")
    rows = (
        scoped_cases(viewer, scope, recorded_by_as_of=False)
        .filter(Q(created_at__gt=period.cutoff) | Q(pk__in=recorded_later.values("case_id")))
        .values_list("kind", flat=True)
    )
    by_kind = Counter(rows)
    result.update(count=sum(by_kind.values()), by_kind=dict(by_kind), counted_at=now.isoformat())
    return result


def _carried_in(unit: AdministrativeUnit, period: ReportPeriod) -> int:
    viewer: User = unit_viewer(unit)
    scope = Scope(unit=unit, start=period.start, end=period.end, as_of=period.cutoff, late_since=period.late_since)
    return scoped_cases(viewer, scope).filter(received_at__lt=_period_start(period)).count()


def _period_start(period: ReportPeriod) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(period.start, datetime.time.min))


def late_entries_warnings(run: ReportRun, late: dict[str, Any], frozen: FrozenFigures | None) -> list[dict[str, Any]]:
    """What the report says about late entries and about a late freeze (page, PDF and XLSX show warnings)."""
    warnings: list[dict[str, Any]] = []
    when = formats.date_format(timezone.localtime(run.data_cutoff), "SHORT_DATETIME_FORMAT")
    if run.is_provisional:
        warnings.append(
            {
                "code": "before_cutoff",
                "count": 0,
                "message": _("Số liệu chưa chốt: báo cáo được lập trước thời điểm chốt số liệu (%(when)s).")
                % {"when": when},
                "url": "",
            }
        )
    count = late.get("count", 0)
    if count:
        kinds = ", ".join(
            f"{CaseKind(kind).label.lower() if kind in CaseKind.values else kind}: {n}"
            for kind, n in sorted(late["by_kind"].items())
        )
        if late["policy"] == LateEntries.NEXT_PERIOD:
            message = ngettext(
                "%(count)s vụ việc tiếp nhận trong kỳ được nhập sau thời điểm chốt số liệu (%(when)s): không tính "
                "vào số liệu của kỳ này, được tính vào kỳ báo cáo sau (%(kinds)s).",
                "%(count)s vụ việc tiếp nhận trong kỳ được nhập sau thời điểm chốt số liệu (%(when)s): không tính "
                "vào số liệu của kỳ này, được tính vào kỳ báo cáo sau (%(kinds)s).",
                count,
            )
        else:
            message = ngettext(
                "Số liệu bổ sung: %(count)s vụ việc tiếp nhận trong kỳ được nhập sau thời điểm chốt số liệu "
                "(%(when)s), không có trong các bảng số liệu đã chốt (%(kinds)s).",
                "Số liệu bổ sung: %(count)s vụ việc tiếp nhận trong kỳ được nhập sau thời điểm chốt số liệu "
                "(%(when)s), không có trong các bảng số liệu đã chốt (%(kinds)s).",
                count,
            )
        warnings.append(
            {
                "code": "recorded_after_cutoff",
                "count": count,
                "message": message % {"count": count, "when": when, "kinds": kinds},
                "url": "",
            }
        )
    carried = late.get("carried_in", 0)
    if carried:
        warnings.append(
            {
                "code": "late_entries_carried_in",
                "count": carried,
                "message": ngettext(
                    "Số liệu của kỳ gồm cả %(count)s vụ việc của các kỳ trước được nhập sau thời điểm chốt số liệu "
                    "của kỳ đó (không có trong bảng theo tháng tiếp nhận).",
                    "Số liệu của kỳ gồm cả %(count)s vụ việc của các kỳ trước được nhập sau thời điểm chốt số liệu "
                    "của kỳ đó (không có trong bảng theo tháng tiếp nhận).",
                    carried,
                )
                % {"count": carried},
                "url": "",
            }
        )
    if frozen is not None and frozen.changes_after_cutoff:
        frozen_when = formats.date_format(timezone.localtime(frozen.frozen_at), "SHORT_DATETIME_FORMAT")
        warnings.append(
            {
                "code": "frozen_late",
                "count": frozen.changes_after_cutoff,
                "message": ngettext(
                    "Số liệu được chốt muộn (%(frozen)s): có thể gồm %(count)s thay đổi ghi nhận sau thời điểm "
                    "chốt số liệu (chuyển xã, nhiệm vụ văn bản chỉ đạo).",
                    "Số liệu được chốt muộn (%(frozen)s): có thể gồm %(count)s thay đổi ghi nhận sau thời điểm "
                    "chốt số liệu (chuyển xã, nhiệm vụ văn bản chỉ đạo).",
                    frozen.changes_after_cutoff,
                )
                % {"frozen": frozen_when, "count": frozen.changes_after_cutoff},
                "url": "",
            }
        )
    return warnings


# --- The beat job ---------------------------------------------------------------------------------------------------


def _units_to_freeze(kind: str, year: int, period: ReportPeriod) -> list[AdministrativeUnit]:
    kinds = [UnitKind.PROVINCE, UnitKind.COMMUNE]
    roles = [Role.PROVINCE_OFFICER, *COMMUNE_ROLES]
    frozen = FrozenFigures.objects.frozen_unit_ids(kind=kind, start=period.start, end=period.end, cutoff=period.cutoff)
    requested = ReportRun.objects.requested_for(kind=kind, year=year).values("unit_id")
    # Every unit with officers (a commune may request its own report even where beat does not), and every unit
    # with a run of the period.
    staffed = Q(kind__in=kinds, users__role__in=roles, users__is_active=True)
    return list(
        AdministrativeUnit.objects.current()
        .filter(staffed | Q(pk__in=requested))
        .exclude(pk__in=frozen)
        .distinct()
        .order_by("kind", "code")
    )


def freeze_due_periods(now: datetime.datetime | None = None, *, budget: float = FREEZE_TIME_BUDGET) -> int:
    """Beat, every 10 minutes: freeze the figures of every period whose cut-off passed within FREEZE_WINDOW, for
    every unit with case-working officers or a report run of that period, once. Returns how many it froze."""
    now = now or timezone.now()
    started = time.monotonic()
    done = 0
    for kind in ReportKind.values:
        for year in (now.year, now.year - 1, now.year + 1):
            period = period_for(kind, year)
            if not now - FREEZE_WINDOW < period.cutoff < now:
                continue
            for unit in _units_to_freeze(kind, year, period):
                if time.monotonic() - started > budget:
                    return done
                freeze(kind, year, unit, period)
                done += 1
    return done
