"""python manage.py load_admin_units [--province CODE ...] [--file PATH]

Loads the official administrative units shipped in childprotect/data/admin_units.json.gz (QĐ 19/2025 units
valid from 1 July 2025, QĐ 124/2004 units valid until then, and the old -> new succession; see
childprotect/data/README.md). Idempotent: rows are keyed by (scheme, kind, code), created or updated in bulk,
parents before children, and a second run writes nothing. Units are never deleted (cases point at them).

--province CODE (repeatable) loads only those current provinces, their communes, and the legacy units that
are their predecessors (with their legacy parents), so a dev box or a test can load one province quickly.
Successor links are written only where both ends are loaded; loading more provinces later adds the rest.
"""

from __future__ import annotations

import datetime
import gzip
import json
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from childprotect.models import AdministrativeUnit
from childprotect.models.units import CURRENT_SCHEME

DATA_FILE = Path(__file__).resolve().parents[2] / "data" / "admin_units.json.gz"
LEVELS = ("province", "district", "commune")  # parents before children
FIELDS = ("category", "name", "full_name", "place_name", "parent_id", "path", "valid_from", "valid_to")
BATCH = 1000

Key = tuple[str, str, str]  # (scheme, kind, code)


class Command(BaseCommand):
    help = "Load or refresh the official administrative units (provinces, communes, legacy units, succession)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--province",
            action="append",
            default=[],
            metavar="CODE",
            help="Only this current province (2-digit QĐ 19/2025 code) and its predecessors; repeatable.",
        )
        parser.add_argument("--file", type=Path, default=DATA_FILE, help="Data file (default: the shipped one).")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        data = read_data(options["file"])
        units = {(u["scheme"], u["kind"], u["code"]): u for u in data["units"]}
        links = {
            ((s["scheme"], s["kind"], s["code"]), (s["to_scheme"], s["to_kind"], s["to_code"]))
            for s in data["successors"]
        }
        if options["province"]:
            units, links = select_provinces(units, links, options["province"])

        with transaction.atomic():
            created, updated, unchanged, ids = self.write_units(units, data["schemes"])
            links_created, links_removed = self.write_links(links, ids, set(units))

        scope = f"provinces {', '.join(sorted(set(options['province'])))}" if options["province"] else "all"
        self.stdout.write(
            f"load_admin_units ({scope}): {len(units)} units: {created} created, {updated} updated, "
            f"{unchanged} unchanged; successor links: {links_created} created, {links_removed} removed "
            f"({time.monotonic() - started:.1f}s)"
        )

    def write_units(
        self, units: dict[Key, dict[str, Any]], schemes: dict[str, dict[str, Any]]
    ) -> tuple[int, int, int, dict[Key, int]]:
        existing: dict[Key, AdministrativeUnit] = {
            (u.scheme, u.kind, u.code): u for u in AdministrativeUnit.objects.all()
        }
        dates: dict[str, tuple[datetime.date, datetime.date | None]] = {
            scheme: (datetime.date.fromisoformat(s["valid_from"]), parse_date(s["valid_to"]))
            for scheme, s in schemes.items()
        }
        created = updated = unchanged = 0
        for level in LEVELS:
            to_create: list[AdministrativeUnit] = []
            to_update: list[AdministrativeUnit] = []
            for key, row in sorted(units.items()):
                if key[1] != level:
                    continue
                parent = None
                if row["parent_kind"]:
                    parent = existing[(key[0], row["parent_kind"], row["parent_code"])]
                unit = existing.get(key)
                before = None if unit is None else tuple(getattr(unit, f) for f in FIELDS)
                if unit is None:
                    unit = AdministrativeUnit(scheme=key[0], kind=key[1], code=key[2])
                unit.category = row["category"]
                unit.name = row["name"]
                unit.full_name = row["full_name"]
                unit.place_name = row["place_name"]
                unit.parent = parent
                # bulk_create/bulk_update skip save(): the model's own rule, with the parent already in memory.
                unit.path = unit.compute_path()
                unit.valid_from, unit.valid_to = dates[key[0]]
                if before is None:
                    to_create.append(unit)
                elif tuple(getattr(unit, f) for f in FIELDS) != before:
                    to_update.append(unit)
                else:
                    unchanged += 1
            AdministrativeUnit.objects.bulk_create(to_create, batch_size=BATCH)  # PostgreSQL returns the ids
            AdministrativeUnit.objects.bulk_update(to_update, FIELDS, batch_size=BATCH)
            for unit in to_create:
                existing[(unit.scheme, unit.kind, unit.code)] = unit
            created += len(to_create)
            updated += len(to_update)
        ids = {key: existing[key].pk for key in units}
        return created, updated, unchanged, ids

    def write_links(self, links: set[tuple[Key, Key]], ids: dict[Key, int], loaded: set[Key]) -> tuple[int, int]:
        through = AdministrativeUnit.successors.through
        wanted = {(ids[a], ids[b]) for a, b in links}
        managed = {ids[key] for key in loaded}
        have = {
            (a, b): pk
            for pk, a, b in through.objects.filter(from_administrativeunit_id__in=managed).values_list(
                "pk", "from_administrativeunit_id", "to_administrativeunit_id"
            )
        }
        # Links between two units of this load that the file no longer has; links to units outside the
        # selection (a partial load) are left alone.
        stale = [pk for (a, b), pk in have.items() if b in managed and (a, b) not in wanted]
        if stale:
            through.objects.filter(pk__in=stale).delete()
        missing = [
            through(from_administrativeunit_id=a, to_administrativeunit_id=b) for a, b in sorted(wanted - set(have))
        ]
        through.objects.bulk_create(missing, batch_size=BATCH, ignore_conflicts=True)
        return len(missing), len(stale)


def read_data(path: Path) -> dict[str, Any]:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            raw = json.load(fh)
    except (OSError, ValueError) as exc:
        raise CommandError(f"Cannot read {path}: {exc}") from exc
    if raw.get("format") != 1:
        raise CommandError(f"{path}: unknown format {raw.get('format')!r}")
    return {
        "schemes": raw["schemes"],
        "units": [dict(zip(raw["unit_fields"], row, strict=True)) for row in raw["units"]],
        "successors": [dict(zip(raw["successor_fields"], row, strict=True)) for row in raw["successors"]],
    }


def select_provinces(
    units: dict[Key, dict[str, Any]], links: set[tuple[Key, Key]], codes: Iterable[str]
) -> tuple[dict[Key, dict[str, Any]], set[tuple[Key, Key]]]:
    """The current provinces named, their units, their predecessors and the predecessors' ancestors."""
    codes = set(codes)
    unknown = sorted(c for c in codes if (CURRENT_SCHEME, "province", c) not in units)
    if unknown:
        raise CommandError(f"Unknown current province code(s): {', '.join(unknown)}")
    keep = {
        key
        for key, row in units.items()
        if key[0] == CURRENT_SCHEME and (key[2] if key[1] == "province" else row["parent_code"]) in codes
    }
    keep |= {a for a, b in links if b in keep}
    for key in list(keep):  # ancestors, so that every parent is loaded
        row = units[key]
        while row["parent_kind"]:
            key = (key[0], row["parent_kind"], row["parent_code"])
            keep.add(key)
            row = units[key]
    return {k: units[k] for k in keep}, {(a, b) for a, b in links if a in keep and b in keep}


def parse_date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None
