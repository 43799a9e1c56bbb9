"""Catalog speed: browse with three facets and full-text search, with 200 and with 20,000 guides.

Run: ``.venv/bin/python bench/bench_catalog.py`` (part of ``make bench``). For each database, a child process
migrates two throwaway databases (SQLite files under /tmp; PostgreSQL databases ``crowdsci_bench_200`` and
``crowdsci_bench_20000`` that this script creates and drops), generates 200 guides in bulk in one and 20,000 in the
other (the same 200 first), and times the same pages through Django's test client on both, taking turns
request by request so that load from elsewhere on the machine falls on both sizes alike. Figures are p95
milliseconds over the same requests, rendered templates included. Target: p95 under 50 ms, and the 20,000-guide
figure within 2x of the 200-guide one.

Also printed: the first request after a catalog write, which rebuilds the process's facet index.

Set BENCH_DATABASES=sqlite (or postgresql) to run one database; BENCH_PG_URL to use another server.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
PG_SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
PG_DATABASE = "crowdsci_bench"
SIZES = (200, 20_000)
WARMUP = 5
REQUESTS = 80
TARGET_MS = 50.0
PAGES = {
    "browse, no filter": "/guides/",
    "browse, 1 facet": "/guides/?topics=health-literacy",
    "browse, 3 facets": "/guides/?topics=health-literacy&audiences=public-libraries&regions=region-3",
    "search": "/guides/?q=literacy+outreach",
    "search + 3 facets": "/guides/?q=literacy&topics=health-literacy&audiences=public-libraries&regions=region-3",
}

# English words for generated text, placed among generated words by vocabulary(); choices() weights words by
# 1/rank (Zipf-like), so the catalog has common and rare words the way real text does.
COMMON = [
    "library", "health", "information", "community", "program", "patrons", "staff", "guide", "resources", "public",
    "training", "data", "services", "literacy", "outreach", "research", "medical", "science", "support", "access",
    "learning", "members", "region", "network", "digital", "collection", "online", "workshop", "partners", "local",
    "evaluation", "funding", "grants", "plan", "project", "materials", "toolkit", "students", "educators", "teens",
    "families", "seniors", "rural", "clinic", "hospital", "nurses", "researchers", "evidence", "citation",
    "wikipedia", "citizen", "kits", "water", "testing", "environment", "survey", "map", "volunteers", "event",
    "class", "webinar", "presentation",
]


def vocabulary(rng: random.Random) -> list[str]:
    """About 6,000 words; the English ones sit at ranks 200-260, so a search for two of them matches a few
    percent of the catalog (a specific query), not most of it."""
    syllables = ["ba", "ce", "di", "fo", "gu", "ha", "ki", "lo", "me", "nu", "pa", "ri", "so", "ta", "ve", "zo"]
    generated = sorted({"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(6000)})
    rng.shuffle(generated)
    return generated[:200] + COMMON + generated[200:]


def child(database_urls: list[str]) -> None:
    """Runs in a fresh process with one database per catalog size: migrate, load, time, print one JSON line per
    figure. The sizes take turns request by request, so that load from other processes on the machine falls on
    both sides of a ratio alike instead of on whichever size happened to be timed during it."""
    os.environ["DATABASE_URL"] = database_urls[0]
    os.environ["DJANGO_SETTINGS_MODULE"] = "crowdsci.settings"
    os.environ["CROWDSCI_PROFILE"] = "test"
    os.environ.setdefault("DEBUG", "false")
    sys.path.insert(0, str(REPO_ROOT))
    import dj_database_url
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections
    from django.db.utils import load_backend
    from django.test import Client

    # One open connection per database; ``use`` makes one of them the default, which every query of the site goes
    # through, so consecutive requests can go to different sizes at no cost. Each database also keeps its own
    # facet index in this process (the index is kept per database name): a switch rebuilds nothing.
    wrappers = {}
    for size, url in zip(SIZES, database_urls, strict=True):
        settings_dict = {**connection.settings_dict, "NAME": dj_database_url.parse(url)["NAME"]}
        wrappers[size] = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias="default")

    def use(size: int) -> None:
        connections["default"] = wrappers[size]

    from crowdsci.catalog.taxonomy_data import ensure_taxonomy

    client = Client()
    load_seconds = {}
    for size in SIZES:
        use(size)
        call_command("migrate", verbosity=0)
        ensure_taxonomy()
        started = time.perf_counter()
        # The same seed for each database: the large catalog is the small one and more guides.
        rng = random.Random(20261125)  # reproducible test data, not security
        words = vocabulary(rng)
        weights = list(itertools.accumulate(1 / (rank + 10) for rank in range(len(words))))
        loaded = 0
        for step in SIZES[: SIZES.index(size) + 1]:
            generate_guides(start=loaded, count=step - loaded, rng=rng, words=words, weights=weights)
            loaded = step
        with connection.cursor() as cursor:
            # Fresh statistics, and on PostgreSQL the visibility map that index-only scans need: what autovacuum
            # would have done on a live site after a load this size.
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        load_seconds[size] = time.perf_counter() - started
        print(f"{connection.vendor}: {size} guides loaded in {load_seconds[size]:.1f} s", file=sys.stderr, flush=True)
        # The first request after a catalog write rebuilds this process's facet index: timed apart, so that the
        # steady-state figures below do not hide it.
        cold = []
        for _ in range(5):
            with connection.cursor() as cursor:
                cursor.execute("UPDATE catalog_catalogstamp SET token = token + 1")
            t0 = time.perf_counter()
            assert client.get(PAGES["browse, 3 facets"]).status_code == 200
            cold.append((time.perf_counter() - t0) * 1000)
        print(json.dumps({"vendor": connection.vendor, "size": size, "cold_median": statistics.median(cold)}))
    for label, url in PAGES.items():
        timings: dict[int, list[float]] = {size: [] for size in SIZES}
        responses = {}
        for size in SIZES:
            use(size)
            for _ in range(WARMUP):
                assert client.get(url).status_code == 200, url
        for request in range(REQUESTS):
            for size in SIZES if request % 2 == 0 else SIZES[::-1]:
                use(size)
                t0 = time.perf_counter()
                response = client.get(url)
                timings[size].append((time.perf_counter() - t0) * 1000)
                assert response.status_code == 200
                responses[size] = response
        results = {}
        for size, response in responses.items():
            found = re.search(r'class="results-count" role="status">\s*([\d,]+)', response.content.decode())
            results[size] = int(found.group(1).replace(",", "")) if found else -1
        for size in SIZES:
            print(
                json.dumps(
                    {
                        "vendor": connection.vendor,
                        "size": size,
                        "page": label,
                        "p95": statistics.quantiles(timings[size], n=20)[18],
                        "median": statistics.median(timings[size]),
                        "results": results[size],
                        "load_s": load_seconds[size],
                    }
                ),
                flush=True,
            )


def generate_guides(*, start: int, count: int, rng: random.Random, words: list[str], weights: list[float]) -> None:
    # ``weights`` are cumulative (computed once): choices() would otherwise sum them on every call.
    """Guides in bulk: the database triggers index them (FTS5 on SQLite, tsvector on PostgreSQL) as they insert."""
    from django.db import transaction

    from crowdsci.catalog.models import Guide, GuideTerm, Term

    terms = {}
    for term in Term.objects.select_related("category"):
        terms.setdefault(term.category.slug, []).append(term.pk)
    other = [pk for slug, pks in terms.items() if slug not in ("topics", "audiences", "regions") for pk in pks]
    batch = 2000
    for offset in range(0, count, batch):
        n = min(batch, count - offset)
        guides = []
        for i in range(start + offset, start + offset + n):
            title = " ".join(rng.choices(words, cum_weights=weights, k=rng.randint(3, 7))).capitalize()
            summary = " ".join(rng.choices(words, cum_weights=weights, k=18)).capitalize() + "."
            paragraphs = [" ".join(rng.choices(words, cum_weights=weights, k=60)).capitalize() + "." for _ in range(3)]
            body = "\n\n".join(paragraphs)
            guides.append(
                Guide(
                    title=title[:200],
                    slug=f"bench-{i}",
                    summary=summary[:500],
                    body=body,
                    body_html="".join(f"<p>{p}</p>\n" for p in paragraphs),
                    body_text=" ".join(paragraphs),
                    status=Guide.Status.PUBLISHED if rng.random() < 0.95 else Guide.Status.DRAFT,
                )
            )
        with transaction.atomic():
            created = Guide.objects.bulk_create(guides)
            links = []
            for guide in created:
                chosen = set(rng.sample(terms["topics"], rng.randint(1, 3)))
                chosen |= set(rng.sample(terms["audiences"], rng.randint(1, 3)))
                chosen |= set(rng.sample(terms["regions"], rng.randint(1, 2)))
                if rng.random() < 0.3:
                    chosen.add(rng.choice(other))
                links += [GuideTerm(guide_id=guide.pk, term_id=pk) for pk in chosen]
            GuideTerm.objects.bulk_create(links)


def run_child(database_urls: list[str]) -> list[dict]:
    completed = subprocess.run(
        [sys.executable, __file__, "--child", *database_urls],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout + completed.stderr)
        raise SystemExit(f"bench child for {database_urls[0].split('@')[-1]} failed")
    return [json.loads(line) for line in completed.stdout.splitlines() if line.startswith("{")]


def postgres_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def main() -> None:
    wanted = os.environ.get("BENCH_DATABASES", "sqlite,postgresql").split(",")
    rows: list[dict] = []
    started = time.perf_counter()
    if "sqlite" in wanted:
        with tempfile.TemporaryDirectory(prefix="crowdsci-bench-") as directory:
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

    cold = [r for r in rows if "cold_median" in r]
    rows = [r for r in rows if "cold_median" not in r]
    small, large = SIZES
    print(f"Catalog pages through Django's test client, p95 of {REQUESTS} requests (ms); target < {TARGET_MS:.0f} ms "
          f"and {large:,} guides within 2x of {small:,}.")  # fmt: skip
    print(f"{'database':<11} {'page':<18} {small:>8,} {large:>8,} {'ratio':>6} {'results':>8}  verdict   "
          f"(medians: {small:,} / {large:,}, ratio)")  # fmt: skip
    failed = False
    for vendor in dict.fromkeys(r["vendor"] for r in rows):
        for page in PAGES:
            by_size = {r["size"]: r for r in rows if r["vendor"] == vendor and r["page"] == page}
            p_small, p_large = by_size[small]["p95"], by_size[large]["p95"]
            ratio = p_large / p_small
            ok = p_large < TARGET_MS and ratio <= 2.0
            failed |= not ok
            print(
                f"{vendor:<11} {page:<18} {p_small:>8.1f} {p_large:>8.1f} {ratio:>5.2f}x "
                f"{by_size[large]['results']:>8}  {'ok' if ok else 'MISSED':<8}  "
                f"({by_size[small]['median']:.1f} / {by_size[large]['median']:.1f}, "
                f"{by_size[large]['median'] / by_size[small]['median']:.2f}x)"
            )
    print("first request after a catalog write (facet index rebuilt), median ms: " + ", ".join(
        f"{r['vendor']} {r['size']:,} {r['cold_median']:.1f}" for r in cold))  # fmt: skip
    loads = {r["vendor"]: r["load_s"] for r in rows if r["size"] == large}
    print("bulk load of the large catalog (s): " + ", ".join(f"{v} {s:.1f}" for v, s in loads.items()))
    print(f"total {time.perf_counter() - started:.0f} s")
    if failed and os.environ.get("BENCH_STRICT") == "1":
        raise SystemExit(1)


if __name__ == "__main__":
    if len(sys.argv) == 2 + len(SIZES) and sys.argv[1] == "--child":
        child(sys.argv[2:])
    else:
        main()
