"""Writes of the directives app: each `do_*` checks who may act, is atomic, appends an audit row and notifies.

- create.py: `do_create_directive` (a reviewed proposal → directive, tasks per lead, occurrences)
- edit.py: `do_update_directive` (correct the header, add the signed file; optimistic locking)
- changes.py: `do_add_task`, `do_reassign_task`, `do_redate_task`, `do_cancel_task` (changes after saving, each
  ordered by a follow-up document, kept in the task's history; optimistic locking)
- reports.py: `do_report_task`, `do_accept_report`, `do_return_report`
- occurrences.py: due dates as rows, and the daily extension of recurring ones
- reminders.py: reminders before due dates and the overdue escalation (Celery beat)
"""

from directives.services.changes import (
    ChangeOrder,
    do_add_task,
    do_cancel_task,
    do_reassign_task,
    do_redate_task,
)
from directives.services.create import (
    DirectiveInput,
    LeadChoice,
    ReferenceInput,
    TaskInput,
    do_create_directive,
)
from directives.services.edit import do_update_directive
from directives.services.reports import do_accept_report, do_report_task, do_return_report

__all__ = [
    "ChangeOrder", "DirectiveInput", "LeadChoice", "ReferenceInput", "TaskInput", "do_accept_report", "do_add_task",
    "do_cancel_task", "do_create_directive", "do_reassign_task", "do_redate_task", "do_report_task",
    "do_return_report", "do_update_directive",
]  # fmt: skip
