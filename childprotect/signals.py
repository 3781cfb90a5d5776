"""Login, logout and failed logins go to the audit log (axes keeps its own lockout records besides)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from childprotect.models.audit import AuditAction
from childprotect.services import record_audit_event, user_unit_path


@receiver(user_logged_in)
def audit_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record_audit_event(actor=user, action=AuditAction.LOGIN, unit_path=user_unit_path(user))


@receiver(user_logged_out)
def audit_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record_audit_event(actor=user, action=AuditAction.LOGOUT, unit_path=user_unit_path(user))


@receiver(user_login_failed)
def audit_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    # The username typed is kept (it may not exist); the password never is.
    record_audit_event(actor=None, action=AuditAction.LOGIN_FAILED, actor_username=str(credentials.get("username", "")))
