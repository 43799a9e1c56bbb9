"""``manage.py restore FILE``: replace the database's contents and the media files with a backup's."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from crowdsci.core.backup import BackupError, read_manifest, restore


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` into DATABASE_URL and MEDIA_ROOT (replaces what is there)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="The backup file (crowdsci-….tar).")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, file: str, yes: bool, **options) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{path} does not exist")
        try:
            manifest = read_manifest(path)
        except Exception as error:
            raise CommandError(f"{path} is not a crowdsci backup: {error}") from error
        target = str(connection.settings_dict["NAME"])
        if not yes:
            if not sys.stdin.isatty():
                raise CommandError("restoring replaces the database's contents: add --yes to confirm")
            answer = input(
                f"Replace the contents of database {target!r} and the media files with the backup of "
                f"{manifest['database']!r} made {manifest['created']}? Type the database name to go on: "
            )
            if answer.strip() != target:
                raise CommandError("not restored")
        try:
            restore(path=path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"restored {path} into {target}")
