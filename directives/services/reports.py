"""Progress reports: the lead reports (text, file, completion); a province officer accepts or returns them.

Each write is atomic, checks who may do it, appends an audit row and notifies (document reference, item and a
link only). The occurrence row is locked while a report is recorded or returned, so two people of the same
agency cannot both complete one period, and a return and a new report cannot interleave.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from childprotect.errors import NotAllowed, RuleViolation
from childprotect.models import User
from childprotect.models.audit import AuditAction
from childprotect.notification_kinds import NotificationKind
from childprotect.notifications import notify
from childprotect.services import checked_text, record_audit_event, text_problem
from directives.access import can_report_on, can_review
from directives.models import DirectiveTask, ReportStatus, TaskOccurrence, TaskReport
from directives.services.common import lead_users, province_officers, task_params, task_url
from directives.services.files import check_upload, clean_name

REPORT_MAX_CHARS = 5000
REASON_MAX_CHARS = 2000


def next_open_occurrence(task: DirectiveTask) -> TaskOccurrence | None:
    """The occurrence a report goes to by default: the open one due first (undated last)."""
    return TaskOccurrence.objects.open().filter(task=task).order_by(F("due_on").asc(nulls_last=True), "pk").first()


def do_report_task(
    *,
    acting_user: User,
    task: DirectiveTask,
    text: str,
    completes: bool = False,
    occurrence: TaskOccurrence | None = None,
    attachment: UploadedFile | None = None,
) -> TaskReport:
    """Record a progress report of the lead on one occurrence (the next open one unless given)."""
    if not can_report_on(acting_user, task):
        raise NotAllowed(_("Chỉ đơn vị chủ trì được báo cáo nhiệm vụ này."))
    if task.is_closed:
        raise RuleViolation(_("Nhiệm vụ này đã được hủy hoặc giao lại: không báo cáo được nữa."))
    text = (text or "").strip()
    errors: dict[str, str] = {}
    if problem := text_problem(
        text,
        max_chars=REPORT_MAX_CHARS,
        blank=_("Nhập nội dung báo cáo."),
        too_long=_("Báo cáo quá dài: tối đa %(max)s ký tự."),
    ):
        errors["text"] = problem
    if occurrence is not None and occurrence.task_id != task.pk:
        errors["occurrence"] = _("Kỳ báo cáo không thuộc nhiệm vụ này.")
    file_kind = None
    if attachment is not None:
        try:
            file_kind = check_upload(attachment)
        except ValidationError as exc:
            errors.update({key: " ".join(str(m) for m in msgs) for key, msgs in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)

    report = TaskReport(task=task, author=acting_user, text=text, completes=completes)
    if attachment is not None and file_kind is not None:
        report.attachment_name = clean_name(attachment.name or "")
        report.attachment_type = file_kind.content_type
        report.attachment_size = attachment.size
        report.attachment.save("upload", attachment, save=False)
    try:
        with transaction.atomic():
            _record(acting_user, task, report, occurrence)
    except Exception:
        if report.attachment:
            report.attachment.delete(save=False)
        raise
    return report


def _record(acting_user: User, task: DirectiveTask, report: TaskReport, occurrence: TaskOccurrence | None) -> None:
    target = occurrence or next_open_occurrence(task)
    if target is None:
        raise RuleViolation(_("Mọi kỳ của nhiệm vụ này đã được báo cáo hoàn thành."))
    locked = TaskOccurrence.objects.select_for_update().get(pk=target.pk)
    if locked.cancelled_on is not None:
        raise ValidationError({"occurrence": _("Kỳ này đã được hủy theo văn bản chỉ đạo sau; chọn kỳ khác.")})
    if locked.completed_on is not None:
        raise ValidationError(
            {"occurrence": _("Kỳ này đã được báo cáo hoàn thành; chờ cán bộ tỉnh xem xét hoặc chọn kỳ khác.")}
        )
    report.occurrence = locked
    report.save()
    fields = []
    if locked.first_report_at is None:
        locked.first_report_at = report.submitted_at
        fields.append("first_report_at")
    if report.completes:
        locked.completed_at = report.submitted_at
        locked.completed_on = timezone.localdate(report.submitted_at)
        locked.completion_report = report
        fields += ["completed_at", "completed_on", "completion_report"]
    if fields:
        locked.save(update_fields=fields)
    record_audit_event(
        actor=acting_user,
        action=AuditAction.CREATE,
        target=report,
        unit_path=task.unit_path,
        details={
            "task_id": task.pk,
            "occurrence_id": locked.pk,
            "completes": report.completes,
            "attachment": bool(report.attachment),
        },
    )
    notify(
        province_officers(task.directive),
        kind=NotificationKind.DIRECTIVE_REPORT_SUBMITTED,
        params={**task_params(task), "lead": task.lead_name, "variant": "completion" if report.completes else ""},
        url=task_url(task),
        target=task,
        unit_path=task.unit_path,
    )


def _claim_review(report: TaskReport, new_status: str, acting_user: User, **extra: object) -> datetime.datetime:
    """Move a submitted report to accepted/returned with one conditional UPDATE: two officers reviewing the
    same report cannot both win."""
    now = timezone.now()
    updated = TaskReport.objects.filter(pk=report.pk, status=ReportStatus.SUBMITTED).update(
        status=new_status, reviewed_by=acting_user, reviewed_at=now, **extra
    )
    if updated != 1:
        raise RuleViolation(_("Báo cáo này đã được xem xét trước đó; hãy tải lại trang."))
    report.status, report.reviewed_by, report.reviewed_at = new_status, acting_user, now
    for name, value in extra.items():
        setattr(report, name, value)
    return now


@transaction.atomic
def do_accept_report(*, acting_user: User, report: TaskReport) -> TaskReport:
    """Accept a report as it is. The task's status does not change (a completion already counts)."""
    task = report.task
    if not can_review(acting_user, task):
        raise NotAllowed(_("Chỉ cán bộ cấp tỉnh xem xét báo cáo."))
    _claim_review(report, ReportStatus.ACCEPTED, acting_user)
    record_audit_event(
        actor=acting_user,
        action=AuditAction.UPDATE,
        target=report,
        unit_path=task.unit_path,
        details={"task_id": task.pk, "review": ReportStatus.ACCEPTED},
    )
    notify(
        lead_users([task]),
        kind=NotificationKind.DIRECTIVE_REPORT_ACCEPTED,
        params=task_params(task),
        url=task_url(task),
        target=task,
        unit_path=task.unit_path,
    )
    return report


