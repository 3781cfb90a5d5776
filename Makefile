# Developer entry points. Each target is a thin wrapper: the work is done, and commented, in
# scripts/bootstrap.sh (system packages, .venv from uv.lock) and scripts/devstack.py (embedded PostgreSQL and
# Redis, the app's processes, stopping them all again). `make` alone lists the targets.
#
# Variables: PORT (make run, default 8000), ARGS (extra pytest arguments for make test,
# e.g. make test ARGS="tests/core -k token"). DATABASE_URL / REDIS_URL, when set, replace the embedded servers.

VENV_PYTHON := .venv/bin/python
PORT ?= 8000
ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help bootstrap venv run test bench load backup restore lint typecheck migrate shell clean distclean

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

bootstrap: ## system packages (Pango, fonts, poppler, Chromium) if missing, and .venv from uv.lock
	@scripts/bootstrap.sh

venv: ## only .venv from uv.lock (what lint and typecheck need)
	@scripts/bootstrap.sh --no-system-packages

# `exec`: devstack replaces the shell, so a SIGTERM that make passes on reaches devstack, which stops its children.
run: bootstrap ## PostgreSQL + Redis (embedded unless DATABASE_URL/REDIS_URL), migrate, demo data, web + worker + beat
	@exec $(VENV_PYTHON) scripts/devstack.py run --port $(PORT)

test: bootstrap ## the whole suite, browser tests included, against real PostgreSQL (throwaway unless DATABASE_URL)
	@exec $(VENV_PYTHON) scripts/devstack.py test -- $(ARGS)

# BENCH_ARGS e.g. "--cases 100000" for a quicker run; the data stays in childprotect_bench_<size> databases.
BENCH_ARGS ?=
bench: bootstrap ## load synthetic cases (10k, then 1M by default) and time list/search/detail/intake beside raw SQL
	@exec $(VENV_PYTHON) scripts/devstack.py bench -- $(BENCH_ARGS)

# LOAD_ARGS e.g. "--server runserver --users 100 --duration 3m"; LOAD_PORT (default 8001) where the server listens.
LOAD_ARGS ?=
load: bootstrap ## locust on loopback against gunicorn (production settings): req/s, median, p95 per endpoint, errors
	@exec $(VENV_PYTHON) scripts/devstack.py load -- $(LOAD_ARGS)

# BACKUP_DIR (default .devdata/backups). make restore ARCHIVE=path [INTO=new database] [RESTORE_FILES=empty folder]
BACKUP_DIR ?= .devdata/backups
INTO ?= childprotect_restored
RESTORE_FILES ?= .devdata/restored-files
backup: bootstrap ## one dated archive: database + private files + a manifest of row counts and checksums
	@exec $(VENV_PYTHON) scripts/devstack.py manage -- backup_archive --output $(BACKUP_DIR)

restore: bootstrap ## ARCHIVE=... into a new database (INTO) and an empty folder, verified against its manifest
	@test -n "$(ARCHIVE)" || { echo "usage: make restore ARCHIVE=.devdata/backups/childprotect-....tar.gz [INTO=name]" >&2; exit 2; }
	@exec $(VENV_PYTHON) scripts/devstack.py manage -- restore_archive $(ARCHIVE) --into $(INTO) --files $(RESTORE_FILES)

lint: venv ## ruff check + ruff format --check
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

# The django-stubs plugin imports the settings, which insist on a DATABASE_URL; mypy never connects to it.
typecheck: venv ## mypy (the files listed in pyproject.toml)
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} DATABASE_URL=$${DATABASE_URL:-postgres://localhost/typecheck} .venv/bin/mypy

migrate: bootstrap ## apply migrations to the local database (.devdata/postgres, or DATABASE_URL)
	@exec $(VENV_PYTHON) scripts/devstack.py migrate

shell: bootstrap ## Django shell against the local database and Redis
	@exec $(VENV_PYTHON) scripts/devstack.py manage -- shell

# clean keeps what you cannot rebuild: the local database (.devdata/postgres) and the files uploaded or generated
# into it (.devdata/private). Everything it removes comes back by itself on the next make run / make test.
clean: ## remove caches, collected static files, the Redis snapshot, test artefacts; KEEPS the database and files
	rm -rf .devdata/uv-bootstrap .devdata/staticfiles .devdata/redis .devdata/mail
	rm -rf test-results tests/.artifacts .pytest_cache .mypy_cache .ruff_cache
	find . -path ./.venv -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: ## clean, then ALSO delete .venv and all of .devdata: the local database and its files are lost
	@if [ -f .devdata/postgres/postmaster.pid ] && kill -0 "$$(head -n1 .devdata/postgres/postmaster.pid)" 2>/dev/null; \
	then echo "the embedded PostgreSQL is running (make run?): stop it first" >&2; exit 1; fi
	@$(MAKE) --no-print-directory clean
	rm -rf .venv .devdata
