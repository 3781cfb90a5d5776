"""Tasks (one assignment to one lead), their occurrences (one per due date) and the leads' progress reports."""

from __future__ import annotations

import uuid

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from directives.models.choices import DeadlineKind, Frequency, ReportStatus
from directives.querysets import DirectiveTaskQuerySet, TaskOccurrenceQuerySet, TaskReportQuerySet


class DirectiveTask(models.Model):
    directive = models.ForeignKey("directives.Directive", on_delete=models.CASCADE, related_name="tasks")
    # The directive's province path, copied: visible_to() and the board filter without a join.
    unit_path = models.CharField(max_length=64, editable=False)
    # Order of the assignment in the directive, and its number as written ("3", "V.2"; "" if unnumbered).
    position = models.PositiveSmallIntegerField(default=0)
    item_label = models.CharField(_("mục"), max_length=16, blank=True)
    text = models.TextField(_("nội dung nhiệm vụ"))
    # The lead: an agency of the directory, or a commune (its People's Committee). Exactly one.
    lead_agency = models.ForeignKey(
        "childprotect.Agency",
        verbose_name=_("cơ quan chủ trì"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    lead_commune = models.ForeignKey(
        "childprotect.AdministrativeUnit",
        verbose_name=_("xã, phường chủ trì"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The lead as the directive names it ("UBND các huyện, thành phố"), kept for the reader.
    lead_as_written = models.CharField(_("chủ trì (theo văn bản)"), max_length=300, blank=True)
    coordinating = models.ManyToManyField(
        "childprotect.Agency", verbose_name=_("cơ quan phối hợp"), blank=True, related_name="+"
    )
    # Coordinating bodies named in the text that are no single agency of the directory ("các sở, ngành liên quan").
    coordinating_as_written = ArrayField(
        models.CharField(max_length=300), verbose_name=_("phối hợp (theo văn bản)"), default=list, blank=True
    )
    report_to = models.ForeignKey(
        "childprotect.Agency",
        verbose_name=_("báo cáo về"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The deadline rule (recurrence.py): a date; a recurrence on a day (and month); continuous; or none.
    deadline_kind = models.CharField(
        _("loại thời hạn"), max_length=12, choices=DeadlineKind.choices, default=DeadlineKind.NONE
    )
    deadline_date = models.DateField(_("hạn"), null=True, blank=True)
    frequency = models.CharField(_("chu kỳ"), max_length=12, choices=Frequency.choices, blank=True)
    deadline_day = models.PositiveSmallIntegerField(_("ngày hạn"), null=True, blank=True)
    deadline_month = models.PositiveSmallIntegerField(_("tháng mốc"), null=True, blank=True)
    # Recurring tasks: occurrences fall due from recurs_from (the directive's date) until recurs_until, if set.
    recurs_from = models.DateField(_("định kỳ từ ngày"), null=True, blank=True)
    recurs_until = models.DateField(_("định kỳ đến ngày"), null=True, blank=True)
    # Recurring tasks: occurrences exist up to this date (extended by the daily job).
    occurrences_until = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Changes after saving (services/changes.py): set when a follow-up document cancelled the task, or handed it
    # to another lead (`replaced_by`: that lead's task, which took its open due dates). Nothing of a cancelled or
    # handed-over task is due any more; what was done stays done.
    cancelled_at = models.DateTimeField(_("hủy lúc"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("giao lại thành nhiệm vụ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
    )
    # Optimistic locking of changes after saving: a change based on a stale version is refused (409).
    version = models.PositiveIntegerField(default=1)

    objects = DirectiveTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["directive_id", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lead_agency__isnull=False, lead_commune__isnull=True)
                | models.Q(lead_agency__isnull=True, lead_commune__isnull=False),
                name="directive_task_one_lead",
            ),
            models.CheckConstraint(
                condition=~models.Q(deadline_kind="date") | models.Q(deadline_date__isnull=False),
                name="directive_task_date_has_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(deadline_kind="recurring")
                | (
                    ~models.Q(frequency="")
                    & models.Q(deadline_day__gte=1, deadline_day__lte=31)
                    & (models.Q(frequency="monthly") | models.Q(deadline_month__gte=1, deadline_month__lte=12))
                ),
                name="directive_task_recurrence_complete",
            ),
        ]
        indexes = [
            # "My agency's tasks" and the board's drill-down.
            models.Index(fields=["lead_agency", "directive"], name="task_lead_agency_idx"),
            models.Index(fields=["lead_commune", "directive"], name="task_lead_commune_idx"),
            # A province's tasks (visible_to of province officers).
            models.Index(fields=["unit_path"], name="task_unit_path_idx", opclasses=["varchar_pattern_ops"]),
            # The daily job that extends recurring tasks.
            models.Index(
                fields=["occurrences_until"],
                name="task_recurring_until_idx",
                condition=models.Q(deadline_kind="recurring"),
            ),
        ]

    def __str__(self) -> str:
        label = self.item_label or str(self.position)
        return f"{self.directive_id}/{label}"

    @property
    def is_closed(self) -> bool:
        """Cancelled or handed to another lead: no change, no report any more."""
        return self.cancelled_at is not None

    @property
    def lead_name(self) -> str:
        """The lead's name as the directory has it (agency name, or the commune's full name)."""
        if self.lead_agency_id is not None and self.lead_agency is not None:
            return self.lead_agency.name
        if self.lead_commune is not None:
            return self.lead_commune.full_name
        return self.lead_as_written


class TaskOccurrence(models.Model):
    """One due date of a task: the only one of a dated task, each period of a recurring one, and one with no
    due date for continuous and undated tasks. Holds the facts status.py computes the status from."""

    task = models.ForeignKey(DirectiveTask, on_delete=models.CASCADE, related_name="occurrences")
    due_on = models.DateField(_("hạn"), null=True, blank=True)
    # When the first report on this occurrence came in (any report: work has started).
    first_report_at = models.DateTimeField(null=True, blank=True)
    # When the completion report was submitted, and that day in Vietnam (compared with due_on in SQL).
    # Cleared again if the officer returns that report.
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    completion_report = models.ForeignKey(
        "directives.TaskReport", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Reminder sweep: the smallest "days before" threshold already reminded (None: none yet).
    reminded_days = models.PositiveSmallIntegerField(null=True, blank=True)
    # Overdue sweep: escalated once.
    escalated_at = models.DateTimeField(null=True, blank=True)
    # A follow-up document moved this due date: the date it had before its first move (None: never moved).
    original_due_on = models.DateField(_("hạn ban đầu"), null=True, blank=True)
    # The day this due date stopped counting (its task cancelled or handed over, or a re-dating dropped it):
    # never overdue, reminded or counted from then on. Only open due dates are ever cancelled.
    cancelled_on = models.DateField(_("hủy ngày"), null=True, blank=True)

    objects = TaskOccurrenceQuerySet.as_manager()

    class Meta:
        ordering = ["task_id", models.F("due_on").asc(nulls_last=True), "id"]
        constraints = [
            # Among the due dates that count: a cancelled one may share its date with the one that replaced it.
            models.UniqueConstraint(
                fields=["task", "due_on"],
                condition=models.Q(due_on__isnull=False, cancelled_on__isnull=True),
                name="occurrence_one_per_due_date",
            ),
            models.UniqueConstraint(
                fields=["task"],
                condition=models.Q(due_on__isnull=True, cancelled_on__isnull=True),
                name="occurrence_one_undated_per_task",
            ),
        ]
        indexes = [
            # The reminder and overdue sweeps, and "overdue" on the board: open occurrences by due date.
            models.Index(
                fields=["due_on"],
                name="occurrence_open_due_idx",
                condition=models.Q(completed_on__isnull=True, cancelled_on__isnull=True),
            ),
            # The board and the dashboard over a period.
            models.Index(fields=["due_on", "task"], name="occurrence_due_task_idx"),
        ]


def report_file_path(instance: TaskReport, filename: str) -> str:
    return f"directives/reports/{instance.task_id}/{uuid.uuid4().hex}"


class TaskReport(models.Model):
    """A progress report of the lead on one occurrence; the province officer accepts it or returns it."""

    task = models.ForeignKey(DirectiveTask, on_delete=models.CASCADE, related_name="reports")
    occurrence = models.ForeignKey(TaskOccurrence, on_delete=models.CASCADE, related_name="reports")
    author = models.ForeignKey(
        "childprotect.User", verbose_name=_("người báo cáo"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("nội dung báo cáo"))
    completes = models.BooleanField(_("báo cáo hoàn thành"), default=False)
    attachment = models.FileField(_("tệp đính kèm"), upload_to=report_file_path, max_length=200, blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    attachment_size = models.PositiveIntegerField(null=True, blank=True)
    submitted_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True)
    status = models.CharField(
        _("tình trạng"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED
    )
    reviewed_by = models.ForeignKey(
        "childprotect.User",
        verbose_name=_("người xem xét"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("xem xét lúc"), null=True, blank=True)
    return_reason = models.TextField(_("lý do trả lại"), blank=True)

    objects = TaskReportQuerySet.as_manager()

    class Meta:
        ordering = ["submitted_at", "id"]
        indexes = [
            models.Index(fields=["task", "submitted_at"], name="report_task_idx"),
            # The officers' queue of reports waiting for review.
            models.Index(fields=["submitted_at"], name="report_pending_idx", condition=models.Q(status="submitted")),
        ]
