"""Shared fixtures: the personas every partner-scoped view is tried with, and a browser."""

import os
import shutil

import pytest

from accounts.tests.factories import PASSWORD, PartnerFactory, StaffFactory, UserFactory
from portal.lib.access import Level, Menu

# Playwright's sync API runs an event loop in the test thread; the ORM calls that browser tests
# make between clicks are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def pytest_configure(config):
    """Each pytest-xdist worker keeps its cache keys apart: the workers share one Redis
    database, and their test databases hand out the same ids (a breaker of provider 3 in
    one worker is not the other's provider 3)."""
    from django.conf import settings

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker and settings.configured:
        for cache in settings.CACHES.values():
            cache["KEY_PREFIX"] = f"{cache.get('KEY_PREFIX', '')}{worker}"


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    """Uploads of every test go to a temporary folder."""
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.SITE_URL = "http://testserver"
    # The partners' "servers" of the callback tests are local HTTP receivers.
    settings.CALLBACK_ALLOW_PRIVATE_TARGETS = True
    # Each call's log row at once, so a test reads it right after the call.
    settings.API_LOG_FLUSH_SECONDS = 0


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def owner(db):
    """The owner of an approved (active) partner."""
    return UserFactory()


@pytest.fixture
def partner(owner):
    return owner.partner


@pytest.fixture
def demo_partner(partner):
    """The approved partner, under a code of seed_demo's own (the only partners it writes to)."""
    from accounts.management.commands.seed_demo import DEMO_PARTNER_CODES

    partner.code = DEMO_PARTNER_CODES[0]
    partner.save(update_fields=["code"])
    return partner


@pytest.fixture
def sub_user(owner):
    """A sub-user of the same partner who holds only the reporting right (Laporan)."""
    return UserFactory(
        partner=owner.partner,
        is_owner=False,
        access_rights={Menu.TRANSAKSI: Level.VIEW},
    )


@pytest.fixture
def outsider(db):
    """The owner of another, unrelated partner."""
    return UserFactory(partner=PartnerFactory())


@pytest.fixture
def staff(db):
    return StaffFactory()


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def browser():
    """The system Chromium, headless, driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
    # ORM calls made while Playwright's loop runs open connections of their own; close them so
    # that the test database can be dropped at the end of the run.
    from django.db import connections

    connections.close_all()
