"""Benchmark of the Open API (``make bench``): not a test, a measurement.

It creates a fresh PostgreSQL database (``webopenapi_bench``), migrates it, loads the
catalogue and seeds one partner (Development credential, 127.0.0.1 approved, products chosen,
a large deposit), starts the API under gunicorn, and drives it from this separate process
(asyncio, raw HTTP/1.1 keep-alive connections) with real HTTP Digest computed here — one
nonce per connection, reused with an increasing nc — for a fixed time per endpoint at a fixed
concurrency:

    ping (the stack's ceiling: a JSON view that touches nothing), Inquiry, Payment (of those
    inquiries), SinglePayment, Check-Status.

It prints requests per second, p50 and p99 latency, errors and the ratio to ``/ping`` per
endpoint, then checks that every deposit equals the sum of its ledger entries and that the
successful payments are exactly the debits.

Then the same partner buys from a provider on the network: the network simulator
(``python -m billers.netsim``, its own process on the two ports after ``--port``) is made the
provider of both products (kind "network", H2H JSON), gunicorn is started again, and
Inquiry, Payment and SinglePayment run once per mean latency of ``--network-latencies``
(default 0, 300 and 1000 ms; a ``--network-tail-share`` of the answers take
``--network-tail-factor`` times the mean), printing per latency requests per second, p50/p99,
the share answered pending and the errors. The ledger check at the end covers both parts.

    python scripts/bench.py [--duration 15] [--concurrency 16] [--workers 2] [--threads 4]
        [--network-latencies 0,300,1000] [--network-duration 15]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import itertools
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
DB_NAME = os.environ.get("BENCH_DB", "webopenapi_bench")
PG_SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
REALM = "WebOpenAPI"
PASSWORD = "bench-Rahasia-2026"  # noqa: S105 - a throw-away database
POSTPAID = "100301"  # PLN Pascabayar
PREPAID = "501021"  # Telkomsel 10.000
GOALS = {"Inquiry": 0.35, "Payment": 0.15, "SinglePayment": 0.15}
P99_LIMIT_MS = 150.0
EXHAUSTED = "exhausted"
PENDING = "pending"
SLICE_SECONDS = 3.0
# The network part: the simulator's shared key (a throw-away, like the database) and the
# provider row made for it.
NETWORK_KEY = "bench-netsim-" + "k" * 20
NETWORK_ENV = "BENCHNET"
NETWORK_PROVIDER = "benchnet"
NETWORK_TIMEOUT_SECONDS = 10
# Customer numbers of the whole run: each load of the run buys for numbers of its own (the
# same product and amount to the same number within 10 minutes is refused, rc 75).
SERIAL = itertools.count(1)


def server_env(port: int) -> dict:
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
        f"{NETWORK_ENV}_DEVELOPMENT_KEY": NETWORK_KEY,
    }


# --- preparing the database -------------------------------------------------------------------


def prepare_database(env: dict) -> dict:
    import psycopg2

    admin = psycopg2.connect(f"{PG_SERVER}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {DB_NAME}")
    admin.close()
    manage = [PYTHON, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, cwd=ROOT, check=True)  # noqa: S603
    subprocess.run([*manage, "load_catalogue", "-v0"], env=env, cwd=ROOT, check=True)  # noqa: S603
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
    """Runs inside Django (``--seed``): one partner ready to transact in Development."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
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
        code="MTRBENCH",
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
            }
        )
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


# --- the server -------------------------------------------------------------------------------


