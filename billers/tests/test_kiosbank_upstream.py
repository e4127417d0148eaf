"""The Kiosbank-protocol adapter against a second instance of this project, not a mock.

One ``manage.py runserver`` per module (what ``make run`` serves: its own SQLite database,
migrated and seeded by ``seed_demo``, no Redis, eager tasks) on a port of 8750–8769 is the
upstream; its demo partner MTRDEMO3 (127.0.0.1 approved, PLN products chosen, sandbox
deposit) is our account there. In this process (PostgreSQL) a Provider of kind ``kiosbank``
points at it, our products are routed to it under the upstream's codes, and our own Open API
is driven with the Django test client. What the upstream did is read from its database (its
transactions, sign-on counter and API log) and through its own API (get-Deposit).

The upstream runs its tasks eagerly: a payment it answers pending (rc 71) is final there by
the time we ask its Check-Status, and its callback has reached the receiver of this process
(the URL its demo partner set) before its answer reaches us.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from unittest import mock
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import httpx
import pytest

from billers import health, simulator
from billers.adapters import adapter_for, kiosbank, transport
from billers.adapters.base import Refused
from billers.models import Provider, ProviderProduct
from billers.selectors import routes_forget
from billers.services import call_reference
from billing.models import LedgerEntry, Transaction
from billing.tests.factories import deposit_fund
from connections.tests.factories import ConnectionFactory
from openapi.fields import money
from openapi.services import pending_resolve_now
from openapi.tests.digestclient import DigestApi
from openapi.tests.factories import CredentialFactory
from openapi.tests.helpers import (
    balance,
    buy,
    check_status,
    inquire,
    ledger_sum,
    pay,
)
from openapi.tests.sqlite_demo import ROOT, sqlite_demo
from portal.lib.environments import Environment
from products.tests.factories import (
    CategoryFactory,
    PartnerProductFactory,
    ProductFactory,
)
from tests_journey.deployment import port_free

pytestmark = pytest.mark.django_db
DEV = Environment.DEVELOPMENT
PORTS = range(8750, 8770)
JAKARTA = ZoneInfo("Asia/Jakarta")
# At the upstream (products/data/catalogue.csv): PLN Token 20.000 at Rp 21.500, PLN
# Pascabayar with Rp 2.500 admin; both chosen by its demo partner in Development.
UP_TOKEN, UP_TOKEN_PRICE = "100312", 21_500
UP_BILL, UP_BILL_ADMIN = "100301", 2_500
# Ours: the same products at our prices, under codes of our own.
TOKEN_PRICE = 22_000
BILL_ADMIN = 3_000
DEPOSIT = 1_000_000
CALLBACK_SECRET = "kb-callback-secret-for-the-test"  # noqa: S105 - the test's own upstream
DEMO_PARTNER = "MTRDEMO3"


def _ports() -> list[int]:
    """The range, this pytest-xdist worker's two ports first (gw0: 8750-8751, gw1:
    8752-8753…), so that workers starting at the same time do not race for one port."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    index = int(worker[2:]) if worker[2:].isdigit() else 0
    start = 2 * index % len(PORTS)
    return [*PORTS[start:], *PORTS[:start]]


