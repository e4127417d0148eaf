"""The network simulator's switches: set on the command line, changed at run time through
``POST /control`` (only the names below; a bad value is refused with HTTP 400)."""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass, field

FAULT_PATHS = ("inquiry", "pay", "status")


class ConfigError(ValueError):
    pass


@dataclass
class Config:
    # Every random draw comes from the seed, the endpoint, the reference and how often that
    # reference was seen there: one seed replays the same faults for the same requests.
    seed: int = 0
    # Latency of an answer: a gamma draw around the mean; a ``tail_share`` of the answers
    # take about ``latency_tail_ms`` instead.
    latency_mean_ms: float = 0.0
    latency_tail_ms: float = 0.0
    tail_share: float = 0.02
    # Faults, as shares of the requests of ``fault_paths``. Not taken: HTTP 503, a reset
    # connection (closed at once, no answer). Taken, then: HTTP 500, garbage, an HTML page,
    # a timeout (read, never answered: held open until the client gives up).
    http503_share: float = 0.0
    reset_share: float = 0.0
    http500_share: float = 0.0
    garbage_share: float = 0.0
    html_share: float = 0.0
    timeout_share: float = 0.0
    fault_paths: list[str] = field(default_factory=lambda: list(FAULT_PATHS))
    # A payment answered pending becomes final that many seconds after it was taken.
    pending_seconds: float = 2.0
    # Maintenance: every H2H request is rejected (not taken). Down: the H2H port is closed
    # (connections refused); a request on a connection opened before gets HTTP 503.
    maintenance: bool = False
    down: bool = False
    closed_products: list[str] = field(default_factory=list)
    # Where a pending payment's final status is POSTed (signed); empty: kept in the
    # outbox only (GET /control/callbacks).
    callback_url: str = ""
    # A status of a reference never taken voids it (final: it will never be taken).
    void_unknown: bool = True
    # The longest a timed-out request is held open.
    hold_seconds: float = 600.0

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)

    def updated(self, changes: dict) -> Config:
        """A copy with ``changes`` applied, each checked."""
        if not isinstance(changes, dict):
            raise ConfigError("the body must be a JSON object")
        values = self.as_dict()
        known = {f.name: f for f in dataclasses.fields(self)}
        for name, value in changes.items():
            if name not in known:
                raise ConfigError(f"unknown switch: {name}")
            values[name] = _checked(name, value, values[name])
        return Config(**values)

    def shares_total(self) -> float:
        return (
            self.http503_share
            + self.reset_share
            + self.http500_share
            + self.garbage_share
            + self.html_share
            + self.timeout_share
        )


def _checked(name: str, value, current):
    if isinstance(current, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"{name} must be true or false")
        return value
    if isinstance(current, int | float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{name} must be a number")
        if value < 0 or (name.endswith("_share") and value > 1):
            raise ConfigError(f"{name} is out of range")
        return type(current)(value)
    if isinstance(current, list):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{name} must be a list of strings")
        if name == "fault_paths" and not set(value) <= set(FAULT_PATHS):
            raise ConfigError(f"fault_paths: only {', '.join(FAULT_PATHS)}")
        return list(value)
    if not isinstance(value, str):
        raise ConfigError(f"{name} must be a string")
    if name == "callback_url" and value and not value.startswith("http://"):
        raise ConfigError("callback_url must be an http:// URL")
    return value


def rng_for(seed: int, kind: str, ref: str, seen: int) -> random.Random:
    """The random source of one request (a string seed is hashed the same way in every
    process)."""
    return random.Random(f"{seed}|{kind}|{ref}|{seen}")  # noqa: S311 - a simulation


def latency_seconds(config: Config, rng: random.Random) -> float:
    if config.latency_tail_ms > 0 and rng.random() < config.tail_share:
        return config.latency_tail_ms * (0.8 + 0.4 * rng.random()) / 1000
    if config.latency_mean_ms <= 0:
        return 0.0
    return rng.gammavariate(4.0, config.latency_mean_ms / 4.0) / 1000


def fault_of(config: Config, rng: random.Random, kind: str) -> str:
    """One of "", "http503", "reset", "http500", "garbage", "html", "timeout"."""
    if kind not in config.fault_paths:
        return ""
    draw = rng.random()
    for name in ("http503", "reset", "http500", "garbage", "html", "timeout"):
        share = getattr(config, f"{name}_share")
        if draw < share:
            return name
        draw -= share
    return ""
