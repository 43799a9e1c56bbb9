"""gunicorn's configuration for crowdsci's web processes (the `web` line of the Procfile, `make serve`).

Everything that differs between machines comes from the environment:

- WEB_CONCURRENCY: worker processes (default 2; about 2 per core is a good start, see README "Scaling");
- WEB_THREADS: threads per worker (default 1: sync workers; more switches to gthread);
- HOST, PORT: where to listen (default 127.0.0.1:8000; behind a proxy, listen on the private side only);
- FORWARDED_ALLOW_IPS: proxies whose X-Forwarded-* headers are believed (default 127.0.0.1);
- PROMETHEUS_MULTIPROC_DIR: when set, the workers' metrics are added up at every scrape (see crowdsci/core/metrics.py).

SIGTERM (what systemd, honcho and container platforms send) makes gunicorn stop accepting, let each worker finish
the request it is serving (up to graceful_timeout), and exit 0.
"""

import os

wsgi_app = "crowdsci.wsgi:application"
bind = [f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"]
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("WEB_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))  # a worker silent this long is killed and replaced
graceful_timeout = int(os.environ.get("WEB_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# crowdsci.core.logs writes one line per request, with its id; gunicorn's access log would be a second one.
accesslog = None
errorlog = "-"
# No control socket: several instances run side by side on one machine (tests, the load test).
control_socket_disable = True


def on_starting(server):
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        # Counters from a previous run must not be added to this one's.
        os.makedirs(directory, exist_ok=True)
        for name in os.listdir(directory):
            if name.endswith(".db"):
                os.unlink(os.path.join(directory, name))


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
