"""Who sees which case (architecture.md, "Access"): one rule, used by every page, endpoint, export and report.

- Commune officers and chairs see the cases of their commune, province officers those of every commune of
  their province (jurisdiction prefix on `Case.unit_path`, see childprotect/access.py).
- A hotline operator sees the cases they created until the case is handed to the commune.
- An agency focal point sees only cases referred to their agency (the referral module adds that reason).
- Admins see every case; a user with no jurisdiction sees none.
- Drafts (half-filled intakes) are visible to their author only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

from cases.models.choices import CaseStatus
from childprotect.models.units import UnitKind
from childprotect.querysets import JurisdictionQuerySet
from childprotect.roles import CASE_WORKING_ROLES, Role

if TYPE_CHECKING:
    from cases.models import Case  # noqa: F401 (named as a string in the base class below)
    from childprotect.models import User


class CaseQuerySet(JurisdictionQuerySet["Case"]):
    unit_path_lookup = "unit_path"

    def visible_to(self, user: User) -> CaseQuerySet:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        drafts_of_others = models.Q(status=CaseStatus.DRAFT) & ~models.Q(created_by=user)
        if user.role == Role.ADMIN:
            return self.exclude(drafts_of_others)
        if user.role in CASE_WORKING_ROLES:
            scoped: CaseQuerySet = self.in_jurisdiction_of(user)  # type: ignore[assignment] # same class
            # The same rule said as an equality too, when the unit is a commune or a province: then PostgreSQL
            # can walk the (commune|province, received_at) indexes in list order instead of sorting every case
            # of the jurisdiction (the prefix match alone is a range it cannot combine with that order).
            if user.unit is not None and user.unit.kind == UnitKind.PROVINCE:
                scoped = scoped.filter(province_id=user.unit_id)
            elif user.unit is not None and user.unit.kind == UnitKind.COMMUNE:
                scoped = scoped.filter(commune_id=user.unit_id)
            return scoped.exclude(drafts_of_others)
        if user.role == Role.HOTLINE_OPERATOR:
            return self.filter(created_by=user, handed_to_commune_at__isnull=True)
        return self.none()

    def open(self) -> CaseQuerySet:
        from cases.models.choices import OPEN_STATUSES

        return self.filter(status__in=OPEN_STATUSES)
