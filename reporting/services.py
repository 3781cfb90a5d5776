"""Writes of the report archive. Each `do_*` is atomic, takes `acting_user` (None: beat), writes an audit row,
and hands work to Celery only after commit.

- `do_request_report` records a run (the next version of that kind, year and unit) as pending; the generation
  task (`generate_report`) claims it with one conditional UPDATE, computes the figures as the unit's own
  officers see them, renders the PDF and the XLSX, stores them in private storage and notifies the unit's
  officers. A broker outage leaves the run pending; `requeue_unfinished_runs` (beat) hands it over again.
- `do_review_report` and `do_lock_report` move a finished run on; a locked run never changes again (the model
  refuses), and generating the same report later makes a new version.
- `generate_scheduled_reports` (beat, daily) requests each province's report on the day after the data
  cut-off, once per kind and year.
- `freeze_period_figures` (beat, every 10 minutes) freezes each period's figures soon after its data cut-off:
  a run generated after the cut-off renders those, so every re-run gives the same numbers
  (reporting/snapshots.py says why a snapshot, and what a late freeze can and cannot rewind).
"""

from __future__ import annotations

import datetime
import logging
import uuid
from functools import partial
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, When
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from childprotect.db_router import reading_from_replica
from childprotect.errors import NotAllowed, RuleViolation, VersionConflict
from childprotect.models import AdministrativeUnit, User
from childprotect.models.audit import AuditAction
from childprotect.models.units import UnitKind
from childprotect.notification_kinds import NotificationKind
from childprotect.notifications import notify
from childprotect.roles import COMMUNE_ROLES, Role
from childprotect.services import record_audit_event
from childprotect.sweeps import claim, claim_each, renewing
from reporting.access import can_generate_report, can_lock_report, can_review_report
from reporting.document import build_document
from reporting.models import ReportKind, ReportRun, ReportStatus
from reporting.periods import period_for, schedule_for
from reporting.render_pdf import render_pdfs
from reporting.render_xlsx import render_xlsx
from reporting.snapshots import figures_for_run, freeze_due_periods, late_entries, late_entries_warnings

if TYPE_CHECKING:
    from reporting.querysets import ReportRunQuerySet

logger = logging.getLogger(__name__)

# A pending run the task has not claimed after this long is handed to Celery again; a running one whose worker
# died is put back to pending once its lease (renewed while the worker lives: childprotect/sweeps.py) runs out.
PENDING_GRACE = datetime.timedelta(minutes=2)


def _audit(actor: User | None, action: str, run: ReportRun, **details: object) -> None:
    record_audit_event(
        actor=actor,
        action=action,
        target=run,
        unit_path=run.unit_path,
        details={"kind": run.kind, "year": run.year, "unit": run.unit.code, "version": run.version, **details},
        actor_username="beat",
    )


@transaction.atomic
def do_request_report(
    *,
    acting_user: User | None,
    kind: str,
    year: int,
    unit: AdministrativeUnit,
    document_number: str = "",
    remarks: str = "",
) -> ReportRun:
    """Record the next version of a unit's report as pending; generation starts after commit."""
    if acting_user is not None and not can_generate_report(acting_user, unit):
        raise NotAllowed(_("Bạn không thể lập báo cáo cho đơn vị này."))
    if kind not in ReportKind.values:
        raise ValidationError({"kind": _("Loại báo cáo không hợp lệ.")})
    if unit.kind not in {UnitKind.PROVINCE, UnitKind.COMMUNE}:
        raise ValidationError({"unit": _("Chỉ lập báo cáo cho tỉnh, thành phố hoặc xã, phường.")})
    if not 2000 <= year <= timezone.localdate().year + 1:
        raise ValidationError({"year": _("Năm báo cáo không hợp lệ.")})
    period = period_for(kind, year)
    for _attempt in range(3):
        latest = ReportRun.objects.latest_version(kind=kind, year=year, unit=unit)
        run = ReportRun(
            kind=kind,
            year=year,
            unit=unit,
            unit_path=unit.path,
            version=latest + 1,
            period_start=period.start,
            period_end=period.end,
            data_cutoff=period.cutoff,
            due_date=period.due,
            generated_by=acting_user,
            document_number=(document_number or "").strip()[:12],
            remarks=(remarks or "").strip(),
        )
        try:
            with transaction.atomic():  # a savepoint: a concurrent request may have taken this version
                run.save()
            break
        except IntegrityError:
            continue
    else:  # pragma: no cover - three collisions in a row
        raise RuleViolation(_("Đang có yêu cầu lập báo cáo khác cho đơn vị này; hãy thử lại."))
    _audit(acting_user, AuditAction.CREATE, run)
    transaction.on_commit(partial(enqueue_generation, run.pk))
    return run


def enqueue_generation(run_id: int) -> None:
    """Runs after commit. A broker outage must not reach the request: the sweep re-queues the run later."""
    from reporting.tasks import generate_report_task

    try:
        generate_report_task.delay(run_id)
    except Exception as error:  # whatever the transport raises
        logger.warning(
            "report run %s: could not queue its generation (%s); the sweep will", run_id, type(error).__name__
        )


