"""Reads that every app shares: the jurisdiction filter and the visible_to() of core records.

Every domain QuerySet that holds jurisdiction-bound records builds its `visible_to(user)` on
`in_jurisdiction_of(user)`, so the rule "the record's unit lies inside the user's unit" is written once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, NoReturn, TypeVar

from django.db import models

from childprotect.access import ALL_UNITS, jurisdiction_path
from childprotect.roles import AUDIT_READER_ROLES, CASE_WORKING_ROLES

if TYPE_CHECKING:
    from childprotect.models import AuditEvent, User

_M = TypeVar("_M", bound=models.Model)


class JurisdictionQuerySet(models.QuerySet[_M]):
    """A QuerySet of records that belong to an administrative unit.

    Subclasses name the lookup that leads from the record to that unit's `path` (for a case:
    "commune__path"). `in_jurisdiction_of` fails closed: no jurisdiction, no rows.
    """

    unit_path_lookup: ClassVar[str]

    def in_jurisdiction_of(self, user: User) -> JurisdictionQuerySet[_M]:
        path = jurisdiction_path(user)
        if path is None:
            return self.none()
        if path is ALL_UNITS:
            return self
        return self.filter(**{f"{self.unit_path_lookup}__startswith": path})


class UserQuerySet(models.QuerySet["User"]):
    def visible_to(self, viewer: User) -> UserQuerySet:
        """Admins see every account; case-working roles see the accounts of their jurisdiction (their own
        and those of agencies located there); everyone else sees only themselves."""
        path = jurisdiction_path(viewer)
        if path is None:
            return self.none()
        if path is ALL_UNITS:
            return self
        if viewer.role not in CASE_WORKING_ROLES:
            return self.filter(pk=viewer.pk)
        return self.filter(models.Q(unit__path__startswith=path) | models.Q(agency__unit__path__startswith=path))


class AuditLogIsAppendOnly(Exception):
    pass


class AuditEventQuerySet(JurisdictionQuerySet["AuditEvent"]):
    """Reads of the audit log; bulk writes other than insert are refused (see models/audit.py)."""

    unit_path_lookup = "unit_path"

    def visible_to(self, viewer: User) -> JurisdictionQuerySet[AuditEvent]:
        """Only province officers (records of their province) and admins (everything) browse the audit log."""
        if viewer.is_authenticated and viewer.role in AUDIT_READER_ROLES:
            return self.in_jurisdiction_of(viewer)
        return self.none()

    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditLogIsAppendOnly("Audit events cannot be changed.")

    def delete(self) -> NoReturn:
        raise AuditLogIsAppendOnly("Audit events cannot be deleted.")
