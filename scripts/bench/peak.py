"""The peak: a long upstream latency at a high concurrency, the portal beside it."""

import asyncio
import math
import os
import random
import statistics
from dataclasses import dataclass

from .client import Connection
from .config import (
    DB_NAME,
    PEAK_ENDPOINTS,
    PEAK_P99_LIMIT_MS,
    PEAK_RPS_GOAL,
    PORTAL_P99_LIMIT_MS,
    SAMPLE_SECONDS,
    STOCK_SECONDS,
    WARM_SECONDS,
)
from .load import Load, Result, Tally, drive
from .portal import dashboard_call, portal_login
from .report import Goal
from .server import start_server, stop_group
from .system import Sampler, postmaster_pid, redis_pid


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
            # The connections start over one upstream latency, as callers arrive, and
            # the warm-up runs straight into the measured part.
            result = await drive(
                name,
                load.connections,
                args.peak_duration,
                load.calls[name],
                warm=WARM_SECONDS,
                ramp=args.peak_latency / 1000,
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
        f"{args.peak_duration:.0f} s per endpoint, measured after a {WARM_SECONDS:.0f} s "
        "warm-up that starts the connections over one upstream latency and runs straight "
        "into it, through the network simulator"
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
