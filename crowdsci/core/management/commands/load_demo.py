"""Load the demo data set: member libraries, people with each role, and catalog guides. Safe to run twice."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from crowdsci.catalog.demo import load_demo_catalog
from crowdsci.network.demo import demo_logins, load_demo_network


class Command(BaseCommand):
    help = "Load demo data (idempotent) and print the demo logins. Refused in production."

    def handle(self, *args: object, **options: object) -> None:
        if settings.PRODUCTION:
            raise CommandError("Demo data is never loaded in production.")
        load_demo_network()
        load_demo_catalog()
        self.stdout.write(self.style.SUCCESS("Demo data is loaded. Demo logins (demo only, never in production):"))
        for email, password, description in demo_logins():
            self.stdout.write(f"  {email:<34} password: {password}   ({description})")
