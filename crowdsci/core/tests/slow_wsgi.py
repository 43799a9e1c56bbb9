"""The site's WSGI application plus one slow path, to show that gunicorn lets a request finish on SIGTERM."""

import sys
import time

from crowdsci.wsgi import application as site_application

SLOW_PATH = "/_test/slow"


def application(environ, start_response):
    if environ.get("PATH_INFO") != SLOW_PATH:
        return site_application(environ, start_response)
    print("SLOW REQUEST STARTED", file=sys.stderr, flush=True)
    time.sleep(3)
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"finished\n"]
