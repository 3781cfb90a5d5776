from __future__ import annotations

import pytest
from django.test import Client

from tests.personas import Personas, build_personas


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings: object) -> None:
    # For speed: a cheap hasher; and no real cache/broker between tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}  # type: ignore[attr-defined]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # type: ignore[attr-defined]


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
