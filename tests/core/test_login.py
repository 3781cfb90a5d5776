"""Login hardening: lockout after repeated failures, TOTP for province officers and admins, idle expiry."""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from childprotect.models import AuditEvent
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client: Client, username: str, password: str):
    return client.post("/login/", {"username": username, "password": password})


def test_it_logs_a_commune_officer_in_to_the_home_page(personas):
    client = Client()
    response = _login(client, "officer_a1", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(actor=personas.officer_a1, action="login").exists()


def test_it_keeps_a_locked_out_login_locked(personas, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "officer_a1", "wrong password")
    # Now even the right password is refused, from this address and from another one.
    locked = _login(client, "officer_a1", PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    elsewhere = Client(REMOTE_ADDR="10.9.9.9")
    assert _login(elsewhere, "officer_a1", PASSWORD).status_code == 429
    # The API refuses the locked-out user too.
    api = Client(REMOTE_ADDR="10.9.9.8").post(
        "/api/v1/auth/token/",
        {"username": "officer_a1", "password": PASSWORD},
        content_type="application/json",
    )
    assert api.status_code in (400, 403, 429)
    assert "token" not in api.json()
    assert AuditEvent.objects.filter(action="login_failed", actor_username="officer_a1").count() >= 5


def test_it_sends_a_province_officer_to_the_second_factor(personas):
    client = Client()
    response = _login(client, "province_a", PASSWORD)
    assert response.status_code == 302
    # Every page sends the half-logged-in user to the second factor.
    home = client.get("/")
    assert home.status_code == 302 and home["Location"].startswith("/login/verify/")
    setup = client.get("/login/verify/", follow=True)
    assert setup.redirect_chain[-1][0].startswith("/login/setup-2fa/")
    device = TOTPDevice.objects.get(user=personas.province_officer_a, confirmed=False)
    wrong = client.post("/login/setup-2fa/", {"otp_token": "000000" if totp(device.bin_key) != 0 else "111111"})
    assert wrong.status_code == 200 and "otp_token" in wrong.context["form"].errors
    throttled = client.post("/login/setup-2fa/", {"otp_token": f"{totp(device.bin_key):06d}"})
    assert "đợi vài giây" in str(throttled.context["form"].errors["otp_token"])
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)  # the wait is over
    done = client.post("/login/setup-2fa/", {"otp_token": f"{totp(device.bin_key):06d}"})
    assert done.status_code == 302
    assert client.get("/").status_code == 200


def test_it_refuses_the_api_to_a_session_without_second_factor(personas):
    client = Client()
    _login(client, "province_a", PASSWORD)
    assert client.get("/api/v1/audit-events/").status_code in (401, 403)


def test_it_expires_an_idle_session(personas, settings, client_for):
    import time_machine

    settings.SESSION_IDLE_TIMEOUT_SECONDS = 60
    with time_machine.travel("2026-01-05 08:00 +0700", tick=False) as traveller:
        client = client_for(personas.officer_a1)
        assert client.get("/").status_code == 200
        traveller.shift(120)
        response = client.get("/")
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_it_rejects_weak_passwords(personas):
    from django.core.exceptions import ValidationError

    from childprotect.services import do_create_user

    with pytest.raises(ValidationError):
        do_create_user(
            acting_user=None,
            username="weak",
            role="commune_officer",
            unit=personas.commune_a1,
            password="12345678",
        )


def test_it_does_not_count_the_bells_polling_as_activity(personas, settings, client_for):
    import time_machine

    settings.SESSION_IDLE_TIMEOUT_SECONDS = 600
    with time_machine.travel("2026-01-05 08:00 +0700", tick=False) as traveller:
        client = client_for(personas.officer_a1)
        assert client.get("/").status_code == 200
        for _ in range(12):  # an open tab polls the bell every minute for 12 minutes
            traveller.shift(60)
            client.get("/notifications/bell/")
        response = client.get("/")
        assert response.status_code == 302 and response["Location"].startswith("/login/")
