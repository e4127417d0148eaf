"""The in-process table and the goals' summary."""

from dataclasses import dataclass

from .config import GOALS, P99_LIMIT_MS
from .load import Result


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
