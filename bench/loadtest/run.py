"""``make loadtest``: locust, headless, against ``make serve`` (bin/serve) on PostgreSQL, with 1, 2 and 4 web workers
in one run. Prints requests per second, median and p95 per page and the errors for each, and the tracker's figures
during the run; writes the same into bench/results/loadtest-<time>.md.

1. Prepares the database LOADTEST_DATABASE_URL (default ``crowdsci_loadtest`` on 127.0.0.1): migrate, the demo data,
   then generated guides up to 20,000 (bench_catalog's generator). Kept between runs: the second run starts at once.
2. Starts the fake Wikimedia server (the tracker follows its recorded stream; nothing leaves 127.0.0.1).
3. For each web worker count: bin/serve (web, worker, tracker, scheduler), waits for /readyz, runs locust with
   LOADTEST_USERS (200) users for LOADTEST_SECONDS (45) or LOADTEST_MAX_REQUESTS (30,000), whichever ends first,
   scrapes /metrics during the run, then stops everything with SIGTERM.

The public forms' rate limits are raised for the run (every simulated person comes from 127.0.0.1): the test
measures the pages; the limits have tests of their own.
"""

from __future__ import annotations

import csv
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
GUIDES = int(os.environ.get("LOADTEST_GUIDES", "20000"))

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
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str, timeout: float = 10) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 -- 127.0.0.1 only
        return response.read().decode()


def ensure_database() -> None:
    env = {**os.environ, "DATABASE_URL": DATABASE_URL, "LOADTEST_GUIDES": str(GUIDES), "CROWDSCI_PROFILE": "test"}
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


def stored_writes(run_id: str) -> dict[str, int]:
    """This run's rows, counted in the database: every accepted write must be there (no lost writes)."""
    script = (
        "import os, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'crowdsci.settings'); django.setup();"
        "from django.apps import apps; run = os.environ['LOADTEST_RUN'];"
        "registration = apps.get_model('events', 'Registration'); kit_request = apps.get_model('kits', 'KitRequest');"
        "print(registration.objects.filter(email__startswith=f'load-{run}-').count(),"
        " kit_request.objects.filter(contact_email__startswith=f'kit-{run}-').count())"
    )
    env = {**os.environ, "DATABASE_URL": DATABASE_URL, "LOADTEST_RUN": run_id, "CROWDSCI_PROFILE": "test"}
    out = subprocess.run([PY, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    registrations, kit_requests = out.stdout.split()[-2:]
    return {"events: register (POST)": int(registrations), "kits: request (POST)": int(kit_requests)}


def run_once(workers: int, fake_base: str, work: Path) -> dict:
    port = free_port()
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
            env={**os.environ, "LOADTEST_MAX_REQUESTS": str(MAX_REQUESTS), "LOADTEST_RUN": run_id},
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
        "stored": stored_writes(run_id),
    }


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
        accepted = {row["Name"]: int(row["Request Count"]) - int(row["Failure Count"]) for row in result["rows"]}
        checks = []
        for name, stored in result["stored"].items():
            refused = accepted.get(name.replace("(POST)", "refused by a rule"), 0)
            expected = accepted.get(name, 0) - refused
            verdict = "ok" if stored == expected else "LOST OR EXTRA WRITES"
            checks.append(f"{name}: {expected} accepted, {stored} rows stored ({verdict})")
        beats = [
            s["crowdsci_tracker_heartbeat_age_seconds"]
            for s in result["metrics"]
            if "crowdsci_tracker_heartbeat_age_seconds" in s
        ]
        read = [s["crowdsci_tracker_events_read"] for s in result["metrics"] if "crowdsci_tracker_events_read" in s]
        waiting = [s.get("crowdsci_tasks_waiting", 0) for s in result["metrics"]]
        tracker = (
            f"heartbeat age at most {max(beats):.1f} s over {len(beats)} scrapes, events read {max(read):.0f}"
            if beats and read
            else "no scrape of /metrics answered in time"
        )
        lines += [
            "",
            "Writes, accepted by the site vs this run's rows in the database afterwards: " + "; ".join(checks) + ".",
            "",
            f"Tracker during the run: {tracker} (the fake replays recorded 2023 events, so its lag figure, edit time "
            f"to read time, says nothing here); tasks waiting at most {max(waiting, default=0):.0f}.",
            "",
        ]
    return "\n".join(lines)


def main() -> None:
    ensure_database()
    work = Path(tempfile.mkdtemp(prefix="crowdsci-loadtest-"))
    fake_port = free_port()
    fake = subprocess.Popen(
        [PY, "-m", "crowdsci.wikimedia", "fake", "--port", str(fake_port)],
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
