"""Changes to a saved directive's tasks, as a province decides them over a year: a follow-up công văn adds an
assignment, hands a task to another lead, moves a deadline or cancels a task.

- `do_add_task`: one more assignment (one task per lead, as when the directive was saved); locked on the
  directive's version.
- `do_reassign_task`: another lead takes the task over. A new task for that lead takes the open due dates (and
  the progress reports on them); the old task keeps what was done, credited to its lead, and is closed as
  handed over (`replaced_by`). So the board credits each lead with its own work, and the old lead still sees
  its history.
- `do_redate_task`: a new deadline rule from a given day. Open due dates from that day on are moved to the new
  ones (each keeps the date it first had: `original_due_on`), those the new rule no longer has are cancelled,
  missing ones are added; what was completed stays as it was.
- `do_cancel_task`: nothing of the task is due any more: its open due dates are cancelled (never overdue,
  reminded or counted); what was done stays done.

Each takes `acting_user` (a province officer of the directive's province, else NotAllowed) and the version the
officer saw (a stale one: VersionConflict with the current version, nothing written), a reason and the
follow-up document that ordered the change (ChangeOrder; missing: ValidationError by field). A task already
cancelled or handed over, or with nothing left to hand over or re-date, is a RuleViolation. Each is atomic and
writes, in the same transaction, the task's history (TaskChange), an audit event and the leads' notifications
(NotificationKind.DIRECTIVE_TASK_CHANGED, outbox: emailed after commit). Notifications name the document, the
item and the follow-up document's number only: a reason is free text and never leaves the system.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from childprotect.errors import NotAllowed, RuleViolation, VersionConflict
from childprotect.models import User
from childprotect.models.audit import AuditAction
from childprotect.models.units import UnitKind
from childprotect.notification_kinds import NotificationKind
from childprotect.notifications import notify
from childprotect.services import record_audit_event, text_problem
from directives.access import can_change_tasks
from directives.importer.references import REFERENCE_RE, reference_fields
from directives.models import (
    DeadlineKind,
    Directive,
    DirectiveTask,
    TaskChange,
    TaskChangeKind,
    TaskOccurrence,
    TaskReport,
)
from directives.recurrence import DeadlineRule, due_dates
from directives.services.common import lead_users, task_params, task_url
from directives.services.create import LeadChoice, TaskInput, check_task, create_tasks
from directives.services.occurrences import horizon

REASON_MAX_CHARS = 2000
ORDER_MAX_CHARS = 500


def _stale(current_version: int) -> VersionConflict:
    """The task (or the directive, when adding) changed since the officer opened it; nothing was saved."""
    return VersionConflict(
        _(
            "Nhiệm vụ này vừa được người khác thay đổi sau khi bạn mở. Thay đổi của bạn chưa được lưu: hãy xem "
            "bản mới nhất rồi làm lại."
        ),
        version=current_version,
    )


@dataclass
class ChangeOrder:
    """Why, and on which follow-up document ("Công văn số 812/UBND-KGVX ngày 04/3/2026 …")."""

    reason: str
    order_text: str


def _check(acting_user: User, directive: Directive, order: ChangeOrder) -> dict[str, str]:
    if not can_change_tasks(acting_user, directive):
        raise NotAllowed(_("Chỉ cán bộ cấp tỉnh của tỉnh này thay đổi được nhiệm vụ."))
    problems = {
        "reason": text_problem(
            order.reason,
            max_chars=REASON_MAX_CHARS,
            blank=_("Nêu lý do thay đổi."),
            too_long=_("Lý do quá dài: tối đa %(max)s ký tự."),
        ),
        "order_text": text_problem(
            order.order_text,
            max_chars=ORDER_MAX_CHARS,
            blank=_("Ghi văn bản chỉ đạo việc thay đổi (số, ký hiệu, ngày), ví dụ Công văn số 812/UBND-KGVX."),
            too_long=_("Quá dài: tối đa %(max)s ký tự."),
        ),
    }
    return {field: problem for field, problem in problems.items() if problem}


def _order_fields(order: ChangeOrder, directive: Directive) -> dict[str, Any]:
    """The follow-up document's text, and its number, symbol, date and directive in the system when found."""
    text = " ".join(order.order_text.split())
    fields: dict[str, Any] = {"order_text": text}
    m = REFERENCE_RE.search(text)
    if m is None:
        return fields
    ref = reference_fields(m)
    fields |= {
        "order_number": ref["number"][:16],
        "order_symbol": ref["symbol"][:60],
        "order_issued_on": datetime.date.fromisoformat(ref["issued_on"]) if ref["issued_on"] else None,
        "order_directive": Directive.objects.with_reference(directive.province_id, ref["number"], ref["symbol"])
        .order_by("-created_at")
        .first(),
    }
    return fields


