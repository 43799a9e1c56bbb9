"""Load every app's demo data, in order, and print the demo logins. Safe to run twice."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from crowdsci.site.navigation import demo_loaders


class Command(BaseCommand):
    help = "Load demo data (idempotent) and print the demo logins. Refused in production."

    def handle(self, *args: object, **options: object) -> None:
        if settings.PRODUCTION:
            raise CommandError("Demo data is never loaded in production.")
        logins: list[tuple[str, str, str]] = []
        for config in demo_loaders():
            config.demo_load()
            if callable(getattr(config, "demo_logins", None)):
                logins += config.demo_logins()
        self.stdout.write(self.style.SUCCESS("Demo data is loaded. Demo logins (demo only, never in production):"))
        for email, password, description in logins:
            self.stdout.write(f"  {email:<34} password: {password}   ({description})")
