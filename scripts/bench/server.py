"""The system under test: its environment, a fresh database, and its processes
(gunicorn, the Celery worker, the network simulator)."""

import json
import os
import resource
import signal
import subprocess
import sys
import time
import urllib.request

from .config import (
    CELERY,
    DB_NAME,
    GUNICORN,
    GUNICORN_CONFIG,
    NETWORK_ENV,
    NETWORK_KEY,
    PG_SERVER,
    POSTPAID,
    PREPAID,
    PYTHON,
    REDIS_URL,
    ROOT,
    SELF,
)
from .system import family, processes


def server_env(port: int, static_root: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"{PG_SERVER}/{DB_NAME}",
        "REDIS_URL": REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DEBUG": "off",
        "SECRET_KEY": "bench-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "SECURE_SSL_REDIRECT": "off",
        "SECURE_HSTS_SECONDS": "0",
        "CONN_MAX_AGE": "600",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        # The portal's pages need the collected static files (their manifest).
        "STATIC_ROOT": static_root,
        f"{NETWORK_ENV}_DEVELOPMENT_KEY": NETWORK_KEY,
    }


def prepare_database(env: dict) -> dict:
    """A fresh database (and a flushed Redis database: no breaker, route or queued task of
    an earlier run), migrated, with the catalogue, the seed and the static files."""
    import psycopg
    import redis

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {DB_NAME}")
    redis.Redis.from_url(REDIS_URL).flushdb()
    manage = [PYTHON, str(ROOT / "manage.py")]
    for command in (["migrate"], ["load_catalogue"], ["collectstatic", "--noinput"]):
        subprocess.run([*manage, *command, "-v0"], env=env, cwd=ROOT, check=True)  # noqa: S603
    seeded = subprocess.run(  # noqa: S603
        [*SELF, "--seed"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(seeded.stdout.strip().splitlines()[-1])


def start_server(
    env: dict, port: int, role: str, ready_path: str = "/ping"
) -> subprocess.Popen:
    """gunicorn as deployed (``deploy/gunicorn.conf.py``, ``SERVE_ROLE=role``: its workers,
    their model and database pool), a process group of its own, ready when ``ready_path``
    answers."""
    command = [
        GUNICORN,
        "-c",
        GUNICORN_CONFIG,
        "portal.wsgi",
        # Longer than the pauses between the bench's steps, so its connections stay open.
        "--keep-alive",
        "30",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(  # noqa: S603
        command,
        env={**env, "SERVE_ROLE": role, "SERVE_BIND": f"127.0.0.1:{port}"},
        cwd=ROOT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            url = f"http://127.0.0.1:{port}{ready_path}"
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310
                break
        except OSError:
            time.sleep(0.3)
    else:
        stop_group(server)
        raise SystemExit(f"gunicorn ({role}) did not answer {ready_path} within 30 s")
    workers = len(family(server.pid, processes())) - 1
    print(
        f"  gunicorn SERVE_ROLE={role} on 127.0.0.1:{port}: {workers} worker processes",
        flush=True,
    )
    return server


def start_worker(env: dict) -> subprocess.Popen:
    """A Celery worker (as ``make serve`` runs it): it resolves the payments answered
    pending, asking the provider a few seconds after their first answer."""
    command = [
        CELERY,
        "-A",
        "portal",
        "worker",
        "--loglevel",
        "WARNING",
        "--concurrency",
        "2",
    ]
    return subprocess.Popen(  # noqa: S603
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, start_new_session=True
    )


def stop_group(process: subprocess.Popen) -> None:
    """SIGTERM to the process group of ``process`` (started in a session of its own)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def start_netsim(env: dict, port: int):
    """The network simulator on ``port`` and ``port + 1``, made the provider of the
    products."""
    sys.path.insert(0, str(ROOT))
    from billers.netsim.testing import NetsimProcess

    netsim = NetsimProcess(
        key=NETWORK_KEY,
        ports=range(port, port + 2),
        args=("--seed", "1"),
        python=PYTHON,
    ).start()
    try:
        subprocess.run(  # noqa: S603
            [*SELF, "--route", netsim.url], env=env, cwd=ROOT, check=True
        )
    except BaseException:
        netsim.close()
        raise
    print(
        f"Network simulator on {netsim.url} is the provider of {POSTPAID} and "
        f"{PREPAID}; gunicorn started again",
        flush=True,
    )
    return netsim


def open_files_allow(needed: int) -> None:
    """One socket per connection: raise this process's soft limit of open files when the
    load needs more."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(needed, hard), hard))
