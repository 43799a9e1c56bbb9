"""The load test's simulated people (locust). Run by ``make loadtest`` (bench/loadtest/run.py), which starts the
site, points this at it and reads the figures. Traffic goes to 127.0.0.1 only: any other host stops the run.

Mix: nine in eleven are anonymous readers (home page, catalog browse with facets, full-text search, guides, the
member directory, the programs' pages, the live campaign's dashboard, its live block as the page polls it, and its
stats.json); one in eleven writes anonymously (registers for a Citizen Science Month event, requests a Test the
Waters kit), through the real forms with their CSRF tokens; one in eleven signs in (email and password, as after
"Sign in with Wikipedia" once) and registers for the campaign, then follows the dashboard and their own page.

Every write's identity (the email it carries, or the account that registered) is noted when sent and when the site
accepted it, and written to LOADTEST_WRITES_FILE at the end, so the runner can tell a lost write (accepted, not
stored) from one still in flight when the run stopped (stored, its answer never read).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from datetime import date, timedelta
from urllib.parse import urlencode, urlsplit

from locust import FastHttpUser, between, events, task

MAX_REQUESTS = int(os.environ.get("LOADTEST_MAX_REQUESTS", "30000"))
RUN = os.environ.get("LOADTEST_RUN", "0")  # in the written emails, so the runner can count this run's writes
SEARCHES = ["literacy outreach", "health", "data training", "citizen science", "water testing", "community library"]
FACETS = [
    "/guides/?topics=health-literacy",
    "/guides/?topics=health-literacy&audiences=public-libraries&regions=region-3",
    "/guides/?audiences=public-libraries",
]
CAMPAIGN = "/campaigns/loadtest/"
PASSWORD = os.environ.get("LOADTEST_PASSWORD", "")
SIGNED_IN_FIRST = int(os.environ.get("LOADTEST_SIGNED_IN_FIRST", "0"))
SIGNED_IN_COUNT = int(os.environ.get("LOADTEST_SIGNED_IN_COUNT", "0"))
_sequence = itertools.count(1)
_signed_in = itertools.count(SIGNED_IN_FIRST)
_counted = {"requests": 0}
WRITES: dict[str, dict[str, list[str]]] = {}


def _note(kind: str, state: str, identity: str) -> None:
    WRITES.setdefault(kind, {"sent": [], "accepted": []})[state].append(identity)


@events.quitting.add_listener
def write_down_the_writes(environment, **kwargs) -> None:
    path = os.environ.get("LOADTEST_WRITES_FILE")
    if path:
        with open(path, "w") as handle:
            json.dump(WRITES, handle)


@events.test_start.add_listener
def only_loopback(environment, **kwargs) -> None:
    host = urlsplit(environment.host or "").hostname
    if host != "127.0.0.1":
        raise SystemExit(f"the load test only targets 127.0.0.1, not {host!r}")


@events.request.add_listener
def stop_after_max_requests(**kwargs) -> None:
    _counted["requests"] += 1
    runner = getattr(stop_after_max_requests, "runner", None)
    if _counted["requests"] >= MAX_REQUESTS and runner is not None:
        runner.quit()


@events.init.add_listener
def keep_runner(environment, **kwargs) -> None:
    stop_after_max_requests.runner = environment.runner


def _csrf(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return match.group(1) if match else ""


def _alert(html: str) -> str:
    """The text of the page's error alert (a form refused), or "" when there is none."""
    match = re.search(r'role="alert"[^>]*>(.*?)</(?:div|p)>', html, re.S)
    if not match:
        return ""
    return re.sub(r"<[^>]+>", " ", match.group(1)).strip() or "(alert)"


def _refused_by_a_rule(environment, name: str) -> None:
    # A form refused for a business rule (an organization with an open kit request, a full event) is the site
    # working, not an error: counted on a row of its own, with no time.
    environment.events.request.fire(
        request_type="RULE", name=name, response_time=0, response_length=0, exception=None, context={}
    )


def _first_option(html: str, name: str) -> str | None:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    if not select:
        hidden = re.search(rf'<input type="hidden" name="{name}" value="([^"]+)"', html)
        return hidden.group(1) if hidden else None
    values = [value for value in re.findall(r'<option value="([^"]+)"', select.group(1)) if value]
    return random.choice(values) if values else None


GUIDE_SLUGS: set[str] = set()


def _collect_guides(html: str) -> None:
    if len(GUIDE_SLUGS) < 5000:
        GUIDE_SLUGS.update(re.findall(r'href="/guides/guide/([a-z0-9-]+)/"', html))


class Reader(FastHttpUser):
    weight = 9
    wait_time = between(0.5, 2.0)

    @task(3)
    def home(self) -> None:
        self.client.get("/", name="home")

    @task(3)
    def browse(self) -> None:
        _collect_guides(self.client.get("/guides/", name="guides: browse").text)

    @task(2)
    def facets(self) -> None:
        _collect_guides(self.client.get(random.choice(FACETS), name="guides: facets").text)

    @task(3)
    def search(self) -> None:
        query = urlencode({"q": random.choice(SEARCHES)})
        _collect_guides(self.client.get(f"/guides/?{query}", name="guides: search").text)

    @task(2)
    def guide(self) -> None:
        if GUIDE_SLUGS:  # published guides, as linked from the pages read so far
            self.client.get(f"/guides/guide/{random.choice(tuple(GUIDE_SLUGS))}/", name="guides: one guide")

    @task(1)
    def directory(self) -> None:
        self.client.get("/network/directory/", name="directory")

    @task(1)
    def ccs(self) -> None:
        self.client.get("/ccs/", name="ccs")

    @task(1)
    def events_calendar(self) -> None:
        self.client.get("/citizen-science-month/events/", name="events: calendar")

    @task(1)
    def events_program(self) -> None:
        self.client.get("/citizen-science-month/", name="events: program")

    @task(1)
    def kits(self) -> None:
        self.client.get("/kits/", name="kits: index")

    @task(1)
    def campaigns(self) -> None:
        self.client.get("/campaigns/", name="campaigns: list")

    @task(3)
    def campaign_dashboard(self) -> None:
        self.client.get(CAMPAIGN, name="campaign: dashboard")

    @task(2)
    def campaign_live(self) -> None:
        # What the open dashboard fetches every few seconds (HTMX polling).
        self.client.get(CAMPAIGN + "live/", headers={"HX-Request": "true"}, name="campaign: live block")

    @task(1)
    def campaign_stats(self) -> None:
        self.client.get(CAMPAIGN + "stats.json", name="campaign: stats.json")


