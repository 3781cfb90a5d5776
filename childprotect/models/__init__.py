"""The shared core every domain app stands on: units, agencies, users, the audit log."""

from childprotect.models.agencies import Agency, Sector
from childprotect.models.audit import AuditEvent
from childprotect.models.notifications import Notification, NotificationPreference
from childprotect.models.units import AdministrativeUnit, CodeScheme, UnitCategory, UnitKind
from childprotect.models.users import User
from childprotect.roles import Role

__all__ = [
    "AdministrativeUnit",
    "Agency",
    "AuditEvent",
    "CodeScheme",
    "Notification",
    "NotificationPreference",
    "Role",
    "Sector",
    "UnitCategory",
    "UnitKind",
    "User",
]
