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

    python -m scripts.bench [--duration 15] [--concurrency 16] [--port 8790]
        [--network-latencies 0,300,1000] [--network-duration 15]
        [--peak-concurrency 256] [--peak-latency 1000] [--peak-duration 20]
"""

import argparse
import asyncio
import contextlib
import os
import signal
import sys
import tempfile

from .config import DB_NAME, REDIS_URL
from .ledger import ledger_check, settle
from .load import Tally, run_load
from .network import report_network, run_network
from .peak import report_peak, run_peak
from .report import Goal, print_summary, report
from .seed import route, seed
from .server import (
    open_files_allow,
    prepare_database,
    server_env,
    start_netsim,
    start_server,
    start_worker,
    stop_group,
)


def _latencies(text: str) -> list[float]:
    return [float(part) for part in text.split(",") if part.strip()]


def parse_args():
    # Run as ``-m``, argparse would name the program ``__main__.py``.
    parser = argparse.ArgumentParser(
        prog="python -m scripts.bench", description=__doc__.split("\n\n")[0]
    )
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
