"""Citizen Science Month speed: the calendar, the map data and the event list of an edition with 50 events and with
5,000 events and 200,000 registrations; and the network iCalendar feed at both sizes (time and size).

Run: ``.venv/bin/python bench/bench_events.py`` (part of ``make bench``). For each database, a child process
migrates two throwaway databases (SQLite files under /tmp; PostgreSQL databases ``crowdsci_bench_events_50`` and
``crowdsci_bench_events_5000`` that this script creates and drops), loads the edition in bulk (hosts in every
region, events over April in their own time zones, 40 registrations per event on average in the large one), and
times the same pages through Django's test client on both, taking turns request by request so that load from
elsewhere on the machine falls on both sizes alike. Figures are p95 milliseconds, rendered templates included.
Target: p95 under 50 ms, and the 5,000-event figure within 2x of the 50-event one.

Set BENCH_DATABASES=sqlite (or postgresql) to run one database; BENCH_PG_URL to use another server.
"""

from __future__ import annotations

import datetime
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
PG_SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
PG_DATABASE = "crowdsci_bench_events"
SIZES = (50, 5_000)
REGISTRATIONS = {50: 2_000, 5_000: 200_000}
YEAR = 2031
WARMUP = 3
REQUESTS = 60  # p95 of 60: two or three spikes from a shared machine do not decide a verdict
FEED_REQUESTS = 3
TARGET_MS = 50.0
PAGES = {
    "list": "/citizen-science-month/events/",
    "list, page 3, region": "/citizen-science-month/events/?region=region-3&page=3",
    "month grid": f"/citizen-science-month/events/?view=month&month={YEAR}-04",
    "month, 2 filters": f"/citizen-science-month/events/?view=month&month={YEAR}-04&region=region-2&format=in_person",
    "map data": "/citizen-science-month/events/map.json",
    "map data, state": "/citizen-science-month/events/map.json?state=TX",
    "event page": "/citizen-science-month/events/bench-event-7/",
    # The map data and the month grid are cached per state of the events (their count and newest change); these
    # rows clear the cache before every request, to show what a build costs after a change.
    "month, 2 filters, cold": f"/citizen-science-month/events/?view=month&month={YEAR}-04&region=region-2"
    "&format=in_person",
    "map data, cold": "/citizen-science-month/events/map.json",
}
COLD = {label for label in PAGES if label.endswith(", cold")}
ZONES = {
    1: "America/New_York",
    2: "America/New_York",
    3: "America/Chicago",
    4: "America/Denver",
    5: "America/Los_Angeles",
    6: "America/Chicago",
    7: "America/New_York",
}


def child(database_urls: list[str]) -> None:
    os.environ["DATABASE_URL"] = database_urls[0]
    os.environ["DJANGO_SETTINGS_MODULE"] = "crowdsci.settings"
    os.environ["CROWDSCI_PROFILE"] = "test"
    os.environ.setdefault("DEBUG", "false")
    # Connections kept between requests, as in production (the test profile closes them after each request,
    # which on PostgreSQL adds a new connection's cost to every page at both sizes).
    os.environ.setdefault("DATABASE_CONN_MAX_AGE", "60")
    sys.path.insert(0, str(REPO_ROOT))
    import dj_database_url
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections
    from django.db.utils import load_backend
    from django.test import Client

    wrappers = {}
    for size, url in zip(SIZES, database_urls, strict=True):
        settings_dict = {**connection.settings_dict, "NAME": dj_database_url.parse(url)["NAME"]}
        wrappers[size] = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias="default")

    def use(size: int) -> None:
        connections["default"] = wrappers[size]

    from crowdsci.catalog.taxonomy_data import ensure_taxonomy
    from crowdsci.network.reference_data import ensure_reference_data

    client = Client()
    load_seconds = {}
    for size in SIZES:
        use(size)
        call_command("migrate", verbosity=0)
        ensure_reference_data()
        ensure_taxonomy()
        started = time.perf_counter()
        generate(size=size, registrations=REGISTRATIONS[size], rng=random.Random(20261204))  # not security
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        load_seconds[size] = time.perf_counter() - started
        print(f"{connection.vendor}: {size} events loaded in {load_seconds[size]:.1f} s", file=sys.stderr, flush=True)
    from django.core.cache import cache

    for label, url in PAGES.items():
        timings: dict[int, list[float]] = {size: [] for size in SIZES}
        for size in SIZES:
            use(size)
            for _ in range(WARMUP):
                assert client.get(url).status_code == 200, url
        for request in range(REQUESTS):
            for size in SIZES if request % 2 == 0 else SIZES[::-1]:
                use(size)
                if label in COLD:
                    cache.clear()
                t0 = time.perf_counter()
                response = client.get(url)
                timings[size].append((time.perf_counter() - t0) * 1000)
                assert response.status_code == 200
        for size in SIZES:
            print(
                json.dumps(
                    {
                        "vendor": connection.vendor,
                        "size": size,
                        "page": label,
                        "p95": statistics.quantiles(timings[size], n=20)[18],
                        "median": statistics.median(timings[size]),
                        "load_s": load_seconds[size],
                    }
                ),
                flush=True,
            )
    feeds = {
        "iCalendar": "/citizen-science-month/events/feed.ics",
        "JSON-LD": "/citizen-science-month/events/feed.jsonld",
    }
    for size in SIZES:
        use(size)
        for feed, url in feeds.items():
            feed_ms, feed_bytes = [], 0
            cache.clear()  # the first request builds the feed; the next ones find it in the cache until a change
            for _ in range(FEED_REQUESTS):
                t0 = time.perf_counter()
                response = client.get(url)
                feed_bytes = len(response.content)
                feed_ms.append((time.perf_counter() - t0) * 1000)
            row = {"vendor": connection.vendor, "size": size, "feed_ms": feed_ms[0],
                   "feed_cached_ms": min(feed_ms[1:])}
            print(json.dumps({**row, "feed_bytes": feed_bytes, "feed": feed}))


