"""Test helpers for real processes: start one with the test's database and collect its output line by line."""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
# The test run's own variables are not the child's.
TEST_ONLY = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG", "PYTEST_XDIST_WORKER", "PYTEST_CURRENT_TEST"}


def database_url_of_this_test() -> str:
    """A URL for the database this test uses (PostgreSQL's test database), for a child process to share."""
    settings = connection.settings_dict
    if connection.vendor != "postgresql":
        raise RuntimeError("only PostgreSQL test databases can be shared with another process")
    user = settings["USER"] or "postgres"
    host = settings["HOST"] or "127.0.0.1"
    port = settings["PORT"] or 5432
    return f"postgres://{user}@{host}:{port}/{settings['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def child_env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in TEST_ONLY}
    env.setdefault("CROWDSCI_PROFILE", "test")
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


class Process:
    """A child process whose stdout and stderr are read into one queue of lines as they come."""

    def __init__(self, args: list[str], *, env: dict[str, str], cwd: Path = ROOT) -> None:
        self.args = args
        self.popen = subprocess.Popen(
            args,
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    @classmethod
    def python(cls, *args: str, env: dict[str, str]) -> Process:
        return cls([sys.executable, *args], env=env)

    def _read(self) -> None:
        for line in self.popen.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def wait_for(self, text: str, *, timeout: float = 90.0) -> str:
        """The first line (from now on, or already read) containing ``text``; AssertionError after ``timeout``."""
        for line in self.lines:
            if text in line:
                return line
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self._queue.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                raise AssertionError(f"{self.args} exited ({self.popen.wait()}) before {text!r}:\n" + self.output())
            self.lines.append(line)
            if text in line:
                return line
        raise AssertionError(f"{text!r} not seen within {timeout} s from {self.args}:\n" + self.output())

    def drain(self) -> None:
        while True:
            try:
                line = self._queue.get_nowait()
            except queue.Empty:
                return
            if line is not None:
                self.lines.append(line)

    def saw(self, text: str) -> bool:
        self.drain()
        return any(text in line for line in self.lines)

    def output(self) -> str:
        self.drain()
        return "\n".join(self.lines[-60:])

    @property
    def pid(self) -> int:
        return self.popen.pid

    def signal(self, signum: int) -> None:
        self.popen.send_signal(signum)

    def kill_hard(self) -> None:
        self.popen.send_signal(signal.SIGKILL)
        self.popen.wait(timeout=10)

    def wait(self, timeout: float = 60.0) -> int:
        code = self.popen.wait(timeout=timeout)
        time.sleep(0.05)
        self.drain()
        return code

    def stop(self) -> None:
        """Make sure the process and its group are gone (test clean-up)."""
        if self.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=10)