def start_server(env: dict, port: int, workers: int, threads: int) -> subprocess.Popen:
    command = [
        GUNICORN,
        "portal.wsgi",
        "-b",
        f"127.0.0.1:{port}",
        "-w",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(threads),
        "--keep-alive",
        "30",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)  # noqa: S603
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/ping", timeout=2):  # noqa: S310
                return server
        except OSError:
            time.sleep(0.3)
    stop_server(server)
    raise SystemExit("gunicorn did not answer /ping within 30 s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


# --- the load: raw HTTP/1.1 with keep-alive and client-side Digest ----------------------------


def md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


class Connection:
    """One keep-alive connection with its own Digest nonce and nc counter."""

    def __init__(self, port: int, username: str):
        self.port = port
        self.username = username
        self.ha1 = md5(f"{username}:{REALM}:{PASSWORD}")
        self.reader = self.writer = None
        self.nonce = ""
        self.nc = 0
        self.signed = 0  # requests sent with an Authorization header: each is logged

    async def _connect(self) -> None:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    async def _exchange(self, method: str, path: str, body: bytes, headers: dict):
        if self.writer is None:
            await self._connect()
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}"]
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
                received[name.strip().lower()] = value.strip()
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
            self.writer.close()
            self.reader = self.writer = None
        return status, received, payload

    async def request(self, method: str, path: str, body: bytes = b"", headers=None):
        try:
            return await self._exchange(method, path, body, headers or {})
        except (ConnectionError, asyncio.IncompleteReadError):
            self.reader = self.writer = None  # the server closed it: once more, fresh
            return await self._exchange(method, path, body, headers or {})

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

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * p))] * 1000

    def error(self, text: str) -> None:
        self.errors += 1
        if len(self.samples) < 3:
            self.samples.append(text[:300])


async def drive(name, connections, duration, make_call) -> Result:
    """Run ``make_call(connection)`` on every connection, back to back, for ``duration``."""
    result = Result(name)
    stop_at = time.monotonic() + duration

    async def loop(connection):
        while time.monotonic() < stop_at:
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
    await asyncio.gather(*(loop(c) for c in connections))
    result.elapsed = time.monotonic() - started
    return result


async def run_load(
    port: int,
    seeded: dict,
    duration: float,
    concurrency: int,
    names: tuple[str, ...] | None = None,
):
    """Drive the endpoints of ``names`` (all by default) in turns; their results, the
    successful payments seen and the calls made with an Authorization header."""
    username = seeded["username"]
    connections = [Connection(port, username) for _ in range(concurrency)]
    for connection in connections:
        await connection.challenge()
    status, signed = await connections[0].post(
        "/auth/Sign-On",
        {
            k: seeded[k]
            for k in ("mitra", "accountID", "merchantID", "merchantName", "counterID")
        },
    )
    if signed.get("rc") != "00":
        raise SystemExit(f"Sign-On failed: {status} {signed}")
    base = {"sessionID": signed["SessionID"], "merchantID": seeded["merchantID"]}
    serial = SERIAL
    run = secrets.token_hex(2).upper()
    inquired: list[dict] = []
    paid: list[dict] = []
    price = f"{seeded['prepaid_price']:012d}"

    async def ping(connection):
        status, _headers, payload = await connection.request("GET", "/ping")
        return status == 200 and payload == b'{"status": "ok"}', str(status)

    async def inquiry(connection):
        n = next(serial)
        bill = {
            "productID": POSTPAID,
            "customerID": f"53{n:08d}01",
            "referenceID": f"B{run}I{n}",
        }
        status, answer = await connection.post("/Services/Inquiry", {**base, **bill})
        if status == 200 and answer.get("rc") == "00":
            data = answer["data"]
            inquired.append(
                {**bill, **{k: data[k] for k in ("tagihan", "admin", "total")}}
            )
            return True, ""
        return False, f"{status} {answer}"

    async def payment(connection):
        if not inquired:
            return False, EXHAUSTED
        bill = inquired.pop()
        status, answer = await connection.post("/Services/Payment", {**base, **bill})
        return paid_or_not(status, answer, bill)

    def paid_or_not(status: int, answer: dict, sale: dict) -> tuple[bool, str]:
        if status == 200 and answer.get("rc") == "00":
            paid.append(
                {k: sale[k] for k in ("productID", "customerID", "referenceID")}
            )
            return True, ""
        if status == 200 and answer.get("rc") == "71":
            return True, PENDING
        return False, f"{status} {answer}"

    async def single_payment(connection):
        n = next(serial)
        sale = {
            "productID": PREPAID,
            "customerID": f"0812{n:08d}01",
            "referenceID": f"B{run}S{n}",
            "tagihan": price,
            "admin": "000000000000",
            "total": price,
        }
        status, answer = await connection.post(
            "/Services/SinglePayment", {**base, **sale}
        )
        return paid_or_not(status, answer, sale)

    day = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 7 * 3600))
    checked = itertools.count()

    async def check_status(connection):
        if not paid:
            return False, EXHAUSTED
        item = paid[next(checked) % len(paid)]
        body = {"merchantID": seeded["merchantID"], "tglTransaksi": day, **item}
        status, answer = await connection.post("/Services/Check-Status", body)
        return status == 200 and answer.get("rc") == "00", f"{status} {answer}"

    plan = [
        ("ping", ping),
        ("Inquiry", inquiry),
        ("Payment", payment),
        ("SinglePayment", single_payment),
        ("Check-Status", check_status),
    ]
    if names is not None:
        plan = [(name, call) for name, call in plan if name in names]
    # Short slices in turn rather than one long run per endpoint: whatever else the machine
    # does meanwhile weighs on every endpoint alike, so the ratios to ping stay fair.
    for name, call in plan:
        await drive(f"warm-{name}", connections, 1.0, call)
    await asyncio.to_thread(analyze)
    totals = {name: Result(name) for name, _call in plan}
    rounds = max(1, round(duration / SLICE_SECONDS))
    for number in range(rounds):
        for name, call in plan:
            part = await drive(name, connections, duration / rounds, call)
            total = totals[name]
            total.latencies += part.latencies
            total.errors += part.errors
            total.pending += part.pending
            total.samples = (total.samples + part.samples)[:3]
            total.elapsed += part.elapsed
        line = "  ".join(f"{n} {t.rps:.0f}/s" for n, t in totals.items())
        print(f"  round {number + 1}/{rounds}: {line}", flush=True)
    results = list(totals.values())
    for connection in connections:
        if connection.writer is not None:
            connection.writer.close()
    return results, len(paid), sum(c.signed for c in connections)


