"""Benchmark of the Open API (``make bench``): not a test, a measurement.

It creates a fresh PostgreSQL database (``webopenapi_bench``), migrates it, loads the
catalogue, seeds the load's partner (Development credential, 127.0.0.1 approved, products
chosen, a large deposit) and a second partner with a portal user and a month of
transactions, starts a Celery worker and the API under gunicorn with the deployment's
configuration (``deploy/gunicorn.conf.py``, ``SERVE_ROLE=api``), and drives it from this
separate process (asyncio, raw HTTP/1.1 keep-alive connections) with real HTTP Digest
computed here — one nonce per connection, reused with an increasing nc — for a fixed time
per endpoint at a fixed concurrency:

    ping (the stack's ceiling: a JSON view that touches nothing), Inquiry, Payment (of those
    inquiries), SinglePayment, Check-Status.

It prints requests per second, p50 and p99 latency, errors and the ratio to ``/ping`` per
endpoint.

Then the same partner buys from a provider on the network: the network simulator
(``python -m billers.netsim``, its own process on the two ports after ``--port``) is made the
provider of both products (kind "network", H2H JSON), gunicorn is started again, and ping,
Inquiry, Payment and SinglePayment run once per mean latency of ``--network-latencies``
(default 0, 300 and 1000 ms; a ``--network-tail-share`` of the answers take
``--network-tail-factor`` times the mean), printing per latency requests per second, p50/p99,
the share answered pending, the errors and, at 0 ms, the verdict of the ratios to ping.

Then the peak: Payment and SinglePayment at ``--peak-concurrency`` (256) for
``--peak-duration`` each, the provider answering in about ``--peak-latency`` (1 s) with a
tail, while a second gunicorn (``SERVE_ROLE=portal``, on ``--port`` + 3) serves the
dashboard of the other partner, logged in through the login form, to a few keep-alive
connections. Meanwhile the memory of the whole system (PSS of both gunicorns, the simulator,
the Celery worker, PostgreSQL and Redis) and the PostgreSQL connections are sampled.

At the end, once the payments answered pending are final (the Celery worker asks the
simulator; a bounded wait), the ledger is checked: every deposit equals the sum of its
entries, each transaction of the load's partner moved exactly its money, the successful ones
are the payments answered so, and every call has its API log row. A summary of the goals of
issue 17 closes the run (a Markdown table).

    python scripts/bench.py [--duration 15] [--concurrency 16] [--port 8790]
        [--network-latencies 0,300,1000] [--network-duration 15]
        [--peak-concurrency 256] [--peak-latency 1000] [--peak-duration 20]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import itertools
import json
import math
import os
import random
import re
import resource
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
CELERY = str(ROOT / ".venv" / "bin" / "celery")
GUNICORN_CONFIG = str(ROOT / "deploy" / "gunicorn.conf.py")
DB_NAME = os.environ.get("BENCH_DB", "webopenapi_bench")
PG_SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
REALM = "WebOpenAPI"
PASSWORD = "bench-Rahasia-2026"  # noqa: S105 - a throw-away database
PARTNER_CODE = "MTRBENCH"
PORTAL_PARTNER_CODE = "MTRPORTAL"
PORTAL_USERNAME = "mtrportal"
PORTAL_TRANSACTIONS = 300
POSTPAID = "100301"  # PLN Pascabayar
PREPAID = "501021"  # Telkomsel 10.000
ENDPOINTS = ("ping", "Inquiry", "Payment", "SinglePayment", "Check-Status")
NETWORK_ENDPOINTS = ("ping", "Inquiry", "Payment", "SinglePayment")
PEAK_ENDPOINTS = ("Payment", "SinglePayment")
# Ratios to /ping: the in-process table and the network table at 0 ms upstream latency.
GOALS = {"Inquiry": 0.35, "Payment": 0.20, "SinglePayment": 0.15}
P99_LIMIT_MS = 150.0
PEAK_RPS_GOAL = 150.0
PEAK_P99_LIMIT_MS = 1500.0
PORTAL_P99_LIMIT_MS = 300.0
EXHAUSTED = "exhausted"
PENDING = "pending"
SLICE_SECONDS = 3.0
WARM_SECONDS = 3.0
SAMPLE_SECONDS = 0.5
# The longest the inquiries for the peak's payments may take to make.
STOCK_SECONDS = 120.0
# The network part: the simulator's shared key (a throw-away, like the database) and the
# provider row made for it.
NETWORK_KEY = "bench-netsim-" + "k" * 20
NETWORK_ENV = "BENCHNET"
NETWORK_PROVIDER = "benchnet"
NETWORK_TIMEOUT_SECONDS = 10
# Customer numbers of the whole run: each load of the run buys for numbers of its own (the
# same product and amount to the same number within 10 minutes is refused, rc 75).
SERIAL = itertools.count(1)


def server_env(port: int, static_root: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"{PG_SERVER}/{DB_NAME}",
        "REDIS_URL": REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DEBUG": "off",
        "SECRET_KEY": "bench-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "SECURE_SSL_REDIRECT": "off",
        "SECURE_HSTS_SECONDS": "0",
        "CONN_MAX_AGE": "600",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        # The portal's pages need the collected static files (their manifest).
        "STATIC_ROOT": static_root,
        f"{NETWORK_ENV}_DEVELOPMENT_KEY": NETWORK_KEY,
    }


# --- preparing the database -------------------------------------------------------------------


def prepare_database(env: dict) -> dict:
    """A fresh database (and a flushed Redis database: no breaker, route or queued task of
    an earlier run), migrated, with the catalogue, the seed and the static files."""
    import psycopg
    import redis

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {DB_NAME}")
    redis.Redis.from_url(REDIS_URL).flushdb()
    manage = [PYTHON, str(ROOT / "manage.py")]
    for command in (["migrate"], ["load_catalogue"], ["collectstatic", "--noinput"]):
        subprocess.run([*manage, *command, "-v0"], env=env, cwd=ROOT, check=True)  # noqa: S603
    seeded = subprocess.run(  # noqa: S603
        [PYTHON, __file__, "--seed"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(seeded.stdout.strip().splitlines()[-1])


def seed() -> None:
    """Runs inside Django (``--seed``): the load's partner ready to transact in
    Development, and the portal's partner."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.urls import reverse
    from django.utils import timezone

    from accounts.models import Partner, User
    from billing.services import adjustment_create
    from connections.services import connection_create
    from portal.lib.review import review_decide
    from products.models import Product
    from products.services import partner_products_choose
    from profiles.models import Credential
    from profiles.selectors import digest_ha1

    staff = [
        User.objects.create(
            username=f"bench-staff-{n}",
            email=f"staff{n}@bench.test",
            is_staff=True,
            is_superuser=True,
            email_verified_at=timezone.now(),
        )
        for n in (1, 2)
    ]
    partner = Partner.objects.create(
        code=PARTNER_CODE,
        name="PT Bench",
        kind=Partner.Kind.PERUSAHAAN,
        status=Partner.Status.ACTIVE,
    )
    owner = User.objects.create(
        username="mtrbench",
        partner=partner,
        email="owner@bench.test",
        phone="+6281299990000",
        is_owner=True,
        email_verified_at=timezone.now(),
    )
    username = "mtrbench.dev"
    credential = Credential.objects.create(
        partner=partner,
        environment="development",
        username=username,
        ha1=digest_ha1(username, PASSWORD),
        mitra=partner.code,
        account_id="9000000001",
        merchant_id="MDBENCH00001",
        merchant_name=partner.name,
        counter_id="1",
    )
    connection_create(
        partner=partner,
        environment="development",
        address="127.0.0.1",
        actor=staff[0],
        approved=True,
    )
    partner_products_choose(
        partner=partner,
        products=Product.objects.filter(code__in=[POSTPAID, PREPAID]),
        actor=owner,
    )
    adjustment = adjustment_create(
        partner=partner,
        environment="development",
        amount=10**13,
        reason="Saldo benchmark",
        actor=staff[0],
    )
    review_decide(subject=adjustment, approve=True, actor=staff[1])
    seed_portal_partner(staff)
    prepaid = Product.objects.get(code=PREPAID)
    print(
        json.dumps(
            {
                "username": username,
                "mitra": credential.mitra,
                "accountID": credential.account_id,
                "merchantID": credential.merchant_id,
                "merchantName": credential.merchant_name,
                "counterID": credential.counter_id,
                "prepaid_price": prepaid.price,
                "login_path": reverse("accounts:login"),
                "dashboard_path": reverse("portal:dashboard"),
            }
        )
    )


