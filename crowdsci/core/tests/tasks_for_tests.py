"""Tasks used by the worker tests."""

import time
from pathlib import Path

from django_tasks import task


@task()
def sleep_then_write(*, path: str, seconds: float) -> str:
    Path(path + ".started").write_text("started")
    time.sleep(seconds)
    Path(path).write_text("done")
    return "done"
