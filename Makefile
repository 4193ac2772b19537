# The two commands of the README: `make run` and `make test`. Everything else supports them.
PYTHON_BOOT ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Two workers: the suite is mostly waiting on PostgreSQL and Chromium, and CI has two cores.
# loadgroup: tests marked `xdist_group` run together on one worker (the permission matrix builds its world
# once per module); every other test is distributed one by one, as with the default `load`.
PYTEST_ARGS ?= -n 2 --dist loadgroup
BENCH_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help install install-dev run test test-fast bench lint format browser stop clean

help:
	@echo "make run    - start the portal with demo data at http://127.0.0.1:$${PORT:-8000}/"
	@echo "make test   - run the whole test suite (unit, integration, browser)"
	@echo "make bench  - run the benchmarks and print the figures"
	@echo "make lint   - ruff check and format check"
	@echo "make stop   - stop the embedded PostgreSQL and Redis"

$(VENV)/.installed: requirements.txt
	$(PYTHON_BOOT) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# A checkout's own settings: development mode and a secret key made here, never committed.
.env:
	$(PYTHON_BOOT) -c "import secrets; print('PORTAL_ENV=development\nDJANGO_DEBUG=true\nDJANGO_SECRET_KEY=' + secrets.token_urlsafe(50))" > $@

install: $(VENV)/.installed .env
install-dev: $(VENV)/.installed-dev .env

run: install
	$(PY) manage.py run_portal

browser:
	@sh tests/ensure_browser.sh

test: install-dev browser
	$(PY) -m portal.embedded up > /dev/null
	$(PY) manage.py makemigrations --check --dry-run > /dev/null || (echo "Migrations are missing: run manage.py makemigrations" && $(PY) -m portal.embedded down && exit 1)
	$(PY) -m pytest $(PYTEST_ARGS); status=$$?; $(PY) -m portal.embedded down; exit $$status

bench: install-dev
	@sh tests/ensure_wrk.sh
	$(PY) -m portal.embedded up > /dev/null
	DJANGO_DEBUG=false DJANGO_SECURE_SSL_REDIRECT=false DJANGO_SETTINGS_MODULE=portal.settings_bench $(PY) manage.py run_benchmarks $(BENCH_ARGS); status=$$?; $(PY) -m portal.embedded down; exit $$status

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

stop:
	$(PY) -m portal.embedded down

clean: stop
	rm -rf $(VENV) var
