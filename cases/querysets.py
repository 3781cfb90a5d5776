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
from childprotect.access import jurisdiction_path
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
            return self._in_unit_of(user).exclude(drafts_of_others)
        if user.role == Role.HOTLINE_OPERATOR:
            return self.filter(created_by=user, handed_to_commune_at__isnull=True)
        return self.none()

    def _in_unit_of(self, user: User) -> CaseQuerySet:
        """The jurisdiction rule. For a province or a commune it is said as the equality it is equivalent to
        (`Case.province`/`Case.commune` are set together with `unit_path` by the services): PostgreSQL then walks
        the (province|commune, received_at) index in list order, and estimates the row count right. Stated as
        both the prefix and the equality, the planner multiplied the two selectivities, expected twenty times
        too few rows and chose to sort every matching case of the province before taking a page."""
        unit = user.unit
        if jurisdiction_path(user) is not None and unit is not None:
            if unit.kind == UnitKind.PROVINCE:
                return self.filter(province_id=unit.pk)
            if unit.kind == UnitKind.COMMUNE:
                return self.filter(commune_id=unit.pk)
        return self.in_jurisdiction_of(user)  # type: ignore[return-value] # same class

    def open(self) -> CaseQuerySet:
        from cases.models.choices import OPEN_STATUSES

        return self.filter(status__in=OPEN_STATUSES)
