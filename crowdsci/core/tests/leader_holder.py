"""A process that leads as ``NAME`` until SIGTERM, for the leader lock tests:

    python -m crowdsci.core.tests.leader_holder NAME

Prints ACTIVE <pid> when it leads, STOPPED when it stops; exits 0 either way.
"""

import os
import signal
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crowdsci.settings")
django.setup()

from crowdsci.core.locking import leadership  # noqa: E402


def main(name: str) -> None:
    stopping = False

    def stop(*_args) -> None:
        nonlocal stopping
        stopping = True

    with leadership(name, poll_interval=0.2, check_interval=0.5) as active:
        if not active:
            print("STOPPED as standby", flush=True)
            return
        signal.signal(signal.SIGTERM, stop)
        print(f"ACTIVE {os.getpid()}", flush=True)
        while not stopping:
            time.sleep(0.05)
    print("STOPPED", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