class Receiver:
    """The callback URL we give the upstream: keeps each POST's headers and raw body."""

    def __init__(self):
        self.received: list[dict] = []
        received = self.received

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                received.append({"headers": dict(self.headers), "body": body})
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"status":"OK"}')

            def log_message(self, *args):
                pass

        for port in _ports():
            try:
                self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
                break
            except OSError:
                continue
        else:
            raise AssertionError("no free port in 8750-8769 for the callback receiver")
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/callback-kiosbank"

    def about(self, reference: str) -> list[dict]:
        return [
            r
            for r in self.received
            if json.loads(r["body"])["referenceID"] == reference
        ]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Upstream:
    """The second instance: its process, database and demo credentials."""

    def __init__(self, base, env: dict, values: dict):
        self.base = base
        self.env = env
        self.values = values
        self.db = base / "db.sqlite3"
        self.process: subprocess.Popen | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        for port in _ports():
            if port_free(port) and self._start_on(port):
                return
        text = (self.base / "runserver.log").read_text()[-2000:]
        raise AssertionError(f"the upstream did not start: {text}")

    def _start_on(self, port: int) -> bool:
        """Start runserver on ``port``; False when it exits (the port was taken)."""
        self.port = port
        with (self.base / "runserver.log").open("a") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own server
                [
                    sys.executable,
                    str(ROOT / "manage.py"),
                    "runserver",
                    "--noreload",
                    "--skip-checks",
                    f"127.0.0.1:{port}",
                ],
                env=self.env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and self.running():
            try:
                answer = httpx.get(self.url + "/auth/Sign-On", timeout=2)
            except httpx.HTTPError:
                time.sleep(0.2)
                continue
            if answer.status_code == 401 and self.running():
                return True
        self.stop()
        return False

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def sql(self, query: str, params=()) -> list:
        with sqlite3.connect(self.db, timeout=10) as db:
            return db.execute(query, params).fetchall()

    def credentials(self) -> dict[str, str]:
        v = self.values
        return {
            "USERNAME": v["DEV_USERNAME"],
            "PASSWORD": v["DEV_PASSWORD"],
            "MITRA": v["MITRA"],
            "ACCOUNT_ID": v["ACCOUNT_ID"],
            "MERCHANT_ID": v["MERCHANT_ID"],
            "MERCHANT_NAME": v["MERCHANT_NAME"],
            "COUNTER_ID": v["COUNTER_ID"],
            "CALLBACK_SECRET": CALLBACK_SECRET,
        }

    def _credential_id(self) -> int:
        ((pk,),) = self.sql(
            "SELECT id FROM profiles_credential WHERE username = ?",
            [self.values["DEV_USERNAME"]],
        )
        return pk

    def sign_ons(self) -> int:
        """Sign-ons the upstream counted for our credential (its SignOnCounter)."""
        ((count,),) = self.sql(
            "SELECT COALESCE(SUM(count), 0) FROM openapi_signoncounter "
            "WHERE credential_id = ?",
            [self._credential_id()],
        )
        return count

    def sign_on_calls(self) -> list[str]:
        """The rc of each Sign-On call of our credential, from the upstream's API log."""
        return [
            rc
            for (rc,) in self.sql(
                "SELECT rc FROM openapi_apilog WHERE path = '/auth/Sign-On' "
                "AND username = ? ORDER BY id",
                [self.values["DEV_USERNAME"]],
            )
        ]

    def rcs(self, path: str, reference: str) -> list[str]:
        """The rc of each call of ``path`` about ``reference``, from its API log."""
        return [
            rc
            for (rc,) in self.sql(
                "SELECT rc FROM openapi_apilog WHERE path = ? AND reference_id = ? "
                "ORDER BY id",
                [path, reference],
            )
        ]

    def counter_today(self) -> int:
        ((count,),) = self.sql(
            "SELECT count FROM openapi_signoncounter WHERE credential_id = ? AND day = ?",
            [self._credential_id(), datetime.now(JAKARTA).date().isoformat()],
        )
        return count

    def counter_set(self, count: int) -> None:
        self.sql(
            "UPDATE openapi_signoncounter SET count = ? WHERE credential_id = ? "
            "AND day = ?",
            [count, self._credential_id(), datetime.now(JAKARTA).date().isoformat()],
        )

    def sessions_end(self) -> None:
        self.sql(
            "UPDATE openapi_signonsession SET expires_at = '2000-01-01 00:00:00' "
            "WHERE credential_id = ?",
            [self._credential_id()],
        )

    def transaction(self, reference: str) -> dict:
        ((status, total, response),) = self.sql(
            "SELECT status, total, response FROM billing_transaction "
            "WHERE reference_id = ?",
            [reference],
        )
        return {"status": status, "total": total, "response": json.loads(response)}

    def product_status(self, code: str, status: str) -> None:
        self.sql(
            "UPDATE products_product SET status = ? WHERE code = ?", [status, code]
        )


