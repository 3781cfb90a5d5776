"""The API contract of the platform: token auth, units, agencies, the schema."""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db


def _token(username: str, password: str = PASSWORD, **extra) -> Client:
    return Client().post(
        "/api/v1/auth/token/",
        {"username": username, "password": password, **extra},
        content_type="application/json",
    )


def test_it_issues_a_token_that_authenticates(personas):
    response = _token("officer_a1")
    assert response.status_code == 200
    token = response.json()["token"]
    me = Client(HTTP_AUTHORIZATION=f"Token {token}").get("/api/v1/units/", {"kind": "commune", "parent": "19"})
    assert me.status_code == 200
    assert {u["code"] for u in me.json()["results"]} == {"05713", "05767"}


def test_it_refuses_a_wrong_password(personas):
    response = _token("officer_a1", "nope")
    assert response.status_code == 400
    assert "token" not in response.json()


def test_it_requires_the_second_factor_for_a_province_officers_token(personas):
    assert _token("province_a").status_code == 400
    device = TOTPDevice.objects.create(user=personas.province_officer_a, name="app", confirmed=True)
    assert _token("province_a", otp_token=f"{totp(device.bin_key):06d}").status_code == 200


def test_it_requires_authentication(personas):
    assert Client().get("/api/v1/units/").status_code in (401, 403)


def test_it_filters_agencies_by_sector_and_unit(personas, client_for):
    client = client_for(personas.officer_a1)
    found = client.get("/api/v1/agencies/", {"sector": "police", "unit": "19"}).json()["results"]
    assert [a["code"] for a in found] == ["CA-19"]
    assert client.get("/api/v1/agencies/", {"sector": "health"}).json()["count"] == 0
    assert client.get("/api/v1/agencies/", {"unit": "01"}).json()["count"] == 0


def test_it_serves_the_openapi_schema_and_docs(personas, client_for):
    client = client_for(personas.officer_a1)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in ("/api/v1/auth/token/", "/api/v1/units/", "/api/v1/agencies/", "/api/v1/audit-events/"):
        assert path in paths
    assert client.get("/api/docs/").status_code == 200


def test_it_keeps_list_query_counts_flat(personas, client_for, django_assert_num_queries):
    client = client_for(personas.officer_a1)
    client.get("/api/v1/units/")  # warm the session
    # session, user (+unit for the idle check), count, page of units with parents
    with django_assert_num_queries(4):
        client.get("/api/v1/units/", {"kind": "commune"})
