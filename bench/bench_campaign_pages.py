"""Campaign pages speed on PostgreSQL: a campaign of 100,000 participants and 5,000,000 credited edits against a
campaign of 1,000 edits, in the same database and the same run.

Run: ``.venv/bin/python bench/bench_campaign_pages.py`` (part of ``make bench``). A child process migrates a
throwaway PostgreSQL database (``crowdsci_bench_campaigns``, created and dropped here), writes the rows in bulk
inside PostgreSQL (users, participants, tracked edits and campaign links with INSERT ... SELECT over
generate_series, then the stored aggregates the tracker would have kept, computed with GROUP BY; not the ORM),
runs VACUUM ANALYZE as autovacuum would, then times the dashboard, its live block, stats.json,
the articles table and a participant page through Django's test client, alternating between the two campaigns
request by request so that load from elsewhere falls on both alike. Target: p95 under 50 ms each, and the large
campaign within 2x of the small one. Then it streams the large campaign's public edits.csv twice, a tenth of it
and all of it, each in a fresh process, and prints rows per second, the process's peak RSS (ru_maxrss) before and
after, and the load average (target: at least 50,000 rows/s, and the same peak at both sizes: memory flat).

BENCH_EDITS and BENCH_PARTICIPANTS change the size (defaults 5,000,000 and 100,000); BENCH_CSV_ROWS how many
CSV rows the larger download streams (default all); BENCH_PG_URL another server; BENCH_PG_DATABASE another
database name (two runs at once); BENCH_KEEP=1 keeps the database afterwards and BENCH_REUSE=1 times the kept
one again (after migrating it) without generating it anew.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
PG_SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
PG_DATABASE = os.environ.get("BENCH_PG_DATABASE", "crowdsci_bench_campaigns")
EDITS = int(os.environ.get("BENCH_EDITS", "5000000"))
PARTICIPANTS = int(os.environ.get("BENCH_PARTICIPANTS", "100000"))
ARTICLES = max(1000, EDITS // 25)
SMALL_EDITS, SMALL_PARTICIPANTS = 1000, 100
WARMUP = 5
REQUESTS = 60
TARGET_MS = 50.0
CSV_TARGET_ROWS_PER_S = 50_000


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_campaign(cursor, *, campaign_id: int, slug: str, edits: int, participants: int, first_user: int,
                  first_edit: int, start: datetime, organizations: int = 60) -> None:
    """Users, participants, tracked edits and their campaign links, generated inside PostgreSQL in bulk (one
    INSERT ... SELECT over generate_series per table: the server writes the rows, no per-row round trip, no ORM),
    then the stored aggregates computed from them with GROUP BY, as the tracker's recount would.

    Skewed like a real campaign: participant i gets edits with probability ~ 1/sqrt(i) (random()^2), articles
    random()^1.5; 10 % anonymous, 10 % shown by display name, 70 % with one of the first ``organizations``
    organizations of the directory (by id).
    """
    period = 31 * 24 * 3600
    params = {"campaign": campaign_id, "slug": slug, "participants": participants, "edits": edits,
              "first_user": first_user, "first_edit": first_edit, "start": start, "period": period,
              "articles": ARTICLES, "organizations": organizations}
    cursor.execute("""
        INSERT INTO auth_user (id, password, is_superuser, username, first_name, last_name, email, is_staff,
                               is_active, date_joined)
        SELECT %(first_user)s + g, '!', false, %(slug)s || '-u' || g, '', '', %(slug)s || '-u' || g || '@example.org',
               false, true, now()
        FROM generate_series(0, %(participants)s - 1) AS g""", params)
    cursor.execute("""
        INSERT INTO campaigns_participant (id, campaign_id, user_id, wikipedia_username, organization_id, display,
                                           joined)
        SELECT %(first_user)s + g, %(campaign)s, %(first_user)s + g, %(slug)s || ' editor ' || g,
               CASE WHEN g %% 10 < 7 THEN o.ids[1 + g %% cardinality(o.ids)] END,
               CASE g %% 10 WHEN 8 THEN 'anonymous' WHEN 9 THEN 'display_name' ELSE 'username' END,
               %(start)s
        FROM generate_series(0, %(participants)s - 1) AS g,
             (SELECT array_agg(id ORDER BY id) AS ids
              FROM (SELECT id FROM network_organization ORDER BY id LIMIT %(organizations)s) AS first) AS o""", params)
    cursor.execute("""
        INSERT INTO campaigns_trackededit (id, wiki, revid, parent_revid, page_title, namespace, "user", timestamp,
            summary, is_new_page, source, status, status_reason, attempts, citations_added, citations_removed,
            citations_enriched, nlm_citations_added, nlm_by_source, identifiers_added, added_citations,
            bytes_changed, stored, credited_at)
        SELECT %(first_edit)s + g, 'enwiki', %(first_edit)s + g, %(first_edit)s + g - 1,
               'Article ' || floor(%(articles)s * random() ^ 1.5)::int, 0,
               %(slug)s || ' editor ' || floor(%(participants)s * random() ^ 2)::int,
               %(start)s + make_interval(secs => g::float8 * %(period)s / %(edits)s), 'cite #CiteNLM', false,
               'stream', 'credited', '', 1, c, 0, 0, n,
               CASE WHEN n > 0 THEN jsonb_build_object(
                   (ARRAY['pubmed','pmc','bookshelf','medlineplus','clinicaltrials','dailymed','nlm-other'])
                   [1 + floor(random() * 7)::int], n) ELSE '{}'::jsonb END,
               jsonb_build_object('pmid', n),
               -- the list of added citations the crediting step keeps: one PubMed citation per NLM one, the
               -- others with a DOI (the shape of a real edit's list, for the CSV's added_citations column)
               CASE c WHEN 0 THEN '[]'::jsonb ELSE (
                   SELECT jsonb_agg(CASE WHEN k <= n
                       THEN jsonb_build_object('source', 'pubmed', 'ids', jsonb_build_array(
                           jsonb_build_array('pmid', (10000000 + g * 3 + k)::text)))
                       ELSE jsonb_build_object('source', null, 'ids', jsonb_build_array(
                           jsonb_build_array('doi', '10.1000/bench.' || g || '.' || k))) END)
                   FROM generate_series(1, c) AS k) END,
               50 + floor(random() * 900)::int, now(), now()
        FROM (SELECT g, c, least(c, floor(random() * 3)::int) AS n
              FROM (SELECT g, floor(random() * 4)::int AS c FROM generate_series(0, %(edits)s - 1) AS g) AS a) AS b
        """, params)
    cursor.execute("""
        INSERT INTO campaigns_campaignedit (id, campaign_id, edit_id, matched_by, participant_id, organization_id,
                                            region_id, counted, created)
        SELECT e.id, %(campaign)s, e.id, 'hashtag', p.id, p.organization_id, j.region_id, true, now()
        FROM campaigns_trackededit e
        JOIN campaigns_participant p ON p.campaign_id = %(campaign)s AND p.wikipedia_username = e."user"
        LEFT JOIN network_organization o ON o.id = p.organization_id
        LEFT JOIN network_jurisdiction j ON j.id = o.jurisdiction_id
        WHERE e.id >= %(first_edit)s AND e.id < %(first_edit)s + %(edits)s""", params)
    groups = {
        "total": "''",
        "day": "to_char(e.timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
        "hour": "to_char(e.timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24')",
        "user": 'e."user"',
        "article": "'enwiki:' || e.page_title",
        "organization": "l.organization_id::text",
        "region": "l.region_id::text",
    }
    only_linked = "AND l.organization_id IS NOT NULL"
    for kind, key in groups.items():
        cursor.execute(f"""
            INSERT INTO campaigns_campaignaggregate (campaign_id, kind, key, edits, citations_added,
                citations_removed, citations_enriched, nlm_citations_added, identifiers_added, bytes_changed,
                reverted_edits, hidden_edits)
            SELECT %(campaign)s, '{kind}', {key}, count(*), sum(e.citations_added), 0, 0,
                   sum(e.nlm_citations_added), sum(e.nlm_citations_added), sum(e.bytes_changed), 0, 0
            FROM campaigns_campaignedit l JOIN campaigns_trackededit e ON e.id = l.edit_id
            WHERE l.campaign_id = %(campaign)s {only_linked if kind in ("organization", "region") else ""}
            GROUP BY 3""", params)  # noqa: S608 -- kind and key are the constants above
    cursor.execute("""
        INSERT INTO campaigns_campaignaggregate (campaign_id, kind, key, edits, citations_added, citations_removed,
            citations_enriched, nlm_citations_added, identifiers_added, bytes_changed, reverted_edits, hidden_edits)
        SELECT %(campaign)s, 'nlm_source', s.key, 0, 0, 0, 0, sum(s.value::int), 0, 0, 0, 0
        FROM campaigns_campaignedit l JOIN campaigns_trackededit e ON e.id = l.edit_id,
             jsonb_each_text(e.nlm_by_source) AS s
        WHERE l.campaign_id = %(campaign)s
        GROUP BY s.key""", params)


def top_participant(cursor, campaign_id: int) -> int:
    cursor.execute("""
        SELECT p.id FROM campaigns_campaignaggregate a
        JOIN campaigns_participant p ON p.campaign_id = a.campaign_id AND p.wikipedia_username = a.key
        WHERE a.campaign_id = %s AND a.kind = 'user' AND p.display = 'username'
        ORDER BY a.edits DESC LIMIT 1""", [campaign_id])
    return cursor.fetchone()[0]


def setup_django(database_url: str) -> None:
    """This (child) process on the bench database, in the test profile with DEBUG off."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "crowdsci.settings"
    os.environ["CROWDSCI_PROFILE"] = "test"
    os.environ.setdefault("DEBUG", "false")
    sys.path.insert(0, str(REPO_ROOT))
    import django

    django.setup()