def seed_portal_partner(staff: list) -> None:
    """Another active partner whose owner logs in to the portal: deposits in both
    environments and a month of transactions, mostly Production (the dashboard's chart)."""
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import Partner, User
    from billing.models import Transaction
    from billing.services import (
        adjustment_create,
        transaction_complete,
        transaction_create_paid,
    )
    from portal.lib.review import review_decide
    from products.models import Product

    partner = Partner.objects.create(
        code=PORTAL_PARTNER_CODE,
        name="PT Portal Bench",
        kind=Partner.Kind.PERUSAHAAN,
        status=Partner.Status.ACTIVE,
    )
    owner = User.objects.create(
        username=PORTAL_USERNAME,
        partner=partner,
        email="owner@portal.bench.test",
        phone="+6281299990001",
        is_owner=True,
        email_verified_at=timezone.now(),
    )
    owner.set_password(PASSWORD)
    owner.save(update_fields=["password"])
    for environment in ("production", "development"):
        adjustment = adjustment_create(
            partner=partner,
            environment=environment,
            amount=10**10,
            reason="Saldo benchmark portal",
            actor=staff[0],
        )
        review_decide(subject=adjustment, approve=True, actor=staff[1])
    products = list(Product.objects.filter(code__in=[POSTPAID, PREPAID]))
    rng = random.Random(PORTAL_TRANSACTIONS)  # noqa: S311 - seed data
    now = timezone.now()
    for n in range(PORTAL_TRANSACTIONS):
        product = rng.choice(products)
        postpaid = product.code == POSTPAID
        tagihan = rng.randrange(50_000, 500_000) if postpaid else product.price
        admin = 2_500 if postpaid else 0
        txn = transaction_create_paid(
            partner=partner,
            environment="development" if n % 6 == 0 else "production",
            product=product,
            product_code=product.code,
            product_name=product.name,
            category=product.category.name,
            customer_number=f"0812{rng.randrange(10**8):08d}",
            reference_id=f"PORTAL{n:05d}",
            tagihan=tagihan,
            admin=admin,
            total=tagihan + admin,
            request={"productID": product.code, "referenceID": f"PORTAL{n:05d}"},
            service="Payment" if postpaid else "SinglePayment",
            rc="71",
        )
        status = rng.choice(["sukses"] * 8 + ["gagal", "pending"])
        rc = {"sukses": "00", "gagal": "17", "pending": "71"}[status]
        transaction_complete(transaction=txn, status=status, rc=rc, response={"rc": rc})
        # Spread over the month for the chart (the ledger keeps its real times).
        Transaction.objects.filter(pk=txn.pk).update(
            created_at=now - timedelta(days=n % 30, hours=rng.randrange(10))
        )


def route(url: str) -> None:
    """Runs inside Django (``--route URL``): the network simulator at ``url`` becomes the
    first provider of the two products."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from billers.models import Provider, ProviderProduct
    from products.models import Product

    provider, _created = Provider.objects.update_or_create(
        code=NETWORK_PROVIDER,
        defaults={
            "name": "Simulator jaringan (benchmark)",
            "kind": Provider.Kind.NETWORK,
            "base_url": url,
            "credentials_env": NETWORK_ENV,
            "timeout_seconds": NETWORK_TIMEOUT_SECONDS,
            "enabled": True,
        },
    )
    for product in Product.objects.filter(code__in=[POSTPAID, PREPAID]):
        ProviderProduct.objects.update_or_create(
            product=product,
            provider=provider,
            defaults={"priority": 1, "buy_price": 0, "enabled": True},
        )


# --- the processes of the system ------------------------------------------------------------


def start_server(
    env: dict, port: int, role: str, ready_path: str = "/ping"
) -> subprocess.Popen:
    """gunicorn as deployed (``deploy/gunicorn.conf.py``, ``SERVE_ROLE=role``: its workers,
    threads and database pool), a process group of its own, ready when ``ready_path``
    answers."""
    command = [
        GUNICORN,
        "-c",
        GUNICORN_CONFIG,
        "portal.wsgi",
        # Longer than the pauses between the bench's steps, so its connections stay open.
        "--keep-alive",
        "30",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(  # noqa: S603
        command,
        env={**env, "SERVE_ROLE": role, "SERVE_BIND": f"127.0.0.1:{port}"},
        cwd=ROOT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            url = f"http://127.0.0.1:{port}{ready_path}"
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310
                break
        except OSError:
            time.sleep(0.3)
    else:
        stop_group(server)
        raise SystemExit(f"gunicorn ({role}) did not answer {ready_path} within 30 s")
    workers = len(family(server.pid, processes())) - 1
    print(
        f"  gunicorn SERVE_ROLE={role} on 127.0.0.1:{port}: {workers} worker processes",
        flush=True,
    )
    return server


def start_worker(env: dict) -> subprocess.Popen:
    """A Celery worker (as ``make serve`` runs it): it resolves the payments answered
    pending, asking the provider a few seconds after their first answer."""
    command = [
        CELERY,
        "-A",
        "portal",
        "worker",
        "--loglevel",
        "WARNING",
        "--concurrency",
        "2",
    ]
    return subprocess.Popen(  # noqa: S603
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, start_new_session=True
    )


def stop_group(process: subprocess.Popen) -> None:
    """SIGTERM to the process group of ``process`` (started in a session of its own)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def start_netsim(env: dict, port: int):
    """The network simulator on ``port`` and ``port + 1``, made the provider of the
    products."""
    sys.path.insert(0, str(ROOT))
    from billers.netsim.testing import NetsimProcess

    netsim = NetsimProcess(
        key=NETWORK_KEY,
        ports=range(port, port + 2),
        args=("--seed", "1"),
        python=PYTHON,
    ).start()
    try:
        subprocess.run(  # noqa: S603
            [PYTHON, __file__, "--route", netsim.url], env=env, cwd=ROOT, check=True
        )
    except BaseException:
        netsim.close()
        raise
    print(
        f"Network simulator on {netsim.url} is the provider of {POSTPAID} and "
        f"{PREPAID}; gunicorn started again",
        flush=True,
    )
    return netsim


