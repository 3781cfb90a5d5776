"""What the directive services share: who answers for a task, who reviews it, and the wording of notification
texts (document reference and item only: no personal data, ever). Refusals use childprotect/errors.py."""

from __future__ import annotations

from collections.abc import Iterable

from childprotect.models import User
from directives.models import Directive, DirectiveTask


def lead_users(tasks: Iterable[DirectiveTask]) -> list[User]:
    """The people who answer for the tasks: focal points of each lead agency, officers and chairs of each lead
    commune. One query for any number of tasks."""
    agency_ids = {t.lead_agency_id for t in tasks if t.lead_agency_id is not None}
    commune_ids = {t.lead_commune_id for t in tasks if t.lead_commune_id is not None}
    if not agency_ids and not commune_ids:
        return []
    return list(User.objects.answering_for(agency_ids=agency_ids, commune_ids=commune_ids))


def province_officers(directive: Directive) -> list[User]:
    """The officers of the directive's province: they review reports and receive escalations."""
    return list(User.objects.province_officers_of(directive.province_id))


def task_params(task: DirectiveTask) -> dict[str, str]:
    """How notifications name a task: its document's number/symbol and its item label (no free text of the
    task); childprotect/notification_kinds.py writes them as "văn bản 5310/UBND-KGVX, mục 3"."""
    return {"reference": task.directive.reference, "item": task.item_label}


def task_url(task: DirectiveTask) -> str:
    return f"/directives/tasks/{task.pk}/"