def generate_report(run_id: int) -> None:
    """The generation task's body. Claims the run with one conditional UPDATE that also takes a short lease (so
    two workers never both render it), renews the lease while it computes, renders and stores, and stores the
    result only if it still holds the lease; a failure marks the run failed with the error's class name only."""
    now = timezone.now()
    token = uuid.uuid4()
    related = ("unit", "unit__parent", "generated_by")
    run = claim(
        ReportRun.objects.pending(),
        run_id,
        related=related,
        lease="lease_until",
        status=ReportStatus.RUNNING,
        started_at=now,
        lease_token=token,
    )
    if run is None:
        return
    ours = ReportRun.objects.generating(token)
    try:
        with renewing(ours, lease="lease_until", what=f"report run {run_id}"), reading_from_replica():
            _render(run, now, ours)
    except LeaseLost:
        logger.warning("report run %s: lease lost while rendering; the new holder stores it", run_id)
        return
    except Exception as error:
        logger.exception("report run %s failed", run_id)
        ours.update(status=ReportStatus.FAILED, finished_at=timezone.now(), error=type(error).__name__[:300])
        return
    _notify_ready(run)


class LeaseLost(Exception):
    """The run was taken over by another worker (this one's lease had run out): its result is not stored."""


def _render(run: ReportRun, now: datetime.datetime, ours: ReportRunQuerySet) -> None:
    # The official document is Vietnamese whoever asks and wherever it runs (a worker, or eagerly in a request of
    # a user who reads English); the report page shows what it stores in the reader's language.
    with translation.override(settings.LANGUAGE_CODE):
        _render_in_vietnamese(run, now, ours)


def _render_in_vietnamese(run: ReportRun, now: datetime.datetime, ours: ReportRunQuerySet) -> None:
    # After the data cut-off the run renders the period's frozen figures (reporting/snapshots.py), frozen now if
    # nobody did yet; before it, live figures, provisional.
    computed = figures_for_run(run, now)
    as_of = computed.as_of
    run.figures_as_of = as_of
    run.frozen_at = computed.frozen.frozen_at if computed.frozen is not None else None
    run.late_entries = late_entries(run, now, computed.frozen)
    figures, indicators = computed.figures, computed.indicators
    warnings = computed.warnings + late_entries_warnings(run, run.late_entries, computed.frozen)
    document = build_document(run, figures, indicators, warnings, document_date=timezone.localtime(now).date())
    (pdf, signed_pdf), xlsx = render_pdfs(document), render_xlsx(document)
    run.pdf.save("report.pdf", ContentFile(pdf), save=False)
    if signed_pdf is not None:
        run.signed_pdf.save("report.pdf", ContentFile(signed_pdf), save=False)
    run.xlsx.save("report.xlsx", ContentFile(xlsx), save=False)
    run.figures = {
        **figures.as_json(),
        "indicators": [result.as_json() for result in indicators],
        "is_provisional": run.is_provisional,
        "frozen_at": run.frozen_at.isoformat() if run.frozen_at is not None else None,
    }
    run.warnings = warnings
    run.status = ReportStatus.READY
    run.finished_at = timezone.now()
    try:
        # Stored only while this worker still holds the run: exactly one generation's files are ever kept.
        stored = ours.update(
            pdf=run.pdf.name,
            signed_pdf=run.signed_pdf.name or "",
            xlsx=run.xlsx.name,
            figures=run.figures,
            warnings=run.warnings,
            figures_as_of=as_of,
            frozen_at=run.frozen_at,
            late_entries=run.late_entries,
            status=ReportStatus.READY,
            finished_at=run.finished_at,
            lease_until=None,
            lease_token=None,
        )
        if not stored:
            raise LeaseLost
    except Exception:
        run.pdf.delete(save=False)
        run.signed_pdf.delete(save=False)
        run.xlsx.delete(save=False)
        raise


def _unit_officers(unit: AdministrativeUnit) -> list[User]:
    if unit.kind == UnitKind.PROVINCE:
        return list(User.objects.province_officers_of(unit.pk))
    return list(User.objects.commune_workers_of(unit.pk))


@transaction.atomic
def _notify_ready(run: ReportRun) -> None:
    """Tell the unit's officers (and whoever asked) that the report awaits review. No child data: kind, year,
    unit and a link."""
    recipients = _unit_officers(run.unit)
    if run.generated_by is not None:
        recipients.append(run.generated_by)
    notify(
        recipients,
        kind=NotificationKind.REPORT_READY,
        params={"kind": run.kind, "year": run.year, "unit": run.unit.full_name, "due": run.due_date},
        url=reverse("reporting:run", args=[run.pk]),
        target=run,
        unit_path=run.unit_path,
        dedupe_key=f"report-ready-{run.pk}",
    )


