# The two commands a newcomer needs: `make run` and `make test`. Everything else is a step they call.
SHELL := /bin/bash
PYTHON_BIN ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
VENDOR := crowdsci/static/vendor
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test bench lint install static messages migrate demo worker clean browser-deps apt-deps serve backup \
	restore loadtest

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -d $(VENV) || $(PYTHON_BIN) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Front-end libraries come from the npm registry (pinned in package-lock.json) and are copied into static files.
# Source maps go along: the production static storage (hashed names) fails on a JS file whose map is missing.
$(VENDOR)/.built: node_modules/.package-lock.json Makefile
	rm -rf $(VENDOR)
	mkdir -p $(VENDOR)/htmx $(VENDOR)/leaflet/images $(VENDOR)/us-atlas $(VENDOR)/topojson $(VENDOR)/chartjs $(VENDOR)/axe
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.js.map node_modules/leaflet/dist/leaflet.css \
	  $(VENDOR)/leaflet/
	cp node_modules/leaflet/dist/images/* $(VENDOR)/leaflet/images/
	cp node_modules/us-atlas/states-10m.json $(VENDOR)/us-atlas/
	cp node_modules/topojson-client/dist/topojson-client.min.js $(VENDOR)/topojson/
	cp node_modules/chart.js/dist/chart.umd.min.js node_modules/chart.js/dist/chart.umd.min.js.map $(VENDOR)/chartjs/
	cp node_modules/axe-core/axe.min.js $(VENDOR)/axe/
	touch $@

static: $(VENDOR)/.built

apt-deps:
	@{ command -v msgfmt && command -v espeak-ng; } >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext espeak-ng >/dev/null; }

# Message catalogs are compiled at build time; the .mo files are not committed.
messages: install apt-deps
	cd crowdsci && ../$(PY) ../manage.py compilemessages --verbosity 0

browser-deps:
	@test -x /usr/bin/chromium || { echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core fonts-noto-cjk >/dev/null; }

migrate: install
	$(PY) manage.py migrate --verbosity 0

demo: migrate
	$(PY) manage.py load_demo

run: install static messages demo
	$(PY) manage.py runserver $(HOST):$(PORT)

worker: install
	$(PY) manage.py db_worker --no-reload

# The production profile on this machine: gunicorn, the task worker, the tracker and the scheduler (Procfile) under
# honcho, on PostgreSQL (DATABASE_URL, default the `crowdsci` database) and Redis. See bin/serve and the README.
serve: install static messages
	bin/serve

# Backups of DATABASE_URL and MEDIA_ROOT into backups/ (BACKUP_DIR); restore one with `make restore FILE=backups/…tar`
# (it asks before replacing the database's contents). See README "Backups".
backup: install
	$(PY) manage.py backup

# locust against `make serve` on PostgreSQL (crowdsci_loadtest, 20,000 guides) with 1, 2 and 4 web workers; bounded
# in time and requests, 127.0.0.1 only. Figures printed and kept in bench/results/. See bench/loadtest/run.py.
loadtest: install static messages
	$(PY) bench/loadtest/run.py

restore: install
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/crowdsci-….tar"; exit 2; }
	$(PY) manage.py restore "$(FILE)"

test: install static messages browser-deps
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(VENV)/bin/pytest -n 2 $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

bench: install static
	@for script in bench/bench_*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

clean:
	rm -rf $(VENV) node_modules $(VENDOR) staticfiles db.sqlite3*
