"""``manage.py backup``: the database and the media files in one file (see crowdsci/core/backup.py)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from crowdsci.core.backup import BackupError, backup, prune


class Command(BaseCommand):
    help = "Back up the database (pg_dump custom format, or SQLite's backup) and MEDIA_ROOT into one .tar file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", default=str(settings.BACKUP_DIR), help="Directory for the backup file.")
        parser.add_argument("--keep", type=int, default=0, help="Then delete all but the newest N backups there.")

    def handle(self, *args, output: str, keep: int, **options) -> None:
        try:
            path = backup(output_dir=Path(output))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(path))
        for old in prune(output_dir=Path(output), keep=keep) if keep else []:
            self.stderr.write(f"deleted {old}")
