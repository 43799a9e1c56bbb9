from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from crowdsci.network import services
from crowdsci.network.errors import NetworkError
from crowdsci.network.organization_csv import COLUMNS, decode_upload


class Command(BaseCommand):
    help = (
        "Create or update member organizations from a UTF-8 CSV file, all rows or none. "
        f"Header (line 1): {','.join(COLUMNS)}. type is one of academic, hospital, public, community, other; "
        "state is the USPS code; affiliations are codes separated by semicolons (arsl;abos); member_since is "
        "YYYY-MM-DD. An organization with the same name, city and state is updated, not duplicated."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the CSV file")
        parser.add_argument("--dry-run", action="store_true", help="check the file and show what it would do")

    def handle(self, *args, file: Path, dry_run: bool, **options) -> None:
        try:
            text = decode_upload(file.read_bytes())
            report = services.organizations_import_csv(actor=None, text=text, dry_run=dry_run)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        except NetworkError as error:
            raise CommandError(error.message) from error
        if not report.ok:
            for row_error in report.errors:
                self.stderr.write(str(row_error))
            raise CommandError(f"{len(report.errors)} error(s) in {file}; nothing was imported.")
        if dry_run:
            for row in report.rows:
                self.stdout.write(f"line {row.line}: {row.action} {row.name} ({row.city}, {row.state})")
            self.stdout.write(
                f"Dry run: would create {report.to_create} and update {report.to_update}; nothing stored."
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"Created {report.to_create}, updated {report.to_update}."))
