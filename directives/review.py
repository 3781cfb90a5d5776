"""What the review page tells the officer before saving, from the form as it stands: what is still missing, whether
to ask from when recurring deadlines count, and the first due dates of each recurring task.

Pure functions of the forms' current values (bound or initial): the page computes them when it is shown and
again on every change (POST directives/new/check/, HTMX), so a warning goes as soon as its field is filled in
("Chưa có họ tên người ký" disappears once the signer is typed) and the due dates follow every edit. Values that
do not parse count as missing; nothing here raises or saves.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.translation import gettext as _

from directives.models import DeadlineKind, DocType, Frequency
from directives.recurrence import DeadlineRule, due_dates
from directives.services.create import is_late_import, recurrence_start_for

PREVIEW_COUNT = 3
_PREVIEW_YEARS = 3  # how far ahead to look for the first due dates


@dataclass
class TaskCheck:
    index: int  # the form's index in the formset (its ids: task-<index>-…)
    label: str
    recurring: bool = False
    first_due: list[datetime.date] = field(default_factory=list)
    start: datetime.date | None = None


@dataclass
class ReviewState:
    warnings: list[str]
    missing: set[str]  # fields marked next to themselves: number, issued_on, signer_name, subject
    ask_recurrence_start: bool  # a directive of an earlier year with recurring tasks
    issued_on: datetime.date | None
    recurrence_start: datetime.date
    tasks: list[TaskCheck]


def _value(bound: forms.BoundField) -> Any:
    """The field's current value, cleaned; None when it is empty or does not parse."""
    try:
        value = bound.field.clean(bound.value())
    except forms.ValidationError:
        return None
    return value if value not in ("", [], None) else None


def _task_rule(form: forms.Form) -> DeadlineRule:
    frequency = _value(form["frequency"]) or ""
    return DeadlineRule(
        kind=_value(form["deadline_kind"]) or DeadlineKind.NONE,
        date=_value(form["deadline_date"]),
        frequency=frequency,
        day=_value(form["deadline_day"]),
        month=_value(form["deadline_month"]) if frequency != Frequency.MONTHLY else None,
    )


def first_due_dates(
    rule: DeadlineRule, start: datetime.date, until: datetime.date | None = None
) -> list[datetime.date]:
    """The first PREVIEW_COUNT due dates of a recurring rule from `start` (up to `until`, if set)."""
    end = datetime.date(start.year + _PREVIEW_YEARS, 12, 31)
    return due_dates(rule, start, min(end, until) if until else end)[:PREVIEW_COUNT]


def _kept(tasks: Any) -> list[tuple[int, forms.Form]]:
    """(index, form) of the task forms the officer keeps: not marked to drop, not a blank extra row."""
    kept = []
    for index, form in enumerate(tasks.forms):
        if _value(form["DELETE"]) if "DELETE" in form.fields else False:
            continue
        if index >= tasks.initial_form_count() and not (_value(form["text"]) or _value(form["leads"])):
            continue
        kept.append((index, form))
    return kept


def review_state(form: forms.Form, tasks: Any, today: datetime.date) -> ReviewState:
    """Warnings, the recurrence question and due-date previews for the review page as it stands."""
    issued_on = _value(form["issued_on"])
    chosen = _value(form["recurrence_start"]) if "recurrence_start" in form.fields else None
    late = is_late_import(issued_on, today)
    start = recurrence_start_for(issued_on, chosen if late else None, today)

    warnings: list[str] = []
    missing: set[str] = set()
    doc_type = _value(form["doc_type"])
    if not doc_type:
        warnings.append(_("Chưa chọn loại văn bản."))
    for name, message in (
        ("number", _("Chưa có số văn bản (văn bản dự thảo?).")),
        ("symbol", _("Chưa có ký hiệu văn bản.")),
        ("issuer", _("Chưa có cơ quan ban hành.")),
        ("issued_on", _("Chưa có ngày ban hành (văn bản dự thảo?).")),
        ("subject", _("Chưa có trích yếu.")),
        ("signer_name", _("Chưa có họ tên người ký.")),
    ):
        if not _value(form[name]):
            warnings.append(message)
            missing.add(name)
    if not _value(form["recipients"]) and doc_type in (None, DocType.CONG_VAN):
        warnings.append(_("Chưa có nơi nhận (Kính gửi)."))
    if not _value(form["signer_title"]) and not _value(form["signer_authority"]):
        warnings.append(_("Chưa có chức vụ, thẩm quyền người ký (TM./KT./Q./TL./TUQ.)."))
    if not _value(form["references"]):
        warnings.append(_("Chưa có văn bản được thực hiện, căn cứ (Thực hiện/Căn cứ …)."))

    checks: list[TaskCheck] = []
    kept = _kept(tasks)
    if not kept:
        warnings.append(_("Chưa có nhiệm vụ nào."))
    for position, (index, task_form) in enumerate(kept, start=1):
        label = _value(task_form["label"]) or str(position)
        check = TaskCheck(index=index, label=label)
        if not _value(task_form["leads"]):
            warnings.append(_("Nhiệm vụ mục %(label)s: chưa chọn cơ quan, xã chủ trì.") % {"label": label})
        rule = _task_rule(task_form)
        if rule.kind == DeadlineKind.RECURRING:
            check.recurring = True
            if rule.errors():
                warnings.append(
                    _("Nhiệm vụ mục %(label)s: định kỳ chưa đủ chu kỳ, ngày hoặc tháng hạn.") % {"label": label}
                )
            else:
                check.start = _value(task_form["recurs_from"]) or start
                check.first_due = first_due_dates(rule, check.start, _value(task_form["recurs_until"]))
        checks.append(check)
    return ReviewState(
        warnings=warnings,
        missing=missing,
        ask_recurrence_start=late and any(c.recurring for c in checks),
        issued_on=issued_on,
        recurrence_start=start,
        tasks=checks,
    )
