"""The network part: the simulator as the provider, one load per mean latency."""

import asyncio

from .config import GOALS, NETWORK_ENDPOINTS
from .load import Result, Tally, run_load
from .report import Goal


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
