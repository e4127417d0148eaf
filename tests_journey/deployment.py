"""A real deployment for the journey: a fresh PostgreSQL database, migrated, with the product
catalogue and a staff reviewer, served by `deploy/serve.sh` (gunicorn, a Celery worker and
beat, DEBUG off, "local production" over plain http) on a port of its own.

Everything it starts it stops, and the database is dropped, whatever happened in between.
"""

from __future__ import annotations

import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ
import psycopg
import redis
from psycopg import sql

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
STAFF_USERNAME = "reviewer"
STAFF_EMAIL = "reviewer@webopenapi.test"
# Redis database of the journey (the broker and the cache); its queue name is unique per run.
REDIS_DB = 13
START_TIMEOUT = 150
STOP_TIMEOUT = 45


class DeploymentError(AssertionError):
    """The deployment could not be prepared, started or reached."""


@dataclass
class Deployment:
    url: str
    database: str
    staff_username: str
    staff_password: str
    log_path: Path

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no log)"
        # Static files and health probes say nothing about what went wrong.
        useful = [
            line
            for line in text.splitlines()
            if '"path": "/static/' not in line and '"path": "/healthz"' not in line
        ]
        return "\n".join(useful[-lines:])


def _ephemeral_ports() -> range:
    """The ports the kernel gives the local end of outgoing connections."""
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return range(int(low), int(high) + 1)
    except (OSError, ValueError):
        return range(32768, 61000)


# The ports a test's servers listen on: below the ephemeral range, where nothing else is
# handed out. A port of that range that is free when probed can become, before the server
# binds it, the local end of any connection made meanwhile (to PostgreSQL, Redis, a
# simulator…): CI once failed so ("netsim: port 49442 is in use").
LISTEN_PORTS = range(20000, max(20001, _ephemeral_ports().start))
# Not the module's random: a seeded one would give both workers the same ports.
_CHOOSER = random.SystemRandom()