@pytest.fixture(scope="module")
def receiver():
    started = Receiver()
    yield started
    started.stop()


@pytest.fixture(scope="module")
def upstream(tmp_path_factory, receiver):
    base = tmp_path_factory.mktemp("kiosbank-upstream")
    env, seeded = sqlite_demo(base, LOG_LEVEL="WARNING", API_LOG_FLUSH_SECONDS="0")
    values = {}
    for line in seeded.splitlines():
        name, _sep, value = line.partition("=")
        if _sep and re.fullmatch(r"[A-Z_]+", name):
            values[name] = shlex.split(value)[0]
    server = Upstream(base, env, values)
    # Its demo partner's Development callbacks come to our receiver, signed with the
    # secret the upstream would show in its Koneksi menu.
    now = (
        datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
    )  # as Django keeps it
    server.sql(
        "INSERT INTO connections_callbackendpoint "
        "(environment, url, secret, secret_created_at, updated_at, partner_id) "
        "SELECT 'development', ?, ?, ?, ?, id FROM accounts_partner WHERE code = ?",
        [receiver.url, CALLBACK_SECRET, now, now, DEMO_PARTNER],
    )
    server.start()
    yield server
    server.stop()


@pytest.fixture
def kb(upstream, monkeypatch, settings, db):
    """The Provider of kind kiosbank pointing at the upstream (started again if a test
    stopped it), with its demo partner's Development credentials in the environment.

    The adapter's session, kept amounts and prices, and the breaker, live in a cache of
    this process for these tests: other tests clear the shared Redis cache at any moment
    (``cache.clear()``), which would make a counted sign-on or a kept price come and go."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "kiosbank-upstream-tests",
        }
    }
    if not upstream.running():
        upstream.start()
    for name, value in upstream.credentials().items():
        monkeypatch.setenv(f"KB_DEVELOPMENT_{name}", value)
    provider = Provider.objects.create(
        code="kb",
        name="Kiosbank hulu",
        kind=Provider.Kind.KIOSBANK,
        base_url=upstream.url,
        credentials_env="KB",
        timeout_seconds=10,
    )
    health.breaker_reset(provider.pk)
    routes_forget()
    yield provider
    routes_forget()


@pytest.fixture
def adapter(kb):
    return adapter_for(kb, DEV)


@pytest.fixture
def api(client, partner):
    """Our own Open API, as our partner in Development with Rp 1.000.000 deposit."""
    credential = CredentialFactory(partner=partner, environment=DEV)
    for address in ("127.0.0.1", "::1"):
        ConnectionFactory(
            partner=partner, environment=DEV, address=address, approved=True
        )
    deposit_fund(partner, DEPOSIT, DEV)
    return DigestApi(client, credential)


@pytest.fixture
def routed(kb, partner):
    """Our PLN token (Rp 22.000) and PLN postpaid (admin Rp 3.000), routed to the
    upstream under its codes at its prices."""
    listrik = CategoryFactory(slug="listrik", name="Listrik")
    token = ProductFactory(
        code="KB100312", name="PLN Token 20.000", category=listrik, price=TOKEN_PRICE
    )
    bill = ProductFactory(
        code="KB100301",
        name="PLN Pascabayar",
        category=listrik,
        postpaid=True,
        admin_fee=BILL_ADMIN,
    )
    for product, code, buy_price in (
        (token, UP_TOKEN, UP_TOKEN_PRICE),
        (bill, UP_BILL, UP_BILL_ADMIN),
    ):
        PartnerProductFactory(partner=partner, product=product)
        ProviderProduct.objects.create(
            product=product, provider=kb, provider_code=code, buy_price=buy_price
        )
    routes_forget()
    return SimpleNamespace(token=token, bill=bill)


@pytest.fixture
def held():
    """Our own pending resolutions are run by the test, not scheduled."""
    with mock.patch("openapi.services.payments.schedule_resolution") as scheduled:
        yield scheduled


def _customer(suffix: str = "01") -> str:
    """A PLN number of the development numbers (the suffix picks the outcome), new for
    each test so that the upstream's rc 75 (same amount within 10 minutes) never meets
    an earlier test's."""
    return f"53{uuid.uuid4().int % 10**8:08d}{suffix}"