@transaction.atomic
def do_return_report(*, acting_user: User, report: TaskReport, reason: str) -> TaskReport:
    """Return a report for rework with a reason. A returned completion no longer completes its occurrence:
    the occurrence is open again (and overdue if its date has passed)."""
    task = report.task
    if not can_review(acting_user, task):
        raise NotAllowed(_("Chỉ cán bộ cấp tỉnh xem xét báo cáo."))
    reason = checked_text(
        "reason",
        reason,
        max_chars=REASON_MAX_CHARS,
        blank=_("Nêu lý do trả lại để đơn vị biết cần bổ sung gì."),
        too_long=_("Lý do quá dài: tối đa %(max)s ký tự."),
    )
    occurrence = TaskOccurrence.objects.select_for_update().get(pk=report.occurrence_id)
    _claim_review(report, ReportStatus.RETURNED, acting_user, return_reason=reason)
    if occurrence.completion_report_id == report.pk:
        occurrence.completed_at = occurrence.completed_on = occurrence.completion_report = None
        fields = ["completed_at", "completed_on", "completion_report"]
        if task.is_closed and occurrence.cancelled_on is None:
            # Reopened on a task a follow-up document took back: nothing of it is due any more.
            occurrence.cancelled_on = timezone.localdate()
            fields.append("cancelled_on")
        occurrence.save(update_fields=fields)
    record_audit_event(
        actor=acting_user,
        action=AuditAction.UPDATE,
        target=report,
        unit_path=task.unit_path,
        details={"task_id": task.pk, "review": ReportStatus.RETURNED, "reopened": report.completes},
    )
    notify(
        lead_users([task]),
        kind=NotificationKind.DIRECTIVE_REPORT_RETURNED,
        params=task_params(task),
        url=task_url(task),
        target=task,
        unit_path=task.unit_path,
    )
    return report
