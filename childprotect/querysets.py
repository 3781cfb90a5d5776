"""Reads that every app shares: the jurisdiction filter, the visible_to() of core records, the commune look-ups
of every form and search box.

Every domain QuerySet that holds jurisdiction-bound records builds its `visible_to(user)` on
`in_jurisdiction_of(user)`, so the rule "the record's unit lies inside the user's unit" is written once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar, NoReturn, TypeVar

from django.db import models

from childprotect.access import ALL_UNITS, is_active_user, jurisdiction_path
from childprotect.roles import AUDIT_READER_ROLES, CASE_WORKING_ROLES, COMMUNE_ROLES

if TYPE_CHECKING:
    from childprotect.models import AdministrativeUnit, AuditEvent, User

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
    """Accounts. `visible_to` is what a user may see of them; the other methods are the system's own reads of
    whom to tell about a record (notifications, reminders): active accounts only, never shown as a list."""

    def with_role(self, *roles: str) -> UserQuerySet:
        return self.filter(is_active=True, role__in=roles).order_by("username", "pk")

    def province_officers_of(self, province_id: int | None) -> UserQuerySet:
        from childprotect.roles import Role

        return self.with_role(Role.PROVINCE_OFFICER).filter(unit_id=province_id)

    def commune_chairs_of(self, commune_id: int | None) -> UserQuerySet:
        from childprotect.roles import Role

        return self.with_role(Role.COMMUNE_CHAIR).filter(unit_id=commune_id)

    def commune_officers_of(self, commune_id: int | None) -> UserQuerySet:
        """The child-protection officers of a commune: whom a case can be assigned to, and who hears of a case
        waiting in the commune's queue."""
        from childprotect.roles import Role

        return self.with_role(Role.COMMUNE_OFFICER).filter(unit_id=commune_id)

    def commune_workers_of(self, commune_id: int | None) -> UserQuerySet:
        """The officers and the chair of a commune."""
        return self.with_role(*COMMUNE_ROLES).filter(unit_id=commune_id)

    def focal_points_of(self, agency_ids: Iterable[int]) -> UserQuerySet:
        from childprotect.roles import Role

        return self.with_role(Role.AGENCY_FOCAL_POINT).filter(agency_id__in=list(agency_ids))

    def answering_for(self, *, agency_ids: Iterable[int], commune_ids: Iterable[int]) -> UserQuerySet:
        """Those who answer for what was given to agencies and communes: the focal points of those agencies and
        the officers and chairs of those communes (one query)."""
        from childprotect.roles import Role

        who = models.Q(pk__in=[])
        if agencies := list(agency_ids):
            who |= models.Q(role=Role.AGENCY_FOCAL_POINT, agency_id__in=agencies)
        if communes := list(commune_ids):
            who |= models.Q(role__in=COMMUNE_ROLES, unit_id__in=communes)
        return self.filter(who, is_active=True).order_by("username", "pk")

    def username_taken(self, username: str) -> bool:
        return self.filter(username__iexact=username).exists()

    def visible_to(self, viewer: User) -> UserQuerySet:
        """Admins see every account; case-working roles see the accounts of their jurisdiction (their own
        and those of agencies located there); everyone else — the hotline operator and an account not yet given
        a unit included — sees only themselves (their own account page); an inactive account sees none."""
        path = jurisdiction_path(viewer)
        if path is None:
            return self.filter(pk=viewer.pk) if is_active_user(viewer) else self.none()
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
        if is_active_user(viewer) and viewer.role in AUDIT_READER_ROLES:
            return self.in_jurisdiction_of(viewer)
        return self.none()

    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditLogIsAppendOnly("Audit events cannot be changed.")

    def delete(self) -> NoReturn:
        raise AuditLogIsAppendOnly("Audit events cannot be deleted.")


# --- Communes by code or name ------------------------------------------------------------------------------------

_COMMUNE_CODE = re.compile(r"^\s*(\d{5})\b")


def commune_label(unit: AdministrativeUnit) -> str:
    """What a commune search shows and submits: "05713 – Phường Phan Đình Phùng (Thái Nguyên)"."""
    province = unit.parent.name if unit.parent_id and unit.parent else ""
    return f"{unit.code} – {unit.full_name}" + (f" ({province})" if province else "")


def search_communes(text: str, *, limit: int = 15) -> list[AdministrativeUnit]:
    """Current communes of the whole country whose code starts with, or whose name contains (without regard to
    diacritics), what was typed: the commune search boxes (administrative units are public data)."""
    from childprotect.models import AdministrativeUnit
    from childprotect.models.units import UnitKind

    text = " ".join(text.split())
    if not text:
        return []
    units = AdministrativeUnit.objects.current().filter(kind=UnitKind.COMMUNE).select_related("parent")
    match = _COMMUNE_CODE.match(text) or (re.fullmatch(r"\d{1,5}", text) and re.match(r"(\d+)", text))
    if match:
        units = units.filter(code__startswith=match.group(1))
    else:
        units = units.filter(models.Q(name__unaccent__icontains=text) | models.Q(full_name__unaccent__icontains=text))
    return list(units.order_by("name", "code")[:limit])


def find_commune(text: str) -> AdministrativeUnit | None:
    """A current commune from a code, "code – name" as the search offers it, or an unambiguous name."""
    from childprotect.models import AdministrativeUnit
    from childprotect.models.units import UnitKind

    text = " ".join((text or "").split())
    if not text:
        return None
    units = AdministrativeUnit.objects.current().filter(kind=UnitKind.COMMUNE).select_related("parent")
    match = _COMMUNE_CODE.match(text)
    if match:
        return units.filter(code=match.group(1)).first()
    named = list(units.filter(models.Q(full_name__unaccent__iexact=text) | models.Q(name__unaccent__iexact=text))[:2])
    return named[0] if len(named) == 1 else None
