"""``make loadtest``: locust, headless, against ``make serve`` (bin/serve) on PostgreSQL, with 1, 2 and 4 web workers
in one run. Prints requests per second, median and p95 per page and the errors for each, and the tracker's figures
during the run; writes the same into bench/results/loadtest-<time>.md.

1. Prepares the database LOADTEST_DATABASE_URL (default ``crowdsci_loadtest`` on 127.0.0.1): migrate, the demo data,
   then generated guides up to 20,000 (bench_catalog's generator) and a live campaign of 100,000 credited edits
   (LOADTEST_EDITS; bench_campaign_pages' bulk generator). Kept between runs: the second run starts at once.
2. Starts the fake Wikimedia server, its stream live (the recorded events replayed forever at LOADTEST_STREAM_RATE
   a second, stamped as sent, so the tracker's lag is measured); nothing leaves 127.0.0.1.
3. For each web worker count: bin/serve (web, worker, tracker, scheduler), waits for /readyz, runs locust with
   LOADTEST_USERS (200) users for LOADTEST_SECONDS (45) or LOADTEST_MAX_REQUESTS (30,000), whichever ends first,
   scrapes /metrics during the run, then stops everything with SIGTERM. Each run gets accounts that never
   registered (signed-in people register for the campaign), and afterwards every write the site accepted is looked
   up in the database by identity.

The public forms' rate limits are raised for the run (every simulated person comes from 127.0.0.1): the test
measures the pages; the limits have tests of their own.
"""

from __future__ import annotations

import csv
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PY = str(ROOT / ".venv" / "bin" / "python")
DATABASE_URL = os.environ.get("LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/crowdsci_loadtest")
WORKER_COUNTS = [int(n) for n in os.environ.get("LOADTEST_WORKERS", "1,2,4").split(",")]
USERS = int(os.environ.get("LOADTEST_USERS", "200"))
SECONDS = int(os.environ.get("LOADTEST_SECONDS", "45"))
MAX_REQUESTS = int(os.environ.get("LOADTEST_MAX_REQUESTS", "30000"))
PASSWORD = "load-test-passphrase-7"  # noqa: S105 -- the generated accounts of this throwaway database
GUIDES = int(os.environ.get("LOADTEST_GUIDES", "20000"))
EDITS = int(os.environ.get("LOADTEST_EDITS", "100000"))
# The fake stream replays its recorded events forever at this rate, stamped as sent, so the tracker's lag during the
# run (edit time to read time) is its own (the real recentchange stream carries some 30 to 60 events a second).
STREAM_RATE = float(os.environ.get("LOADTEST_STREAM_RATE", "40"))
# Signed-in people who register for the campaign: a block of never-used accounts for each run (see ACCOUNTS).
SIGNED_IN_PER_RUN = 400

