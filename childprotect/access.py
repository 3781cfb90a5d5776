"""The access rule of childprotect, in one place.

Every HTML view, API endpoint, export and report reaches protected records only through the functions here and
the `visible_to(user)` QuerySet methods built on them. Three promises:

1. **Default deny.** An anonymous or inactive user, or a user with no jurisdiction (no administrative unit) and
   no global role, sees nothing: `jurisdiction_path()` returns None and every `visible_to` returns `.none()`.
2. **Jurisdiction is a subtree.** A user whose unit is a province sees records of every commune in it; a
   commune user sees their commune. "Inside" is a prefix match on `AdministrativeUnit.path`, so the rule holds
   for any depth of the unit tree (legacy three tiers, current two).
3. **Missing and forbidden look the same.** `access_*` functions raise the same `Http404` for a record that
   does not exist and for one the user may not see, so ids cannot be probed.

Domain apps add their own reasons to see a record (for a case: an open referral to the user's agency) in their
`querysets.py`, composing with `in_jurisdiction_of`, and their own `access_*` fetchers in `access.py` that end
in `get_visible_or_404`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import Http404

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from typing_extensions import TypeIs

    from childprotect.models import AuditEvent, User


class _AllUnits(str):
    """Marker for global roles: sees every unit. A distinct object, so `is` tells it apart from a path."""


ALL_UNITS: Final = _AllUnits("")

_M = TypeVar("_M", bound=models.Model)


def not_found() -> Http404:
    """The one 404 for missing and forbidden alike (translated at raise time)."""
    from django.utils.translation import gettext

    return Http404(gettext("Không tìm thấy."))


def is_active_user(user: User | AnonymousUser | None) -> TypeIs[User]:
    """A signed-in account that is not deactivated: the first condition of every access rule."""
    return bool(user is not None and user.is_authenticated and user.is_active)


def jurisdiction_path(user: User | AnonymousUser) -> str | None:
    """The unit-path prefix the user may see, ALL_UNITS for admins, or None for nothing at all."""
    from childprotect.roles import Role

    if not is_active_user(user):
        return None
    if user.role == Role.ADMIN:
        return ALL_UNITS
    if user.unit is None:
        return None
    path: str = user.unit.path
    return path


def covers(user: User | AnonymousUser, unit_path: str) -> bool:
    """Whether a record of the unit at `unit_path` lies inside the user's jurisdiction: the one-record twin of
    JurisdictionQuerySet.in_jurisdiction_of (ALL_UNITS is the empty prefix, so it covers every path)."""
    path = jurisdiction_path(user)
    return path is not None and unit_path.startswith(path)


def get_visible_or_404(visible: models.QuerySet[_M], **lookup: Any) -> _M:
    """Fetch one record from an already access-scoped QuerySet; 404 whether missing or not visible."""
    try:
        return visible.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise not_found() from None


def access_user(viewer: User, user_id: int | str) -> User:
    """A user account the viewer may see (see UserQuerySet.visible_to)."""
    from childprotect.models import User as UserModel

    user: User = get_visible_or_404(UserModel.objects.visible_to(viewer), pk=user_id)
    return user


def access_audit_event(viewer: User, event_id: int | str) -> AuditEvent:
    from childprotect.models import AuditEvent as AuditEventModel

    return get_visible_or_404(AuditEventModel.objects.visible_to(viewer), pk=event_id)


def can_browse_audit_log(user: User | AnonymousUser) -> bool:
    from childprotect.roles import Role

    return bool(is_active_user(user) and user.role in {Role.PROVINCE_OFFICER, Role.ADMIN})


def can_manage_users(user: User | AnonymousUser) -> bool:
    from childprotect.roles import Role

    return bool(is_active_user(user) and user.role == Role.ADMIN)