def analyze() -> None:
    """Give the planner statistics of the warmed-up tables, as autovacuum does in any
    deployment (this machine's PostgreSQL runs with ``autovacuum = off``: without it, a
    fresh table has none, and the planner may pick a poor index for the whole run)."""
    import psycopg2

    db = psycopg2.connect(f"{PG_SERVER}/{DB_NAME}")
    db.autocommit = True
    with db.cursor() as cursor:
        cursor.execute("ANALYZE")
    db.close()


# --- after the run --------------------------------------------------------------------------


def ledger_check(calls: int) -> tuple[bool, int, str]:
    """Every deposit equals the sum of its entries, every successful transaction was
    debited once, and every call made with an Authorization header has its log row (written
    by the server's workers in batches, the last ones when gunicorn stopped)."""
    import psycopg2

    db = psycopg2.connect(f"{PG_SERVER}/{DB_NAME}")
    with db.cursor() as cursor:
        cursor.execute(
            """
            SELECT a.id, a.balance, COALESCE(SUM(e.amount), 0)
            FROM billing_depositaccount a
            LEFT JOIN billing_ledgerentry e ON e.account_id = a.id
            GROUP BY a.id, a.balance
            """
        )
        accounts = cursor.fetchall()
        cursor.execute(
            "SELECT COUNT(*) FROM billing_transaction t WHERE t.status = 'sukses' AND "
            "EXISTS (SELECT 1 FROM billing_ledgerentry e WHERE e.transaction_id = t.id "
            "AND e.kind = 'debit')"
        )
        debited = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FROM billing_transaction")
        transactions = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FROM openapi_apilog")
        logged = cursor.fetchone()[0]
    db.close()
    wrong = [row for row in accounts if row[1] != row[2]]
    text = (
        f"{len(accounts)} deposit account(s), {transactions} transactions "
        f"({debited} successful, each debited once), {logged} API log rows for "
        f"{calls} calls"
    )
    if wrong:
        return False, debited, f"{text}; MISMATCH {wrong}"
    if logged != calls:
        return False, debited, f"{text}; LOG ROWS MISSING"
    return True, debited, text


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


NETWORK_ENDPOINTS = ("Inquiry", "Payment", "SinglePayment")


