# syntax=docker/dockerfile:1
# The production image. gunicorn (web), the Celery worker and Celery beat all run from it: docker-compose.yml
# only changes the command. Configuration comes from the environment at run time (see .env.example); nothing
# secret is baked in (.dockerignore keeps .env out).
#
# Debian bookworm, as on our development machines, so the package names are the ones scripts/bootstrap.sh checks.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# --- Stage 1: the locked production dependencies, in /opt/venv ---------------------------------------------------
FROM ${PYTHON_IMAGE} AS dependencies
# The uv that wrote uv.lock (pinned in pyproject.toml's dev group too). It stays in this stage only.
RUN pip install --no-cache-dir uv==0.13.8
ENV UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy
WORKDIR /app
# Only the two files that decide the dependencies: editing the code does not re-install them.
COPY pyproject.toml uv.lock ./
# --frozen: exactly uv.lock, never re-resolved. --no-dev: the production dependencies only (no pytest, Playwright,
# embedded PostgreSQL, mypy...). The venv links to /usr/local/bin/python3, which the final stage has too.
RUN uv sync --frozen --no-dev --python /usr/local/bin/python3

# --- Stage 2: the image that runs --------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE}
# WeasyPrint loads Pango at import time. The PDF reports ask for "Times New Roman": fontconfig maps it to
# Liberation Serif or Tinos (fonts-liberation2, fonts-croscore), which cover Vietnamese completely.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation2 fonts-croscore \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --create-home --uid 10001 --user-group childprotect

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    STATIC_ROOT=/srv/static \
    PRIVATE_MEDIA_ROOT=/srv/private
COPY --from=dependencies /opt/venv /opt/venv
WORKDIR /app
# The code stays owned by root: the app user can read it, not change it.
COPY . .

# Static files are collected now, so the image serves them by itself (WhiteNoise, compressed, hashed names).
# Settings insist on a secret key and a database URL outside DEBUG; collectstatic uses neither, so dummies do.
# The app user owns the two directories it writes to (docker-compose.yml mounts volumes there; a new named
# volume takes over the image's contents and owner).
RUN DJANGO_SECRET_KEY=collectstatic-only DATABASE_URL=postgres://build@localhost/build \
        python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p /srv/private \
    && chown -R childprotect:childprotect /srv/static /srv/private

USER childprotect
EXPOSE 8000
# gunicorn.conf.py: WEB_CONCURRENCY processes of WEB_THREADS threads, a database pool per process sized to its
# threads, the heartbeat files in /dev/shm, access log on stdout, listening on 0.0.0.0:8000.
CMD ["gunicorn", "childprotect.wsgi", "--config", "gunicorn.conf.py"]
