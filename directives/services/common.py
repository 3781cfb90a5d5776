"""What the directive services share: who answers for a task, who reviews it, and the wording of notification
texts (document reference and item only: no personal data, ever). Refusals use childprotect/errors.py."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from childprotect.models import User
from childprotect.roles import COMMUNE_ROLES, Role
from directives.models import Directive, DirectiveTask


def lead_users(tasks: Iterable[DirectiveTask]) -> list[User]:
    """The people who answer for the tasks: focal points of each lead agency, officers and chairs of each lead
    commune. One query for any number of tasks."""
    agency_ids = {t.lead_agency_id for t in tasks if t.lead_agency_id is not None}
    commune_ids = {t.lead_commune_id for t in tasks if t.lead_commune_id is not None}
    if not agency_ids and not commune_ids:
        return []
    who = Q(pk__in=[])
    if agency_ids:
        who |= Q(role=Role.AGENCY_FOCAL_POINT, agency_id__in=agency_ids)
    if commune_ids:
        who |= Q(role__in=COMMUNE_ROLES, unit_id__in=commune_ids)
    return list(User.objects.filter(who, is_active=True).order_by("pk"))


def province_officers(directive: Directive) -> list[User]:
    """The officers of the directive's province: they review reports and receive escalations."""
    return list(
        User.objects.filter(role=Role.PROVINCE_OFFICER, unit_id=directive.province_id, is_active=True).order_by("pk")
    )


def task_ref(task: DirectiveTask) -> str:
    """ "5310/UBND-KGVX, mục 3" — how notifications name a task (no free text of the task)."""
    from django.utils.translation import gettext as _

    reference = task.directive.reference
    if task.item_label:
        return _("văn bản %(ref)s, mục %(item)s") % {"ref": reference, "item": task.item_label}
    return _("văn bản %(ref)s") % {"ref": reference}


def task_url(task: DirectiveTask) -> str:
    return f"/directives/tasks/{task.pk}/"
