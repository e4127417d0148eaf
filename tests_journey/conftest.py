"""Fixtures of the journey: an SMTP server in this process, the deployment that sends to it,
and browser contexts on that deployment (Chromium from the root conftest's ``browser``).

Nothing here touches a database from the test process: the journey talks to the deployment
only through the browser, HTTP and the back-office (no ``db`` fixture, so pytest-django
creates no test database for it)."""

from __future__ import annotations

import logging

import pytest
from playwright.sync_api import expect

from tests_journey.browsing import WAIT_MS
from tests_journey.deployment import deployed
from tests_journey.mailbox import SmtpServer
from tests_journey.screens import ARTIFACTS, VIEWPORT, Screens, curated_folder

expect.set_options(timeout=WAIT_MS)
# aiosmtpd logs every SMTP command at INFO: noise in a failure report.
logging.getLogger("mail.log").setLevel(logging.WARNING)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so fixtures know whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _failed(request) -> bool:
    report = getattr(request.node, "report_call", None)
    return report is None or report.failed


@pytest.fixture
def smtp():
    with SmtpServer() as server:
        yield server


@pytest.fixture
def deployment(smtp, tmp_path, request):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log_path = ARTIFACTS / "serve.log"
    with deployed(smtp_port=smtp.port, workdir=tmp_path, log_path=log_path) as served:
        yield served
        if _failed(request):
            print(f"--- last lines of {log_path} ---\n{served.log_tail(40)}")


@pytest.fixture
def screens():
    return Screens(curated=curated_folder())


@pytest.fixture
def new_page(browser, deployment, screens, request):
    """``new_page(role)``: a fresh browser context (its own cookies) on the deployment."""
    contexts = []

    def make(role: str):
        context = browser.new_context(
            base_url=deployment.url,
            locale="id-ID",
            timezone_id="Asia/Jakarta",
            viewport=VIEWPORT,
            reduced_motion="reduce",
        )
        context.set_default_timeout(WAIT_MS)
        context.set_default_navigation_timeout(WAIT_MS)
        contexts.append((role, context))
        return context.new_page()

    yield make
    for role, context in contexts:
        if _failed(request):
            for page in context.pages:
                path = screens.folder / f"failure-{role}.png"
                try:
                    page.screenshot(path=str(path), full_page=True)
                    print(f"{role} was on {page.url} (see {path})")
                except Exception as exc:  # noqa: BLE001 - the report matters more
                    print(f"{role}: no failure screenshot ({exc})")
        context.close()
