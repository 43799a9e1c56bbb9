"""Project-wide pytest set-up: the test profile, and Playwright on Debian's Chromium."""

import os

os.environ.setdefault("CROWDSCI_PROFILE", "test")
# live_server tests touch the ORM from the same thread Playwright's event loop runs in.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
