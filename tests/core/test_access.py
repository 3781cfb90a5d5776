"""The access rule: default deny, jurisdiction subtree, 404 for missing and forbidden alike."""

from __future__ import annotations

import pytest
from django.http import Http404

from childprotect.access import ALL_UNITS, access_audit_event, access_user, jurisdiction_path
from childprotect.models import AuditEvent, User
from childprotect.services import record_audit_event

pytestmark = pytest.mark.django_db


def test_it_gives_nothing_to_a_user_without_jurisdiction(personas):
    assert jurisdiction_path(personas.nobody) is None
    assert list(User.objects.visible_to(personas.nobody)) == [personas.nobody]  # their own account only
    assert not AuditEvent.objects.visible_to(personas.nobody).exists()


def test_it_gives_nothing_to_an_inactive_user(personas):
    personas.officer_a1.is_active = False
    assert jurisdiction_path(personas.officer_a1) is None
    assert not User.objects.visible_to(personas.officer_a1).exists()


def test_it_gives_everything_to_an_admin(personas):
    assert jurisdiction_path(personas.admin) is ALL_UNITS
    assert User.objects.visible_to(personas.admin).count() == User.objects.count()


def test_it_scopes_a_province_officer_to_the_province_subtree(personas):
    visible = set(User.objects.visible_to(personas.province_officer_a).values_list("username", flat=True))
    assert {"officer_a1", "chair_a1", "officer_a2", "province_a", "police_a"} <= visible
    assert "province_b" not in visible
    assert "nobody" not in visible


def test_it_scopes_a_commune_officer_to_the_commune(personas):
    visible = set(User.objects.visible_to(personas.officer_a1).values_list("username", flat=True))
    assert visible == {"officer_a1", "chair_a1"}


def test_it_shows_an_agency_focal_point_only_themselves(personas):
    assert list(User.objects.visible_to(personas.police_a)) == [personas.police_a]


def test_it_answers_404_alike_for_missing_and_forbidden(personas):
    with pytest.raises(Http404) as forbidden:
        access_user(personas.officer_a2, personas.officer_a1.pk)
    with pytest.raises(Http404) as missing:
        access_user(personas.officer_a2, 999_999)
    assert str(forbidden.value) == str(missing.value)
    with pytest.raises(Http404):
        access_user(personas.officer_a2, "not-a-number")


def test_it_scopes_the_audit_log_by_the_records_jurisdiction(personas):
    in_a = record_audit_event(actor=personas.officer_a1, action="view", unit_path=personas.commune_a1.path)
    in_b = record_audit_event(actor=personas.province_officer_b, action="view", unit_path=personas.commune_b1.path)
    assert access_audit_event(personas.province_officer_a, in_a.pk) == in_a
    with pytest.raises(Http404):
        access_audit_event(personas.province_officer_a, in_b.pk)
    # Commune officers do not browse the audit log at all, not even their own commune's rows.
    with pytest.raises(Http404):
        access_audit_event(personas.officer_a1, in_a.pk)
    assert access_audit_event(personas.admin, in_b.pk) == in_b


def test_it_gives_the_outsider_404_on_another_jurisdictions_user_page(personas, client_for):
    url = f"/users/{personas.officer_a1.pk}/"
    assert client_for(personas.province_officer_a).get(url).status_code == 200
    assert client_for(personas.province_officer_b).get(url).status_code == 404
    assert client_for(personas.officer_a2).get(url).status_code == 404
    assert client_for(personas.nobody).get(url).status_code == 404
    missing = client_for(personas.province_officer_b).get("/users/999999/")
    assert missing.status_code == 404


def test_it_gives_the_outsider_404_on_another_jurisdictions_audit_event(personas, client_for):
    event = record_audit_event(actor=personas.officer_a1, action="view", unit_path=personas.commune_a1.path)
    assert client_for(personas.province_officer_a).get(f"/audit/{event.pk}/").status_code == 200
    assert client_for(personas.province_officer_b).get(f"/audit/{event.pk}/").status_code == 404
    assert client_for(personas.officer_a1).get(f"/audit/{event.pk}/").status_code == 404
    api = client_for(personas.province_officer_b).get(f"/api/v1/audit-events/{event.pk}/")
    assert api.status_code == 404
    assert client_for(personas.province_officer_a).get(f"/api/v1/audit-events/{event.pk}/").status_code == 200


def test_it_shows_nothing_to_the_user_without_jurisdiction_through_the_api(personas, client_for):
    record_audit_event(actor=personas.officer_a1, action="view", unit_path=personas.commune_a1.path)
    client = client_for(personas.nobody)
    assert client.get("/api/v1/audit-events/").json()["count"] == 0
    assert client.get("/users/").status_code == 200
    assert "officer_a1" not in client.get("/users/").content.decode()
