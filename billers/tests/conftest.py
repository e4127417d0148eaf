"""Fixtures of the billers tests."""

import pytest

from billers import health
from billers.models import Provider, ProviderProduct
from billers.netsim.testing import NetsimProcess, port_range
from billers.selectors import routes_forget
from openapi.tests import conftest as openapi_fixtures
from portal.tests.catcher import CallbackCatcher

# The Open API's fixtures, for the tests that go through it to a provider: a partner with a
# Development credential, its whitelisted address, the two PLN products (listrik) and a
# funded Development deposit.
dev_api = openapi_fixtures.dev_api
dev_credential = openapi_fixtures.dev_credential
whitelist = openapi_fixtures.whitelist
listrik = openapi_fixtures.listrik
postpaid = openapi_fixtures.postpaid
prepaid = openapi_fixtures.prepaid
funded = openapi_fixtures.funded

# --- the network simulator as a real process (billers.netsim) ------------------------------

NETSIM_KEY = "netsim-test-key-7c1f"
# Provider rows made here read their key from <NETSIM_ENV>_DEVELOPMENT_KEY.
NETSIM_ENV = "NETSIMTEST"
NETSIM_ARGS = ("--seed", "16", "--pending-seconds", "1")
# Ports of the servers these tests start besides the simulators (callback catchers).
CATCHER_PORTS = port_range("8722-8723")


@pytest.fixture(scope="session")
def netsim_server():
    """One simulator process for the session (each xdist worker starts its own)."""
    server = NetsimProcess(key=NETSIM_KEY, args=NETSIM_ARGS).start()
    yield server
    server.close()


@pytest.fixture
def netsim(netsim_server):
    """The session's simulator with its switches, counts and memory as started."""
    netsim_server.reset()
    yield netsim_server
    netsim_server.reset()


@pytest.fixture
def netsim_key(monkeypatch):
    """The simulator's key in the environment, for Development only."""
    monkeypatch.setenv(f"{NETSIM_ENV}_DEVELOPMENT_KEY", NETSIM_KEY)
    monkeypatch.delenv(f"{NETSIM_ENV}_PRODUCTION_KEY", raising=False)
    return NETSIM_KEY


@pytest.fixture
def make_provider(db, netsim_key, settings):
    """``make_provider(code, url, products=[...], priority=1, timeout=1, kind=network)``:
    a provider row (breaker closed) routed for ``products``; routes read fresh."""
    settings.BILLERS_ROUTES_TTL = 0
    made = []

    def make(
        code,
        url="",
        *,
        products=(),
        priority=1,
        timeout=1.0,
        kind=Provider.Kind.NETWORK,
    ):
        provider = Provider.objects.create(
            code=code,
            name=f"Penyedia {code}",
            kind=kind,
            base_url=url,
            credentials_env=NETSIM_ENV,
            timeout_seconds=timeout,
        )
        health.breaker_reset(provider.pk)
        for product in products:
            ProviderProduct.objects.create(
                product=product, provider=provider, priority=priority
            )
        routes_forget()
        made.append(provider.pk)
        return provider

    yield make
    for pk in made:
        health.breaker_reset(pk)
    routes_forget()


@pytest.fixture
def callback_catcher():
    catcher = CallbackCatcher(CATCHER_PORTS)
    yield catcher
    catcher.stop()