def generate(*, size: int, registrations: int, rng: random.Random) -> None:
    """An edition in bulk: about one host per ten events in every region, events over April, registrations."""
    import zoneinfo

    from django.db import transaction

    from crowdsci.catalog.models import Term
    from crowdsci.events.models import Edition, Event, FeaturedProject, Host, Registration
    from crowdsci.network.models import Jurisdiction, Organization

    jurisdictions = list(Jurisdiction.objects.select_related("region").order_by("code"))
    audiences = list(Term.objects.filter(category__slug="audiences").values_list("pk", flat=True))
    with transaction.atomic():
        edition = Edition.objects.create(
            year=YEAR,
            starts_on=datetime.date(YEAR, 4, 1),
            ends_on=datetime.date(YEAR, 4, 30),
            signup_deadline=datetime.date(YEAR, 3, 15),
            partner="SciStarter",
        )
        projects = FeaturedProject.objects.bulk_create(
            FeaturedProject(
                slug=f"bench-project-{i}",
                title=f"Project {i}",
                description="Bench.",
                url=f"https://p.example.org/{i}",
                setting="both",
            )
            for i in range(20)
        )
        host_count = max(size // 10, 5)
        organizations = Organization.objects.bulk_create(
            Organization(
                name=f"Bench Library {i}",
                slug=f"bench-library-{i}",
                type="public",
                city=f"Town {i}",
                jurisdiction=jurisdictions[i % len(jurisdictions)],
                latitude=round(rng.uniform(30, 47), 4),
                longitude=round(rng.uniform(-120, -72), 4),
            )
            for i in range(host_count)
        )
        hosts = Host.objects.bulk_create(
            Host(
                edition=edition,
                organization=organization,
                contact_name="Bench",
                contact_email="b@example.org",
                format="in_person",
                expected_attendance=40,
                shipping_address="1 Main",
                status="approved",
            )
            for organization in organizations
        )
    capacities = []
    batch = 1000
    for offset in range(0, size, batch):
        events = []
        for i in range(offset, min(offset + batch, size)):
            host = hosts[i % len(hosts)]
            organization = organizations[i % len(organizations)]
            zone = zoneinfo.ZoneInfo(ZONES[organization.jurisdiction.region.number])
            day, hour = rng.randint(1, 30), rng.randint(9, 18)
            start = datetime.datetime(YEAR, 4, day, hour, tzinfo=zone)
            capacity = rng.choice((None, 20, 40, 60, 80))
            capacities.append(capacity)
            format = rng.choice(("in_person", "in_person", "in_person", "virtual", "hybrid"))
            events.append(
                Event(
                    host=host,
                    edition=edition,
                    slug=f"bench-event-{i}",
                    title=f"Bench event {i}",
                    description="Counting things together. " * 10,
                    starts_at=start,
                    ends_at=start + datetime.timedelta(hours=2),
                    timezone=zone.key,
                    local_date=start.date(),
                    format=format,
                    city="" if format == "virtual" else organization.city,
                    jurisdiction=organization.jurisdiction,
                    latitude=None if format == "virtual" else organization.latitude,
                    longitude=None if format == "virtual" else organization.longitude,
                    location_source="" if format == "virtual" else "organization",
                    virtual_url="" if format == "in_person" else "https://meet.example.org/x",
                    capacity=capacity,
                    language=rng.choice(("en", "en", "en", "es", "vi")),
                )
            )
        with transaction.atomic():
            created = Event.objects.bulk_create(events)
            Event.projects.through.objects.bulk_create(
                Event.projects.through(event_id=event.pk, featuredproject_id=rng.choice(projects).pk)
                for event in created
            )
            Event.audiences.through.objects.bulk_create(
                Event.audiences.through(event_id=event.pk, term_id=rng.choice(audiences)) for event in created
            )
    event_ids = list(Event.objects.order_by("pk").values_list("pk", flat=True))
    taken = dict.fromkeys(event_ids, 0)
    caps = dict(zip(event_ids, capacities, strict=True))
    rows = []
    for n in range(registrations):
        event_id = event_ids[rng.randrange(len(event_ids))]
        party = rng.choice((1, 1, 1, 2, 3))
        confirmed = caps[event_id] is None or taken[event_id] + party <= caps[event_id]
        if confirmed:
            taken[event_id] += party
        rows.append(
            Registration(
                event_id=event_id,
                name=f"Person {n}",
                email=f"person{n}@example.org",
                party_size=party,
                status="confirmed" if confirmed else "waitlisted",
            )
        )
        if len(rows) == 10_000:
            Registration.objects.bulk_create(rows)
            rows = []
    Registration.objects.bulk_create(rows)
    with transaction.atomic():
        for event_id, count in taken.items():
            if count:
                Event.objects.filter(pk=event_id).update(places_taken=count)


def run_child(database_urls: list[str]) -> list[dict]:
    completed = subprocess.run(
        [sys.executable, __file__, "--child", *database_urls],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout + completed.stderr)
        raise SystemExit(f"bench child for {database_urls[0].split('@')[-1]} failed")
    sys.stderr.write(completed.stderr)
    return [json.loads(line) for line in completed.stdout.splitlines() if line.startswith("{")]


def postgres_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def main() -> None:
    wanted = os.environ.get("BENCH_DATABASES", "sqlite,postgresql").split(",")
    print(f"load average at the start {os.getloadavg()[0]:.2f} (1 min) on {os.cpu_count()} cores", flush=True)
    rows: list[dict] = []
    started = time.perf_counter()
    if "sqlite" in wanted:
        with tempfile.TemporaryDirectory(prefix="crowdsci-bench-events-") as directory:
            rows += run_child([f"sqlite:///{directory}/bench-{size}.sqlite3" for size in SIZES])
    if "postgresql" in wanted:
        databases = [f"{PG_DATABASE}_{size}" for size in SIZES]
        for name in databases:
            postgres_admin(f"DROP DATABASE IF EXISTS {name}")
            postgres_admin(f"CREATE DATABASE {name}")
        try:
            rows += run_child([f"{PG_SERVER}/{name}" for name in databases])
        finally:
            for name in databases:
                postgres_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    feeds = [r for r in rows if "feed_ms" in r]
    rows = [r for r in rows if "feed_ms" not in r]
    small, large = SIZES
    print(
        f"Citizen Science Month pages through Django's test client, p95 of {REQUESTS} requests (ms); target "
        f"< {TARGET_MS:.0f} ms and {large:,} events ({REGISTRATIONS[large]:,} registrations) within 2x of "
        f"{small:,}."
    )
    print(f"{'database':<11} {'page':<24} {small:>8,} {large:>8,} {'ratio':>6}  verdict   (medians, ratio)")
    failed = False
    for vendor in dict.fromkeys(r["vendor"] for r in rows):
        for page in PAGES:
            by_size = {r["size"]: r for r in rows if r["vendor"] == vendor and r["page"] == page}
            p_small, p_large = by_size[small]["p95"], by_size[large]["p95"]
            ratio = p_large / p_small
            ok = p_large < TARGET_MS and ratio <= 2.0
            failed |= not ok
            print(
                f"{vendor:<11} {page:<24} {p_small:>8.1f} {p_large:>8.1f} {ratio:>5.2f}x  {'ok' if ok else 'MISSED':<8}"
                f"  ({by_size[small]['median']:.1f} / {by_size[large]['median']:.1f}, "
                f"{by_size[large]['median'] / by_size[small]['median']:.2f}x)"
            )
    for r in feeds:
        print(
            f"{r['vendor']:<11} network {r['feed']} feed, {r['size']:>5,} events: built in {r['feed_ms']:.0f} ms, "
            f"then {r.get('feed_cached_ms', 0):.1f} ms from the cache; {r['feed_bytes'] / 1024:.0f} KiB"
        )
    loads = {r["vendor"]: r["load_s"] for r in rows if r["size"] == large}
    print("bulk load of the large edition (s): " + ", ".join(f"{v} {s:.1f}" for v, s in loads.items()))
    print(
        f"total {time.perf_counter() - started:.0f} s; load average at the end {os.getloadavg()[0]:.2f} (1 min), "
        f"{os.getloadavg()[1]:.2f} (5 min) on {os.cpu_count()} cores"
    )
    if failed and os.environ.get("BENCH_STRICT") == "1":
        raise SystemExit(1)


if __name__ == "__main__":
    if len(sys.argv) == 2 + len(SIZES) and sys.argv[1] == "--child":
        child(sys.argv[2:])
    else:
        main()
