"""Finding 2 of issue 13: API tokens expire and are revocable; a user sees and revokes their own; a password
change revokes them all. Before, a DRF token never expired and could not be listed or revoked."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken

from childprotect.models import AuditEvent
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db


def _issue(username: str = "officer_a1") -> dict:
    response = Client().post(
        "/api/v1/auth/token/", {"username": username, "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return response.json()


def _api(token: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {token}")


def test_a_token_expires(personas, settings):
    issued = _issue()
    expiry = datetime.datetime.fromisoformat(issued["expiry"])
    assert expiry - timezone.now() == pytest.approx(datetime.timedelta(days=30), abs=datetime.timedelta(minutes=1))
    assert _api(issued["token"]).get("/api/v1/units/").status_code == 200
    with time_machine.travel(expiry + datetime.timedelta(seconds=1)):
        assert _api(issued["token"]).get("/api/v1/units/").status_code in (401, 403)


def test_the_token_response_keeps_its_contract_and_adds_fields(personas):
    issued = _issue()
    assert set(issued) == {"token", "token_id", "expiry"}
    assert issued["token"].startswith(issued["token_id"])
    assert AuthToken.objects.filter(user=personas.officer_a1).count() == 1
    # Stored hashed: the secret is nowhere in the database.
    assert not AuthToken.objects.filter(digest=issued["token"]).exists()


def test_a_user_lists_and_revokes_their_own_tokens_through_the_api(personas):
    first, second = _issue(), _issue()
    client = _api(second["token"])
    listed = client.get("/api/v1/auth/tokens/").json()
    assert [(t["token_id"], t["current"]) for t in listed] == [(second["token_id"], True), (first["token_id"], False)]
    assert "token" not in listed[0]
    assert client.delete(f"/api/v1/auth/tokens/{first['token_id']}/").status_code == 204
    assert _api(first["token"]).get("/api/v1/units/").status_code in (401, 403)
    assert AuditEvent.objects.filter(action="token_revoked", actor=personas.officer_a1).exists()


def test_another_users_token_answers_404(personas):
    mine, theirs = _issue("officer_a1"), _issue("officer_a2")
    assert _api(mine["token"]).delete(f"/api/v1/auth/tokens/{theirs['token_id']}/").status_code == 404
    assert _api(theirs["token"]).get("/api/v1/units/").status_code == 200


def test_a_user_sees_makes_and_revokes_tokens_on_the_page(personas, client_for):
    issued = _issue()
    client = client_for(personas.officer_a1)
    page = client.get("/account/tokens/")
    assert page.status_code == 200 and issued["token_id"] in page.content.decode()
    made = client.post("/account/tokens/")
    secret = made.context["new_secret"]
    assert secret and _api(secret).get("/api/v1/units/").status_code == 200
    assert client.post(f"/account/tokens/{issued['token_id']}/revoke/").status_code == 302
    assert _api(issued["token"]).get("/api/v1/units/").status_code in (401, 403)
    # Someone else's token cannot be revoked from the page either.
    theirs = _issue("officer_a2")
    assert client.post(f"/account/tokens/{theirs['token_id']}/revoke/").status_code == 404


def test_a_password_change_revokes_every_token(personas, client_for):
    tokens = [_issue()["token"], _issue()["token"]]
    client = client_for(personas.officer_a1)
    changed = client.post(
        "/password/change/",
        {"old_password": PASSWORD, "new_password1": "Mot-mat-khau-moi-2026", "new_password2": "Mot-mat-khau-moi-2026"},
    )
    assert changed.status_code == 302
    for token in tokens:
        assert _api(token).get("/api/v1/units/").status_code in (401, 403)
    assert not AuthToken.objects.filter(user=personas.officer_a1).exists()


def test_asking_again_and_again_keeps_only_the_newest_tokens(personas, settings):
    settings.API_TOKENS_PER_USER = 3
    issued = [_issue() for _ in range(5)]
    assert AuthToken.objects.filter(user=personas.officer_a1).count() == 3
    assert _api(issued[0]["token"]).get("/api/v1/units/").status_code in (401, 403)
    assert _api(issued[-1]["token"]).get("/api/v1/units/").status_code == 200
