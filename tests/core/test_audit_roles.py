"""Finding 5 (first half) of issue 13: nobody can quietly empty the audit log. Before, TRUNCATE went through
(the trigger refused UPDATE and DELETE row by row only) and the app connected as a role that could drop the
trigger. Now a statement trigger refuses TRUNCATE to every role, and the production layout's app role
(`manage.py grant_app_role`) has no DDL, no TRUNCATE and no UPDATE/DELETE on the audit table."""

from __future__ import annotations

import secrets

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection, transaction

from childprotect.models import AuditEvent
from childprotect.services import record_audit_event

AUDIT = "childprotect_auditevent"


def _app_connection(role: str, password: str) -> psycopg.Connection:
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    params.update(user=role, password=password, autocommit=True)
    return psycopg.connect(**params)


@pytest.mark.django_db
def test_truncate_of_the_audit_log_is_refused_even_to_the_owner(personas):
    record_audit_event(actor=personas.officer_a1, action="view")
    for statement in (f"TRUNCATE {AUDIT}", f"TRUNCATE {AUDIT}, childprotect_notification CASCADE"):
        with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert AuditEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_app_role_can_write_data_but_cannot_empty_alter_or_drop_the_audit_log(personas, monkeypatch):
    role, password = f"cp_app_{secrets.token_hex(4)}", secrets.token_urlsafe(16)
    monkeypatch.setenv("APP_DATABASE_PASSWORD", password)
    call_command("grant_app_role", role)
    record_audit_event(actor=personas.officer_a1, action="view")
    before = AuditEvent.objects.count()
    try:
        with _app_connection(role, password) as app:
            # What the app does: read and write rows, append audit rows.
            assert app.execute("SELECT count(*) FROM childprotect_user").fetchone()[0] > 0
            app.execute("UPDATE childprotect_user SET first_name = first_name WHERE username = 'officer_a1'")
            app.execute(
                "INSERT INTO childprotect_auditevent (at, actor_username, action, target_type, target_id, "
                "unit_path, user_agent, details) VALUES (now(), 'x', 'view', '', '', '', '', '{}')"
            )
            refused = [
                f"TRUNCATE {AUDIT}",
                "UPDATE childprotect_auditevent SET actor_username = 'someone else'",
                "DELETE FROM childprotect_auditevent",
                f"DROP TRIGGER childprotect_auditevent_no_truncate ON {AUDIT}",
                f"ALTER TABLE {AUDIT} DISABLE TRIGGER ALL",
                f"DROP TABLE {AUDIT}",
                "TRUNCATE childprotect_notification",
                "CREATE TABLE sneaky (id int)",
                "DROP TABLE cases_case CASCADE",
            ]
            for statement in refused:
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    app.execute(statement)
        assert AuditEvent.objects.count() == before + 1
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP OWNED BY {role}")
            cursor.execute(f"DROP ROLE {role}")
