"""One log line per request and per task, each carrying an id; JSON lines in production, plain text in development.

The request id comes from the ``X-Request-ID`` header when a proxy in front set a sane one, otherwise it is new;
it is sent back in the response's ``X-Request-ID`` and put on every log record written while the request runs
(``RequestIdFilter``), so one request's lines can be found together. A task's lines carry the task's id, and the
line that says a task was enqueued carries both, which links a request to the work it started.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")
_SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")

request_logger = logging.getLogger("crowdsci.request")
task_logger = logging.getLogger("crowdsci.task")

# Attributes every LogRecord has; anything else on a record is an "extra" and goes into the JSON line.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "request_id"}


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


class WarningsOnlyFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, the record's extras, any traceback."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id_var.get()),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                line[key] = value if isinstance(value, str | int | float | bool | type(None)) else str(value)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


class RequestLogMiddleware:
    """Gives each request its id and writes its one line: method, path, status, view, duration."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _SANE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            match = getattr(request, "resolver_match", None)
            user = getattr(request, "user", None)
            request_logger.info(
                "%s %s %s %.0fms",
                request.method,
                request.path,
                response.status_code,
                (time.perf_counter() - started) * 1000,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "view": match.view_name if match else "",
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                },
            )
            return response
        finally:
            request_id_var.reset(token)


# Tasks: django-tasks signals (connected in CoreConfig.ready). The worker runs one task at a time per thread, so
# the task's id stays the log id from its start to its end.

_task_tokens: dict[str, object] = {}


def task_enqueued(sender, task_result, **kwargs) -> None:
    task_logger.info(
        "enqueued %s task=%s",
        task_result.task.module_path,
        task_result.id,
        extra={"task": task_result.task.module_path, "task_id": str(task_result.id)},
    )


def task_started(sender, task_result, **kwargs) -> None:
    _task_tokens[str(task_result.id)] = (request_id_var.set(f"task-{task_result.id}"), time.perf_counter())


def task_finished(sender, task_result, **kwargs) -> None:
    token, started = _task_tokens.pop(str(task_result.id), (None, None))
    status = str(getattr(task_result.status, "value", task_result.status))
    duration_ms = round((time.perf_counter() - started) * 1000, 1) if started is not None else None
    task_logger.log(
        logging.ERROR if status == "FAILED" else logging.INFO,
        "%s %s %sms",
        task_result.task.module_path,
        status,
        duration_ms,
        extra={
            "task": task_result.task.module_path,
            "task_id": str(task_result.id),
            "status": status,
            "duration_ms": duration_ms,
        },
    )
    if token is not None:
        request_id_var.reset(token)