def _upstream_ref(partner, reference_id: str) -> str:
    return call_reference(
        partner_id=partner.pk, environment=DEV, reference_id=reference_id
    )


def _debits(partner) -> int:
    return LedgerEntry.objects.filter(
        account__partner=partner, kind=LedgerEntry.Kind.DEBIT
    ).count()


def test_a_single_payment_is_bought_upstream(api, routed, adapter, upstream, partner):
    upstream_before = adapter.balance()
    customer = _customer()

    bought = buy(api, routed.token, customer, "KB-BUY-1")

    assert bought["rc"] == "00", bought
    assert bought["data"]["status"] == "SUKSES"
    there = upstream.transaction(_upstream_ref(partner, "KB-BUY-1"))
    assert there["status"] == "sukses"
    assert there["total"] == UP_TOKEN_PRICE
    for key in ("sn", "token", "kwh"):
        assert bought["data"][key] == there["response"]["data"][key]
    assert adapter.balance() == upstream_before - UP_TOKEN_PRICE
    assert balance(partner, DEV) == DEPOSIT - TOKEN_PRICE == ledger_sum(partner, DEV)
    assert _debits(partner) == 1
    txn = Transaction.objects.get(reference_id="KB-BUY-1")
    assert txn.status == Transaction.Status.SUKSES
    assert txn.provider_id == routed.token.routes.get().provider_id
    assert (txn.buy_price, txn.sell_price) == (UP_TOKEN_PRICE, TOKEN_PRICE)
    assert txn.provider_ref.startswith(datetime.now(JAKARTA).date().isoformat())


@pytest.mark.parametrize("kept", [True, False], ids=["kept-inquiry", "inquiry-lost"])
def test_an_inquiry_and_its_payment_of_a_postpaid_number(
    api, routed, adapter, upstream, partner, kept
):
    """The upstream's Payment needs its own Inquiry of the same referenceID: the amounts
    it answered are kept, and asked again when they are lost."""
    upstream_before = adapter.balance()
    customer = _customer()
    tagihan = simulator.bill_amount(customer)

    asked = inquire(api, routed.bill, customer, "KB-BILL-1")

    assert asked["rc"] == "00", asked
    assert asked["data"]["nama"] == simulator.customer_name(customer)
    assert asked["data"]["tagihan"] == money(tagihan)
    assert asked["data"]["admin"] == money(BILL_ADMIN)
    reference = _upstream_ref(partner, "KB-BILL-1")
    if not kept:
        kiosbank.cache.delete(adapter._key("inquiry", reference))

    paid = pay(
        api,
        routed.bill,
        customer,
        "KB-BILL-1",
        (tagihan, BILL_ADMIN, tagihan + BILL_ADMIN),
    )

    assert paid["rc"] == "00", paid
    assert upstream.rcs("/Services/Inquiry", reference) == ["00"] * (1 if kept else 2)
    assert upstream.rcs("/Services/Payment", reference) == ["00"]
    assert paid["data"]["total"] == money(tagihan + BILL_ADMIN)
    assert (
        paid["data"]["sn"] == upstream.transaction(reference)["response"]["data"]["sn"]
    )
    assert upstream.transaction(reference)["total"] == tagihan + UP_BILL_ADMIN
    assert adapter.balance() == upstream_before - tagihan - UP_BILL_ADMIN
    assert balance(partner, DEV) == DEPOSIT - tagihan - BILL_ADMIN
    txn = Transaction.objects.get(reference_id="KB-BILL-1")
    assert (txn.status, txn.buy_price) == ("sukses", tagihan + UP_BILL_ADMIN)


