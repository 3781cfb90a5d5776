"""python manage.py grant_app_role ROLE [--password-env APP_DATABASE_PASSWORD]

The production database has two roles (README "Production layout"): the owner, which runs this command and the
migrations, and the app's role, which web, worker and beat connect as. Run as the owner after every `migrate`
(docker-compose.yml's migrate service does): it creates ROLE if it does not exist (LOGIN, with the password in the
named environment variable or its _FILE), then gives it exactly what the app needs:

- SELECT, INSERT, UPDATE, DELETE on every table and the use of every sequence: the app reads and writes rows;
- on the audit table SELECT and INSERT only: no UPDATE, no DELETE, no TRUNCATE (and the triggers refuse those
  to everyone anyway);
- nothing else: no CREATE on the schema, no ownership, so no DDL: it cannot drop or alter a table, nor drop the
  audit log's triggers. TRUNCATE is never granted on any table.

Idempotent: it revokes and grants the same set each time, so a table added by a new migration is covered.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from psycopg import sql

from childprotect.models import AuditEvent
from childprotect.settings import env_secret


class Command(BaseCommand):
    help = "Create or update the app's database role: data only, no DDL, the audit log insert-only."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="the role web, worker and beat connect as, e.g. childprotect_app")
        parser.add_argument(
            "--password-env",
            default="APP_DATABASE_PASSWORD",
            help="environment variable (or NAME_FILE) holding the role's password; unset: leave the password alone",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        role = options["role"]
        password = env_secret(options["password_env"]) or None
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user, current_database()")
            owner, database = cursor.fetchone()
            if role == owner:
                raise CommandError("the app's role must not be the owner that runs the migrations")
            tables = connection.introspection.table_names(cursor, include_views=False)
        audit = AuditEvent._meta.db_table
        ident = sql.Identifier(role)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            exists = cursor.fetchone() is not None
            if not exists:
                cursor.execute(sql.SQL("CREATE ROLE {} LOGIN").format(ident).as_string(cursor.connection))
            if password:
                cursor.execute(
                    sql.SQL("ALTER ROLE {} LOGIN PASSWORD {}")
                    .format(ident, sql.Literal(password))
                    .as_string(cursor.connection)
                )
            statements = [
                sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(sql.Identifier(database), ident),
                sql.SQL("REVOKE CREATE ON SCHEMA public FROM PUBLIC, {}").format(ident),
                sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(ident),
                sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {}").format(ident),
                sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(ident),
                sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {} FROM {}").format(sql.Identifier(audit), ident),
                sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(ident),
            ]
            for statement in statements:
                cursor.execute(statement.as_string(cursor.connection))
        self.stdout.write(
            f"{'updated' if exists else 'created'} role {role}: data on {len(tables)} tables, "
            f"{audit} insert-only, no DDL"
        )
