"""Fixtures of the fault tests."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from childprotect.models import Notification, User
from childprotect.notification_kinds import NotificationKind
from childprotect.notifications import notify
from tests.faults.processes import celery_broker, free_port


@pytest.fixture
def point_celery_at() -> Iterator[Callable[[str], None]]:
    """point_celery_at(url): this process's Celery app sends its tasks to the broker at URL until the test ends."""
    with contextlib.ExitStack() as stack:
        yield lambda url: stack.enter_context(celery_broker(url))


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[Callable[[object], int]]:
    """smtp_server(handler): an SMTP server on loopback (aiosmtpd, with that handler) until the test ends, and
    this process's email settings pointed at it; returns its port."""
    controllers: list[Controller] = []

    def start(handler: object) -> int:
        port = free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        controllers.append(controller)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = "", ""
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        return port

    yield start
    for controller in controllers:
        controller.stop()


def notify_referral_accepted(recipients: Iterable[User], *, url: str = "/cases/1/") -> list[Notification]:
    """One notification with an email to send per recipient (a referral accepted: a case number and an agency,
    no child data)."""
    params = {"number": "19-2026-000001", "agency": "Công an tỉnh Thái Nguyên"}
    return notify(recipients, kind=NotificationKind.REFERRAL_ACCEPTED, params=params, url=url)
