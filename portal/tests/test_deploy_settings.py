"""Production settings: `check --deploy` is clean, `make serve`'s local mode relaxes only the
https-only settings, and what other apps left for the settings is wired."""

import os
import secrets
import socket
import subprocess
import sys
from pathlib import Path

from django.conf import settings as django_settings

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DEBUG": "off",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "mitra.example.id",
    "SITE_URL": "https://mitra.example.id",
    "DATABASE_URL": "postgres://webopenapi:pw@db.internal:5432/webopenapi",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "EMAIL_URL": "smtp+tls://mailer:pw@smtp.example.id:587",
}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # A clean environment: nothing of the test run (DEBUG, eager tasks…) leaks in.
    clean = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(ROOT)),
    }
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_nothing_in_production():
    result = _manage("check", "--deploy", "--fail-level", "DEBUG", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


SHOW = (
    "from django.conf import settings as s; print(s.DEBUG, s.SECURE_SSL_REDIRECT, "
    "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0, "
    "s.LOG_FORMAT)"
)


def test_production_defaults_are_the_safe_ones():
    result = _manage("shell", "--no-imports", "-c", SHOW, **PRODUCTION)
    assert result.stdout.split() == ["False", "True", "True", "True", "True", "json"]


def test_local_production_turns_off_only_the_https_only_settings():
    local = {
        **PRODUCTION,
        "SITE_URL": "http://127.0.0.1:8000",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "off",
        "SESSION_COOKIE_SECURE": "off",
        "CSRF_COOKIE_SECURE": "off",
    }
    result = _manage("shell", "--no-imports", "-c", SHOW, **local)
    assert result.stdout.split() == ["False", "False", "False", "False", "True", "json"]


def test_the_periodic_tasks_are_scheduled():
    tasks = {entry["task"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "billing.tasks.topup_expire",
        "connections.tasks.callback_sweep",
        "openapi.tasks.pending_check_all",
    } <= tasks
    assert django_settings.CELERY_WORKER_HIJACK_ROOT_LOGGER is False


def test_middleware_order():
    middleware = django_settings.MIDDLEWARE
    assert middleware[0] == "portal.middleware.RequestIdMiddleware"
    two_factor = middleware.index("usermgmt.middleware.TwoFactorRequiredMiddleware")
    assert two_factor > middleware.index("portal.middleware.AuthenticationMiddleware")
    assert two_factor > middleware.index("portal.middleware.MessageMiddleware")


def _python(script: str, **env: str) -> str:
    """What ``script`` prints, run by this Python in the project's directory with the
    production settings (and ``env``)."""
    done = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(ROOT),
            **PRODUCTION,
            **env,
        },
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def test_a_gunicorn_worker_freezes_what_it_loaded_for_the_collector():
    """deploy/gunicorn.conf.py's ``post_worker_init``, as gunicorn calls it once the worker
    has loaded Django: the URL patterns are loaded (with them the views, which a first
    request would otherwise import while the worker's other requests wait), then the objects
    of the load leave the collector's view (a full collection no longer walks them), the
    collector itself stays on for what comes later."""
    script = (
        "import gc, runpy, sys\n"
        "hooks = runpy.run_path('deploy/gunicorn.conf.py')\n"
        "import portal.wsgi\n"
        "before = gc.get_freeze_count(), 'accounts.views' in sys.modules\n"
        "hooks['post_worker_init'](None)\n"
        "print(*before, gc.get_freeze_count(), gc.isenabled(), "
        "'accounts.views' in sys.modules)\n"
    )
    printed = _python(script, SERVE_ROLE="api", API_WORKERS="1")
    before, views_before, frozen, enabled, views_after = printed.split()
    assert int(before) == 0
    assert views_before == "False"
    assert int(frozen) > 10_000  # Django's modules, models, settings, views…
    assert enabled == "True"
    assert views_after == "True"


def test_gunicorn_builds_no_access_line_of_its_own():
    """The access line is portal.middleware.RequestIdMiddleware's: the logger of
    deploy/gunicorn.conf.py, configured as gunicorn configures it there
    (``logconfig_dict``), does not build gunicorn's own line for a request."""
    script = (
        "import runpy\n"
        "from gunicorn.config import Config\n"
        "conf = runpy.run_path('deploy/gunicorn.conf.py')\n"
        "cfg = Config()\n"
        "cfg.set('logger_class', conf['logger_class'])\n"
        "cfg.set('logconfig_dict', conf['logconfig_dict'])\n"
        "log = cfg.logger_class(cfg)\n"
        "built = []\n"
        "log.atoms = lambda *args: built.append(args) or {}\n"
        "log.access(None, None, {}, None)\n"
        "print(len(built))\n"
    )
    assert _python(script).split() == ["0"]


def test_an_api_gunicorn_refuses_an_address_already_served():
    """The api's workers listen with ``SO_REUSEPORT`` (each on a socket of its own), so a
    second gunicorn on an address already served would share it silently: it stops at once
    and says why."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as serving:
        # As a running api worker listens.
        serving.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        serving.bind(("127.0.0.1", 0))
        serving.listen()
        port = serving.getsockname()[1]
        env = {**PRODUCTION, "SERVE_ROLE": "api", "SERVE_BIND": f"127.0.0.1:{port}"}
        started = subprocess.run(  # noqa: S603 - fixed arguments
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "-c",
                "deploy/gunicorn.conf.py",
                "portal.wsgi",
            ],
            cwd=ROOT,
            env={"PATH": os.environ.get("PATH", ""), "HOME": str(ROOT), **env},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert started.returncode != 0
        assert f"127.0.0.1:{port} is in use" in started.stderr
        assert "another gunicorn" in started.stderr
