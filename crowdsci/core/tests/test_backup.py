"""A backup restored into a fresh database holds the same rows, and the media files come back."""

import sqlite3
import subprocess
import sys
from io import StringIO

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from psycopg import sql

from crowdsci.core.backup import read_manifest
from crowdsci.core.models import AuditEntry
from crowdsci.core.tests.processes import ROOT, child_env


def _restore_in_a_process(path, *, database_url: str, media_root) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(path), "--yes"],
        cwd=ROOT,
        env=child_env(DATABASE_URL=database_url, MEDIA_ROOT=str(media_root)),
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def some_rows_and_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "kits" / "audio").mkdir(parents=True)
    (settings.MEDIA_ROOT / "kits" / "audio" / "track-01.mp3").write_bytes(b"ID3 not really audio")
    for n in range(3):
        AuditEntry.objects.create(
            action="backup.test", object_type="test", object_id=str(n), reason=f"r\u00e9sum\u00e9 {n}"
        )
    return sorted(AuditEntry.objects.values_list("reason", flat=True))


@pytest.fixture
def fresh_postgres_database():
    name = f"{connection.settings_dict['NAME']}_restore"
    params = {
        key: value for key, value in connection.get_connection_params().items() if key in {"user", "host", "port"}
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield name, params
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.mark.django_db(transaction=True)
def test_postgresql_backup_restores_into_a_fresh_database(some_rows_and_media, tmp_path, request):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump and pg_restore: PostgreSQL only (the SQLite test is below)")
    all_names = some_rows_and_media
    name, params = request.getfixturevalue("fresh_postgres_database")
    call_command("backup", "--output", str(tmp_path / "backups"), stdout=StringIO())
    (path,) = (tmp_path / "backups").glob("crowdsci-*.tar")
    assert read_manifest(path)["vendor"] == "postgresql"

    user, host, port = params.get("user", "postgres"), params.get("host", "127.0.0.1"), params.get("port", 5432)
    url = f"postgres://{user}@{host}:{port}/{name}"
    result = _restore_in_a_process(path, database_url=url, media_root=tmp_path / "restored-media")
    assert result.returncode == 0, result.stderr

    with psycopg.connect(dbname=name, **params) as restored:
        restored_names = [row[0] for row in restored.execute("SELECT reason FROM core_auditentry ORDER BY reason")]
        migrations = restored.execute("SELECT count(*) FROM django_migrations").fetchone()[0]
    assert restored_names == all_names
    assert migrations > 10
    assert (tmp_path / "restored-media" / "kits" / "audio" / "track-01.mp3").read_bytes() == b"ID3 not really audio"


@pytest.mark.django_db(transaction=True)
def test_sqlite_backup_restores_into_a_fresh_database(some_rows_and_media, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the PostgreSQL test is above")
    all_names = some_rows_and_media
    call_command("backup", "--output", str(tmp_path / "backups"), stdout=StringIO())
    (path,) = (tmp_path / "backups").glob("crowdsci-*.tar")
    fresh = tmp_path / "fresh.sqlite3"
    result = _restore_in_a_process(path, database_url=f"sqlite:///{fresh}", media_root=tmp_path / "restored-media")
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(fresh) as restored:
        restored_names = [row[0] for row in restored.execute("SELECT reason FROM core_auditentry ORDER BY reason")]
    assert restored_names == all_names
    assert (tmp_path / "restored-media" / "kits" / "audio" / "track-01.mp3").read_bytes() == b"ID3 not really audio"


def test_restore_refuses_without_confirmation(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "restore", str(tmp_path / "missing.tar")],
        cwd=ROOT,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode != 0 and "does not exist" in result.stderr
