"""Directives, their tasks per lead, the tasks' occurrences (one per due date) and progress reports."""

from directives.models.change import TaskChange
from directives.models.choices import DeadlineKind, DocType, Frequency, ReportStatus, TaskChangeKind, TaskStatus
from directives.models.directive import Directive, DirectiveReference
from directives.models.task import DirectiveTask, TaskOccurrence, TaskReport

__all__ = [
    "DeadlineKind",
    "Directive",
    "DirectiveReference",
    "DirectiveTask",
    "DocType",
    "Frequency",
    "ReportStatus",
    "TaskChange",
    "TaskChangeKind",
    "TaskOccurrence",
    "TaskReport",
    "TaskStatus",
]  # fmt: skip
