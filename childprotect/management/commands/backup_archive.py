"""python manage.py backup_archive [--output DIR]   (make backup)

One dated archive, DIR/childprotect-YYYYmmdd-HHMMSS.tar.gz: the database (pg_dump) and the private files
(PRIVATE_MEDIA_ROOT), with a manifest of every table's row count and every file's SHA-256 (childprotect/backups.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from childprotect.backups import BackupError, make_backup


class Command(BaseCommand):
    help = "Back up the database and the private files into one dated, checksummed archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / ".devdata" / "backups"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            archive = make_backup(Path(options["output"]), Path(settings.PRIVATE_MEDIA_ROOT))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(archive))