def child(database_url: str) -> None:
    setup_django(database_url)
    from django.core.management import call_command
    from django.db import connection

    from crowdsci.campaigns.models import Campaign

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    if os.environ.get("BENCH_REUSE") == "1":  # the database a BENCH_KEEP=1 run left: time it again
        big, small = Campaign.objects.get(slug="big"), Campaign.objects.get(slug="small")
    else:
        big, small = load()
    from crowdsci.campaigns.services.rollup import campaign_counts_refresh

    campaign_counts_refresh()  # what the scheduler's one-minute job keeps
    load_s = time.perf_counter() - started
    print(f"loaded {EDITS:,} + {SMALL_EDITS:,} edits in {load_s:.0f} s", file=sys.stderr, flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(json.dumps({"load_s": load_s, "vacuum_s": time.perf_counter() - started - load_s}), flush=True)
    assert Campaign.objects.count() == 2
    time_pages(big, small)


def load():
    from django.db import connection
    from django.utils.text import slugify

    from crowdsci.campaigns.models import StreamConsumer
    from crowdsci.campaigns.services.campaigns import campaign_create
    from crowdsci.network.models import Jurisdiction, Organization

    start = datetime(2026, 3, 1, tzinfo=UTC)
    big = campaign_create(actor=None, name="Spring big", slug="big", hashtags=["CiteNLM"], start=start,
                          end=start + timedelta(days=31))
    small = campaign_create(actor=None, name="Spring small", slug="small", hashtags=["CiteNLM2"], start=start,
                            end=start + timedelta(days=31))
    states = list(Jurisdiction.objects.values_list("pk", flat=True))
    for index in range(60):
        Organization.objects.create(name=f"Library {index}", slug=slugify(f"library-{index}"), type="public",
                                    city="Town", jurisdiction_id=states[index % len(states)])
    StreamConsumer.objects.create(name="recentchange", last_seen_at=datetime.now(UTC))
    with connection.cursor() as cursor:
        load_campaign(cursor, campaign_id=small.pk, slug="small", edits=SMALL_EDITS, participants=SMALL_PARTICIPANTS,
                      first_user=10_000_000, first_edit=100_000_000, start=start)
        load_campaign(cursor, campaign_id=big.pk, slug="big", edits=EDITS, participants=PARTICIPANTS,
                      first_user=20_000_000, first_edit=200_000_000, start=start)
        for table in ("auth_user", "campaigns_participant", "campaigns_trackededit", "campaigns_campaignedit",
                      "campaigns_campaignaggregate"):
            sql = f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
            cursor.execute(sql)
    return big, small


def time_pages(big, small) -> None:
    from django.db import connection
    from django.test import Client

    client = Client()
    pages = {
        "dashboard": "/campaigns/{slug}/",
        "live block (htmx)": "/campaigns/{slug}/live/",
        "stats.json": "/campaigns/{slug}/stats.json",
        "articles table": "/campaigns/{slug}/articles/",
        "participant page": "/campaigns/{slug}/participants/{participant}/",
    }
    with connection.cursor() as cursor:
        infos = {"small": {"top_participant": top_participant(cursor, small.pk)},
                 "big": {"top_participant": top_participant(cursor, big.pk)}}
    for label, pattern in pages.items():
        timings: dict[str, list[float]] = {"small": [], "big": []}
        urls = {slug: pattern.format(slug=slug, participant=info["top_participant"]) for slug, info in infos.items()}
        for slug in timings:
            for _ in range(WARMUP):
                assert client.get(urls[slug]).status_code == 200, urls[slug]
        for request in range(REQUESTS):
            for slug in ("small", "big") if request % 2 == 0 else ("big", "small"):
                t0 = time.perf_counter()
                response = client.get(urls[slug])
                timings[slug].append((time.perf_counter() - t0) * 1000)
                assert response.status_code == 200
        for slug, values in timings.items():
            print(json.dumps({"page": label, "campaign": slug, "p95": statistics.quantiles(values, n=20)[18],
                              "median": statistics.median(values)}), flush=True)


def stream_csv(database_url: str, slug: str, wanted: int) -> None:
    """In a fresh process (so that its peak RSS is this download's alone): stream the campaign's edits.csv through
    Django's test client as an anonymous visitor (the public download, display choices applied) and print rows per
    second (of wall time, and of this process's CPU time: PostgreSQL's share runs in the server) and the process's
    peak RSS before the download and after it."""
    setup_django(database_url)
    from django.test import Client

    client = Client()
    assert client.get(f"/campaigns/{slug}/edits.csv").status_code == 200  # warm: imports, URL resolving
    rss_before = rss_mb()
    response = client.get(f"/campaigns/{slug}/edits.csv")
    lines, size = 0, 0
    t0, cpu0 = time.perf_counter(), time.process_time()
    for chunk in response.streaming_content:  # the header, then chunks of rows
        lines += chunk.count(b"\r\n")  # csv's line ends (summaries and titles hold no line break)
        size += len(chunk)
        if lines > wanted:
            break
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    response.close()
    rows = lines - 1
    print(json.dumps({"csv_rows": rows, "csv_seconds": elapsed, "csv_rows_per_s": rows / elapsed,
                      "csv_rows_per_cpu_s": rows / cpu, "csv_mb": size / 1e6, "rss_before_mb": round(rss_before, 1),
                      "rss_peak_mb": round(rss_mb(), 1), "loadavg": os.getloadavg()}), flush=True)


def postgres_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def main() -> None:
    started = time.perf_counter()
    if os.environ.get("BENCH_REUSE") != "1":
        postgres_admin(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
        postgres_admin(f"CREATE DATABASE {PG_DATABASE}")
    csv_runs = []
    try:
        completed = subprocess.run([sys.executable, __file__, "--child", f"{PG_SERVER}/{PG_DATABASE}"],
                                   cwd=REPO_ROOT, capture_output=True, text=True, timeout=3600, check=False)
        if completed.returncode == 0:
            # edits.csv at two sizes, each in its own process: flat memory means the same peak for both.
            total = int(os.environ.get("BENCH_CSV_ROWS", str(EDITS)))
            for wanted in (max(1, total // 10), total):
                run = subprocess.run([sys.executable, __file__, "--csv", f"{PG_SERVER}/{PG_DATABASE}", "big",
                                      str(wanted)], cwd=REPO_ROOT, capture_output=True, text=True, timeout=3600,
                                     check=False)
                if run.returncode != 0:
                    sys.stderr.write(run.stdout + run.stderr)
                    raise SystemExit("bench CSV child failed")
                csv_runs.append(json.loads(run.stdout.strip().splitlines()[-1]))
    finally:
        if os.environ.get("BENCH_KEEP") != "1":  # keep it to look at query plans
            postgres_admin(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout + completed.stderr)
        raise SystemExit("bench child failed")
    rows = [json.loads(line) for line in completed.stdout.splitlines() if line.startswith("{")]
    load = next(row for row in rows if "load_s" in row)
    print(f"Campaign pages on PostgreSQL: {PARTICIPANTS:,} participants and {EDITS:,} credited edits vs "
          f"{SMALL_EDITS:,} edits, same database; p95 of {REQUESTS} requests per page (ms), alternating; "
          f"target < {TARGET_MS:.0f} ms and within 2x.")
    print(f"generation in bulk (or, reusing a kept database, the counts job) {load['load_s']:.0f} s, "
          f"VACUUM ANALYZE {load['vacuum_s']:.0f} s")
    print(f"{'page':<20} {'1,000 edits':>12} {f'{EDITS:,} edits':>16} {'ratio':>6}  verdict  (medians)")
    failed = False
    for page in dict.fromkeys(row["page"] for row in rows if "page" in row):
        small = next(r for r in rows if r.get("page") == page and r["campaign"] == "small")
        big = next(r for r in rows if r.get("page") == page and r["campaign"] == "big")
        ratio = big["p95"] / small["p95"]
        ok = big["p95"] < TARGET_MS and ratio <= 2.0
        failed |= not ok
        print(f"{page:<20} {small['p95']:>12.1f} {big['p95']:>16.1f} {ratio:>5.2f}x  {'ok' if ok else 'MISSED':<7}  "
              f"({small['median']:.1f} / {big['median']:.1f})")
    print(f"edits.csv, public download through the test client, each size in a fresh process "
          f"(target >= {CSV_TARGET_ROWS_PER_S:,} rows/s, peak RSS the same at both sizes); 2 shared cores, so the "
          f"load average (1, 5, 15 min) is printed beside each:")
    for run in csv_runs:
        load_1, load_5, load_15 = run["loadavg"]
        print(f"  {run['csv_rows']:>10,} rows ({run['csv_mb']:,.0f} MB) in {run['csv_seconds']:6.1f} s = "
              f"{run['csv_rows_per_s']:>8,.0f} rows/s ({run['csv_rows_per_cpu_s']:,.0f} per CPU s of the process)  "
              f"{'ok' if run['csv_rows_per_s'] >= CSV_TARGET_ROWS_PER_S else 'MISSED':<6}  peak RSS "
              f"{run['rss_before_mb']} MB before, {run['rss_peak_mb']} MB after  "
              f"load {load_1:.2f} {load_5:.2f} {load_15:.2f}")
    if len(csv_runs) == 2:
        growth = csv_runs[1]["rss_peak_mb"] - csv_runs[0]["rss_peak_mb"]
        print(f"  peak RSS growth from {csv_runs[0]['csv_rows']:,} to {csv_runs[1]['csv_rows']:,} rows: "
              f"{growth:+.1f} MB")
    print(f"total {time.perf_counter() - started:.0f} s")
    if failed and os.environ.get("BENCH_STRICT") == "1":
        raise SystemExit(1)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(sys.argv[2])
    elif len(sys.argv) == 5 and sys.argv[1] == "--csv":
        stream_csv(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        main()