def _claim_task(task: DirectiveTask, expected_version: int) -> None:
    """Bump the task's version if it is still the one the officer saw (and the task is still open)."""
    updated = DirectiveTask.objects.filter(pk=task.pk, version=expected_version, cancelled_at__isnull=True).update(
        version=F("version") + 1
    )
    if updated != 1:
        task.refresh_from_db(fields=["version", "cancelled_at"])
        if task.cancelled_at is not None:
            raise RuleViolation(_("Nhiệm vụ này đã được hủy hoặc giao lại: không thay đổi được nữa."))
        raise _stale(task.version)
    task.version = expected_version + 1


def _open_dues(task: DirectiveTask) -> list[str]:
    return [
        d.isoformat() if d else ""
        for d in TaskOccurrence.objects.open().filter(task=task).order_by("due_on").values_list("due_on", flat=True)[:6]
    ]


def _snapshot(task: DirectiveTask) -> dict[str, Any]:
    """The task in words: its lead, its deadline rule, its next open due dates."""
    return {"lead": task.lead_name, "deadline": DeadlineRule.of_task(task).describe(), "due": _open_dues(task)}


def _record(
    acting_user: User,
    task: DirectiveTask,
    kind: str,
    order: ChangeOrder,
    before: dict[str, Any],
    after: dict[str, Any],
) -> TaskChange:
    change = TaskChange.objects.create(
        task=task,
        directive=task.directive,
        unit_path=task.unit_path,
        kind=kind,
        reason=order.reason.strip(),
        before=before,
        after=after,
        changed_by=acting_user,
        **_order_fields(order, task.directive),
    )
    record_audit_event(
        actor=acting_user,
        action=AuditAction.UPDATE if kind != TaskChangeKind.ADDED else AuditAction.CREATE,
        target=task,
        unit_path=task.unit_path,
        details={"change": kind, "change_id": change.pk, "directive_id": task.directive_id},
    )
    return change


def _notify(
    task: DirectiveTask,
    change: TaskChange,
    *,
    variant: str = "",
    users: list[User] | None = None,
    **params: Any,
) -> None:
    """Tell the task's leads (or `users`): the document, the item and the follow-up document's number only."""
    order = f"{change.order_number}/{change.order_symbol}" if change.order_number and change.order_symbol else ""
    notify(
        users if users is not None else lead_users([task]),
        kind=NotificationKind.DIRECTIVE_TASK_CHANGED,
        params={**task_params(task), "order": order, "variant": variant, **params},
        url=task_url(task),
        target=task,
        unit_path=task.unit_path,
        dedupe_key=f"directive-change:{change.pk}:{task.pk}",
    )


def _lead_errors(lead: LeadChoice, task: DirectiveTask) -> dict[str, str]:
    province_path = task.unit_path
    if lead.agency is None and lead.commune is None:
        return {"lead": _("Chọn cơ quan hoặc xã, phường nhận nhiệm vụ.")}
    if lead.agency is not None and not lead.agency.unit.path.startswith(province_path):
        return {"lead": _("Cơ quan chủ trì phải thuộc tỉnh của văn bản.")}
    if lead.commune is not None and (
        lead.commune.kind != UnitKind.COMMUNE or not lead.commune.path.startswith(province_path)
    ):
        return {"lead": _("Xã, phường chủ trì phải thuộc tỉnh của văn bản.")}
    same = (lead.agency is not None and lead.agency.pk == task.lead_agency_id) or (
        lead.commune is not None and lead.commune.pk == task.lead_commune_id
    )
    if same:
        return {"lead": _("Đơn vị này đang chủ trì nhiệm vụ.")}
    siblings = DirectiveTask.objects.open_on_item(task.directive_id, task.position).exclude(pk=task.pk)
    taken = (
        siblings.filter(lead_agency=lead.agency)
        if lead.agency is not None
        else siblings.filter(lead_commune=lead.commune)
    )
    if taken.exists():
        return {"lead": _("Đơn vị này đã chủ trì mục này của văn bản.")}
    return {}