@pytest.mark.parametrize(
    ("suffix", "final", "day_lost"),
    [
        ("71", Transaction.Status.SUKSES, False),
        ("17", Transaction.Status.GAGAL, False),
        ("71", Transaction.Status.SUKSES, True),
    ],
    ids=["pending-then-00", "pending-then-17", "day-of-payment-lost"],
)
def test_a_pending_payment_ends_final_through_our_status_polling(
    api, routed, adapter, upstream, partner, held, suffix, final, day_lost
):
    """Check-Status needs the payment's day: it is kept as the provider_ref (and in the
    cache); without either, today is asked."""
    upstream_before = adapter.balance()
    customer = _customer(suffix)

    bought = buy(api, routed.token, customer, "KB-PEND-1")

    assert bought["rc"] == "71", bought
    txn = Transaction.objects.get(reference_id="KB-PEND-1")
    assert txn.status == Transaction.Status.PENDING
    assert held.call_count == 1
    assert balance(partner, DEV) == DEPOSIT - TOKEN_PRICE
    if day_lost:
        Transaction.objects.filter(pk=txn.pk).update(provider_ref="")
        kiosbank.cache.delete(
            adapter._key("payment", _upstream_ref(partner, "KB-PEND-1"))
        )

    pending_resolve_now(transaction_id=txn.pk)

    txn.refresh_from_db()
    there = upstream.transaction(_upstream_ref(partner, "KB-PEND-1"))
    assert txn.status == final == there["status"]
    today = datetime.now(JAKARTA).date()
    status = check_status(api, routed.token, customer, "KB-PEND-1", today)
    if final == Transaction.Status.SUKSES:
        assert txn.response["data"]["sn"] == there["response"]["data"]["sn"]
        assert status["rc"] == "00" and status["data"]["sn"]
        assert balance(partner, DEV) == DEPOSIT - TOKEN_PRICE
        assert adapter.balance() == upstream_before - UP_TOKEN_PRICE
    else:
        assert txn.rc == "17" and status["rc"] == "17"
        # Money back on both sides, exactly once.
        assert balance(partner, DEV) == DEPOSIT == ledger_sum(partner, DEV)
        assert adapter.balance() == upstream_before


def test_a_price_above_ours_is_refused_and_nothing_is_bought(
    api, routed, adapter, upstream, partner
):
    """The adapter never buys at a loss: the upstream's Rp 21.500 is more than the
    Rp 21.000 our partner pays."""
    routed.token.price = 21_000
    routed.token.save(update_fields=["price"])
    upstream_before = adapter.balance()

    bought = buy(api, routed.token, _customer(), "KB-LOSS-1")

    assert bought["rc"] == "73", bought
    assert adapter.balance() == upstream_before
    assert balance(partner, DEV) == DEPOSIT == ledger_sum(partner, DEV)


def test_a_price_changed_upstream_is_read_again_once(
    api, routed, adapter, upstream, partner
):
    """The kept price meets the upstream's rc 42: the price is read again and the
    purchase sent once more, at the new price."""
    assert buy(api, routed.token, _customer(), "KB-PRICE-1")["rc"] == "00"
    upstream_before = adapter.balance()
    upstream.sql(
        "UPDATE products_product SET price = ? WHERE code = ?",
        [UP_TOKEN_PRICE + 100, UP_TOKEN],
    )
    try:
        bought = buy(api, routed.token, _customer(), "KB-PRICE-2")
    finally:
        upstream.sql(
            "UPDATE products_product SET price = ? WHERE code = ?",
            [UP_TOKEN_PRICE, UP_TOKEN],
        )
        kiosbank.cache.delete(adapter._key("price", UP_TOKEN))

    assert bought["rc"] == "00", bought
    sent = upstream.rcs("/Services/SinglePayment", _upstream_ref(partner, "KB-PRICE-2"))
    assert sent == ["42", "00"]
    assert adapter.balance() == upstream_before - UP_TOKEN_PRICE - 100
    assert balance(partner, DEV) == DEPOSIT - 2 * TOKEN_PRICE


