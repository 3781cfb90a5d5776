"""The audit log is append-only: nothing in the app — model, queryset, admin, raw SQL — can change it."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from childprotect.models import AuditEvent
from childprotect.querysets import AuditLogIsAppendOnly
from childprotect.services import record_audit_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(personas):
    return record_audit_event(
        actor=personas.officer_a1,
        action="view",
        unit_path=personas.commune_a1.path,
        details={"field": "summary"},
    )


def test_it_refuses_to_save_a_changed_event(event):
    event.action = "nothing happened"
    with pytest.raises(AuditLogIsAppendOnly):
        event.save()


def test_it_refuses_to_delete_an_event(event):
    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")


def test_it_refuses_raw_sql_updates_and_deletes(event):
    for statement in (
        "UPDATE childprotect_auditevent SET action = 'x'",
        "DELETE FROM childprotect_auditevent",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert AuditEvent.objects.get(pk=event.pk).action == "view"


def test_it_keeps_events_when_the_actor_is_deleted(personas, event):
    personas.officer_a1.delete()
    kept = AuditEvent.objects.get(pk=event.pk)
    assert kept.actor_username == "officer_a1"


def test_it_offers_no_way_to_change_events_in_the_admin(personas, client_for, event):
    client = client_for(personas.admin)
    change_url = f"/admin/childprotect/auditevent/{event.pk}/change/"
    page = client.get(change_url)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert client.post(change_url, {"action": "x"}).status_code == 403
    assert client.post(f"/admin/childprotect/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/childprotect/auditevent/add/").status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).action == "view"


def test_it_records_who_when_and_from_where(personas, client_for):
    client = client_for(personas.province_officer_a)
    client.get(f"/users/{personas.officer_a1.pk}/", REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="Test browser")
    event = AuditEvent.objects.filter(action="view", target_id=str(personas.officer_a1.pk)).get()
    assert event.actor == personas.province_officer_a
    assert event.ip_address == "10.1.2.3"
    assert event.user_agent == "Test browser"
    assert event.target_type == "childprotect.user"


def test_it_filters_the_audit_log_by_user_record_and_date(personas, client_for):
    record_audit_event(actor=personas.officer_a1, action="view", unit_path=personas.commune_a1.path)
    record_audit_event(actor=personas.chair_a1, action="update", unit_path=personas.commune_a1.path)
    client = client_for(personas.province_officer_a)
    page = client.get("/audit/", {"actor": "chair_a1"}).content.decode()
    assert "chair_a1" in page and "officer_a1" not in page.split("<tbody", 1)[-1]
    api = client.get("/api/v1/audit-events/", {"actor": "officer_a1", "action": "view"}).json()
    assert api["count"] == 1
    assert client.get("/audit/", {"date_from": "not a date"}).status_code == 400  # the form says what is wrong