def report_network(rows: list[tuple[float, float, Result]], ping_rps: float) -> bool:
    """The network part's table; False when a call failed (rc other than 00 or 71)."""
    print()
    print(
        "Through the network simulator (H2H JSON, its own process): per mean latency "
        "of the provider"
    )
    print(
        f"{'latency':>8} {'tail':>7} {'endpoint':<14} {'req/s':>8} {'p50 ms':>8} "
        f"{'p99 ms':>8} {'pending':>8} {'errors':>7} {'vs ping':>8}"
    )
    passed = True
    for mean, tail, result in rows:
        calls = len(result.latencies)
        share = result.pending / calls if calls else 0.0
        ratio = result.rps / ping_rps if ping_rps else 0.0
        passed &= not result.errors
        print(
            f"{mean:6.0f}ms {tail:5.0f}ms {result.name:<14} {result.rps:8.1f} "
            f"{result.percentile(0.50):8.1f} {result.percentile(0.99):8.1f} "
            f"{share:8.1%} {result.errors:7d} {ratio:8.0%}"
        )
        for sample in result.samples:
            print(f"    error: {sample}")
    return passed


def run_network(
    args, env: dict, seeded: dict
) -> tuple[list[tuple[float, float, Result]], int, int]:
    """The network simulator as the provider of both products, one run per latency."""
    sys.path.insert(0, str(ROOT))
    from billers.netsim.testing import NetsimProcess

    netsim = NetsimProcess(
        key=NETWORK_KEY,
        ports=range(args.port + 1, args.port + 3),
        args=("--seed", "1"),
        python=PYTHON,
    ).start()
    rows, paid_total, calls_total = [], 0, 0
    try:
        subprocess.run(  # noqa: S603
            [PYTHON, __file__, "--route", netsim.url], env=env, cwd=ROOT, check=True
        )
        print(
            f"Network simulator on {netsim.url} is the provider of {POSTPAID} and "
            f"{PREPAID}; gunicorn started again",
            flush=True,
        )
        server = start_server(env, args.port, args.workers, args.threads)
        try:
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
                results, paid, calls = asyncio.run(
                    run_load(
                        args.port,
                        seeded,
                        args.network_duration,
                        args.concurrency,
                        NETWORK_ENDPOINTS,
                    )
                )
                rows += [(mean, tail, result) for result in results]
                paid_total += paid
                calls_total += calls
        finally:
            stop_server(server)
        stats = netsim.stats()
        print(f"  network simulator: {stats['book']} {stats['counts']}", flush=True)
    finally:
        netsim.close()
    return rows, paid_total, calls_total


def _latencies(text: str) -> list[float]:
    return [float(part) for part in text.split(",") if part.strip()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--port", type=int, default=8790)
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
    parser.add_argument("--seed", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--route", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed:
        seed()
        return 0
    if args.route:
        route(args.route)
        return 0
    env = server_env(args.port)
    print(f"Preparing {DB_NAME} (fresh, migrated, catalogue, one partner)…", flush=True)
    seeded = prepare_database(env)
    print(
        f"Starting gunicorn: {args.workers} workers × {args.threads} threads "
        f"(gthread), PostgreSQL, Redis {REDIS_URL}",
        flush=True,
    )
    server = start_server(env, args.port, args.workers, args.threads)
    load_before = os.getloadavg()[0]
    try:
        results, paid_count, calls = asyncio.run(
            run_load(args.port, seeded, args.duration, args.concurrency)
        )
    finally:
        stop_server(server)
    passed = report(results, args.duration, args.concurrency)
    if args.network_latencies:
        rows, network_paid, network_calls = run_network(args, env, seeded)
        passed &= report_network(rows, results[0].rps)
        paid_count += network_paid
        calls += network_calls
    print(
        "Machine load average before/after the run: "
        f"{load_before:.2f} / {os.getloadavg()[0]:.2f} (before: what else ran on the 2 cores; "
        "after: includes this run)"
    )
    ledger_ok, debited, ledger_text = ledger_check(calls)
    ledger_ok &= debited == paid_count
    print(f"Ledger: {'exact' if ledger_ok else 'WRONG'} — {ledger_text}")
    print(f"Successful payments seen by the load (warm-up included): {paid_count}")
    passed &= ledger_ok
    print("RESULT:", "all goals met" if passed else "some goals missed")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
