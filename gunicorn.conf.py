"""gunicorn's configuration for the production image (Dockerfile) and `make load`: a few processes with a few
threads each, and in each process a database pool exactly as big as its threads, so a burst of requests waits
for a thread instead of opening connections until PostgreSQL refuses. Total connections: WEB_CONCURRENCY x
WEB_THREADS, plus the worker's and beat's (README "Production layout" sizes PostgreSQL's max_connections).

Environment: WEB_CONCURRENCY (processes, default 3), WEB_THREADS (threads per process, default 4), WEB_BIND
(default 0.0.0.0:8000 inside the container), WEB_TIMEOUT (seconds before a stuck request's worker is replaced).
"""

import os

bind = os.environ.get("WEB_BIND_INSIDE", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
threads = int(os.environ.get("WEB_THREADS", "4"))
worker_class = "gthread"
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))
# Idle keep-alive connections stay open longer than the client (the TLS proxy's upstream keep-alive, a browser
# between two clicks) keeps them: a server that closes first races the client's next request on that connection,
# which then fails with "connection reset by peer".
keepalive = int(os.environ.get("WEB_KEEPALIVE", "75"))
graceful_timeout = 30
# /dev/shm for the heartbeat files: the container's /tmp may be on a slow overlay disk, which makes gunicorn
# think workers hang.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
accesslog = os.environ.get("WEB_ACCESS_LOG", "-") or None
# Read by childprotect/settings.py in each worker: one connection per thread, never more.
os.environ.setdefault("DATABASE_POOL_MAX_SIZE", str(threads))
