"""Login, logout and failed logins go to the audit log (axes keeps its own lockout records besides); a password
change revokes the user's API tokens."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from childprotect.api_tokens import revoke_all_api_tokens
from childprotect.models import User
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


@receiver(post_save, sender=User)
def revoke_api_tokens_on_password_change(sender: Any, instance: User, created: bool, **kwargs: Any) -> None:
    # set_password() keeps the new raw password in _password until the save that stores it (AbstractBaseUser.save
    # clears it after this signal): a new password ends every API token issued under the old one, as Django's
    # session hash ends the other browser sessions.
    if not created and getattr(instance, "_password", None) is not None:
        revoke_all_api_tokens(instance, reason="password_changed")
