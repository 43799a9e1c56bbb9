"""Backups: the database (pg_dump's custom format, or SQLite's online backup) and the media files, in one tar file.

    crowdsci-20261204T170000Z.tar
        manifest.json       what is inside, when, from which database
        database.pgdump     pg_dump --format=custom (PostgreSQL), or database.sqlite3 (SQLite)
        media.tar.gz        MEDIA_ROOT

Restoring replaces the database's contents (pg_restore --clean --if-exists, in one transaction) and unpacks the
media files over MEDIA_ROOT. pg_dump and pg_restore must be the server's major version or newer.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connections

MANIFEST = "manifest.json"
PG_DUMP = "database.pgdump"
SQLITE_DUMP = "database.sqlite3"
MEDIA = "media.tar.gz"


class BackupError(Exception):
    pass


def _pg_env_and_args(alias: str) -> tuple[dict[str, str], list[str]]:
    db = connections[alias].settings_dict
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    args = []
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    return env, args


def _run(command: list[str], env: dict[str, str]) -> None:
    # The command is pg_dump or pg_restore with arguments from settings, never from a request.
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed ({result.returncode}): {result.stderr.strip()[-2000:]}")


def backup(*, output_dir: Path, alias: str = "default") -> Path:
    """Write a backup file into ``output_dir`` and return its path."""
    connection = connections[alias]
    output_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = output_dir / f"crowdsci-{stamp}.tar"
    with tempfile.TemporaryDirectory() as work_dir:
        work = Path(work_dir)
        if connection.vendor == "postgresql":
            env, args = _pg_env_and_args(alias)
            dump = work / PG_DUMP
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-acl",
                    *args,
                    "--file",
                    str(dump),
                    "--dbname",
                    connection.settings_dict["NAME"],
                ],
                env,
            )
        elif connection.vendor == "sqlite":
            dump = work / SQLITE_DUMP
            connection.ensure_connection()
            with sqlite3.connect(dump) as copy:
                connection.connection.backup(copy)  # a consistent copy while others write
            copy.close()
        else:
            raise BackupError(f"no backup for {connection.vendor}")
        media = work / MEDIA
        with tarfile.open(media, "w:gz") as archive:
            media_root = Path(settings.MEDIA_ROOT)
            if media_root.is_dir():
                archive.add(media_root, arcname=".")
        manifest = {
            "created": stamp,
            "vendor": connection.vendor,
            "database": str(connection.settings_dict["NAME"]),
            "files": [dump.name, MEDIA],
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2))
        partial = target.with_suffix(".tar.partial")
        with tarfile.open(partial, "w") as archive:
            for name in (MANIFEST, dump.name, MEDIA):
                archive.add(work / name, arcname=name)
        partial.rename(target)  # a backup file is complete or absent
    return target


def read_manifest(path: Path) -> dict:
    with tarfile.open(path) as archive:
        member = archive.extractfile(MANIFEST)
        if member is None:
            raise BackupError(f"{path} is not a crowdsci backup (no {MANIFEST})")
        return json.loads(member.read())


def restore(*, path: Path, alias: str = "default") -> dict:
    """Replace the database's contents and the media files with the backup's; return its manifest."""
    connection = connections[alias]
    manifest = read_manifest(path)
    if manifest["vendor"] != connection.vendor:
        raise BackupError(f"this backup is of a {manifest['vendor']} database; DATABASE_URL is {connection.vendor}")
    with tempfile.TemporaryDirectory() as work_dir:
        work = Path(work_dir)
        with tarfile.open(path) as archive:
            archive.extractall(work, filter="data")
        if connection.vendor == "postgresql":
            env, args = _pg_env_and_args(alias)
            connection.close()
            _run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-acl",
                    "--single-transaction",
                    *args,
                    "--dbname",
                    connection.settings_dict["NAME"],
                    str(work / PG_DUMP),
                ],
                env,
            )
        else:
            connection.ensure_connection()
            with sqlite3.connect(work / SQLITE_DUMP) as source:
                source.backup(connection.connection)
            source.close()
            connection.close()
        media_root = Path(settings.MEDIA_ROOT)
        media_root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(work / MEDIA) as archive:
            archive.extractall(media_root, filter="data")
    return manifest


def prune(*, output_dir: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups in ``output_dir``; return what was deleted."""
    backups = sorted(output_dir.glob("crowdsci-*.tar"))
    doomed = backups[:-keep] if keep > 0 else []
    for old in doomed:
        old.unlink()
    return doomed
