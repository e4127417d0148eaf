"""`make serve`'s script for real: gunicorn, a Celery worker and beat come up with DEBUG off,
answer over plain http in local-production mode, and all stop on Ctrl-C."""

import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from portal.tests.nodes import database_url
from tests_journey.deployment import free_pair, free_port

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.worker


def _wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def _get(url: str, **headers):
    """The answer, or None while nothing answers. gunicorn's master listens before its worker
    has loaded Django, so on a loaded machine the first request may wait past the read timeout
    (TimeoutError) rather than be refused: not up yet, like a refused connection."""
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - local http
    try:
        return urllib.request.urlopen(request, timeout=5)  # noqa: S310
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


@pytest.fixture
def served(django_db_setup, django_db_blocker, tmp_path):
    from django.db import connection

    port = free_port()
    log_path = tmp_path / "serve.log"
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(ROOT)),
        "BIN": str(Path(sys.executable).parent),
        # The test database, already migrated: `migrate` has nothing to do.
        "DATABASE_URL": database_url(connection.settings_dict),
        "REDIS_URL": os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
        "SERVE_BIND": f"127.0.0.1:{port}",
        # Not SERVE_BIND's port + 100: another test's server may hold that one.
        "NETSIM_PORT": str(free_pair()),
        "SITE_URL": f"http://127.0.0.1:{port}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "STATIC_ROOT": str(tmp_path / "static"),
        "CELERY_BEAT_SCHEDULE_FILENAME": str(tmp_path / "beat-schedule"),
        "WEB_CONCURRENCY": "1",
        "CELERY_CONCURRENCY": "1",
    }
    with log_path.open("w") as log:
        process = subprocess.Popen(  # noqa: S603 - our own script
            [str(ROOT / "deploy" / "serve.sh")],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, as a terminal's job would be
        )
    try:
        yield process, f"http://127.0.0.1:{port}", log_path
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_serve_runs_everything_and_ctrl_c_stops_it_all(served):
    process, base, log_path = served
    health = _wait_for(lambda: _get(f"{base}/healthz"), 120, "/healthz")
    assert json.load(health) == {"status": "ok", "database": "ok", "broker": "ok"}
    _wait_for(lambda: "ready." in log_path.read_text(), 60, "the Celery worker")
    _wait_for(lambda: "beat: Starting" in log_path.read_text(), 60, "Celery beat")

    page = _get(f"{base}/akun/login/", **{"X-Request-ID": "serve-test-1"})
    assert page.status == 200  # no redirect to https in local production
    assert page.headers["X-Request-ID"] == "serve-test-1"
    cookie = page.headers["Set-Cookie"]
    assert "csrftoken=" in cookie and "secure" not in cookie.lower()
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(f"{base}/tidak-ada/", timeout=5)  # noqa: S310
    assert missing.value.code == 404
    assert b"URLconf" not in missing.value.read()  # DEBUG is off: no technical 404 page

    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in the terminal sends
    process.wait(timeout=60)
    _wait_for(lambda: not _group_alive(process.pid), 10, "every process to exit")

    lines = [json.loads(x) for x in log_path.read_text().splitlines() if x[:1] == "{"]
    access = [x for x in lines if x.get("request_id") == "serve-test-1"]
    assert access and access[0]["path"] == "/akun/login/"
    assert {x["logger"] for x in lines} >= {"gunicorn.error", "celery.beat"}
    assert "serve: stopped" in log_path.read_text()
