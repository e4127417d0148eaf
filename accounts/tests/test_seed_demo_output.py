"""seed_demo ends with the demo's logins, built on SITE_URL (which `make run PORT=…` sets),
and without Celery's lines about every eager task in between."""

import logging
import shutil
import subprocess
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8123"


@pytest.fixture
def seeded(settings, caplog):
    settings.DEBUG = True
    settings.SITE_URL = SITE
    out = StringIO()
    with caplog.at_level(logging.INFO):
        call_command("seed_demo", stdout=out)
    return out.getvalue().splitlines()


def test_the_logins_come_last_after_the_progress(seeded):
    heading = seeded.index("Login demo:")
    progress, logins = seeded[:heading], seeded[heading + 1 :]

    assert "Data demo siap." in progress
    assert not [line for line in progress if "password" in line.lower()]
    assert logins[0].startswith(f"Mitra aktif: {SITE}/akun/login/ username=demo ")
    assert any(line.startswith("Manajemen User: ") for line in logins)
    assert logins[-1].startswith(f"Staff reviewer: {SITE}/{django_settings.ADMIN_URL} ")


def test_the_curl_session_gets_the_api_url_of_site_url(seeded):
    assert f"API_URL={SITE}" in seeded


def test_celery_says_nothing_while_the_demo_is_built(seeded, caplog):
    assert not [r for r in caplog.records if r.name.startswith(("celery", "kombu"))]
    assert logging.getLogger("celery").level == logging.NOTSET


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_passes_site_url_of_its_port_to_every_step():
    dry_run = subprocess.run(  # noqa: S603 - fixed arguments
        ["make", "-n", "run", "PORT=8123"],  # noqa: S607
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    steps = [line for line in dry_run.splitlines() if "manage.py" in line]
    assert [step.split(" manage.py ")[1] for step in steps] == [
        "migrate --noinput",
        "seed_demo",
        "runserver 127.0.0.1:8123",
    ]
    assert all(step.startswith(f"SITE_URL={SITE} ") for step in steps)