def port_free(port: int) -> bool:
    """Whether a server could listen on ``port`` now (bound as servers bind: SO_REUSEADDR,
    so that a closed connection's TIME_WAIT does not count)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    """A port of ``LISTEN_PORTS`` that nothing holds (chosen at random: the other pytest-xdist
    worker probes the same range)."""
    while True:
        port = _CHOOSER.choice(LISTEN_PORTS)
        if port_free(port):
            return port


def free_pair() -> int:
    """A free port whose next port is free too (the simulator's and its control port:
    serve.sh's default, the site's port + 100, may be anyone's)."""
    while True:
        port = free_port()
        if port + 1 in LISTEN_PORTS and port_free(port + 1):
            return port


def _postgres_server_url() -> str:
    """The PostgreSQL server of the test run (``JOURNEY_PG_URL`` or ``DATABASE_URL`` when it
    is PostgreSQL), else the one the README expects on 127.0.0.1:5432."""
    for name in ("JOURNEY_PG_URL", "DATABASE_URL"):
        url = os.environ.get(name, "")
        if url.startswith(("postgres://", "postgresql://", "pgsql://")):
            return url
    return "postgres://postgres@127.0.0.1:5432/postgres"


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def _redis_url() -> str:
    parts = urlsplit(os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0")
    return urlunsplit((parts.scheme, parts.netloc, f"/{REDIS_DB}", "", ""))


def _admin_connection(database_url: str):
    config = environ.Env.db_url_config(database_url)
    connection = psycopg.connect(
        dbname="postgres",
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
    )
    connection.autocommit = True
    return connection


def _database_create(database_url: str, name: str) -> None:
    connection = _admin_connection(database_url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        connection.close()


def _database_drop(database_url: str, name: str) -> None:
    connection = _admin_connection(database_url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(name)
                )
            )
    finally:
        connection.close()


def _redis_forget_queue(redis_url: str, queue: str) -> None:
    broker = redis.Redis.from_url(redis_url)
    try:
        keys = [queue, *broker.scan_iter(match=f"_kombu.binding*.{queue}")]
        broker.delete(*keys)
    finally:
        broker.close()


def _run_manage(env: dict, *args: str, log) -> None:
    """One management command, its output in the deployment log; a failure says which."""
    log.write(f"$ manage.py {' '.join(args)}\n")
    log.flush()
    done = subprocess.run(
        [str(BIN / "python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        timeout=180,
        check=False,
    )
    if done.returncode != 0:
        raise DeploymentError(f"manage.py {args[0]} failed (exit {done.returncode})")


def _get_json(url: str) -> dict | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 - local http
            return json.load(answer)
    except (urllib.error.URLError, ConnectionError, TimeoutError, ValueError):
        return None


def _wait_until_up(process, deployment: Deployment) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    healthy = worker_ready = beat_started = False
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise DeploymentError(
                f"deploy/serve.sh ended early (exit {process.returncode}):\n"
                + deployment.log_tail()
            )
        healthy = healthy or _get_json(f"{deployment.url}/healthz") == {
            "status": "ok",
            "database": "ok",
            "broker": "ok",
        }
        log = deployment.log_path.read_text(errors="replace")
        worker_ready = worker_ready or " ready." in log
        beat_started = beat_started or "beat: Starting" in log
        if healthy and worker_ready and beat_started:
            return
        time.sleep(0.5)
    raise DeploymentError(
        f"the deployment did not come up in {START_TIMEOUT} s (health ok: {healthy}, "
        f"worker ready: {worker_ready}, beat started: {beat_started}):\n"
        + deployment.log_tail()
    )


def _stop(process) -> None:
    """SIGTERM, as a supervisor stops `make serve`; SIGKILL to the whole group if it hangs."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)  # stragglers of the group, if any
    except ProcessLookupError:
        pass
    process.wait()


@contextmanager
def deployed(*, smtp_port: int, workdir: Path, log_path: Path):
    """Prepare a fresh database and serve it; yield the ``Deployment``; tear it all down."""
    server_url = _postgres_server_url()
    database = f"wo_journey_{secrets.token_hex(4)}"
    database_url = _with_database(server_url, database)
    redis_url = _redis_url()
    queue = f"journey-{secrets.token_hex(6)}"
    port = free_port()
    staff_password = secrets.token_urlsafe(12)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(ROOT)),
        "LANG": "C.UTF-8",
        "PYTHONPATH": str(ROOT),
        "BIN": str(BIN),
        "DJANGO_SETTINGS_MODULE": "tests_journey.serve_settings",
        "DEBUG": "off",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SITE_URL": f"http://127.0.0.1:{port}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SERVE_BIND": f"127.0.0.1:{port}",
        "NETSIM_PORT": str(free_pair()),
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "TRUSTED_PROXIES": "",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "CALLBACK_RETRY_BASE_SECONDS": "1",
        "PENDING_RESOLVE_SECONDS": "1",
        "PRIVATE_STORAGE_ROOT": str(workdir / "private"),
        "STATIC_ROOT": str(workdir / "static"),
        "CELERY_BEAT_SCHEDULE_FILENAME": str(workdir / "celerybeat-schedule"),
        "WEB_CONCURRENCY": os.environ.get("JOURNEY_WEB_CONCURRENCY", "2"),
        "CELERY_CONCURRENCY": os.environ.get("JOURNEY_CELERY_CONCURRENCY", "1"),
        "SERVE_STOP_TIMEOUT": "20",
    }
    deployment = Deployment(
        url=env["SITE_URL"],
        database=database,
        staff_username=STAFF_USERNAME,
        staff_password=staff_password,
        log_path=log_path,
    )
    process = None
    _database_create(server_url, database)
    try:
        with log_path.open("w") as log:
            # What an operator does once before the first start: the schema, the product
            # catalogue (reference data, not demo data) and the first staff reviewer.
            _run_manage(env, "migrate", "--noinput", "-v0", log=log)
            _run_manage(env, "load_catalogue", "-v0", log=log)
            _run_manage(
                {
                    **env,
                    "DJANGO_SUPERUSER_USERNAME": STAFF_USERNAME,
                    "DJANGO_SUPERUSER_EMAIL": STAFF_EMAIL,
                    "DJANGO_SUPERUSER_PASSWORD": staff_password,
                },
                "createsuperuser",
                "--noinput",
                log=log,
            )
            log.write("$ deploy/serve.sh\n")
            log.flush()
            process = subprocess.Popen(
                [str(ROOT / "deploy" / "serve.sh")],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a process group of its own, stopped as one
            )
        _wait_until_up(process, deployment)
        yield deployment
    finally:
        try:
            if process is not None:
                _stop(process)
        finally:
            try:
                _database_drop(server_url, database)
            finally:
                _redis_forget_queue(redis_url, queue)
