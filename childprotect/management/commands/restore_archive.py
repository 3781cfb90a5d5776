"""python manage.py restore_archive ARCHIVE --into DATABASE [--files DIR]   (make restore ARCHIVE=…)

Restores a backup_archive into a NEW database on the same server and its files into an empty folder (default
PRIVATE_MEDIA_ROOT), then checks every table's row count and every file's SHA-256 against the archive's manifest.
Point DATABASE_URL (and PRIVATE_MEDIA_ROOT) at the restored copy once it says "verified".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from childprotect.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup archive into a new database and verify it against the archive's manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive")
        parser.add_argument("--into", required=True, help="name of the new database to restore into")
        parser.add_argument("--files", default=str(settings.PRIVATE_MEDIA_ROOT), help="an empty folder")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = restore_backup(
                Path(options["archive"]), database=options["into"], files_root=Path(options["files"])
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"verified: {result.tables} tables, {result.rows} rows and {result.files} files match the backup "
            f"(database {options['into']}, files in {options['files']})"
        )
