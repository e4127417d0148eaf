"""Several nodes for real: `make serve NODES=2` (deploy/serve.sh: nginx in front of two nodes,
each an api and a portal gunicorn, sharing PostgreSQL, Redis, one Celery worker and beat and
the network simulator), and Celery workers killed in the middle of their work.

- A Digest nonce issued by one node is accepted once by the other and never twice; sign-on
  sessions, the daily sign-on count, the API log, portal sessions and CSRF, the login lockout
  and uploads (PRIVATE_STORAGE_ROOT shared) work whichever node serves.
- One api node SIGKILLed in the middle of a payment load through nginx: every answered
  payment has exactly one outcome and ends final, nothing is charged twice, the payments the
  kill cut are absent or final, and nginx sends what follows to the other node.
- A Celery worker SIGKILLed while it asks the provider for a pending payment's status (the
  whole worker, or only its pool child): the resolution is picked up again and done once.

Ports: 8810–8849 (portal/tests/nodes.py). The deployment runs on a Redis database of its own
(the one after REDIS_URL's, or NODES_TEST_REDIS_URL) and on the test database.
"""

from __future__ import annotations

import os
import signal
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta

import pytest
import redis
from celery import Celery
from django.conf import settings
from django.test import Client
from django.utils import timezone

from accounts.models import LoginLock, Partner
from accounts.tests.factories import PASSWORD, PartnerFactory, StaffFactory, UserFactory
from billers.models import Provider, ProviderProduct
from billers.netsim.testing import NetsimProcess
from billing.models import LedgerEntry, Transaction
from billing.tests.factories import deposit_fund
from connections.models import CallbackDelivery
from connections.tests.factories import CallbackEndpointFactory, ConnectionFactory
from openapi.fields import money
from openapi.models import ApiLog, SignOnCounter
from openapi.services import pending_sweep
from openapi.tests.digestclient import DigestApi
from openapi.tests.factories import DEV_PASSWORD, CredentialFactory
from openapi.tests.helpers import balance, buy, ledger_sum
from portal.lib.environments import Environment
from portal.tests import nodes
from portal.tests.catcher import CallbackCatcher
from products.models import Product
from products.tests.factories import (
    CategoryFactory,
    PartnerProductFactory,
    ProductFactory,
)
from profiles.models import Credential, ProfileDocument
from profiles.tests.factories import png_bytes

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

DEV = Environment.DEVELOPMENT
FUNDS = 10_000_000
PRICE = 20_500
PORTS = nodes.port_range()
# The tests' own simulator and callback receiver (the deployment takes the first 14 ports).
NETSIM_PORTS = PORTS[-10:-6]
RECEIVER_PORTS = PORTS[-6:]