class Participant(FastHttpUser):
    """Signs in once (a fresh account of this run's block), registers for the campaign, then follows it."""

    weight = 1
    wait_time = between(1.0, 3.0)
    me: str | None = None

    def on_start(self) -> None:
        n = next(_signed_in)
        if not PASSWORD or n >= SIGNED_IN_FIRST + SIGNED_IN_COUNT:
            return
        email = f"signed-in-{n}@loadtest.example"
        token = _csrf(self.client.get("/accounts/login/", name="accounts: sign-in form").text)
        with self.client.post(
            "/accounts/login/",
            data={"csrfmiddlewaretoken": token, "login": email, "password": PASSWORD},
            headers={"Referer": self.host + "/accounts/login/"},
            name="accounts: sign in (POST)",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            if response.status_code != 302:
                response.failure(f"status {response.status_code}: {_alert(response.text) or 'not signed in'}")
                return
        page = self.client.get(CAMPAIGN + "register/", name="campaign: register form")
        token = _csrf(page.text)
        if not token:
            return
        _note("campaign: register (POST)", "sent", email)
        with self.client.post(
            CAMPAIGN + "register/",
            data={"csrfmiddlewaretoken": token, "organization": _first_option(page.text, "organization") or "",
                  "display": random.choice(["username", "display_name", "anonymous"])},
            headers={"Referer": self.host + CAMPAIGN + "register/"},
            name="campaign: register (POST)",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            if response.status_code == 302 and "/participants/" in response.headers.get("Location", ""):
                _note("campaign: register (POST)", "accepted", email)
                self.me = response.headers["Location"]
            else:
                response.failure(f"status {response.status_code}: {_alert(response.text) or 'not registered'}")

    @task(2)
    def dashboard(self) -> None:
        self.client.get(CAMPAIGN, name="campaign: dashboard (signed in)")

    @task(1)
    def my_page(self) -> None:
        if self.me:
            self.client.get(self.me, name="campaign: my page")


class Writer(FastHttpUser):
    weight = 1
    wait_time = between(1.0, 3.0)
    event_paths: list[str] = []

    def on_start(self) -> None:
        calendar = self.client.get("/citizen-science-month/events/", name="events: calendar").text
        found = sorted(set(re.findall(r'href="(/citizen-science-month/events/[a-z0-9-]+/)"', calendar)))
        Writer.event_paths = [path for path in found if not path.endswith("/map/")] or Writer.event_paths

    @task(2)
    def register_for_an_event(self) -> None:
        if not self.event_paths:
            return
        path = random.choice(self.event_paths)
        page = self.client.get(path, name="events: one event")
        token = _csrf(page.text)
        if not token:
            return  # registration closed on this event
        n = next(_sequence)
        email = f"load-{RUN}-{n}@example.org"
        _note("events: register (POST)", "sent", email)
        with self.client.post(
            path,
            data={
                "csrfmiddlewaretoken": token,
                "name": f"Load Test {n}",
                "email": email,
                "party_size": "1",
                "join_waitlist": "on",
            },
            headers={"Referer": self.host + path},
            name="events: register (POST)",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            elif _alert(response.text):
                _refused_by_a_rule(self.environment, "events: register refused by a rule")
            else:
                _note("events: register (POST)", "accepted", email)

    @task(1)
    def request_a_kit(self) -> None:
        page = self.client.get("/kits/request/", name="kits: request form")
        token, kit_type, organization = (
            _csrf(page.text),
            _first_option(page.text, "kit_type"),
            _first_option(page.text, "organization"),
        )
        if not (token and kit_type and organization):
            return
        n = next(_sequence)
        email = f"kit-{RUN}-{n}@example.org"
        _note("kits: request (POST)", "sent", email)
        start = date.today() + timedelta(days=30)
        with self.client.post(
            "/kits/request/",
            data={
                "csrfmiddlewaretoken": token,
                "kit_type": kit_type,
                "organization": organization,
                "contact_name": f"Load Test {n}",
                "contact_email": email,
                "contact_phone": "",
                "shipping_address": "1 Main Street\nSpringfield",
                "intended_use": "Load test: a water-testing class.",
                "start_date": start.isoformat(),
                "end_date": (start + timedelta(days=14)).isoformat(),
                "audience_size": "20",
            },
            headers={"Referer": self.host + "/kits/request/"},
            name="kits: request (POST)",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            if response.status_code == 200 and _alert(response.text):
                response.success()
                _refused_by_a_rule(self.environment, "kits: request refused by a rule")
            elif response.status_code != 302:
                response.failure(f"status {response.status_code}: {_alert(response.text) or 'not accepted'}")
            else:
                _note("kits: request (POST)", "accepted", email)