@transaction.atomic
def do_review_report(*, acting_user: User, run: ReportRun, note: str = "") -> ReportRun:
    if not can_review_report(acting_user, run):
        raise NotAllowed(_("Bạn không thể rà soát báo cáo này."))
    if run.status != ReportStatus.READY:
        raise RuleViolation(_("Chỉ rà soát được báo cáo đã lập xong và chưa khóa."))
    claimed = ReportRun.objects.filter(pk=run.pk, status=ReportStatus.READY).update(
        status=ReportStatus.REVIEWED, reviewed_by=acting_user, reviewed_at=timezone.now(), review_note=note.strip()
    )
    if not claimed:
        raise VersionConflict(_("Báo cáo vừa được người khác cập nhật; hãy tải lại trang."))
    run.refresh_from_db()
    _audit(acting_user, AuditAction.UPDATE, run, event="reviewed")
    return run


@transaction.atomic
def do_lock_report(*, acting_user: User, run: ReportRun) -> ReportRun:
    """Submit the report: it never changes again. Allowed once it is generated (reviewed or not)."""
    if not can_lock_report(acting_user, run):
        raise NotAllowed(_("Bạn không thể khóa báo cáo này."))
    if run.status not in {ReportStatus.READY, ReportStatus.REVIEWED}:
        raise RuleViolation(_("Chỉ khóa được báo cáo đã lập xong và chưa khóa."))
    claimed = ReportRun.objects.filter(
        pk=run.pk, status__in=[ReportStatus.READY, ReportStatus.REVIEWED], locked_at__isnull=True
    ).update(
        status=ReportStatus.LOCKED,
        locked_by=acting_user,
        locked_at=timezone.now(),
        # The signed PDF (no "DỰ THẢO") becomes the report's; a run with provisional figures has none and keeps
        # its marked PDF.
        pdf=Case(When(~Q(signed_pdf=""), then=F("signed_pdf")), default=F("pdf")),
        signed_pdf="",
    )
    if not claimed:
        raise VersionConflict(_("Báo cáo vừa được người khác cập nhật; hãy tải lại trang."))
    run.refresh_from_db()
    run._was_locked = True  # refresh_from_db does not go through from_db's flag
    _audit(acting_user, AuditAction.TRANSITION, run, event="locked")
    return run


def record_download(*, acting_user: User, run: ReportRun, file_format: str) -> None:
    """Every download of a report file is an audit event (an export of figures about children)."""
    _audit(acting_user, AuditAction.EXPORT, run, format=file_format)


def requeue_unfinished_runs(now: datetime.datetime | None = None) -> int:
    """Hand pending runs the broker never delivered to Celery again, and put back runs whose worker died (their
    lease ran out: a live worker renews it) and hand them over at once."""
    now = now or timezone.now()
    orphaned: list[int] = []

    def hand_over(run: ReportRun) -> None:
        orphaned.append(run.pk)
        logger.warning("report run %s: its worker stopped renewing its lease; handed over again", run.pk)
        transaction.on_commit(partial(enqueue_generation, run.pk))

    claim_each(
        ReportRun.objects.lease_lapsed(now),
        mark={"status": ReportStatus.PENDING, "lease_until": None, "lease_token": None},
        handle=hand_over,
        limit=50,
    )
    stale = list(
        ReportRun.objects.pending()
        .filter(requested_at__lt=now - PENDING_GRACE)
        .exclude(pk__in=orphaned)
        .values_list("pk", flat=True)[:50]
    )
    for run_id in stale:
        enqueue_generation(run_id)
    return len(stale) + len(orphaned)


def generate_scheduled_reports(today: datetime.date | None = None) -> list[ReportRun]:
    """Beat, daily: from the day after a report's data cut-off until its due date, request it for every
    province that has an active province officer (and for communes if the schedule says so), once per kind
    and year — a unit whose report was already requested (by anyone) is left alone."""
    today = today or timezone.localdate()
    created: list[ReportRun] = []
    for kind in ReportKind.values:
        schedule = schedule_for(kind)
        if not schedule.auto_generate:
            continue
        period = period_for(kind, today.year, schedule)
        if not period.generate_on <= today <= period.due:
            continue
        kinds = [UnitKind.PROVINCE] + ([UnitKind.COMMUNE] if schedule.auto_generate_communes else [])
        roles = [Role.PROVINCE_OFFICER, *COMMUNE_ROLES]
        units = (
            AdministrativeUnit.objects.current()
            .filter(kind__in=kinds, users__role__in=roles, users__is_active=True)
            .exclude(pk__in=ReportRun.objects.requested_for(kind=kind, year=today.year).values("unit_id"))
            .distinct()
            .order_by("code")
        )
        created.extend(do_request_report(acting_user=None, kind=kind, year=today.year, unit=unit) for unit in units)
    return created


def freeze_period_figures(now: datetime.datetime | None = None) -> int:
    """Beat: freeze the figures of the periods whose data cut-off just passed (reporting/snapshots.py)."""
    with reading_from_replica():
        return freeze_due_periods(now)