PREPARE = r"""
import os, random, sys
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crowdsci.settings")
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("load_demo", verbosity=0)
from crowdsci.catalog.models import Guide
sys.path.insert(0, "bench")
from bench_catalog import generate_guides, vocabulary
have = Guide.objects.filter(slug__startswith="bench-").count()
want = int(os.environ["LOADTEST_GUIDES"]) - Guide.objects.exclude(slug__startswith="bench-").count()
if have < want:
    rng = random.Random(17)
    words = vocabulary(rng)
    weights, total = [], 0.0
    for rank in range(len(words)):
        total += 1.0 / (rank + 1)
        weights.append(total)
    generate_guides(start=have, count=want - have, rng=rng, words=words, weights=weights)
print("guides:", Guide.objects.count())

# A live campaign with LOADTEST_EDITS credited edits (bench_campaign_pages' bulk generator: INSERT ... SELECT inside
# PostgreSQL, then the stored aggregates), whose dashboard and stats.json the readers load.
from datetime import timedelta
from django.db import connection
from django.utils import timezone
from crowdsci.campaigns.models import Campaign
from crowdsci.campaigns.services.campaigns import campaign_create
from crowdsci.campaigns.services.rollup import campaign_counts_refresh
from bench_campaign_pages import load_campaign
if not Campaign.objects.filter(slug="loadtest").exists():
    start = (timezone.now() - timedelta(days=10)).replace(minute=0, second=0, microsecond=0)
    campaign = campaign_create(actor=None, name="Load test campaign", slug="loadtest", hashtags=["CiteNLMLoad"],
                               start=start, end=start + timedelta(days=30))
    with connection.cursor() as cursor:
        load_campaign(cursor, campaign_id=campaign.pk, slug="loadtest", edits=int(os.environ["LOADTEST_EDITS"]),
                      participants=2000, first_user=50_000_000, first_edit=500_000_000, start=start)
        for table in ("auth_user", "campaigns_participant", "campaigns_trackededit", "campaigns_campaignedit",
                      "campaigns_campaignaggregate"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    campaign_counts_refresh()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
print("campaign edits:", Campaign.objects.get(slug="loadtest").edits.count())

"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str, timeout: float = 10) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 -- 127.0.0.1 only
        return response.read().decode()


def ensure_database() -> None:
    env = {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "LOADTEST_GUIDES": str(GUIDES),
        "LOADTEST_EDITS": str(EDITS),
        "CROWDSCI_PROFILE": "test",
    }
    create = (
        "import os, dj_database_url, psycopg; from psycopg import sql;"
        "c = dj_database_url.parse(os.environ['DATABASE_URL']);"
        "conn = psycopg.connect(dbname='postgres', user=c['USER'] or 'postgres', host=c['HOST'] or '127.0.0.1',"
        " port=c['PORT'] or 5432, autocommit=True);"
        "exists = conn.execute('SELECT 1 FROM pg_database WHERE datname = %s', [c['NAME']]).fetchone();"
        "None if exists else conn.execute(sql.SQL('CREATE DATABASE {}').format(sql.Identifier(c['NAME'])))"
    )
    subprocess.run([PY, "-c", create], cwd=ROOT, env=env, check=True)
    started = time.monotonic()
    subprocess.run([PY, "-c", PREPARE], cwd=ROOT, env=env, check=True)
    print(f"database ready in {time.monotonic() - started:.0f} s", flush=True)


class Metrics(threading.Thread):
    """Scrapes the tracker's and the queue's gauges every few seconds during a run."""

    def __init__(self, base: str) -> None:
        super().__init__(daemon=True)
        self.base = base
        self.samples: list[dict[str, float]] = []
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(5):
            try:
                text = get(self.base + "/metrics")
            except OSError:
                continue
            sample = {}
            for name in (
                "crowdsci_tracker_lag_seconds",
                "crowdsci_tracker_events_read",
                "crowdsci_tracker_heartbeat_age_seconds",
                "crowdsci_tasks_waiting",
                "crowdsci_tasks_oldest_waiting_seconds",
            ):
                match = re.search(rf"^{name}(?:{{[^}}]*}})? ([0-9.e+-]+)$", text, re.M)
                if match:
                    sample[name] = float(match.group(1))
            self.samples.append(sample)


ACCOUNTS = r"""
# People with a verified email and a Wikipedia identity (as after "Sign in with Wikipedia" once) who sign in with
# their email and password during the next run and register for the campaign: a block no earlier run has used.
import os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crowdsci.settings")
django.setup()
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
User = get_user_model()
count = int(os.environ["LOADTEST_SIGNED_IN"])
existing = User.objects.filter(email__startswith="signed-in-", email__endswith="@loadtest.example")
used = [int(name.rsplit("-", 1)[1]) for name in existing.filter(campaign_participations__isnull=False)
        .values_list("username", flat=True)]