def open_files_allow(needed: int) -> None:
    """One socket per connection: raise this process's soft limit of open files when the
    load needs more."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(needed, hard), hard))


# --- the load: raw HTTP/1.1 with keep-alive, client-side Digest and cookies -----------------


def md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


class Connection:
    """One keep-alive connection with its own Digest nonce and nc counter, and its own
    cookies (what the server set is sent back, as a browser does)."""

    def __init__(self, port: int, username: str = ""):
        self.port = port
        self.username = username
        self.ha1 = md5(f"{username}:{REALM}:{PASSWORD}")
        self.reader = self.writer = None
        self.nonce = ""
        self.nc = 0
        self.signed = 0  # requests sent with an Authorization header: each is logged
        self.cookies: dict[str, str] = {}

    async def _connect(self) -> None:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    async def _exchange(self, method: str, path: str, body: bytes, headers: dict):
        if self.writer is None:
            await self._connect()
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}"]
        if self.cookies:
            lines.append(
                "Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            )
        lines += [f"{k}: {v}" for k, v in headers.items()]
        lines += [f"Content-Length: {len(body)}", "", ""]
        self.writer.write("\r\n".join(lines).encode() + body)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split()[1])
        received = {}
        for line in header_lines:
            if ":" in line:
                name, value = line.split(":", 1)
                name, value = name.strip().lower(), value.strip()
                received[name] = value
                if name == "set-cookie":
                    cookie, _sep, _attributes = value.partition(";")
                    key, _sep, cookie_value = cookie.partition("=")
                    self.cookies[key.strip()] = cookie_value.strip()
        if received.get("transfer-encoding", "").lower() == "chunked":
            payload = b""
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).strip(), 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0:
                    break
                payload += chunk[:-2]
        else:
            payload = await self.reader.readexactly(
                int(received.get("content-length", "0"))
            )
        if received.get("connection", "").lower() == "close":
            self.close()
        return status, received, payload

    async def request(self, method: str, path: str, body: bytes = b"", headers=None):
        try:
            return await self._exchange(method, path, body, headers or {})
        except (ConnectionError, asyncio.IncompleteReadError):
            self.reader = self.writer = None  # the server closed it: once more, fresh
            return await self._exchange(method, path, body, headers or {})

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def challenge(self) -> None:
        status, headers, _body = await self.request("GET", "/auth/Sign-On")
        if status != 401:
            raise RuntimeError(f"expected a Digest challenge, got {status}")
        params = dict(
            part.strip().split("=", 1)
            for part in headers["www-authenticate"][7:].split(",")
        )
        self.nonce = params["nonce"].strip('"')
        self.nc = 0

    def authorization(self, path: str) -> str:
        self.nc += 1
        nc = f"{self.nc:08x}"
        cnonce = secrets.token_hex(8)
        ha2 = md5(f"POST:{path}")
        response = md5(f"{self.ha1}:{self.nonce}:{nc}:{cnonce}:auth:{ha2}")
        return (
            f'Digest username="{self.username}", realm="{REALM}", nonce="{self.nonce}", '
            f'uri="{path}", algorithm=MD5, qop=auth, nc={nc}, cnonce="{cnonce}", '
            f'response="{response}"'
        )

    async def post(self, path: str, body: dict) -> tuple[int, dict]:
        data = json.dumps(body).encode()
        for _attempt in range(2):
            if not self.nonce:
                await self.challenge()
            headers = {
                "Authorization": self.authorization(path),
                "Content-Type": "application/json",
            }
            self.signed += 1
            status, _headers, payload = await self.request("POST", path, data, headers)
            if status == 401:  # stale nonce: a fresh one, once
                self.nonce = ""
                continue
            return status, json.loads(payload)
        return status, json.loads(payload)


@dataclass
class Result:
    name: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    # Answered rc 71 (the provider did not answer in time or answered pending): not an error.
    pending: int = 0
    samples: list[str] = field(default_factory=list)
    elapsed: float = 0.0

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    @property
    def pending_share(self) -> float:
        return self.pending / len(self.latencies) if self.latencies else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * p))] * 1000

    def error(self, text: str) -> None:
        self.errors += 1
        if len(self.samples) < 3:
            self.samples.append(text[:300])

    def add(self, part: Result) -> None:
        self.latencies += part.latencies
        self.errors += part.errors
        self.pending += part.pending
        self.samples = (self.samples + part.samples)[:3]
        self.elapsed += part.elapsed


async def drive(
    name, connections, duration, make_call, until=None, rate: float = 0.0
) -> Result:
    """Run ``make_call(connection)`` on every connection, back to back, for ``duration``
    (or until ``until()`` is true); with a ``rate``, the connections together start that
    many calls a second, evenly (a call that takes longer delays only its connection's
    next). The time of the requests in flight at the end counts: at a long latency that is
    a little conservative."""
    result = Result(name)
    stop_at = time.monotonic() + duration
    interval = len(connections) / rate if rate else 0.0

    async def loop(connection, offset: float):
        next_at = time.monotonic() + offset
        while time.monotonic() < stop_at and not (until and until()):
            if interval:
                await asyncio.sleep(max(0.0, next_at - time.monotonic()))
                next_at += interval
            started = time.perf_counter()
            try:
                ok, detail = await make_call(connection)
            except Exception as exc:  # counted and shown, never hidden
                ok, detail = False, repr(exc)
            if detail == EXHAUSTED:
                return
            result.latencies.append(time.perf_counter() - started)
            if not ok:
                result.error(detail)
            elif detail == PENDING:
                result.pending += 1

    started = time.monotonic()
    spread = interval / len(connections) if connections else 0.0
    await asyncio.gather(*(loop(c, k * spread) for k, c in enumerate(connections)))
    result.elapsed = time.monotonic() - started
    return result


class Load:
    """The load's partner on ``concurrency`` keep-alive connections, signed on once, and
    its calls. The inquiries made wait in ``inquired`` for a Payment; the payments answered
    rc 00 are kept (for Check-Status and the ledger check), and the referenceIDs of those
    answered rc 71."""

    def __init__(self, port: int, seeded: dict, concurrency: int):
        self.seeded = seeded
        self.connections = [
            Connection(port, seeded["username"]) for _ in range(concurrency)
        ]
        self.base: dict = {}
        self.run = secrets.token_hex(2).upper()
        self.inquired: list[dict] = []
        self.paid: list[dict] = []
        self.pending: list[str] = []
        self.price = f"{seeded['prepaid_price']:012d}"
        self.day = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 7 * 3600))
        self.checked = itertools.count()
        self.calls = {
            "ping": self.ping,
            "Inquiry": self.inquiry,
            "Payment": self.payment,
            "SinglePayment": self.single_payment,
            "Check-Status": self.check_status,
        }

    @property
    def signed(self) -> int:
        return sum(c.signed for c in self.connections)

    async def open(self) -> None:
        """A Digest nonce for every connection, then one Sign-On."""
        await asyncio.gather(*(c.challenge() for c in self.connections))
        seeded = self.seeded
        status, signed = await self.connections[0].post(
            "/auth/Sign-On",
            {
                k: seeded[k]
                for k in (
                    "mitra",
                    "accountID",
                    "merchantID",
                    "merchantName",
                    "counterID",
                )
            },
        )
        if signed.get("rc") != "00":
            raise SystemExit(f"Sign-On failed: {status} {signed}")
        self.base = {
            "sessionID": signed["SessionID"],
            "merchantID": seeded["merchantID"],
        }

    def close(self) -> None:
        for connection in self.connections:
            connection.close()

    async def ping(self, connection):
        status, _headers, payload = await connection.request("GET", "/ping")
        return status == 200 and payload == b'{"status": "ok"}', str(status)

    async def inquiry(self, connection):
        n = next(SERIAL)
        bill = {
            "productID": POSTPAID,
            "customerID": f"53{n:08d}01",
            "referenceID": f"B{self.run}I{n}",
        }
        status, answer = await connection.post(
            "/Services/Inquiry", {**self.base, **bill}
        )
        if status == 200 and answer.get("rc") == "00":
            data = answer["data"]
            self.inquired.append(
                {**bill, **{k: data[k] for k in ("tagihan", "admin", "total")}}
            )
            return True, ""
        return False, f"{status} {answer}"

    async def payment(self, connection):
        if not self.inquired:
            return False, EXHAUSTED
        bill = self.inquired.pop()
        status, answer = await connection.post(
            "/Services/Payment", {**self.base, **bill}
        )
        return self._paid_or_not(status, answer, bill)

    async def single_payment(self, connection):
        n = next(SERIAL)
        sale = {
            "productID": PREPAID,
            "customerID": f"0812{n:08d}01",
            "referenceID": f"B{self.run}S{n}",
            "tagihan": self.price,
            "admin": "000000000000",
            "total": self.price,
        }
        status, answer = await connection.post(
            "/Services/SinglePayment", {**self.base, **sale}
        )
        return self._paid_or_not(status, answer, sale)

    def _paid_or_not(self, status: int, answer: dict, sale: dict) -> tuple[bool, str]:
        if status == 200 and answer.get("rc") == "00":
            self.paid.append(
                {k: sale[k] for k in ("productID", "customerID", "referenceID")}
            )
            return True, ""
        if status == 200 and answer.get("rc") == "71":
            self.pending.append(sale["referenceID"])
            return True, PENDING
        return False, f"{status} {answer}"

    async def check_status(self, connection):
        if not self.paid:
            return False, EXHAUSTED
        item = self.paid[next(self.checked) % len(self.paid)]
        body = {
            "merchantID": self.seeded["merchantID"],
            "tglTransaksi": self.day,
            **item,
        }
        status, answer = await connection.post("/Services/Check-Status", body)
        return status == 200 and answer.get("rc") == "00", f"{status} {answer}"


@dataclass
class Tally:
    """What the loads of the run did, for the ledger check."""

    calls: int = 0  # made with an Authorization header: each has its API log row
    paid: set[str] = field(default_factory=set)  # referenceIDs answered rc 00
    pending: set[str] = field(default_factory=set)  # referenceIDs answered rc 71

    def add(self, load: Load) -> None:
        self.calls += load.signed
        self.paid |= {sale["referenceID"] for sale in load.paid}
        self.pending |= set(load.pending)


async def run_load(
    port: int,
    seeded: dict,
    duration: float,
    concurrency: int,
    names: tuple[str, ...] = ENDPOINTS,
) -> tuple[list[Result], Load]:
    """Drive the endpoints of ``names`` in turns; their results and the load."""
    load = Load(port, seeded, concurrency)
    await load.open()
    plan = [(name, load.calls[name]) for name in names]
    # Short slices in turn rather than one long run per endpoint: whatever else the machine
    # does meanwhile weighs on every endpoint alike, so the ratios to ping stay fair.
    for name, call in plan:
        await drive(f"warm-{name}", load.connections, 1.0, call)
    await asyncio.to_thread(analyze)
    totals = {name: Result(name) for name in names}
    rounds = max(1, round(duration / SLICE_SECONDS))
    for number in range(rounds):
        for name, call in plan:
            totals[name].add(
                await drive(name, load.connections, duration / rounds, call)
            )
        line = "  ".join(f"{n} {t.rps:.0f}/s" for n, t in totals.items())
        print(f"  round {number + 1}/{rounds}: {line}", flush=True)
    load.close()
    return list(totals.values()), load


def analyze() -> None:
    """Give the planner statistics of the warmed-up tables, as autovacuum does in any
    deployment (this machine's PostgreSQL runs with ``autovacuum = off``: without it, a
    fresh table has none, and the planner may pick a poor index for the whole run)."""
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/{DB_NAME}", autocommit=True) as db:
        db.execute("ANALYZE")


# --- the portal: the login form, then the dashboard -------------------------------------------


async def portal_login(connections: list[Connection], seeded: dict) -> None:
    """Log in as a browser does — the login page (its CSRF cookie and the form's token),
    the form posted, the redirect to the dashboard — and give every connection the
    session's cookies (one browser, a few connections)."""
    first = connections[0]
    login = seeded["login_path"]
    status, _headers, page = await first.request("GET", login)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or token is None or "csrftoken" not in first.cookies:
        raise SystemExit(f"portal login page: {status}, no CSRF token")
    form = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token[1].decode(),
            "identifier": PORTAL_USERNAME,
            "password": PASSWORD,
        }
    ).encode()
    origin = f"http://127.0.0.1:{first.port}"
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": origin,
        "Referer": origin + login,
    }
    status, headers, _page = await first.request("POST", login, form, headers)
    if status != 302 or headers.get("location") != seeded["dashboard_path"]:
        raise SystemExit(f"portal login refused: {status} {headers.get('location')}")
    for connection in connections[1:]:
        connection.cookies = dict(first.cookies)


