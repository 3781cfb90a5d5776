"""python manage.py create_user USERNAME --role ROLE [--unit CODE] [--agency CODE] [--email EMAIL]
[--password PASSWORD | --password-stdin]"""

from __future__ import annotations

import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from childprotect.models import AdministrativeUnit, Agency
from childprotect.models.units import CURRENT_SCHEME
from childprotect.roles import Role
from childprotect.services import do_create_user


class Command(BaseCommand):
    help = "Create a user with a role, a jurisdiction (unit code) and optionally an agency."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--unit", help="Administrative unit code (QĐ 19/2025), e.g. 19 or 05713")
        parser.add_argument("--agency", help="Agency code (see create_agency)")
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        secret = parser.add_mutually_exclusive_group()
        secret.add_argument("--password", help="Visible in the process list and shell history: prefer --password-stdin")
        secret.add_argument("--password-stdin", action="store_true", help="Read the password from standard input")

    def handle(self, *args: Any, **options: Any) -> None:
        unit = None
        if options["unit"]:
            unit = AdministrativeUnit.objects.filter(scheme=CURRENT_SCHEME, code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"No current administrative unit with code {options['unit']!r}.")
        agency = None
        if options["agency"]:
            agency = Agency.objects.filter(code=options["agency"]).first()
            if agency is None:
                raise CommandError(f"No agency with code {options['agency']!r}.")
        password = options["password"]
        if options["password_stdin"]:
            password = sys.stdin.readline().rstrip("\n")
            if not password:
                raise CommandError("--password-stdin given but standard input was empty.")
        try:
            user = do_create_user(
                acting_user=None,
                username=options["username"],
                role=options["role"],
                unit=unit,
                agency=agency,
                email=options["email"],
                password=password,
                first_name=options["first_name"],
                last_name=options["last_name"],
            )
        except ValidationError as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from exc
        self.stdout.write(self.style.SUCCESS(f"Created user {user.username} ({user.role})."))
        if password is None:
            self.stdout.write("No password set: the user cannot log in until one is set (manage.py changepassword).")