# --- the deployment ------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _production_password_hashes(settings):
    """Passwords hashed as the nodes check them (the portal tests' quick MD5 hashes are not
    accepted by a deployment's settings)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]


@pytest.fixture(scope="module")
def deployment(django_db_setup, django_db_blocker, tmp_path_factory):
    """`make serve NODES=2` on the test database, for this module (its last test kills a
    node). One at a time across test processes: the ports and its Redis are fixed."""
    from django.db import connection

    base = PORTS[0]
    with nodes.port_lock(base):
        served = nodes.Deployment(
            base_port=base,
            database=nodes.database_url(connection.settings_dict),
            workdir=tmp_path_factory.mktemp("nodes"),
            # A pending payment is asked about 2 s after its answer (5 s by default).
            PENDING_RESOLVE_SECONDS="2",
            # Few pooled connections per api worker, given up on soon: see
            # test_payments_waiting_for_a_slow_upstream_share_a_few_connections.
            API_POOL_SIZE="2",
            DB_POOL_TIMEOUT="3",
        )
        served.start()
        try:
            yield served
        finally:
            served.stop()


@dataclass
class ApiPartner:
    partner: Partner
    credential: Credential
    username: str
    merchant_id: str
    signon: dict
    product_code: str


@pytest.fixture
def api_partner(transactional_db):
    """An active partner with a Development credential, 127.0.0.1 whitelisted, one chosen
    prepaid product (Rp 20.500) and Rp 10.000.000 on its Development deposit."""
    owner = UserFactory()
    partner = owner.partner
    credential = CredentialFactory(partner=partner, environment=DEV)
    ConnectionFactory(
        partner=partner, environment=DEV, address="127.0.0.1", approved=True
    )
    product = ProductFactory(
        category=CategoryFactory(slug="listrik", name="Listrik"),
        name="PLN Token 20.000",
        price=PRICE,
    )
    PartnerProductFactory(partner=partner, product=product)
    deposit_fund(partner, FUNDS, DEV)
    return ApiPartner(
        partner=partner,
        credential=credential,
        username=credential.username,
        merchant_id=credential.merchant_id,
        signon={
            "mitra": credential.mitra,
            "accountID": credential.account_id,
            "merchantID": credential.merchant_id,
            "merchantName": credential.merchant_name,
            "counterID": credential.counter_id,
        },
        product_code=product.code,
    )


def _caller(base: str, who: ApiPartner) -> nodes.DigestCaller:
    return nodes.DigestCaller(
        base, username=who.username, password=DEV_PASSWORD, realm=settings.DIGEST_REALM
    )


def _single_payment(who: ApiPartner, session: str, customer: str, ref: str) -> dict:
    return {
        "merchantID": who.merchant_id,
        "sessionID": session,
        "productID": who.product_code,
        "customerID": customer,
        "referenceID": ref,
        "tagihan": money(PRICE),
        "admin": money(0),
        "total": money(PRICE),
    }


def _api_log_rows(partner, count: int) -> list[ApiLog]:
    """The partner's API log once ``count`` rows are there (the nodes write it in batches)."""
    return nodes.wait_for(
        lambda: (
            rows
            if len(rows := list(ApiLog.objects.filter(partner=partner).order_by("pk")))
            >= count
            else None
        ),
        30,
        f"{count} rows of the API log",
    )


def _assert_ledger_exact(partner) -> int:
    """Each transaction: one debit, plus one reversal exactly when it failed; the deposit
    equals its ledger and the money of the successes is all that left it. Returns that."""
    success_total = 0
    for txn in Transaction.objects.filter(partner=partner):
        kinds = sorted(
            LedgerEntry.objects.filter(transaction=txn).values_list("kind", flat=True)
        )
        if txn.status == Transaction.Status.SUKSES:
            assert kinds == ["debit"], txn
            success_total += txn.total
        else:
            assert txn.status == Transaction.Status.GAGAL, txn
            assert kinds == ["debit", "reversal"], txn
    assert balance(partner, DEV) == FUNDS - success_total == ledger_sum(partner, DEV)
    return success_total


# --- Celery workers killed mid-resolution --------------------------------------------------
# (First in the module: they need no deployment, and the deployment's last test kills a node.)


WORKER_KEY = "nodes-worker-test-key"
WORKER_KEY_ENV = "NODESWORKERTEST"


@pytest.fixture
def netsim():
    """A simulator process of these tests: payments to numbers ending in 71 are pending for
    a second, then successful."""
    server = NetsimProcess(
        key=WORKER_KEY, ports=NETSIM_PORTS, args=("--pending-seconds", "1")
    ).start()
    yield server
    server.close()


@pytest.fixture
def receiver():
    server = CallbackCatcher(RECEIVER_PORTS)
    yield server
    server.stop()


