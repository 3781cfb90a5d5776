"""Notifications: in-app rows and their email, through a transactional outbox.

`notify()` writes the rows in the caller's transaction and, only once that commits, hands each pending email
to Celery. If the broker is down the hand-off is logged and dropped: the row stays `pending`, and
`sweep_unsent_notifications()` (every minute) delivers it when it is due. `deliver_email()` claims a row with one
conditional UPDATE that also sets a lease, so a worker and the sweep (or two workers) never both send it.

A row holds its kind and the values of its texts (childprotect/notification_kinds.py, where every kind is
declared with its subject and body); the texts are written when shown, in the reader's language, and when sent,
in the recipient's (`User.language`). Nothing here may carry a child's data: the values are case numbers and
names of agencies and units, links carry ids only. Logs name ids.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone, translation

from childprotect.access import is_active_user, not_found
from childprotect.models import User
from childprotect.models.notifications import EmailStatus, Notification, NotificationPreference
from childprotect.notification_kinds import NotificationKind, render, storable
from childprotect.sweeps import claim, renewing

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

logger = logging.getLogger(__name__)

# A fresh row is the task's for this long before the sweep takes over (the broker may just be slow).
SWEEP_GRACE = datetime.timedelta(minutes=2)


def sweep_grace() -> datetime.timedelta:
    """SWEEP_GRACE, or NOTIFICATION_SWEEP_GRACE_SECONDS when set (the fault tests shorten it)."""
    seconds = getattr(settings, "NOTIFICATION_SWEEP_GRACE_SECONDS", None)
    return SWEEP_GRACE if seconds is None else datetime.timedelta(seconds=float(seconds))


BACKOFF_CAP = datetime.timedelta(hours=1)
SWEEP_BATCH = 100
EMAIL_TIMEOUT_SECONDS = 30


def max_email_attempts() -> int:
    return int(getattr(settings, "NOTIFICATION_EMAIL_MAX_ATTEMPTS", 8))


def wants_email(user: User) -> bool:
    if not user.is_active or not user.email:
        return False
    return email_enabled_for(user)


def notify(
    recipients: Iterable[User],
    *,
    kind: NotificationKind,
    params: dict[str, Any],
    url: str,
    target: models.Model | None = None,
    unit_path: str = "",
    dedupe_key: str | None = None,
) -> list[Notification]:
    """Write one notification of `kind` per (distinct, active) recipient in the caller's transaction; email
    after commit. `params` fill the kind's texts (dates and choices may be given as they are: they are stored as
    ISO dates and codes).

    With `dedupe_key`, each recipient gets it at most once ever (the key is stored as "<key>:<user id>"); a
    repeat call returns only the rows it created, so callers can retry freely.
    """
    if url and not url.startswith("/"):
        raise ValueError("notification urls are relative paths")
    params = storable(params)
    render(NotificationKind(kind), params)  # a missing value fails here, in the caller's test, not in a reader's
    created: list[Notification] = []
    seen: set[int] = set()
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        row = Notification(
            recipient=user,
            kind=kind,
            params=params,
            url=url,
            target_type=target._meta.label_lower if target is not None else "",
            target_id=str(target.pk) if target is not None else "",
            unit_path=unit_path,
            email_status=EmailStatus.PENDING if wants_email(user) else EmailStatus.NOT_WANTED,
            dedupe_key=f"{dedupe_key}:{user.pk}" if dedupe_key else None,
        )
        if dedupe_key:
            if Notification.objects.filter(dedupe_key=row.dedupe_key).exists():
                continue
            try:
                with transaction.atomic():  # a savepoint: a concurrent duplicate must not poison the caller
                    row.save()
            except IntegrityError:
                continue
        else:
            row.save()
        created.append(row)
        if row.email_status == EmailStatus.PENDING:
            transaction.on_commit(partial(_enqueue_email, row.pk))
    return created


def _enqueue_email(notification_id: int) -> None:
    """Runs after commit. A broker outage must not reach the request: the sweep picks the row up later."""
    from childprotect.tasks import deliver_email_task

    try:
        deliver_email_task.delay(notification_id)
    except Exception as error:  # kombu OperationalError, redis ConnectionError, …: whatever the transport raises
        logger.warning(
            "notification %s: could not queue its email (%s); the sweep will send it",
            notification_id,
            type(error).__name__,
        )


def _backoff(attempts: int) -> datetime.timedelta:
    """1, 2, 4, 8 … minutes after the 1st, 2nd, 3rd … failure, capped."""
    delay: datetime.timedelta = min(datetime.timedelta(minutes=2 ** max(attempts - 1, 0)), BACKOFF_CAP)
    return delay


def deliver_email(notification_id: int) -> bool:
    """Send the email of one pending notification if it is due and nobody else holds it. True if sent now.

    Exactly once: the claim is a conditional UPDATE that takes a short lease (email_next_attempt_at), renewed
    while sending (childprotect/sweeps.py), so only one caller gets past it; a worker killed mid-send stops
    renewing, and the sweep tries again once the lease has run out (within two minutes). A crash between the
    server accepting the message and recording it can still send it twice: SMTP offers no better.
    """
    pending = Notification.objects.filter(pk=notification_id, email_status=EmailStatus.PENDING)
    due = pending.filter(Q(email_next_attempt_at__isnull=True) | Q(email_next_attempt_at__lte=timezone.now()))
    row = claim(due, notification_id, related=["recipient"], lease="email_next_attempt_at")
    if row is None:
        return False
    with renewing(pending, lease="email_next_attempt_at", what=f"notification {notification_id}"):
        return _send_claimed(row)


def _send_claimed(row: Notification) -> bool:
    if not wants_email(row.recipient):
        Notification.objects.filter(pk=row.pk).update(email_status=EmailStatus.NOT_WANTED, email_next_attempt_at=None)
        return False
    link = f"{settings.SITE_URL}{row.url}" if row.url else settings.SITE_URL
    with translation.override(row.recipient.language_code):  # the recipient's language, not the worker's
        subject, body = render(row.kind, row.params)
    message = f"{body}\n\n{link}\n" if body else f"{link}\n"
    try:
        send_mail(
            subject=subject,
            message=message,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[row.recipient.email],
            connection=get_connection(
                fail_silently=False, timeout=getattr(settings, "EMAIL_TIMEOUT", None) or EMAIL_TIMEOUT_SECONDS
            ),
        )
    except Exception as error:  # any backend failure: SMTP errors, timeouts, refused connections
        attempts = row.email_attempts + 1
        failed = attempts >= max_email_attempts()
        Notification.objects.filter(pk=row.pk).update(
            email_attempts=attempts,
            email_status=EmailStatus.FAILED if failed else EmailStatus.PENDING,
            email_next_attempt_at=None if failed else timezone.now() + _backoff(attempts),
        )
        logger.warning(
            "notification %s: email attempt %s failed (%s)%s",
            row.pk,
            attempts,
            type(error).__name__,
            "; giving up" if failed else "",
        )
        return False
    Notification.objects.filter(pk=row.pk).update(
        email_status=EmailStatus.SENT,
        email_sent_at=timezone.now(),
        email_attempts=row.email_attempts + 1,
        email_next_attempt_at=None,
    )
    return True


def due_email_ids(now: datetime.datetime | None = None, limit: int = SWEEP_BATCH) -> list[int]:
    now = now or timezone.now()
    due = Q(email_next_attempt_at__lte=now) | Q(email_next_attempt_at__isnull=True, created_at__lte=now - sweep_grace())
    return list(
        Notification.objects.filter(email_status=EmailStatus.PENDING)
        .filter(due)
        .order_by("created_at", "id")
        .values_list("id", flat=True)[:limit]
    )


def sweep_unsent_notifications(limit: int = SWEEP_BATCH) -> int:
    """Deliver, here and now (not through the broker, which may be the thing that is down), the pending emails
    that are due: never handed over, or waiting for their next attempt. Returns how many were sent."""
    return sum(1 for notification_id in due_email_ids(limit=limit) if deliver_email(notification_id))


def unread_count(user: User | AnonymousUser) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_for(user: User | AnonymousUser) -> models.QuerySet[Notification]:
    """The only notifications a user may see: their own."""
    if not is_active_user(user):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def do_mark_read(user: User | AnonymousUser, notification_id: int) -> Notification:
    """Mark one of the user's notifications read (idempotent). Someone else's, or a missing one: 404."""
    row = notifications_for(user).filter(pk=notification_id).first()
    if row is None:
        raise not_found()
    if row.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=row.pk, read_at__isnull=True).update(read_at=now)
        row.read_at = now
    return row


def do_mark_read_on_open(user: User, path: str, *targets: models.Model) -> int:
    """Opening what a notification points to reads it: the user's unread notifications about `targets`, or whose
    link is this page (`path`, with or without an anchor), are marked read. One UPDATE; returns how many."""
    about = Q(url=path) | Q(url__startswith=f"{path}#")
    for target in targets:
        about |= Q(target_type=target._meta.label_lower, target_id=str(target.pk))
    return notifications_for(user).filter(about, read_at__isnull=True).update(read_at=timezone.now())


def do_mark_all_read(user: User | AnonymousUser) -> int:
    return notifications_for(user).filter(read_at__isnull=True).update(read_at=timezone.now())


def email_enabled_for(user: User) -> bool:
    """The user's own choice about notification emails (on unless they turned it off)."""
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference is None or preference.email_enabled


def do_set_email_preference(user: User, *, enabled: bool) -> NotificationPreference:
    """Turn notification emails on or off for oneself; in-app notifications always stay. Emails already queued
    follow the new choice (deliver_email reads it again before sending)."""
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults={"email_enabled": enabled}
    )
    return preference
