"""Fixtures of the billers tests."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from billers import health
from billers.models import Provider, ProviderProduct
from billers.netsim.testing import NetsimProcess, port_range
from billers.selectors import routes_forget

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


class CallbackCatcher:
    """An HTTP server on one of ``CATCHER_PORTS`` that keeps what is POSTed to it."""

    def __init__(self):
        self.received: list[dict] = []
        self.arrived = threading.Event()
        catcher = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                catcher.received.append(
                    {"headers": dict(self.headers.items()), "body": body}
                )
                catcher.arrived.set()
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        for port in CATCHER_PORTS:
            try:
                self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
                break
            except OSError:
                continue
        else:
            raise RuntimeError(f"no free port in {CATCHER_PORTS}")
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/callback"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def callback_catcher():
    catcher = CallbackCatcher()
    yield catcher
    catcher.stop()