first = max(used, default=-1) + 1
have = existing.count()
# Hashed with the production hashers (this script runs in the development profile, not the tests' fast one), so
# the served site can check it; set again on the block in case an earlier version stored another hash.
password = make_password(os.environ["LOADTEST_PASSWORD"])
existing.filter(username__in=[f"signed-in-{n}" for n in range(first, first + count)]).update(password=password)
if have < first + count:
    users = User.objects.bulk_create([
        User(username=f"signed-in-{n}", email=f"signed-in-{n}@loadtest.example", password=password)
        for n in range(have, first + count)
    ])
    EmailAddress.objects.bulk_create([
        EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
    ])
    SocialAccount.objects.bulk_create([
        SocialAccount(user=user, provider="mediawiki", uid=str(90_000_000 + int(user.username.rsplit("-", 1)[1])),
                      extra_data={"username": "Load signed in " + user.username.rsplit("-", 1)[1]})
        for user in users
    ])

# Kit requests of earlier runs are withdrawn (through the service), so this run's requests are not all refused by
# the one-open-request-per-organization rule and the write check has writes to check.
from crowdsci.kits.errors import KitsError
from crowdsci.kits.models import OPEN_REQUEST_STATUSES, KitRequest
from crowdsci.kits.services import kit_request_withdraw
for kit_request in KitRequest.objects.filter(contact_email__startswith="kit-", contact_email__endswith="@example.org",
                                             status__in=OPEN_REQUEST_STATUSES):
    try:
        kit_request_withdraw(actor=None, kit_request=kit_request)
    except KitsError:
        pass
