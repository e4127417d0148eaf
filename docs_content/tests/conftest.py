import pytest

from docs_content.tests.factories import (
    CredentialFactory,
    approve_local_connections,
    ready_for_development,
)


@pytest.fixture
def credential(partner):
    """The owner's Transaksi (Development) credential."""
    return CredentialFactory(partner=partner)


@pytest.fixture
def docs_client(owner_client, partner, credential):
    """The owner, logged in, with an approved connection entry: the documentation is open."""
    approve_local_connections(partner)
    return owner_client


@pytest.fixture
def live_partner(transactional_db, partner, credential, settings, live_server):
    """The owner's partner, ready to run every documented example against ``live_server``;
    the pages show ``live_server.url`` as the base URL."""
    settings.SITE_URL = live_server.url
    ready_for_development(partner)
    return partner


@pytest.fixture
def no_nagle(monkeypatch):
    """The test server writes headers and body of an answer separately; with Nagle's
    algorithm and the client's delayed ACK each answer then waits ~40 ms. Many calls in a row
    (schemathesis) turn it off, as a production server does."""
    from django.core.servers import basehttp

    monkeypatch.setattr(basehttp.WSGIRequestHandler, "disable_nagle_algorithm", True)
