"""Finding 1 and 2 of issue 13: the lockout stops attackers, not users; one proxy count for every client address.

Before: five failures from one address locked every account behind it (AXES_LOCKOUT_PARAMETERS
["username", "ip_address"]), and the token endpoint's throttle believed any X-Forwarded-For (NUM_PROXIES unset).
"""

from __future__ import annotations

import pytest
from django.test import Client

from childprotect.models import AuditEvent
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "172.18.0.1"  # the docker bridge: what gunicorn sees behind the compose layout's TLS proxy


def _login(client: Client, username: str, password: str, **headers: str):
    return client.post("/login/", {"username": username, "password": password}, **headers)


def test_one_persons_failures_do_not_lock_out_the_office_behind_the_same_address(personas, settings):
    office = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(office, "officer_a1", "wrong password")
    assert _login(office, "officer_a1", PASSWORD).status_code == 429  # that username is locked
    # A colleague at the same address still logs in.
    colleague = Client(REMOTE_ADDR="203.0.113.7")
    assert _login(colleague, "chair_a1", PASSWORD).status_code == 302


def test_an_address_guessing_many_usernames_is_locked_at_the_higher_threshold(personas, settings):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 12
    attacker = Client(REMOTE_ADDR="198.51.100.9")
    for attempt in range(settings.AXES_ADDRESS_FAILURE_LIMIT - 1):
        _login(attacker, f"guess{attempt}", "wrong password")
    assert _login(attacker, "officer_a2", PASSWORD).status_code == 302  # 11 failures: not yet
    attacker.logout()
    _login(attacker, "guess-last", "wrong password")
    # 12 failures over many usernames: now the address itself is locked, even for a right password.
    assert _login(attacker, "officer_a2", PASSWORD).status_code == 429
    # Elsewhere that account still works.
    assert _login(Client(REMOTE_ADDR="198.51.100.10"), "officer_a2", PASSWORD).status_code == 302


def test_behind_the_proxy_each_client_counts_by_its_own_address(personas, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_ADDRESS_FAILURE_LIMIT = 6
    for attempt in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
        _login(Client(), f"guess{attempt}", "x", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.9")
    # The attacker's address is locked; a user arriving through the same proxy from another address is not.
    user = Client()
    assert (
        _login(user, "officer_a1", PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.20").status_code == 302
    )
    assert AuditEvent.objects.filter(action="login", actor_username="officer_a1").get().ip_address == "203.0.113.20"


def test_without_a_proxy_a_forged_forwarded_for_is_ignored(personas, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(Client(), "officer_a1", "x", REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    AuditEvent.objects.filter(action="login_failed").values_list("ip_address", flat=True)
    assert set(AuditEvent.objects.filter(action="login_failed").values_list("ip_address", flat=True)) == {
        "198.51.100.9"
    }


def _token_statuses(remote: str, forwarded_for, count: int = 30) -> list[int]:
    """Status codes of COUNT failed token requests, each with its own X-Forwarded-For (forwarded_for(n))."""
    return [
        Client(REMOTE_ADDR=remote)
        .post(
            "/api/v1/auth/token/",
            {"username": f"nobody{n}", "password": "x"},
            content_type="application/json",
            HTTP_X_FORWARDED_FOR=forwarded_for(n),
        )
        .status_code
        for n in range(count)
    ]


def test_a_forged_forwarded_for_does_not_escape_the_token_throttle(personas, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 0}
    statuses = _token_statuses("198.51.100.9", lambda n: f"10.0.{n}.1")
    assert statuses.count(429) >= 10  # 20/minute: the rest are throttled whatever the header says


def test_behind_one_proxy_the_throttle_counts_the_address_the_proxy_saw(personas, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    # The client forges a left part; the proxy appends the address it really saw.
    statuses = _token_statuses(PROXY, lambda n: f"10.0.{n}.1, 198.51.100.9")
    other = Client(REMOTE_ADDR=PROXY).post(
        "/api/v1/auth/token/",
        {"username": "officer_a1", "password": PASSWORD},
        content_type="application/json",
        HTTP_X_FORWARDED_FOR="203.0.113.20",
    )
    assert statuses.count(429) >= 10
    assert other.status_code == 200  # another client behind the same proxy is not throttled
