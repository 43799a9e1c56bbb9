"""Liveness and readiness probes for load balancers and orchestrators: ``/healthz`` and ``/readyz``.

They answer before any other middleware, so a probe needs no session, no CSRF token, no HTTPS redirect and no
allowed host (platforms probe by the container's IP address). They say only "ok" / "ready" / "not ready": what
failed goes to the log, never to the prober.

- ``/healthz``: the process answers (it touches nothing else, so a database outage does not get every web process
  restarted).
- ``/readyz``: the database answers, the shared cache (Redis) answers when one is configured, and every migration
  is applied. A process that is not ready should get no traffic.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("crowdsci.health")

_migrations_applied = False  # once true, true for the life of the process (code and schema only move forward)


def _plain(text: str, status: int) -> HttpResponse:
    response = HttpResponse(text + "\n", content_type="text/plain; charset=utf-8", status=status)
    response["Cache-Control"] = "no-store"
    return response


def check_database() -> None:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    if not getattr(settings, "REDIS_URL", ""):
        return
    from django.core.cache import cache

    cache.set("crowdsci:readyz", "1", 10)
    if cache.get("crowdsci:readyz") != "1":
        raise RuntimeError("the cache did not return what was just stored")


def check_migrations() -> None:
    global _migrations_applied
    if _migrations_applied:
        return
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise RuntimeError(f"{len(plan)} migrations not applied, first {plan[0][0]}")
    _migrations_applied = True


READINESS_CHECKS = {"database": check_database, "cache": check_cache, "migrations": check_migrations}


def failed_readiness_checks() -> list[str]:
    failed = []
    for name, check in READINESS_CHECKS.items():
        if failed and name == "migrations":
            break  # no database, no migration table to read
        try:
            check()
        except Exception as error:
            logger.warning("readiness check %s failed: %s", name, error)
            failed.append(name)
    return failed


def healthz(request: HttpRequest) -> HttpResponse:
    return _plain("ok", 200)


def readyz(request: HttpRequest) -> HttpResponse:
    # A broken connection is dropped by Django's request_finished handling, as for any request.
    failed = failed_readiness_checks()
    return _plain("not ready", 503) if failed else _plain("ready", 200)


PROBES = {"/healthz": healthz, "/readyz": readyz}


class HealthCheckMiddleware:
    """Answers the probes before anything else looks at the request (first in MIDDLEWARE after metrics)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = PROBES.get(request.path_info)
        if probe is not None and request.method in ("GET", "HEAD"):
            return probe(request)
        return self.get_response(request)
