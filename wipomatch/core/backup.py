"""Backups in one archive: the database (pg_dump's custom format, or a consistent copy of a
SQLite file) and every uploaded file under MEDIA_ROOT, with a manifest. `manage.py backup` and
`manage.py restore` call these; docs/operations.md says when and how.

A restore goes into an empty database (or, with `replace`, drops what is there first) and puts
the files back under MEDIA_ROOT; the manifest's row counts are checked after the restore.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection

FORMAT = 1
DUMP_NAME = "database.dump"
SQLITE_NAME = "database.sqlite3"
MANIFEST_NAME = "manifest.json"
MEDIA_DIR = "media"


class BackupError(Exception):
    """A backup or a restore that cannot be done, with the reason."""


@dataclass
class BackupReport:
    path: Path
    engine: str
    tables: int
    rows: int
    files: int
    bytes: int


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor


def _pg_env() -> dict[str, str]:
    db = connection.settings_dict
    env = {**os.environ}
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[name] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _run(argv: list[str]) -> None:
    try:
        subprocess.run(argv, env=_pg_env(), check=True, capture_output=True, text=True)  # noqa: S603
    except FileNotFoundError as error:
        raise BackupError(f"{argv[0]} is not installed (PostgreSQL client tools).") from error
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{argv[0]} failed: {error.stderr.strip()[:2000]}") from error


def row_counts() -> dict[str, int]:
    """Rows per table of every installed model (and the tables Django itself keeps)."""
    tables = sorted(
        {m._meta.db_table for m in apps.get_models(include_auto_created=True)}
        & set(connection.introspection.table_names())
    )
    counts = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def media_files(root: Path) -> dict[str, str]:
    """Relative path → SHA-256 of every file under `root`."""
    files = {}
    if root.is_dir():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            files[path.relative_to(root).as_posix()] = digest
    return files


def backup_create(*, path: Path | None = None) -> BackupReport:
    """Write the archive (default: var/backups/wipomatch-<UTC time>.tar.gz) and return what it holds."""
    engine = _engine()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = Path(path or Path(settings.VAR_DIR) / "backups" / f"wipomatch-{stamp}.tar.gz")
    path.parent.mkdir(parents=True, exist_ok=True)
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        counts = row_counts()
        if engine == "postgresql":
            name = connection.settings_dict["NAME"]
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                  f"--file={work / DUMP_NAME}", name])  # fmt: skip
            database_file = DUMP_NAME
        else:
            target = sqlite3.connect(work / SQLITE_NAME)
            connection.ensure_connection()
            with target:
                connection.connection.backup(target)
            target.close()
            database_file = SQLITE_NAME
        files = media_files(media_root)
        manifest = {
            "format": FORMAT,
            "created_at": datetime.now(UTC).isoformat(),
            "engine": engine,
            "database": database_file,
            "rows": counts,
            "media": files,
        }
        (work / MANIFEST_NAME).write_text(json.dumps(manifest, indent=1, sort_keys=True))
        partial = path.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(work / MANIFEST_NAME, arcname=MANIFEST_NAME)
            archive.add(work / database_file, arcname=database_file)
            for relative in files:
                archive.add(media_root / relative, arcname=f"{MEDIA_DIR}/{relative}")
        partial.replace(path)  # a backup is either whole or absent
    return BackupReport(
        path=path,
        engine=engine,
        tables=len(counts),
        rows=sum(counts.values()),
        files=len(files),
        bytes=path.stat().st_size,
    )


def _read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        member = archive.extractfile(MANIFEST_NAME)
    except KeyError as error:
        raise BackupError("Not a WIPO Match backup: no manifest.json.") from error
    manifest = json.loads(member.read())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    return manifest


def _database_is_empty() -> bool:
    return not (set(connection.introspection.table_names()) - {"spatial_ref_sys"})


def backup_restore(*, path: Path, replace: bool = False) -> BackupReport:
    """Restore the archive's database and files; refuses a non-empty database or media folder
    unless `replace` (then what is there is dropped first). Checks the row counts after."""
    engine = _engine()
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No backup at {path}.")
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(path, "r:gz") as archive, tempfile.TemporaryDirectory() as tmp:
        manifest = _read_manifest(archive)
        if manifest["engine"] != engine:
            raise BackupError(
                f"This backup is of a {manifest['engine']} database; this one is {engine}."
            )
        if not replace:
            if not _database_is_empty():
                raise BackupError(
                    "The database is not empty: restore into an empty one, or --replace."
                )
            if media_files(media_root):
                raise BackupError(f"{media_root} holds files: move them away, or --replace.")
        archive.extractall(tmp, filter="data")
        work = Path(tmp)
        connection.close()
        if engine == "postgresql":
            name = connection.settings_dict["NAME"]
            argv = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                    "--single-transaction", f"--dbname={name}"]  # fmt: skip
            if replace:
                argv[1:1] = ["--clean", "--if-exists"]
            _run([*argv, str(work / DUMP_NAME)])
        else:
            source = sqlite3.connect(work / SQLITE_NAME)
            connection.ensure_connection()
            with source:
                source.backup(connection.connection)
            source.close()
        if replace and media_root.exists():
            shutil.rmtree(media_root)
        media_root.mkdir(parents=True, exist_ok=True)
        for relative in manifest["media"]:
            target = media_root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(work / MEDIA_DIR / relative, target)
    connection.close()
    counts = row_counts()
    wrong = {t: (n, counts.get(t)) for t, n in manifest["rows"].items() if counts.get(t) != n}
    if wrong:
        raise BackupError(f"Restored row counts differ from the backup's: {wrong}")
    restored = media_files(media_root)
    if any(restored.get(p) != digest for p, digest in manifest["media"].items()):
        raise BackupError("Restored files differ from the backup's.")
    return BackupReport(
        path=path,
        engine=engine,
        tables=len(counts),
        rows=sum(counts.values()),
        files=len(manifest["media"]),
        bytes=path.stat().st_size,
    )