print(first)
"""


def fresh_accounts() -> int:
    """The first index of SIGNED_IN_PER_RUN accounts that have never registered, created if missing."""
    env = {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "LOADTEST_SIGNED_IN": str(SIGNED_IN_PER_RUN),
        "LOADTEST_PASSWORD": PASSWORD,
    }
    env.pop("CROWDSCI_PROFILE", None)
    out = subprocess.run([PY, "-c", ACCOUNTS], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return int(out.stdout.split()[-1])


def stored_writes(run_id: str, signed_in_first: int) -> dict[str, set[str]]:
    """This run's writes found in the database afterwards, by identity (the email each carried, or the account)."""
    script = (
        "import json, os, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'crowdsci.settings'); django.setup();"
        "from django.apps import apps; run = os.environ['LOADTEST_RUN']; first = int(os.environ['FIRST']);"
        "registration = apps.get_model('events', 'Registration'); kit_request = apps.get_model('kits', 'KitRequest');"
        "participant = apps.get_model('campaigns', 'Participant');"
        "emails = participant.objects.filter(campaign__slug='loadtest', user__email__endswith='@loadtest.example')"
        ".values_list('user__email', flat=True);"
        "count = int(os.environ['COUNT']);"
        "block = [e for e in emails if first <= int(e.split('@')[0].rsplit('-', 1)[1]) < first + count];"
        "print(json.dumps({"
        "'events: register (POST)': list(registration.objects.filter(email__startswith=f'load-{run}-')"
        ".values_list('email', flat=True)),"
        "'kits: request (POST)': list(kit_request.objects.filter(contact_email__startswith=f'kit-{run}-')"
        ".values_list('contact_email', flat=True)),"
        "'campaign: register (POST)': block}))"
    )
    env = {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "LOADTEST_RUN": run_id,
        "FIRST": str(signed_in_first),
        "COUNT": str(SIGNED_IN_PER_RUN),
        "CROWDSCI_PROFILE": "test",
    }
    out = subprocess.run([PY, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return {name: set(identities) for name, identities in json.loads(out.stdout.splitlines()[-1]).items()}


def write_check(name: str, stored: set[str], noted: dict[str, list[str]]) -> str:
    """Accepted and not stored is a lost write; stored and never sent is a write from nowhere (a double submit);
    stored but not accepted is one whose answer the load generator never read (in flight when the run stopped)."""
    sent, accepted = set(noted.get("sent", [])), set(noted.get("accepted", []))
    lost, unexpected, in_flight = accepted - stored, stored - sent, (stored & sent) - accepted
    verdict = "ok" if not lost and not unexpected else f"{len(lost)} LOST, {len(unexpected)} UNEXPECTED"
    return (
        f"{name}: {len(accepted)} accepted, {len(stored)} stored, {len(in_flight)} stored whose answer was still in "
        f"flight when the run stopped ({verdict})"
    )


def run_once(workers: int, fake_base: str, work: Path) -> dict:
    port = free_port()
    signed_in_first = fresh_accounts()
    writes_file = work / f"writes-{workers}.json"
    run_id = f"{datetime.now(UTC):%H%M%S}w{workers}"
    base = f"http://127.0.0.1:{port}"
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"CROWDSCI_PROFILE", "PROCESSES"}},
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": "redis://127.0.0.1:6379/14",
        "PORT": str(port),
        "WEB_CONCURRENCY": str(workers),
        "WIKIMEDIA_STREAM_URL": fake_base + "/v2/stream/recentchange",
        "WIKIMEDIA_API_URL": fake_base + "/w/api.php",
        "LEADER_LOCK_DIR": str(work),
        "PROMETHEUS_MULTIPROC_DIR": str(work / f"metrics-{workers}"),
        "EVENTS_PUBLIC_WRITE_RATE": "1000000/m",
        "KITS_REQUEST_RATE": "1000000/h",
        "LOG_LEVEL": "WARNING",  # one line per request at 200 users would cost the server more than the pages
    }
    # Each run starts from an empty cache (this run's Redis database): no page rendered by the previous run, and
    # no sign-in counted against the rate limit of the previous run's minute.
    import redis

    redis.Redis.from_url(env["REDIS_URL"]).flushdb()
    log = open(work / f"serve-{workers}.log", "w")  # noqa: SIM115
    serve = subprocess.Popen(
        [str(ROOT / "bin" / "serve")], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                if get(base + "/readyz", timeout=5) == "ready\n":
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or serve.poll() is not None:
                raise SystemExit(f"bin/serve did not become ready; see {log.name}")
            time.sleep(0.5)
        for path in ("/", "/guides/", "/guides/?q=health", "/citizen-science-month/events/", "/kits/"):
            get(base + path, timeout=60)  # warm each worker's caches a little (facet index, templates)
        metrics = Metrics(base)
        metrics.start()
        prefix = work / f"locust-{workers}"
        started = time.monotonic()
        subprocess.run(
            [
                str(ROOT / ".venv" / "bin" / "locust"),
                "-f",
                str(ROOT / "bench" / "loadtest" / "locustfile.py"),
                "--headless",
                "--users",
                str(USERS),
                "--spawn-rate",
                str(max(USERS // 10, 1)),
                "--run-time",
                f"{SECONDS}s",
                "--host",
                base,
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
                "--stop-timeout",
                "5",
            ],
            cwd=ROOT,
            env={
                **os.environ,
                "LOADTEST_MAX_REQUESTS": str(MAX_REQUESTS),
                "LOADTEST_RUN": run_id,
                "LOADTEST_WRITES_FILE": str(writes_file),
                "LOADTEST_PASSWORD": PASSWORD,
                "LOADTEST_SIGNED_IN_FIRST": str(signed_in_first),
                "LOADTEST_SIGNED_IN_COUNT": str(SIGNED_IN_PER_RUN),
            },
            check=False,
            stdout=subprocess.DEVNULL,
            timeout=SECONDS + 120,
        )
        elapsed = time.monotonic() - started
        metrics.stopping.set()
        metrics.join(10)
    finally:
        os.killpg(serve.pid, signal.SIGTERM)
        try:
            serve.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, signal.SIGKILL)
            serve.wait()
        log.close()
    with open(f"{prefix}_stats.csv") as handle:
        rows = list(csv.DictReader(handle))
    return {
        "workers": workers,
        "rows": rows,
        "metrics": metrics.samples,
        "seconds": elapsed,
        "stored": stored_writes(run_id, signed_in_first),
        "noted": json.loads(writes_file.read_text()) if writes_file.exists() else {},
    }


TARGET_P95_MS = 200.0


def _signed_in_page(name: str) -> bool:
    """Pages of the signed-in people and the forms' pages: not the public pages the target speaks of."""
    return "signed in" in name or "my page" in name or name.startswith(
        ("accounts:", "kits: request", "campaign: register")
    )


def report(results: list[dict]) -> str:
    lines = [
        f"# Load test {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"{USERS} users, {SECONDS} s or {MAX_REQUESTS} requests per run, {GUIDES} guides, PostgreSQL, "
        f"bin/serve (web, worker, tracker, scheduler), locust on the same {os.cpu_count()}-core machine.",
        "",
    ]
    for result in results:
        lines += [
            f"## {result['workers']} web worker(s) ({result['seconds']:.0f} s)",
            "",
            "| page | requests | failures | RPS | median ms | p95 ms |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for row in result["rows"]:
            lines.append(
                f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} | {float(row['Requests/s']):.1f} "
                f"| {row['50%']} | {row['95%']} |"
            )
        checks = [write_check(name, stored, result["noted"].get(name, {})) for name, stored in result["stored"].items()]
        public = [row for row in result["rows"] if row["Type"] == "GET" and not _signed_in_page(row["Name"])]
        worst = max(public, key=lambda row: float(row["95%"] or 0), default=None)
        errors = sum(int(row["Failure Count"]) for row in result["rows"] if row["Name"] != "Aggregated")
        if worst is not None:
            verdict = "met" if float(worst["95%"]) < TARGET_P95_MS and errors == 0 else "MISSED"
            lines += [
                "",
                f"Public pages (anonymous reads): worst p95 {worst['95%']} ms ({worst['Name']}); errors {errors}; "
                f"target p95 under {TARGET_P95_MS:.0f} ms with no errors: {verdict}.",
            ]
        beats = [
            s["crowdsci_tracker_heartbeat_age_seconds"]
            for s in result["metrics"]
            if "crowdsci_tracker_heartbeat_age_seconds" in s
        ]
        read = [s["crowdsci_tracker_events_read"] for s in result["metrics"] if "crowdsci_tracker_events_read" in s]
        waiting = [s.get("crowdsci_tasks_waiting", 0) for s in result["metrics"]]
        lags = sorted(
            s["crowdsci_tracker_lag_seconds"] for s in result["metrics"] if "crowdsci_tracker_lag_seconds" in s
        )
        tracker = (
            f"lag (edit time to read time) median {lags[len(lags) // 2]:.1f} s, at most {lags[-1]:.1f} s; heartbeat "
            f"age at most {max(beats):.1f} s; over {len(beats)} scrapes, {max(read) - min(read):.0f} events read "
            f"({STREAM_RATE:.0f} a second sent)"
            if beats and read and lags
            else "no scrape of /metrics answered in time"
        )
        lines += [
            "",
            "Writes, by identity, accepted by the site vs this run's rows in the database afterwards: "
            + "; ".join(checks)
            + ".",
            "",
            f"Tracker during the run: {tracker}; tasks waiting at most {max(waiting, default=0):.0f}.",
            "",
        ]
    return "\n".join(lines)


def main() -> None:
    ensure_database()
    work = Path(tempfile.mkdtemp(prefix="crowdsci-loadtest-"))
    fake_port = free_port()
    fake = subprocess.Popen(
        [PY, "-m", "crowdsci.wikimedia", "fake", "--port", str(fake_port), "--live-rate", str(STREAM_RATE)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    results = []
    try:
        for workers in WORKER_COUNTS:
            print(f"== {workers} web worker(s)", flush=True)
            results.append(run_once(workers, f"http://127.0.0.1:{fake_port}", work))
    finally:
        os.killpg(fake.pid, signal.SIGTERM)
        fake.wait(timeout=30)
    text = report(results)
    print(text)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"loadtest-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.md").write_text(text + "\n")
    print(f"(logs in {work})", file=sys.stderr)


if __name__ == "__main__":
    main()
