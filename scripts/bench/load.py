"""The load: the calls of the load's partner, driven on its connections, and their
results."""

from __future__ import annotations

import asyncio
import itertools
import secrets
import time
from dataclasses import dataclass, field

from .client import Connection
from .config import (
    DB_NAME,
    ENDPOINTS,
    EXHAUSTED,
    PENDING,
    PG_SERVER,
    POSTPAID,
    PREPAID,
    SLICE_SECONDS,
)

# Customer numbers of the whole run: each load of the run buys for numbers of its own (the
# same product and amount to the same number within 10 minutes is refused, rc 75).
SERIAL = itertools.count(1)


@dataclass
class Result:
    name: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    # Answered rc 71 (the provider did not answer in time or answered pending): not an error.
    pending: int = 0
    samples: list[str] = field(default_factory=list)
    elapsed: float = 0.0
    # With a warm-up: the calls that ended inside the measured time (the rate's numerator;
    # the latencies are those of the calls that started inside it).
    ended: int | None = None

    @property
    def rps(self) -> float:
        done = len(self.latencies) if self.ended is None else self.ended
        return done / self.elapsed if self.elapsed else 0.0

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
    name,
    connections,
    duration,
    make_call,
    until=None,
    rate: float = 0.0,
    warm: float = 0.0,
    ramp: float = 0.0,
) -> Result:
    """Run ``make_call(connection)`` on every connection, back to back, for ``duration``
    (or until ``until()`` is true); with a ``rate``, the connections together start that
    many calls a second, evenly (a call that takes longer delays only its connection's
    next). The time of the requests in flight at the end counts: at a long latency that is
    a little conservative.

    With ``warm``, the same load runs that long before the measured ``duration`` and
    straight into it: the calls started meanwhile are not timed (their errors count), so
    the measurement starts in the steady state of ``len(connections)`` calls in flight, not
    at the instant every connection sends its first call at once. The rate is then the
    calls that ended within the ``duration``, over it. ``ramp`` spreads the connections'
    first calls evenly over that many seconds."""
    result = Result(name)
    measured_from = time.monotonic() + warm
    stop_at = measured_from + duration
    interval = len(connections) / rate if rate else 0.0
    ended = 0  # calls that ended inside the measured time

    async def loop(connection, offset: float):
        nonlocal ended
        next_at = time.monotonic() + offset
        if not interval:
            await asyncio.sleep(offset)
        while time.monotonic() < stop_at and not (until and until()):
            if interval:
                await asyncio.sleep(max(0.0, next_at - time.monotonic()))
                next_at += interval
            timed = time.monotonic() >= measured_from
            began = time.perf_counter()
            try:
                ok, detail = await make_call(connection)
            except Exception as exc:  # counted and shown, never hidden
                ok, detail = False, repr(exc)
            if detail == EXHAUSTED:
                return
            if not ok:
                result.error(detail)
            if warm and measured_from <= time.monotonic() < stop_at:
                ended += 1
            if not timed:
                continue
            result.latencies.append(time.perf_counter() - began)
            if ok and detail == PENDING:
                result.pending += 1

    spread = (interval or ramp) / len(connections) if connections else 0.0
    await asyncio.gather(*(loop(c, k * spread) for k, c in enumerate(connections)))
    if warm:
        result.elapsed, result.ended = duration, ended
    else:
        result.elapsed = time.monotonic() - measured_from
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
