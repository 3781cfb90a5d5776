"""The history of a task after saving: each change (added, handed to another lead, re-dated, cancelled), why, on
which follow-up document, by whom and when, with what the task was before and after. Append-only: a change is
never edited or removed (services/changes.py writes them, with the audit row, in the same transaction)."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from directives.models.choices import TaskChangeKind


class TaskChange(models.Model):
    task = models.ForeignKey("directives.DirectiveTask", on_delete=models.CASCADE, related_name="changes")
    directive = models.ForeignKey("directives.Directive", on_delete=models.CASCADE, related_name="task_changes")
    # The directive's province path, copied (as on the task): the history is read with its task.
    unit_path = models.CharField(max_length=64, editable=False)
    kind = models.CharField(_("thay đổi"), max_length=12, choices=TaskChangeKind.choices)
    reason = models.TextField(_("lý do"))
    # The follow-up document that ordered the change, as the officer wrote it ("Công văn số 812/UBND-KGVX ngày
    # 04/3/2026"), with its number, symbol and date when the text gives them, and the directive in the system
    # that has that number and symbol, if any.
    order_text = models.CharField(_("văn bản chỉ đạo việc thay đổi"), max_length=500)
    order_number = models.CharField(max_length=16, blank=True)
    order_symbol = models.CharField(max_length=60, blank=True)
    order_issued_on = models.DateField(null=True, blank=True)
    order_directive = models.ForeignKey(
        "directives.Directive", null=True, blank=True, on_delete=models.SET_NULL, related_name="ordered_changes"
    )
    # What changed, in words and dates only (lead names, deadline rules, due dates; never personal data).
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    changed_by = models.ForeignKey(
        "childprotect.User", verbose_name=_("người thay đổi"), on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("thay đổi lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("thay đổi nhiệm vụ")
        verbose_name_plural = _("thay đổi nhiệm vụ")
        ordering = ["changed_at", "id"]
        indexes = [models.Index(fields=["task", "changed_at"], name="task_change_task_idx")]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.kind}"

    @staticmethod
    def _dates(values: list[str] | None) -> list[datetime.date | None]:
        return [datetime.date.fromisoformat(v) if v else None for v in values or []]

    @property
    def before_dues(self) -> list[datetime.date | None]:
        """The open due dates before the change (the first due dates of a re-dated task)."""
        return self._dates(self.before.get("due"))

    @property
    def after_dues(self) -> list[datetime.date | None]:
        return self._dates(self.after.get("due"))
