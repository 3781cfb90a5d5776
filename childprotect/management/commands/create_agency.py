"""python manage.py create_agency CODE --name NAME --sector SECTOR --unit UNIT_CODE [--level LEVEL]"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from childprotect.models import AdministrativeUnit
from childprotect.models.agencies import AgencyLevel, Sector
from childprotect.models.units import CURRENT_SCHEME
from childprotect.services import do_create_agency


class Command(BaseCommand):
    help = "Add an agency (police, school, health facility, legal aid, shelter…) to the directory."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code")
        parser.add_argument("--name", required=True)
        parser.add_argument("--sector", required=True, choices=Sector.values)
        parser.add_argument("--unit", required=True, help="Administrative unit code where the agency sits")
        parser.add_argument("--level", choices=AgencyLevel.values, help="Defaults from the unit's kind")
        parser.add_argument("--short-name", default="")
        parser.add_argument("--email", default="")
        parser.add_argument("--phone", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        unit = AdministrativeUnit.objects.filter(scheme=CURRENT_SCHEME, code=options["unit"]).first()
        if unit is None:
            raise CommandError(f"No current administrative unit with code {options['unit']!r}.")
        try:
            agency = do_create_agency(
                acting_user=None,
                code=options["code"],
                name=options["name"],
                sector=options["sector"],
                unit=unit,
                level=options["level"],
                short_name=options["short_name"],
                email=options["email"],
                phone=options["phone"],
            )
        except ValidationError as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from exc
        self.stdout.write(self.style.SUCCESS(f"Created agency {agency.code}: {agency.name}."))
