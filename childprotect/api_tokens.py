"""API tokens (django-rest-knox): issued by POST /api/v1/auth/token/, stored hashed, valid for
REST_KNOX["TOKEN_TTL"], listed and revoked by their owner (page /account/tokens/ and /api/v1/auth/tokens/),
and all revoked when the owner's password changes (childprotect/signals.py: whatever changed it, the change page,
the admin or set_password).

A token is named by its `token_key`, the first characters knox keeps in clear to find it; the rest of the secret
exists only in the caller's hands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from knox.models import AuthToken

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

from childprotect.access import is_active_user, not_found
from childprotect.models import User
from childprotect.models.audit import AuditAction
from childprotect.services import record_audit_event, user_unit_path


def api_tokens_of(user: User | AnonymousUser) -> QuerySet[AuthToken]:
    """The user's own tokens that still work, newest first. Nobody sees anyone else's."""
    tokens: QuerySet[AuthToken] = AuthToken.objects.all()
    if not is_active_user(user):
        return tokens.none()
    return tokens.filter(user=user, expiry__gt=timezone.now()).order_by("-created")


@transaction.atomic
def do_issue_api_token(*, acting_user: User) -> tuple[AuthToken, str]:
    """A new token for the user; beyond API_TOKENS_PER_USER the oldest ones are retired (an integration that asks
    for a token on every run must not pile them up). Returns the row and the secret, shown this once only."""
    AuthToken.objects.filter(user=acting_user, expiry__lte=timezone.now()).delete()
    instance, secret = AuthToken.objects.create(user=acting_user)
    keep = max(int(settings.API_TOKENS_PER_USER), 1)
    retired = list(AuthToken.objects.filter(user=acting_user).order_by("-created").values_list("digest", flat=True))[
        keep:
    ]
    if retired:
        AuthToken.objects.filter(digest__in=retired).delete()
    record_audit_event(
        actor=acting_user,
        action=AuditAction.TOKEN_ISSUED,
        unit_path=user_unit_path(acting_user),
        details={"token": instance.token_key, "expiry": instance.expiry.isoformat(), "retired": len(retired)},
    )
    return instance, secret


@transaction.atomic
def do_revoke_api_token(*, acting_user: User, token_key: str) -> None:
    """Revoke one of one's own tokens. Someone else's, or one that does not exist: 404."""
    deleted, _rows = AuthToken.objects.filter(user=acting_user, token_key=token_key).delete()
    if not deleted:
        raise not_found()
    record_audit_event(
        actor=acting_user,
        action=AuditAction.TOKEN_REVOKED,
        unit_path=user_unit_path(acting_user),
        details={"token": token_key, "reason": "owner"},
    )


def revoke_all_api_tokens(user: User, *, reason: str) -> int:
    """Revoke every token of a user (a password change, an admin disabling the account). Returns how many."""
    if user.pk is None:
        return 0
    deleted, _rows = AuthToken.objects.filter(user=user).delete()
    if deleted:
        record_audit_event(
            actor=user,
            action=AuditAction.TOKEN_REVOKED,
            unit_path=user_unit_path(user),
            details={"count": deleted, "reason": reason},
        )
    return int(deleted)