def dashboard_call(seeded: dict):
    path = seeded["dashboard_path"]
    marker = PORTAL_PARTNER_CODE.encode()

    async def dashboard(connection):
        status, _headers, page = await connection.request("GET", path)
        return status == 200 and marker in page, f"{status} {page[:200]!r}"

    return dashboard


# --- measuring the system under test --------------------------------------------------------


def processes() -> dict[int, tuple[int, int]]:
    """pid → (parent pid, CPU time in clock ticks) of every process (from /proc)."""
    table = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:  # ended meanwhile
                continue
            # After the command's name: state, ppid, … utime and stime (fields 14, 15).
            fields = stat.rsplit(")", 1)[1].split()
            table[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
    return table


def family(root: int, table: dict[int, tuple[int, int]]) -> list[int]:
    """``root`` and its descendants."""
    children = defaultdict(list)
    for pid, (parent, _ticks) in table.items():
        children[parent].append(pid)
    members, todo = [], [root] if root in table else []
    while todo:
        pid = todo.pop()
        members.append(pid)
        todo += children[pid]
    return members


def proc_kb(pid: int, name: str, field_name: str) -> int:
    """A kB figure of /proc/<pid>/<name> (``Pss`` of smaps_rollup, ``VmRSS`` of status)."""
    try:
        for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    except OSError:  # ended meanwhile
        pass
    return 0


def postmaster_pid() -> int:
    """The parent of our own backend."""
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres") as db:
        backend = db.execute("SELECT pg_backend_pid()").fetchone()[0]
        parent, _ticks = processes()[backend]
        return parent


def redis_pid() -> int:
    import redis

    return int(redis.Redis.from_url(REDIS_URL).info("server")["process_id"])


@dataclass
class Usage:
    """A group of processes at one sample."""

    processes: int
    kb: int  # PSS
    ticks: int  # CPU time so far


class Sampler(threading.Thread):
    """Every ``SAMPLE_SECONDS``: the PSS and the CPU time of each group of processes of
    the system under test (a root process and its descendants) and the PostgreSQL
    connections, keeping the peaks; and the RSS and CPU time of this process (the load
    generator)."""

    def __init__(self, roots: dict[str, int]):
        super().__init__(daemon=True)
        self.roots = roots
        self.stopped = threading.Event()
        self.samples = 0
        self.peak_kb = 0
        self.peak_groups: dict[str, Usage] = {}
        # (time, this process's CPU time, the groups) at the first and the last sample
        self.first: tuple[float, float, dict[str, Usage]] | None = None
        self.last: tuple[float, float, dict[str, Usage]] | None = None
        self.db_connections = 0  # to the bench database
        self.by_application: dict[str, int] = defaultdict(int)  # the most of each
        self.backends = 0  # of the whole server
        self.generator_kb = 0

    def run(self) -> None:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as db:
            while True:
                self.sample(db)
                if self.stopped.wait(SAMPLE_SECONDS):
                    return

    def sample(self, db) -> None:
        table = processes()
        groups = {}
        for name, root in self.roots.items():
            members = family(root, table)
            groups[name] = Usage(
                len(members),
                sum(proc_kb(pid, "smaps_rollup", "Pss") for pid in members),
                sum(table[pid][1] for pid in members),
            )
        self.last = (time.monotonic(), time.process_time(), groups)
        self.first = self.first or self.last
        total = sum(usage.kb for usage in groups.values())
        if total > self.peak_kb:
            self.peak_kb, self.peak_groups = total, groups
        rows = db.execute(
            "SELECT datname, application_name, count(*) FROM pg_stat_activity "
            "WHERE pid <> pg_backend_pid() GROUP BY 1, 2"
        ).fetchall()
        ours = 0
        for database, application, count in rows:
            if database == DB_NAME:
                ours += count
                name = application or "(no application name)"
                self.by_application[name] = max(self.by_application[name], count)
        self.db_connections = max(self.db_connections, ours)
        self.backends = max(self.backends, sum(count for *_names, count in rows))
        rss = proc_kb(os.getpid(), "status", "VmRSS")
        self.generator_kb = max(self.generator_kb, rss)
        self.samples += 1

    def stop(self) -> None:
        self.stopped.set()
        self.join()

    def cpu(self) -> tuple[dict[str, float], float]:
        """The CPU each group used between the first and the last sample, in cores, and
        this process's."""
        (started, own_started, before), (ended, own_ended, after) = (
            self.first,
            self.last,
        )
        span = (ended - started) or math.inf
        seconds = {
            name: (usage.ticks - before[name].ticks) / os.sysconf("SC_CLK_TCK")
            for name, usage in after.items()
        }
        return (
            {name: used / span for name, used in seconds.items()},
            (own_ended - own_started) / span,
        )


# --- the goals ------------------------------------------------------------------------------


@dataclass
class Goal:
    text: str
    measured: str
    met: bool | None  # None: a figure the issue asks for, without a goal


def print_summary(goals: list[Goal]) -> None:
    print()
    print(
        "Summary (issue 17; one run on this 2-core machine, load generator included):"
    )
    print()
    print("| goal | measured | result |")
    print("|---|---|---|")
    for goal in goals:
        result = {True: "met", False: "MISSED", None: ""}[goal.met]
        print(f"| {goal.text} | {goal.measured} | {result} |")


# --- the network part: the simulator as the provider ------------------------------------------


def run_network(
    args, netsim, seeded: dict, tally: Tally
) -> list[tuple[float, float, list[Result]]]:
    """One load per mean latency; the results per latency (mean, tail)."""
    runs = []
    for mean in args.network_latencies:
        tail = mean * args.network_tail_factor
        netsim.control(
            latency_mean_ms=mean,
            latency_tail_ms=tail,
            tail_share=args.network_tail_share if tail else 0.0,
            timeout_share=args.network_timeout_share,
            fault_paths=["pay"],
        )
        print(f"  mean latency {mean:.0f} ms (tail {tail:.0f} ms)", flush=True)
        results, load = asyncio.run(
            run_load(
                args.port,
                seeded,
                args.network_duration,
                args.concurrency,
                NETWORK_ENDPOINTS,
            )
        )
        tally.add(load)
        runs.append((mean, tail, results))
    return runs


def report_network(
    runs: list[tuple[float, float, list[Result]]], concurrency: int
) -> tuple[bool, list[Goal]]:
    """The network part's table; False when a call failed (rc other than 00 or 71) or a
    ratio to ping at 0 ms upstream latency is below its goal."""
    print()
    print(
        "Through the network simulator (H2H JSON, its own process): per mean latency "
        f"of the provider, concurrency {concurrency}"
    )
    print(
        f"{'latency':>8} {'tail':>7} {'endpoint':<14} {'req/s':>8} {'p50 ms':>8} "
        f"{'p99 ms':>8} {'pending':>8} {'errors':>7} {'vs ping':>8} {'goal':>7}"
    )
    passed, goals = True, []
    for mean, tail, results in runs:
        ping = results[0].rps
        for result in results:
            ratio = result.rps / ping if ping else 0.0
            goal = GOALS.get(result.name) if mean == 0 else None
            verdict = ""
            if goal is not None:
                ok = ratio >= goal
                passed &= ok
                verdict = f"{'ok' if ok else 'LOW'} {goal:.0%}"
                goals.append(
                    Goal(
                        f"0 ms upstream, concurrency {concurrency}: {result.name} "
                        f"≥ {goal:.0%} of /ping",
                        f"{ratio:.0%} ({result.rps:.0f}/s, ping {ping:.0f}/s)",
                        ok,
                    )
                )
            passed &= not result.errors
            print(
                f"{mean:6.0f}ms {tail:5.0f}ms {result.name:<14} {result.rps:8.1f} "
                f"{result.percentile(0.50):8.1f} {result.percentile(0.99):8.1f} "
                f"{result.pending_share:8.1%} {result.errors:7d} {ratio:8.0%} "
                f"{verdict:>7}"
            )
            for sample in result.samples:
                print(f"    error: {sample}")
    return passed, goals


# --- the peak: a long upstream latency at a high concurrency, the portal beside it -------------


def peak_switches(args) -> dict:
    """The simulator's latency for the peak. It draws an answer's latency from a gamma
    (shape 4) around ``latency_mean_ms`` — at 1 s, 15% of those take over 1.5 s (p99 about
    2.5 s), so no server could answer at p99 under 1.5 s — except a ``tail_share`` that
    takes 0.8–1.2 × ``latency_tail_ms`` (uniform). So the peak uses the latter for the
    body and the gamma for the tail: most answers in 0.8–1.2 × ``--peak-latency``, a
    ``--peak-tail-share`` around ``--peak-tail-latency``, spread up to a few seconds."""
    return {
        "latency_tail_ms": args.peak_latency,
        "tail_share": 1.0 - args.peak_tail_share,
        "latency_mean_ms": args.peak_tail_latency,
        "timeout_share": 0.0,
    }


def upstream_figures(switches: dict) -> str:
    """The latencies the simulator draws with ``switches``, from its own draw."""
    from billers.netsim.config import Config, latency_seconds

    config = Config().updated(switches)
    rng = random.Random(1)  # noqa: S311 - a simulation
    draws = sorted(latency_seconds(config, rng) * 1000 for _ in range(200_000))
    return (
        f"mean {statistics.fmean(draws):.0f} ms, p99 {draws[int(0.99 * len(draws))]:.0f} "
        f"ms, p99.9 {draws[int(0.999 * len(draws))]:.0f} ms, max {draws[-1]:.0f} ms"
    )


@dataclass
class Peak:
    stock: Result  # the inquiries for the payments, made before at 0 ms upstream
    results: list[Result]
    quiet: Result  # the dashboard before the peak
    dashboard: Result  # the dashboard during the peak
    sampler: Sampler


async def peak_load(args, netsim, seeded: dict, roots: dict, tally: Tally) -> Peak:
    load = Load(args.port, seeded, args.peak_concurrency)
    await load.open()
    portal = [Connection(args.port + 3) for _ in range(args.portal_connections)]
    await portal_login(portal, seeded)
    dashboard = dashboard_call(seeded)
    quiet = await drive(
        "dashboard", portal, WARM_SECONDS, dashboard, rate=args.portal_rate
    )
    # The inquiries the payments need, made beforehand without upstream latency: at most
    # a connection's share of the time over the body's shortest answer, per connection.
    needed = math.ceil(
        args.peak_concurrency
        * (WARM_SECONDS + args.peak_duration)
        / (0.8 * args.peak_latency / 1000)
    )
    netsim.control(latency_mean_ms=0.0, latency_tail_ms=0.0, timeout_share=0.0)
    stock = await drive(
        "Inquiry",
        load.connections[: args.concurrency],
        STOCK_SECONDS,
        load.inquiry,
        until=lambda: len(load.inquired) >= needed,
    )
    netsim.control(**peak_switches(args))
    sampler = Sampler(roots)
    sampler.start()
    try:
        for name in PEAK_ENDPOINTS:
            await drive(
                f"warm-{name}", load.connections, WARM_SECONDS, load.calls[name]
            )
        stopped = asyncio.Event()
        probe = asyncio.create_task(
            drive(
                "dashboard",
                portal,
                math.inf,
                dashboard,
                until=stopped.is_set,
                rate=args.portal_rate,
            )
        )
        results = []
        for name in PEAK_ENDPOINTS:
            result = await drive(
                name, load.connections, args.peak_duration, load.calls[name]
            )
            print(f"  {name}: {result.rps:.0f}/s", flush=True)
            results.append(result)
        stopped.set()
        during = await probe
    finally:
        sampler.stop()
    load.close()
    for connection in portal:
        connection.close()
    tally.add(load)
    return Peak(stock, results, quiet, during, sampler)


def run_peak(
    args, env: dict, netsim, roots: dict[str, int], seeded: dict, tally: Tally
) -> Peak:
    """The peak; ``roots`` are the processes of the system running already (each with
    its descendants): the portal's gunicorn, PostgreSQL and Redis join them."""
    print(
        f"Peak: concurrency {args.peak_concurrency}, upstream about "
        f"{args.peak_latency:.0f} ms; the portal on a gunicorn of its own",
        flush=True,
    )
    portal = start_server(env, args.port + 3, "portal", seeded["login_path"])
    try:
        roots = {
            "API gunicorn": roots["API gunicorn"],
            "portal gunicorn": portal.pid,
            **roots,
            "PostgreSQL (whole server)": postmaster_pid(),
            "Redis (whole server)": redis_pid(),
        }
        return asyncio.run(peak_load(args, netsim, seeded, roots, tally))
    finally:
        stop_group(portal)


def report_peak(args, peak: Peak) -> tuple[bool, list[Goal]]:
    switches = peak_switches(args)
    print()
    print(
        f"Peak: one partner, concurrency {args.peak_concurrency}, "
        f"{args.peak_duration:.0f} s per endpoint after a {WARM_SECONDS:.0f} s warm-up, "
        "through the network simulator"
    )
    print(
        f"  upstream: {switches['tail_share']:.0%} of answers uniform in "
        f"{0.8 * args.peak_latency:.0f}–{1.2 * args.peak_latency:.0f} ms, "
        f"{args.peak_tail_share:.0%} gamma (shape 4) around {args.peak_tail_latency:.0f} "
        f"ms; as the simulator draws them: {upstream_figures(switches)}"
    )
    stock = peak.stock
    print(
        f"  (the inquiries for the payments were made before, at 0 ms upstream: "
        f"{len(stock.latencies)} in {stock.elapsed:.0f} s, {stock.errors} errors)"
    )
    for sample in stock.samples:
        print(f"    error: {sample}")
    print(
        f"{'endpoint':<25} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'pending':>8} "
        f"{'errors':>7}"
    )
    portal = f"dashboard {args.portal_rate:g}/s"
    rows = [
        *((result.name, result) for result in peak.results),
        (f"{portal}, quiet", peak.quiet),
        (f"{portal}, at the peak", peak.dashboard),
    ]
    for name, result in rows:
        print(
            f"{name:<25} {result.rps:8.1f} {result.percentile(0.50):8.1f} "
            f"{result.percentile(0.99):8.1f} {result.pending_share:8.1%} "
            f"{result.errors:7d}"
        )
        for sample in result.samples:
            print(f"    error: {sample}")
    sampler = peak.sampler
    cores, generator = sampler.cpu()
    print(
        f"The system during the peak (sampled every {SAMPLE_SECONDS} s, "
        f"{sampler.samples} samples): memory at its peak {sampler.peak_kb / 1024:.0f} MB "
        f"(PSS), CPU {sum(cores.values()) + generator:.2f} of the "
        f"{os.cpu_count()} cores"
    )
    print(f"  {'':<28} {'processes':>9} {'PSS MB':>7} {'CPU (cores)':>12}")
    for name, usage in sampler.peak_groups.items():
        print(
            f"  {name:<28} {usage.processes:9d} {usage.kb / 1024:7.0f} "
            f"{cores[name]:12.2f}"
        )
    print(
        f"  {'load generator (this one)':<28} {1:9d} "
        f"{sampler.generator_kb / 1024:7.0f} {generator:12.2f}  (RSS at most)"
    )
    applications = ", ".join(
        f"{name} {count}" for name, count in sorted(sampler.by_application.items())
    )
    print(
        f"PostgreSQL connections: at most {sampler.db_connections} to {DB_NAME} (the "
        f"most of each application: {applications}), {sampler.backends} backends of "
        "the whole server"
    )

    latency = (
        f"{args.peak_latency / 1000:g} s upstream, concurrency {args.peak_concurrency}"
    )
    goals = [
        Goal(
            f"{latency}: {result.name} ≥ {PEAK_RPS_GOAL:.0f} req/s",
            f"{result.rps:.0f} req/s",
            result.rps >= PEAK_RPS_GOAL,
        )
        for result in peak.results
    ]
    goals.append(
        Goal(
            f"{latency}: zero errors",
            ", ".join(f"{r.name} {r.errors}" for r in peak.results),
            not any(r.errors for r in peak.results),
        )
    )
    goals.append(
        Goal(
            f"{latency}: p99 < {PEAK_P99_LIMIT_MS / 1000:g} s",
            ", ".join(f"{r.name} {r.percentile(0.99):.0f} ms" for r in peak.results),
            all(r.percentile(0.99) < PEAK_P99_LIMIT_MS for r in peak.results),
        )
    )
    during = peak.dashboard
    goals.append(
        Goal(
            "portal dashboard of another partner during that load "
            f"({args.portal_rate:g} pages/s over {args.portal_connections} connections): "
            f"p99 < {PORTAL_P99_LIMIT_MS:.0f} ms",
            f"p50 {during.percentile(0.5):.0f} ms, p99 {during.percentile(0.99):.0f} ms "
            f"({len(during.latencies)} pages, {during.errors} errors)",
            during.percentile(0.99) < PORTAL_P99_LIMIT_MS and not during.errors,
        )
    )
    goals.append(
        Goal(
            "peak memory of the system (PSS)",
            f"{sampler.peak_kb / 1024:.0f} MB; load generator RSS "
            f"{sampler.generator_kb / 1024:.0f} MB",
            None,
        )
    )
    goals.append(
        Goal(
            "PostgreSQL connections at the peak",
            f"{sampler.db_connections} to the bench database, {sampler.backends} in all",
            None,
        )
    )
    return all(goal.met is not False for goal in goals), goals


# --- after the run --------------------------------------------------------------------------


def pending_count() -> int:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/{DB_NAME}") as db:
        return db.execute(
            "SELECT count(*) FROM billing_transaction t JOIN accounts_partner p "
            "ON p.id = t.partner_id WHERE p.code = %s AND t.status = 'pending'",
            [PARTNER_CODE],
        ).fetchone()[0]


def settle(timeout: float, tally: Tally) -> None:
    """Wait (at most ``timeout``) until the Celery worker has made the load's pending
    transactions final."""
    started = time.monotonic()
    left = pending_count()
    while left and time.monotonic() - started < timeout:
        time.sleep(0.5)
        left = pending_count()
    waited = time.monotonic() - started
    state = (
        f"{left} still pending after {waited:.0f} s" if left else "none left pending"
    )
    print(
        f"Pending: {len(tally.pending)} payments answered rc 71 during the run; {state} "
        f"(waited {waited:.1f} s for the Celery worker)",
        flush=True,
    )


def ledger_check(tally: Tally) -> tuple[bool, str]:
    """Every deposit equals the sum of its entries; each transaction of the load's partner
    moved exactly its money (a success: one debit of its total; a failure: its debit
    reversed) and none is pending any more; the successes are the payments answered rc 00
    and some of those answered rc 71; every call made with an Authorization header has its
    log row (written by the server's workers in batches, the last ones when gunicorn
    stopped)."""
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/{DB_NAME}") as db:
        accounts = db.execute(
            """
            SELECT a.id, a.balance, COALESCE(SUM(e.amount), 0)
            FROM billing_depositaccount a
            LEFT JOIN billing_ledgerentry e ON e.account_id = a.id
            GROUP BY a.id, a.balance
            """
        ).fetchall()
        transactions = db.execute(
            """
            SELECT t.reference_id, t.status, t.total, COALESCE(SUM(e.amount), 0),
                   COUNT(e.id) FILTER (WHERE e.kind = 'debit')
            FROM billing_transaction t
            JOIN accounts_partner p ON p.id = t.partner_id
            LEFT JOIN billing_ledgerentry e ON e.transaction_id = t.id
            WHERE p.code = %s
            GROUP BY t.id
            """,
            [PARTNER_CODE],
        ).fetchall()
        logged = db.execute("SELECT COUNT(*) FROM openapi_apilog").fetchone()[0]
    expected = {"sukses": lambda total: -total, "gagal": lambda total: 0}
    statuses = defaultdict(int)
    moved_wrong, successes = [], set()
    for reference, status, total, moved, debits in transactions:
        statuses[status] += 1
        if status == "sukses":
            successes.add(reference)
        if status not in expected or moved != expected[status](total) or debits != 1:
            moved_wrong.append((reference, status, total, moved, debits))
    problems = [f"MISMATCH {row}" for row in accounts if row[1] != row[2]]
    if statuses["pending"]:
        problems.append(f"{statuses['pending']} STILL PENDING")
    if moved_wrong:
        problems.append(f"MONEY MOVED WRONGLY {moved_wrong[:3]}")
    if tally.paid - successes:
        problems.append(f"{len(tally.paid - successes)} ANSWERED 00, NOT SUCCESSFUL")
    if successes - tally.paid - tally.pending:
        problems.append(
            f"{len(successes - tally.paid - tally.pending)} SUCCESSFUL, NEVER ANSWERED"
        )
    if logged != tally.calls:
        problems.append("LOG ROWS MISSING")
    counted = ", ".join(f"{n} {status}" for status, n in sorted(statuses.items()))
    text = (
        f"{len(accounts)} deposit account(s), {len(transactions)} transactions of the "
        f"load's partner ({counted or 'none'}; {len(tally.paid)} answered 00 and "
        f"{len(tally.pending)} answered 71 by the load), {logged} API log rows for "
        f"{tally.calls} calls"
    )
    return not problems, "; ".join([text, *problems])


def report(results: list[Result], duration: float, concurrency: int) -> bool:
    ceiling = results[0].rps
    print()
    print(
        f"Open API benchmark: {duration:.0f} s per endpoint, concurrency {concurrency}"
    )
    print(
        f"{'endpoint':<14} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} "
        f"{'vs ping':>8} {'goal':>6}"
    )
    passed = True
    for result in results:
        ratio = result.rps / ceiling if ceiling else 0.0
        goal = GOALS.get(result.name)
        verdict = ""
        if goal is not None:
            ok = ratio >= goal
            passed &= ok
            verdict = f"{'ok' if ok else 'LOW'} {goal:.0%}"
        p99 = result.percentile(0.99)
        if result.name != "ping" and p99 >= P99_LIMIT_MS:
            passed = False
            verdict += " p99!"
        if result.errors:
            passed = False
        print(
            f"{result.name:<14} {result.rps:8.0f} {result.percentile(0.50):8.1f} "
            f"{p99:8.1f} {result.errors:7d} {ratio:8.0%} {verdict:>6}"
        )
        for sample in result.samples:
            print(f"    error: {sample}")
    return passed


def _latencies(text: str) -> list[float]:
    return [float(part) for part in text.split(",") if part.strip()]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument(
        "--port",
        type=int,
        default=8790,
        help="the API; the simulator takes the next two, the portal the third",
    )
    parser.add_argument(
        "--network-latencies",
        type=_latencies,
        default=[0.0, 300.0, 1000.0],
        help="mean latencies of the network simulator, ms (empty: skip that part)",
    )
    parser.add_argument("--network-duration", type=float, default=15.0)
    parser.add_argument("--network-tail-factor", type=float, default=4.0)
    parser.add_argument("--network-tail-share", type=float, default=0.01)
    parser.add_argument("--network-timeout-share", type=float, default=0.0)
    parser.add_argument("--peak-concurrency", type=int, default=256)
    parser.add_argument(
        "--peak-latency",
        type=float,
        default=1000.0,
        help="upstream latency of the peak, ms: most answers within ±20%% of it",
    )
    parser.add_argument(
        "--peak-tail-latency",
        type=float,
        default=1400.0,
        help="the tail's mean, ms (a gamma of shape 4: up to about 2.5 times it)",
    )
    parser.add_argument("--peak-tail-share", type=float, default=0.01)
    parser.add_argument(
        "--peak-duration", type=float, default=20.0, help="per endpoint (0: no peak)"
    )
    parser.add_argument("--portal-connections", type=int, default=4)
    parser.add_argument(
        "--portal-rate",
        type=float,
        default=10.0,
        help="dashboards a second during the peak, over the portal connections (the "
        "partners' people at their screens; 0: back to back)",
    )
    parser.add_argument(
        "--settle-timeout",
        type=float,
        default=60.0,
        help="longest wait for pending payments to become final, s",
    )
    parser.add_argument("--seed", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--route", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.peak_duration and args.peak_latency <= 0:
        parser.error("--peak-latency must be above 0")
    return args


def main() -> int:
    args = parse_args()
    if args.seed:
        seed()
        return 0
    if args.route:
        route(args.route)
        return 0
    # Stopped from outside, the run still stops the processes it started.
    signal.signal(signal.SIGTERM, lambda _number, _frame: sys.exit(143))
    open_files_allow(args.peak_concurrency + args.portal_connections + 256)
    tally, goals = Tally(), []
    load_before = os.getloadavg()[0]
    with contextlib.ExitStack() as stack:
        static_root = stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-"))
        env = server_env(args.port, static_root)
        print(
            f"Preparing {DB_NAME} (fresh, migrated, catalogue, two partners, static "
            f"files); a Celery worker; gunicorn on PostgreSQL and Redis {REDIS_URL}",
            flush=True,
        )
        seeded = prepare_database(env)
        worker = start_worker(env)
        stack.callback(stop_group, worker)
        server = start_server(env, args.port, "api")
        try:
            results, load = asyncio.run(
                run_load(args.port, seeded, args.duration, args.concurrency)
            )
        finally:
            stop_group(server)
        tally.add(load)
        passed = report(results, args.duration, args.concurrency)
        netsim = None
        if args.network_latencies or args.peak_duration:
            netsim = start_netsim(env, args.port + 1)
            stack.callback(netsim.close)
            server = start_server(env, args.port, "api")
            roots = {
                "API gunicorn": server.pid,
                "network simulator": netsim.process.pid,
                "Celery worker": worker.pid,
            }
            try:
                runs = run_network(args, netsim, seeded, tally)
                peak = None
                if args.peak_duration:
                    peak = run_peak(args, env, netsim, roots, seeded, tally)
            finally:
                stop_group(server)
            if runs:
                ok, more = report_network(runs, args.concurrency)
                passed &= ok
                goals += more
            if peak:
                ok, more = report_peak(args, peak)
                passed &= ok
                goals += more
        settle(args.settle_timeout, tally)
        if netsim is not None:
            stats = netsim.stats()
            print(f"  network simulator: {stats['book']} {stats['counts']}", flush=True)
    print(
        "Machine load average before/after the run: "
        f"{load_before:.2f} / {os.getloadavg()[0]:.2f} (before: what else ran on the 2 cores; "
        "after: includes this run)"
    )
    # Every server has stopped: the API log rows of all calls are written.
    ledger_ok, ledger_text = ledger_check(tally)
    print(f"Ledger: {'exact' if ledger_ok else 'WRONG'} — {ledger_text}")
    goals.append(
        Goal(
            "ledger exact (payments answered pending made final first)",
            f"{'exact' if ledger_ok else 'WRONG'}: {len(tally.paid)} payments answered "
            f"00, {len(tally.pending)} answered 71",
            ledger_ok,
        )
    )
    passed &= ledger_ok
    print_summary(goals)
    print()
    print("RESULT:", "all goals met" if passed else "some goals missed")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