@transaction.atomic
def do_add_task(
    *,
    acting_user: User,
    directive: Directive,
    expected_version: int,
    task: TaskInput,
    order: ChangeOrder,
    today: datetime.date | None = None,
) -> list[DirectiveTask]:
    """Add one assignment to a saved directive: one task per lead chosen, due dates counted from today unless the
    assignment says from when. Returns the new tasks."""
    today = today or timezone.localdate()
    errors = _check(acting_user, directive, order)
    province = directive.province
    errors |= {key.split(".", 2)[2]: message for key, message in check_task(task, province, 0, today).items()}
    if errors:
        raise ValidationError(errors)
    updated = Directive.objects.filter(pk=directive.pk, version=expected_version).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    if updated != 1:
        directive.refresh_from_db(fields=["version"])
        raise _stale(directive.version)
    directive.version = expected_version + 1
    last = directive.tasks.order_by("-position").values_list("position", flat=True).first()
    tasks = create_tasks(directive, [task], province, today, today, first_position=(last or 0) + 1)
    for new in tasks:
        new.directive = directive
        change = _record(acting_user, new, TaskChangeKind.ADDED, order, {}, _snapshot(new))
        _notify(new, change, variant="added")
    return tasks


@transaction.atomic
def do_reassign_task(
    *,
    acting_user: User,
    task: DirectiveTask,
    expected_version: int,
    lead: LeadChoice,
    order: ChangeOrder,
    today: datetime.date | None = None,
) -> DirectiveTask:
    """Hand the task to another lead (module docstring). Returns the new lead's task."""
    today = today or timezone.localdate()
    errors = _check(acting_user, task.directive, order) | _lead_errors(lead, task)
    if errors:
        raise ValidationError(errors)
    _claim_task(task, expected_version)
    open_ids = list(TaskOccurrence.objects.open().filter(task=task).values_list("pk", flat=True))
    if not open_ids:
        raise RuleViolation(_("Mọi kỳ của nhiệm vụ này đã hoàn thành: không còn gì để giao lại."))
    before = _snapshot(task)
    new = DirectiveTask.objects.create(
        directive=task.directive,
        unit_path=task.unit_path,
        position=task.position,
        item_label=task.item_label,
        text=task.text,
        lead_agency=lead.agency,
        lead_commune=lead.commune,
        lead_as_written=task.lead_as_written,
        coordinating_as_written=task.coordinating_as_written,
        report_to=task.report_to,
        deadline_kind=task.deadline_kind,
        deadline_date=task.deadline_date,
        frequency=task.frequency,
        deadline_day=task.deadline_day,
        deadline_month=task.deadline_month,
        recurs_from=task.recurs_from,
        recurs_until=task.recurs_until,
        occurrences_until=task.occurrences_until,
    )
    new.coordinating.set(task.coordinating.all())
    # The open due dates go to the new lead, with the progress reports made on them; reminders start afresh.
    TaskOccurrence.objects.filter(pk__in=open_ids).update(task=new, reminded_days=None, escalated_at=None)
    moved_reports = TaskReport.objects.filter(occurrence_id__in=open_ids).update(task=new)
    DirectiveTask.objects.filter(pk=task.pk).update(cancelled_at=timezone.now(), replaced_by=new)
    task.cancelled_at, task.replaced_by = timezone.now(), new
    after = _snapshot(new) | {"task": new.pk, "moved_due_dates": len(open_ids), "moved_reports": moved_reports}
    old_change = _record(acting_user, task, TaskChangeKind.REASSIGNED, order, before, after)
    new_change = _record(acting_user, new, TaskChangeKind.REASSIGNED, order, before | {"task": task.pk}, after)
    _notify(task, old_change, variant="handed_over", lead=new.lead_name)
    _notify(new, new_change, variant="taken_over", lead=task.lead_name)
    return new


def _new_due_dates(
    rule: DeadlineRule, task: DirectiveTask, effective_from: datetime.date, today: datetime.date
) -> list[datetime.date | None]:
    if rule.kind == DeadlineKind.DATE:
        return [rule.date]
    if rule.kind == DeadlineKind.RECURRING:
        end = horizon(today)
        if task.recurs_until:
            end = min(end, task.recurs_until)
        return list(due_dates(rule, effective_from, end))
    return [None]


