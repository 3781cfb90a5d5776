from __future__ import annotations

import pytest
from django.test import Client

from tests.personas import Personas, build_personas


@pytest.fixture(scope="session", autouse=True)
def _flush_past_the_audit_trigger():
    """The audit table refuses TRUNCATE to everyone (a statement trigger, migration 0006), and Django empties the
    database with TRUNCATE after each transactional test (live_server, fault tests). Only that flush, as the
    test server's superuser, skips triggers for its own transaction; every test still meets the trigger."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        statements = original(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return ["SET LOCAL session_replication_role = replica", *statements] if statements else statements

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = original


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings: object) -> None:
    # For speed: a cheap hasher; and no real cache/broker between tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}  # type: ignore[attr-defined]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # type: ignore[attr-defined]
    # Every locmem cache shares one store per process: start each test without another test's rate-limit counts.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    # Django leaves the last request's language active in the thread; each test starts in Vietnamese.
    from django.conf import settings
    from django.utils import translation

    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def personas(db: None) -> Personas:
    return build_personas()


@pytest.fixture
def client_for():
    """client_for(user) → a test Client logged in as that user, second factor done where required."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        if user.requires_second_factor:
            from django_otp import DEVICE_ID_SESSION_KEY
            from django_otp.plugins.otp_totp.models import TOTPDevice

            device, _ = TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "test"})
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        return client

    return make
