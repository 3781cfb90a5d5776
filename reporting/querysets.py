"""Reads of the report archive: who sees which report run.

A run belongs to one unit (a province or a commune). Case-working roles see the runs of their jurisdiction
(a province officer: the province's and its communes'; a commune officer or chair: their commune's), admins
see all; everyone else none. Same prefix rule as every other record (childprotect/querysets.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from childprotect.querysets import JurisdictionQuerySet
from childprotect.roles import CASE_WORKING_ROLES, Role

if TYPE_CHECKING:
    from childprotect.models import User
    from reporting.models import ReportRun  # noqa: F401 (named as a string in the base class below)


class ReportRunQuerySet(JurisdictionQuerySet["ReportRun"]):
    unit_path_lookup = "unit_path"

    def visible_to(self, user: User) -> ReportRunQuerySet:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.role not in CASE_WORKING_ROLES and user.role != Role.ADMIN:
            return self.none()
        scoped: ReportRunQuerySet = self.in_jurisdiction_of(user)  # type: ignore[assignment] # same class
        return scoped

    def unfinished(self) -> ReportRunQuerySet:
        return self.filter(status__in=["pending", "running"])
