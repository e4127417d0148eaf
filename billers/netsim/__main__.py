"""``python -m billers.netsim --port 8100 [--control-port 8101] [--seed 1] ...``

The shared keys come from the environment: ``NETSIM_KEYS`` (comma-separated; a request
signed with any of them is accepted, e.g. one per environment of the client). Exits with
status 98 when a port is in use.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
from pathlib import Path

from billers.netsim.config import FAULT_PATHS, Config

ADDRESS_IN_USE = 98


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m billers.netsim",
        description="The network biller simulator (H2H JSON).",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument(
        "--control-port", type=int, default=0, help="default: the H2H port + 1"
    )
    parser.add_argument(
        "--state",
        type=Path,
        help="remember taken payments in this file (survives a restart)",
    )
    parser.add_argument("--catalogue", type=Path, help="products CSV (ours by default)")
    parser.add_argument("--balance", type=int, default=10**12)
    parser.add_argument(
        "--fault-paths",
        default=",".join(FAULT_PATHS),
        help="where the faults apply (comma-separated)",
    )
    parser.add_argument("--closed-products", default="", help="comma-separated codes")
    for field_name, default in Config().as_dict().items():
        if field_name in ("fault_paths", "closed_products"):
            continue
        option = "--" + field_name.replace("_", "-")
        if isinstance(default, bool):
            parser.add_argument(
                option, action=argparse.BooleanOptionalAction, default=default
            )
        else:
            parser.add_argument(option, type=type(default), default=default)
    return parser


def _config(args) -> Config:
    values = {
        name: getattr(args, name)
        for name in Config().as_dict()
        if name not in ("fault_paths", "closed_products")
    }
    values["fault_paths"] = [p for p in args.fault_paths.split(",") if p]
    values["closed_products"] = [p for p in args.closed_products.split(",") if p]
    return Config().updated(values)


def _no_project_settings() -> None:
    """``billers.simulator`` marks its texts with Django's gettext_noop, which reads one
    setting: give it that one, never the project's (no database, no Redis)."""
    from django.conf import settings

    if not settings.configured:
        settings.configure(USE_I18N=False)


async def _run(args, config: Config, keys: list[str]) -> int:
    from billers.netsim.book import Book, catalogue_load
    from billers.netsim.server import BindError, Netsim

    book = Book(
        seed=config.seed, state=args.state, catalogue=catalogue_load(args.catalogue)
    )
    netsim = Netsim(
        host=args.host,
        port=args.port,
        control_port=args.control_port or args.port + 1,
        config=config,
        keys=keys,
        book=book,
        balance=args.balance,
    )
    try:
        await netsim.start()
    except BindError as exc:
        print(f"netsim: {exc}", file=sys.stderr)
        await netsim.stop()
        return ADDRESS_IN_USE
    loop = asyncio.get_running_loop()
    for name in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        loop.add_signal_handler(name, netsim.stopped.set)
    print(
        f"netsim: H2H on http://{args.host}:{netsim.port} "
        f"({'down' if config.down else 'up'}), control on "
        f"http://{args.host}:{netsim.control_port}/control, seed {config.seed}, "
        f"{len(book.taken)} payment(s) remembered",
        file=sys.stderr,
        flush=True,
    )
    await netsim.stopped.wait()
    await netsim.stop()
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    keys = [
        k.strip() for k in os.environ.get("NETSIM_KEYS", "").split(",") if k.strip()
    ]
    if not keys:
        print("netsim: set NETSIM_KEYS (the shared key or keys)", file=sys.stderr)
        return 2
    try:
        config = _config(args)
    except ValueError as exc:
        print(f"netsim: {exc}", file=sys.stderr)
        return 2
    _no_project_settings()
    return asyncio.run(_run(args, config, keys))


if __name__ == "__main__":
    sys.exit(main())