def test_one_sign_on_and_one_nonce_serve_every_call(
    api, routed, adapter, upstream, monkeypatch
):
    adapter.session_forget()
    kiosbank._pool.clear()
    sent = []
    real_send = transport.send

    def counted(method, url, **kwargs):
        sent.append((method, urlsplit(url).path, kwargs.get("headers") or {}))
        return real_send(method, url, **kwargs)

    monkeypatch.setattr(transport, "send", counted)
    before = upstream.sign_ons()

    adapter.balance()
    assert buy(api, routed.token, _customer(), "KB-ONCE-1")["rc"] == "00"
    assert inquire(api, routed.bill, _customer(), "KB-ONCE-2")["rc"] == "00"
    assert [row.provider_code for row in adapter.price_list()].count(UP_TOKEN) == 1
    adapter.balance()

    assert upstream.sign_ons() == before + 1
    assert upstream.sign_on_calls()[-1] == "00"
    assert [(m, p) for m, p, _h in sent if m == "GET"] == [("GET", "/auth/Sign-On")]
    posts = [(p, h["Authorization"]) for m, p, h in sent if m == "POST"]
    assert [p for p, _a in posts].count("/auth/Sign-On") == 1
    nonces = {re.search(r'nonce="(\w+)"', a).group(1) for _p, a in posts}
    ncs = [int(re.search(r"nc=(\w+)", a).group(1), 16) for _p, a in posts]
    assert len(nonces) == 1
    assert ncs == list(range(1, len(posts) + 1))


def test_a_refused_nonce_is_replaced_by_the_challenge_of_the_401(adapter, upstream):
    adapter.balance()
    for nonce in kiosbank._pool.get(adapter._pool_key(), []):
        nonce.nonce = "0" * 32

    assert adapter.balance() >= 0

    kept = kiosbank._pool[adapter._pool_key()]
    assert kept and all(n.nonce != "0" * 32 for n in kept)


def test_a_session_the_upstream_ended_is_renewed_once(api, routed, adapter, upstream):
    adapter.balance()
    before = upstream.sign_ons()
    upstream.sessions_end()

    assert buy(api, routed.token, _customer(), "KB-RENEW-1")["rc"] == "00"

    assert upstream.sign_ons() == before + 1


def test_the_sign_on_limit_is_refused_without_a_loop(
    api, routed, adapter, upstream, partner
):
    """Past 99 sign-ons the upstream answers rc 34 to everything: each call tries one
    sign-on (its API log shows it), then is refused (rc 73 to our partner, no debit)."""
    adapter.balance()
    counted = upstream.counter_today()
    calls = len(upstream.sign_on_calls())
    upstream.counter_set(100)
    try:
        with pytest.raises(Refused, match="rc 34"):
            adapter.balance()
        assert upstream.sign_on_calls()[calls:] == ["34"]
        bought = buy(api, routed.token, _customer(), "KB-LIMIT-1")
        assert upstream.sign_on_calls()[calls:] == ["34", "34"]
    finally:
        upstream.counter_set(counted)

    assert bought["rc"] == "73", bought
    assert balance(partner, DEV) == DEPOSIT == ledger_sum(partner, DEV)
    assert Transaction.objects.get(reference_id="KB-LIMIT-1").status == "gagal"


def test_a_wrong_password_is_refused_without_a_debit(
    api, routed, kb, upstream, partner, monkeypatch
):
    monkeypatch.setenv("KB_DEVELOPMENT_PASSWORD", "not-the-password")
    wrong = adapter_for(kb, DEV)
    wrong.session_forget()

    with pytest.raises(Refused, match="401"):
        wrong.balance()
    bought = buy(api, routed.token, _customer(), "KB-WRONG-1")
    asked = inquire(api, routed.bill, _customer(), "KB-WRONG-2")

    assert (bought["rc"], asked["rc"]) == ("73", "73")
    assert balance(partner, DEV) == DEPOSIT == ledger_sum(partner, DEV)


