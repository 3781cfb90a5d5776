"""Backups a person can trust (issue 13): `manage.py backup_archive` writes one dated archive with the database
and the private files; `restore_archive` restores it into a fresh database and verifies every table's row count
and every file's checksum. The test compares the restored copy with the original itself, table by table and
file by file, and shows that a tampered archive is refused."""

from __future__ import annotations

import io
import json
import secrets
import tarfile
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from childprotect.backups import connect_to, file_checksums, table_counts
from tests.conftest import make_case

pytestmark = pytest.mark.django_db(transaction=True)


def _counts_of(database: str) -> dict[str, int]:
    with connect_to(database) as conn:
        return table_counts(conn.cursor())


def _drop(database: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def test_a_backup_restores_into_a_fresh_database_with_every_row_and_file(personas, settings, tmp_path):
    private = tmp_path / "private"
    (private / "attachments" / "7").mkdir(parents=True)
    (private / "attachments" / "7" / "a.pdf").write_bytes(b"%PDF-1.7 " + secrets.token_bytes(5000))
    (private / "reports" / "3").mkdir(parents=True)
    (private / "reports" / "3" / "r.xlsx").write_bytes(secrets.token_bytes(20000))
    settings.PRIVATE_MEDIA_ROOT = private
    make_case(personas.officer_a1, personas.commune_a1)
    with connection.cursor() as cursor:
        original = table_counts(cursor)
    started = time.monotonic()
    out = io.StringIO()
    call_command("backup_archive", "--output", str(tmp_path / "backups"), stdout=out)
    archive = out.getvalue().strip()
    assert archive.endswith(".tar.gz") and "childprotect-" in archive
    database = f"restored_{secrets.token_hex(4)}"
    restored_files = tmp_path / "restored"
    try:
        out = io.StringIO()
        call_command("restore_archive", archive, "--into", database, "--files", str(restored_files), stdout=out)
        elapsed = time.monotonic() - started
        assert out.getvalue().startswith("verified:")
        # Checked here too, independently of the command's own check.
        assert _counts_of(database) == original
        assert original["cases_case"] == 1 and original["childprotect_auditevent"] > 0
        assert file_checksums(restored_files) == file_checksums(private) and len(file_checksums(private)) == 2
        print(f"\nbackup + restore + verification: {len(original)} tables, {sum(original.values())} rows, 2 files, "
              f"{elapsed:.1f}s")  # fmt: skip
    finally:
        _drop(database)


def test_a_tampered_archive_is_refused(personas, settings, tmp_path):
    private = tmp_path / "private"
    private.mkdir()
    (private / "note.txt").write_text("original")
    settings.PRIVATE_MEDIA_ROOT = private
    out = io.StringIO()
    call_command("backup_archive", "--output", str(tmp_path), stdout=out)
    archive = out.getvalue().strip()
    # Rewrite the archive with one file changed.
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(tampered, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read() if member.isfile() else None
            if member.name == "files/note.txt":
                data = b"changed!"
                member.size = len(data)
            target.addfile(member, io.BytesIO(data) if data is not None else None)
        manifest = json.loads(source.extractfile("manifest.json").read())
    assert "note.txt" in manifest["files"]
    database = f"restored_{secrets.token_hex(4)}"
    try:
        with pytest.raises(CommandError, match="1 files differ"):
            call_command("restore_archive", str(tampered), "--into", database, "--files", str(tmp_path / "r"))
    finally:
        _drop(database)