@pytest.fixture
def worker_run(tmp_path, monkeypatch):
    """What the worker processes of one test share: a queue and Redis key prefix of its own,
    the test database, the simulator's key; ``send(task, *args)`` queues a task there as the
    web processes would. Every worker started is stopped, the prefix's keys deleted."""
    from django.db import connection

    monkeypatch.setenv(f"{WORKER_KEY_ENV}_DEVELOPMENT_KEY", WORKER_KEY)
    queue = f"test-nodes-{uuid.uuid4().hex[:12]}"
    prefix = f"{queue}:"
    env = {
        **os.environ,
        "DATABASE_URL": nodes.database_url(connection.settings_dict),
        "REDIS_URL": nodes.redis_url(),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CALLBACK_ALLOW_PRIVATE_TARGETS": "true",
        f"{WORKER_KEY_ENV}_DEVELOPMENT_KEY": WORKER_KEY,
        "LOG_FORMAT": "text",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log = tmp_path / "workers.log"
    started: list[nodes.WorkerProcess] = []
    producer = Celery(
        "test-producer",
        broker=nodes.redis_url(),
        broker_transport_options={"global_keyprefix": prefix},
    )

    class Run:
        def worker(self, **options) -> nodes.WorkerProcess:
            process = nodes.WorkerProcess(
                queue=queue, prefix=prefix, env=env, log=log, **options
            ).start()
            started.append(process)
            nodes.wait_for(
                lambda: log.read_text().count(" ready.") == len(started),
                60,
                "the Celery worker",
            )
            return process

        def send(self, task: str, *args) -> None:
            producer.send_task(task, args=list(args), queue=queue)

        def log_text(self) -> str:
            return log.read_text()

    yield Run()
    for process in started:
        process.stop()
    producer.close()
    client = redis.Redis.from_url(nodes.redis_url())
    keys = list(client.scan_iter(match=f"{prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture
def pending_payment(api_partner, netsim, receiver, worker_run):
    """A SinglePayment the simulator answered pending (its resolution held, not queued),
    for a partner whose callback URL is ``receiver``."""
    from unittest import mock

    provider = Provider.objects.create(
        code="netsim-w",
        name="Simulator jaringan",
        kind=Provider.Kind.NETWORK,
        base_url=netsim.url,
        credentials_env=WORKER_KEY_ENV,
        timeout_seconds=20,
    )
    product = Product.objects.get(code=api_partner.product_code)
    ProviderProduct.objects.create(product=product, provider=provider, priority=1)
    CallbackEndpointFactory(
        partner=api_partner.partner, environment=DEV, url=receiver.url
    )
    api = DigestApi(Client(), api_partner.credential)
    with mock.patch("openapi.services.payments.schedule_resolution"):
        answer = buy(api, product, "081300000071", "W-71")
    assert answer["rc"] == "71", answer
    txn = Transaction.objects.get(reference_id="W-71")
    assert txn.status == Transaction.Status.PENDING
    return txn


def _status_in_flight(netsim) -> bool:
    return netsim.stats()["inflight"].get("status", 0) >= 1


def _assert_resolved_once(txn, receiver) -> None:
    txn.refresh_from_db()
    assert txn.status == Transaction.Status.SUKSES
    assert txn.rc == "00"
    deliveries = CallbackDelivery.objects.filter(transaction_id=txn.pk)
    assert deliveries.count() == 1
    nodes.wait_for(lambda: receiver.received, 30, "the partner's callback")
    # Once more, as the periodic sweep would: nothing changes, nothing more is sent.
    assert pending_sweep(now=timezone.now() + timedelta(hours=1)) == 0
    assert deliveries.count() == 1
    assert len(receiver.received) == 1
    assert [e.kind for e in LedgerEntry.objects.filter(transaction=txn)] == ["debit"]


def test_a_worker_killed_mid_resolution_leaves_the_task_to_the_next_worker(
    pending_payment, netsim, receiver, worker_run
):
    """The whole worker (master and pool child) SIGKILLed while the provider takes its time
    to answer the status: the message was never acknowledged (acks_late), so once the
    broker's visibility timeout has passed it goes back to the queue and a new worker does
    the resolution, once. (3 s here; kombu's default of an hour in production, where the
    periodic sweep of pending transactions, every 5 minutes, usually gets there first.)"""
    netsim.control(latency_mean_ms=20_000, tail_share=0.0)
    first = worker_run.worker()
    worker_run.send("openapi.tasks.pending_resolve", pending_payment.pk)
    nodes.wait_for(lambda: _status_in_flight(netsim), 30, "the status request")

    first.kill()
    killed_at = time.monotonic()
    pending_payment.refresh_from_db()
    assert pending_payment.status == Transaction.Status.PENDING

    netsim.control(latency_mean_ms=0)
    nodes.wait_for(lambda: time.monotonic() > killed_at + 3, 10, "3 seconds")
    worker_run.worker(visibility_timeout=3)
    nodes.wait_for(
        lambda: Transaction.objects.filter(
            pk=pending_payment.pk, status=Transaction.Status.SUKSES
        ).exists(),
        60,
        "the new worker's resolution",
    )
    _assert_resolved_once(pending_payment, receiver)
    assert netsim.stats()["book"]["charged"] == pending_payment.total


def test_a_pool_child_killed_mid_resolution_gives_the_task_back_at_once(
    pending_payment, netsim, receiver, worker_run
):
    """Only the pool child running the task is SIGKILLed (as the OOM killer does): the
    worker's master sees it lost and, with CELERY_TASK_REJECT_ON_WORKER_LOST, puts the task
    back in the queue; its next child does the resolution, once."""
    netsim.control(latency_mean_ms=20_000, tail_share=0.0)
    worker = worker_run.worker()
    worker_run.send("openapi.tasks.pending_resolve", pending_payment.pk)
    nodes.wait_for(lambda: _status_in_flight(netsim), 30, "the status request")
    (child,) = worker.children()

    netsim.control(latency_mean_ms=0)
    os.kill(child, signal.SIGKILL)
    nodes.wait_for(
        lambda: Transaction.objects.filter(
            pk=pending_payment.pk, status=Transaction.Status.SUKSES
        ).exists(),
        60,
        "the resolution by the next child",
    )
    assert worker.process.poll() is None  # the same worker
    assert "WorkerLostError" in worker_run.log_text()
    _assert_resolved_once(pending_payment, receiver)


# --- two nodes: what they share ------------------------------------------------------------


def test_a_nonce_issued_by_one_node_is_accepted_once_by_the_other(
    deployment, api_partner
):
    node1 = deployment.node("api", 1).url
    node2 = deployment.node("api", 2).url
    caller = _caller(node1, api_partner)
    caller.challenge()  # node 1's 401

    signed = caller.authorization("/auth/Sign-On", nc=1)
    first = caller.post(
        "/auth/Sign-On", api_partner.signon, base=node2, authorization=signed
    )
    assert first.status == 200 and first.data["rc"] == "00", first
    session = first.data["SessionID"]
    for base in (node2, node1):  # the same call again, to either node: a replay
        again = caller.post(
            "/auth/Sign-On", api_partner.signon, base=base, authorization=signed
        )
        assert again.status == 401, again

    body = {"merchantID": api_partner.merchant_id, "sessionID": session}
    second = caller.authorization("/Services/get-Deposit", nc=2)
    deposit = caller.post(
        "/Services/get-Deposit", body, base=node1, authorization=second
    )
    assert deposit.status == 200 and deposit.data["rc"] == "00", deposit
    replayed = caller.post(
        "/Services/get-Deposit", body, base=node2, authorization=second
    )
    assert replayed.status == 401
    # An older nc freshly signed is refused too; the next one is accepted.
    older = caller.authorization("/Services/get-Deposit", nc=1)
    assert (
        caller.post(
            "/Services/get-Deposit", body, base=node2, authorization=older
        ).status
        == 401
    )
    third = caller.authorization("/Services/get-Deposit", nc=3)
    assert (
        caller.post(
            "/Services/get-Deposit", body, base=node2, authorization=third
        ).data["rc"]
        == "00"
    )


def test_sessions_sign_on_count_and_api_log_are_the_same_on_every_node(
    deployment, api_partner
):
    node1 = deployment.node("api", 1).url
    node2 = deployment.node("api", 2).url
    signed_on = _caller(node1, api_partner).post("/auth/Sign-On", api_partner.signon)
    session = signed_on.data["SessionID"]

    paid = _caller(node2, api_partner).post(
        "/Services/SinglePayment",
        _single_payment(api_partner, session, "081200000101", "NODES-1"),
    )
    again = _caller(node2, api_partner).post("/auth/Sign-On", api_partner.signon)
    deposit = _caller(node1, api_partner).post(
        "/Services/get-Deposit",
        {"merchantID": api_partner.merchant_id, "sessionID": again.data["SessionID"]},
    )

    assert paid.data["rc"] == "00", paid
    assert deposit.data["rc"] == "00", deposit  # node 2's session, on node 1
    counter = SignOnCounter.objects.get(credential__username=api_partner.username)
    assert counter.count == 2  # the daily sign-on limit counts both nodes' sign-ons
    txn = Transaction.objects.get(reference_id="NODES-1")
    assert txn.status == Transaction.Status.SUKSES
    # Each node writes its own rows (in batches): all of them are there.
    rows = _api_log_rows(api_partner.partner, 4)
    assert sorted((r.path, r.rc) for r in rows) == [
        ("/Services/SinglePayment", "00"),
        ("/Services/get-Deposit", "00"),
        ("/auth/Sign-On", "00"),
        ("/auth/Sign-On", "00"),
    ]
    assert {r.ip for r in rows} == {"127.0.0.1"}

    # Through nginx: the nodes believe its X-Forwarded-For (TRUSTED_PROXIES=127.0.0.1),
    # taking the client's address it appended, the right-most one that is not a proxy.
    ConnectionFactory(
        partner=api_partner.partner,
        environment=DEV,
        address="203.0.113.7",
        approved=True,
    )
    proxied = _caller(deployment.url, api_partner).post(
        "/Services/get-Deposit",
        {"merchantID": api_partner.merchant_id, "sessionID": session},
        headers={"X-Forwarded-For": "203.0.113.7", "X-Request-ID": "nodes-xff-1"},
    )
    assert proxied.data["rc"] == "00", proxied
    assert proxied.headers["x-request-id"] == "nodes-xff-1"
    rows = _api_log_rows(api_partner.partner, 5)
    assert [r.ip for r in rows if r.path == "/Services/get-Deposit"] == [
        "127.0.0.1",
        "203.0.113.7",
    ]
    assert deployment.access_log()["nodes-xff-1"]["group"] == "api"


def test_portal_sessions_lockout_and_uploads_work_whichever_node_serves(deployment):
    portal1 = deployment.node("portal", 1).url
    portal2 = deployment.node("portal", 2).url

    # Uploads: a KYC document sent through node 1, by a session opened on node 2.
    newcomer = UserFactory(
        partner=PartnerFactory(
            kind=Partner.Kind.PERUSAHAAN, status=Partner.Status.INCOMPLETE
        )
    )
    browser = nodes.Browser()
    assert browser.login(portal2, newcomer.username, PASSWORD).status == 302
    assert browser.get(portal1, "/profil/data/ubah/").status == 200
    scan = png_bytes()
    sent = browser.post(
        portal1,
        "/profil/data/ubah/",
        {"action": "draft"},
        files={"doc_ktp": ("ktp.png", "image/png", scan)},
    )
    assert sent.status == 302, sent.text[:2000]
    document = ProfileDocument.objects.get(partner=newcomer.partner, kind="ktp")

    # It was written once, under the PRIVATE_STORAGE_ROOT the nodes share (re-encoded, as
    # every uploaded image is) …
    stored = (deployment.workdir / "private" / document.file.name).read_bytes()
    assert stored.startswith(b"\x89PNG")
    # … and staff read it through either node.
    staff = StaffFactory()
    back_office = nodes.Browser()
    assert back_office.login(portal1, staff.username, PASSWORD).status == 302
    for base in (portal2, portal1):
        read = back_office.get(base, f"/profil/data/dokumen/{document.pk}/")
        assert read.status == 200
        assert read.body == stored

    # The login lockout counts failures on both nodes: 3 on node 1 and 2 on node 2 lock
    # the account, and the right password through nginx is then refused.
    victim = UserFactory()
    guesser = nodes.Browser()
    for base in (portal1, portal1, portal1, portal2, portal2):
        failed = guesser.login(base, victim.username, "salah-sekali-2026")
        assert failed.status == 200
    assert LoginLock.objects.get(key=f"user:{victim.pk}").locked_until > timezone.now()
    refused = nodes.Browser().login(deployment.url, victim.username, PASSWORD)
    assert refused.status == 200
    assert "Terlalu banyak percobaan login yang gagal" in refused.text


# --- one node killed in the middle of a payment load ----------------------------------------


@dataclass
class Sent:
    ref: str
    customer: str
    sent_at: float
    done_at: float = 0.0
    status: int = 0
    rc: str | None = None
    error: str = ""

    @property
    def request_id(self) -> str:
        return f"load-{self.ref}"


def _load(deployment, who: ApiPartner, session: str, stop: threading.Event, out: list):
    """8 partner servers paying through nginx, each with its own Digest nonce, until
    ``stop``; every 4th number ends in 71 (pending, then successful)."""

    def client(number: int) -> None:
        caller = _caller(deployment.url, who)
        n = 0
        while not stop.is_set():
            n += 1
            suffix = "71" if n % 4 == 0 else "01"
            sent = Sent(
                ref=f"L{number}-{n:04d}",
                customer=f"0813{number}{n:05d}{suffix}",
                sent_at=time.monotonic(),
            )
            out.append(sent)
            try:
                reply = caller.post(
                    "/Services/SinglePayment",
                    _single_payment(who, session, sent.customer, sent.ref),
                    headers={"X-Request-ID": sent.request_id},
                )
                sent.status = reply.status
                sent.rc = (reply.data or {}).get("rc")
            except OSError as exc:  # not expected: nginx answers even when a node dies
                sent.error = repr(exc)
            sent.done_at = time.monotonic()

    threads = [
        threading.Thread(target=client, args=(k,), daemon=True) for k in range(8)
    ]
    for thread in threads:
        thread.start()
    return threads


def _route_to_netsim(deployment, who: ApiPartner) -> None:
    """The deployment's network simulator becomes the provider of the partner's product."""
    provider = Provider.objects.create(
        code="netsim",
        name="Simulator jaringan",
        kind=Provider.Kind.NETWORK,
        base_url=deployment.netsim_url,
        credentials_env="NETSIM",
        timeout_seconds=5,
    )
    ProviderProduct.objects.create(
        product=Product.objects.get(code=who.product_code),
        provider=provider,
        priority=1,
    )


def _api_connections() -> int:
    """The database connections the api nodes' gunicorns hold now (their PGAPPNAME)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s "
            "AND datname = current_database()",
            ["webopenapi-api"],
        )
        return cursor.fetchone()[0]


def test_payments_waiting_for_a_slow_upstream_share_a_few_connections(
    deployment, api_partner
):
    """48 SinglePayments at once, each waiting about 1 s for the provider, through the two
    api nodes, whose four workers have a pool of API_POOL_SIZE=2 connections each, and a
    call waiting more than DB_POOL_TIMEOUT=3 s for a connection fails. Were the connections
    held during the wait, a worker's dozen payments would take 6 s over its two: every
    payment succeeds, since each gives its connection back while it waits, and the api
    nodes never hold more than their 8 connections."""
    deployment.netsim_control("/reset", {})
    deployment.netsim_control("", {"latency_mean_ms": 1000, "tail_share": 0.0})
    _route_to_netsim(deployment, api_partner)
    session = (
        _caller(deployment.url, api_partner)
        .post("/auth/Sign-On", api_partner.signon)
        .data["SessionID"]
    )
    replies: dict[str, nodes.Reply] = {}
    seen: list[int] = []
    done = threading.Event()

    def pay(number: int) -> None:
        ref = f"W{number:03d}"
        replies[ref] = _caller(deployment.url, api_partner).post(
            "/Services/SinglePayment",
            _single_payment(api_partner, session, f"08139{number:06d}01", ref),
        )

    def watch() -> None:
        from django.db import connection

        try:
            while not done.is_set():
                seen.append(_api_connections())
                time.sleep(0.05)
        finally:
            connection.close()  # this thread's own

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    payers = [threading.Thread(target=pay, args=(k,)) for k in range(48)]
    for thread in payers:
        thread.start()
    for thread in payers:
        thread.join(timeout=60)
    done.set()
    watcher.join(timeout=10)

    assert len(replies) == 48
    assert {(r.status, r.data["rc"]) for r in replies.values()} == {(200, "00")}, {
        ref: r.data for ref, r in replies.items() if r.data.get("rc") != "00"
    }
    assert seen and max(seen) <= 8, seen
    paid = Transaction.objects.filter(partner=api_partner.partner)
    assert paid.filter(status=Transaction.Status.SUKSES).count() == 48
    _assert_ledger_exact(api_partner.partner)


def test_an_api_node_killed_mid_load_loses_no_payment_and_charges_none_twice(
    deployment, api_partner, monkeypatch
):
    deployment.netsim_control("/reset", {})
    deployment.netsim_control(
        "", {"latency_mean_ms": 400, "tail_share": 0.0, "pending_seconds": 1}
    )
    monkeypatch.setenv("NETSIM_DEVELOPMENT_KEY", deployment.netsim_key)  # for the sweep
    _route_to_netsim(deployment, api_partner)
    session = (
        _caller(deployment.url, api_partner)
        .post("/auth/Sign-On", api_partner.signon)
        .data["SessionID"]
    )
    api1 = deployment.node("api", 1)
    api2 = deployment.node("api", 2)

    stop = threading.Event()
    sent: list[Sent] = []
    threads = _load(deployment, api_partner, session, stop, sent)
    try:
        # Payments in flight at the provider, from both nodes, then node 1's api dies.
        nodes.wait_for(
            lambda: (
                sum(1 for s in sent if s.done_at) >= 16
                and deployment.netsim_control("/stats")["inflight"].get("pay", 0) >= 3
            ),
            60,
            "the load to run",
        )
        deployment.kill("api", 1)
        nodes.wait_for(
            lambda: nodes.refuses(api1.port), 10, "node 1's api port to close"
        )
        killed_at = time.monotonic()
        nodes.wait_for(
            lambda: sum(1 for s in sent if s.sent_at > killed_at and s.done_at) >= 24,
            60,
            "payments after the kill",
        )
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)

    assert deployment.process.poll() is None  # the deployment goes on without the node
    assert "api node 1 (127.0.0.1:" in deployment.log_text()
    answered = [s for s in sent if s.status == 200]
    cut = [s for s in sent if s.status != 200]
    assert {s.rc for s in answered} <= {"00", "71"}
    # The kill cut payments in flight on node 1: nginx did not send them to node 2 (they
    # may have been debited there) and answered JSON rc 05 ("not final yet").
    assert cut, "no payment was in flight on node 1 when it was killed"
    assert all((s.status, s.rc, s.error) == (502, "05", "") for s in cut), cut
    # Everything sent after the kill was answered by node 2, through nginx.
    log = deployment.access_log()
    after = [s for s in sent if s.sent_at > killed_at]
    assert after and all(s.status == 200 for s in after)
    assert {log[s.request_id]["upstream_addr"].split(", ")[-1] for s in after} == {
        f"127.0.0.1:{api2.port}"
    }

    # The pending ones are resolved by the deployment's worker; those the kill cut after
    # their debit were never answered nor scheduled: the periodic sweep takes them.
    mine = Transaction.objects.filter(partner=api_partner.partner)
    nodes.wait_for(
        lambda: (
            not mine.filter(
                status=Transaction.Status.PENDING,
                reference_id__in=[s.ref for s in answered],
            ).exists()
        ),
        60,
        "the worker's resolutions",
    )

    def swept() -> bool:
        pending_sweep(now=timezone.now() + timedelta(minutes=10))
        return not mine.filter(status=Transaction.Status.PENDING).exists()

    nodes.wait_for(swept, 30, "the sweep", interval=1)

    by_ref = {txn.reference_id: txn for txn in mine}
    for s in answered:
        txn = by_ref[s.ref]  # exactly one row per referenceID (unique)
        assert txn.status == Transaction.Status.SUKSES, (s, txn.status)
    for s in cut:
        txn = by_ref.get(s.ref)
        assert txn is None or txn.status in (
            Transaction.Status.SUKSES,
            Transaction.Status.GAGAL,
        )
    assert set(by_ref) <= {s.ref for s in sent}
    success_total = _assert_ledger_exact(api_partner.partner)
    # The provider charged each successful payment once and nothing else.
    for txn in by_ref.values():
        taken = deployment.netsim_taken(txn.upstream_ref)
        charged = taken is not None and taken["final"]["status"] == "success"
        assert charged == (txn.status == Transaction.Status.SUKSES), txn
    assert deployment.netsim_control("/stats")["book"]["charged"] == success_total