def test_a_product_under_maintenance_upstream_goes_to_the_next_provider(
    api, routed, adapter, upstream, partner
):
    """rc 10 at the upstream is "not taken": the next provider of the product sells it."""
    fallback = Provider.objects.create(
        code="sim-kedua", name="Simulator kedua", kind=Provider.Kind.SIMULATOR
    )
    ProviderProduct.objects.create(
        product=routed.token, provider=fallback, priority=2, buy_price=21_000
    )
    routes_forget()
    # The upstream's price is kept from this purchase: the next one is sent and answered
    # rc 10 (without a kept price, its price list already says MAINTENANCE: not sent).
    assert buy(api, routed.token, _customer(), "KB-MAINT-0")["rc"] == "00"
    upstream_before = adapter.balance()
    upstream.product_status(UP_TOKEN, "MAINTENANCE")
    try:
        bought = buy(api, routed.token, _customer(), "KB-MAINT-1")
    finally:
        upstream.product_status(UP_TOKEN, "AKTIF")

    assert bought["rc"] == "00", bought
    sent = upstream.rcs("/Services/SinglePayment", _upstream_ref(partner, "KB-MAINT-1"))
    assert sent == ["10"]
    txn = Transaction.objects.get(reference_id="KB-MAINT-1")
    assert (txn.provider_id, txn.buy_price) == (fallback.pk, 21_000)
    assert adapter.balance() == upstream_before
    assert balance(partner, DEV) == DEPOSIT - 2 * TOKEN_PRICE
    assert _debits(partner) == 2


def test_the_upstreams_callback_resolves_a_pending_payment(
    api, routed, kb, upstream, receiver, partner, client, held
):
    """The upstream signs its callback with the secret it gives us: accepted, it makes the
    payment final (ours stays pending until then); altered, it is refused."""
    customer = _customer("71")
    assert buy(api, routed.token, customer, "KB-CB-1")["rc"] == "71"
    reference = _upstream_ref(partner, "KB-CB-1")
    (sent,) = receiver.about(reference)
    signature = sent["headers"]["X-Signature"]
    path = f"/upstream/callback/{kb.code}"
    txn = Transaction.objects.get(reference_id="KB-CB-1")
    assert txn.status == Transaction.Status.PENDING

    altered = sent["body"].replace(b'"rc":"00"', b'"rc":"17"')
    refused = client.post(
        path, altered, content_type="application/json", HTTP_X_SIGNATURE=signature
    )
    accepted = client.post(
        path, sent["body"], content_type="application/json", HTTP_X_SIGNATURE=signature
    )

    assert refused.status_code == 403
    assert accepted.status_code == 200
    txn.refresh_from_db()
    assert txn.status == Transaction.Status.SUKSES
    assert txn.response["data"]["sn"] == json.loads(sent["body"])["data"]["sn"]
    assert balance(partner, DEV) == DEPOSIT - TOKEN_PRICE


# Last: it stops the module's upstream (a later test would start it again).
def test_the_upstream_stopped_is_refused_without_a_debit(
    api, routed, adapter, upstream, partner
):
    upstream.stop()

    with pytest.raises(Refused, match="connect"):
        adapter.balance()
    bought = buy(api, routed.token, _customer(), "KB-DOWN-1")
    asked = inquire(api, routed.bill, _customer(), "KB-DOWN-2")

    assert (bought["rc"], asked["rc"]) == ("73", "73")
    assert balance(partner, DEV) == DEPOSIT == ledger_sum(partner, DEV)
    assert Transaction.objects.get(reference_id="KB-DOWN-1").status == "gagal"