@transaction.atomic
def do_redate_task(
    *,
    acting_user: User,
    task: DirectiveTask,
    expected_version: int,
    rule: DeadlineRule,
    order: ChangeOrder,
    effective_from: datetime.date | None = None,
    today: datetime.date | None = None,
) -> DirectiveTask:
    """Give the task a new deadline rule (module docstring); recurring rules apply from `effective_from`
    (default today), a one-off date replaces every open due date."""
    today = today or timezone.localdate()
    effective_from = effective_from or today
    errors = _check(acting_user, task.directive, order)
    errors |= rule.errors()
    if not errors and rule == DeadlineRule.of_task(task):
        errors["deadline_kind"] = _("Thời hạn mới giống thời hạn hiện tại.")
    if errors:
        raise ValidationError(errors)
    _claim_task(task, expected_version)
    before = _snapshot(task)
    open_ = list(TaskOccurrence.objects.open().filter(task=task).order_by(F("due_on").asc(nulls_last=True), "pk"))
    if rule.kind == DeadlineKind.RECURRING:
        affected = [o for o in open_ if o.due_on is None or o.due_on >= effective_from]
    else:
        affected = open_
    new_dates = _new_due_dates(rule, task, effective_from, today)
    if not affected and not (rule.kind == DeadlineKind.RECURRING and new_dates):
        raise RuleViolation(_("Mọi kỳ của nhiệm vụ này đã hoàn thành: không còn hạn nào để đổi."))
    done = set(
        TaskOccurrence.objects.filter(task=task, completed_on__isnull=False, cancelled_on__isnull=True).values_list(
            "due_on", flat=True
        )
    )
    wanted = set(new_dates)
    kept = [o for o in affected if o.due_on in wanted]
    kept_dates = {o.due_on for o in kept}
    to_move = [o for o in affected if o.due_on not in wanted]
    to_create = [d for d in new_dates if d not in kept_dates and d not in done]
    for occurrence, due in zip(to_move, to_create, strict=False):
        if occurrence.original_due_on is None:
            occurrence.original_due_on = occurrence.due_on
        occurrence.due_on, occurrence.reminded_days, occurrence.escalated_at = due, None, None
        occurrence.save(update_fields=["due_on", "original_due_on", "reminded_days", "escalated_at"])
    for occurrence in to_move[len(to_create) :]:
        occurrence.cancelled_on = today
        occurrence.save(update_fields=["cancelled_on"])
    TaskOccurrence.objects.bulk_create(
        [TaskOccurrence(task=task, due_on=due) for due in to_create[len(to_move) :]], ignore_conflicts=True
    )
    recurring = rule.kind == DeadlineKind.RECURRING
    task.deadline_kind = rule.kind
    task.deadline_date = rule.date if rule.kind == DeadlineKind.DATE else None
    task.frequency = rule.frequency if recurring else ""
    task.deadline_day = rule.day if recurring else None
    task.deadline_month = rule.month if recurring else None
    if recurring:
        task.recurs_from = min(effective_from, task.recurs_from) if task.recurs_from else effective_from
        task.occurrences_until = min(horizon(today), task.recurs_until) if task.recurs_until else horizon(today)
    task.save(
        update_fields=[
            "deadline_kind", "deadline_date", "frequency", "deadline_day", "deadline_month", "recurs_from",
            "occurrences_until",
        ]
    )  # fmt: skip
    after = _snapshot(task) | {"effective_from": effective_from.isoformat()}
    change = _record(acting_user, task, TaskChangeKind.REDATED, order, before, after)
    _notify(task, change, rule=rule.to_value())
    return task


@transaction.atomic
def do_cancel_task(
    *,
    acting_user: User,
    task: DirectiveTask,
    expected_version: int,
    order: ChangeOrder,
    today: datetime.date | None = None,
) -> DirectiveTask:
    """Cancel the task: its open due dates stop counting (never overdue); what was done stays done."""
    today = today or timezone.localdate()
    errors = _check(acting_user, task.directive, order)
    if errors:
        raise ValidationError(errors)
    _claim_task(task, expected_version)
    before = _snapshot(task)
    cancelled = TaskOccurrence.objects.open().filter(task=task).update(cancelled_on=today)
    now = timezone.now()
    DirectiveTask.objects.filter(pk=task.pk).update(cancelled_at=now)
    task.cancelled_at = now
    change = _record(acting_user, task, TaskChangeKind.CANCELLED, order, before, {"cancelled_due_dates": cancelled})
    _notify(task, change, variant="cancelled")
    return task
