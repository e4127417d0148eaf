"""HTTP for the adapters: one pooled client per process, and the rule that turns a transport
failure into ``Refused`` (not taken) or ``Unknown`` (maybe taken).

The client is urllib3's: its pool hands a connection out of a queue, where httpx's looked
through every connection of the pool for each request; with a hundred threads or more of a
worker waiting for providers that made a call cost 1.4 ms of CPU against 0.6 ms ("Serving
model" in the README). A request is never sent twice by the client (``retries=False``): a
payment that may have been taken is the router's to decide.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    LocationValueError,
    NewConnectionError,
)
from urllib3.exceptions import TimeoutError as WaitedTooLong

from billers.adapters.base import Refused, Unknown

# 502 and 503 come from a proxy or a provider in maintenance before the request was taken.
NOT_TAKEN = frozenset({502, 503})
CONNECT_SECONDS = 3.0
# Connections kept per provider and process (beyond these, a call at a busier moment opens
# one of its own and closes it after).
KEPT_PER_PROVIDER = 256
USER_AGENT = "WebOpenAPI/1.0"
_lock = threading.Lock()
_clients: dict[int, urllib3.PoolManager] = {}


@dataclass(frozen=True)
class Answer:
    """A provider's HTTP answer, read whole."""

    status_code: int
    # Looked up without regard to case.
    headers: Mapping[str, str]
    content: bytes


def client() -> urllib3.PoolManager:
    """The process's client (a forked worker makes its own: a pool is never shared across
    processes)."""
    pid = os.getpid()
    found = _clients.get(pid)
    if found is None:
        with _lock:
            found = _clients.get(pid)
            if found is None:
                found = urllib3.PoolManager(
                    maxsize=KEPT_PER_PROVIDER, block=False, retries=False
                )
                _clients[pid] = found
    return found


def _timeout(seconds: float) -> urllib3.Timeout:
    seconds = max(seconds, 0.05)
    return urllib3.Timeout(connect=min(seconds, CONNECT_SECONDS), read=seconds)


def send(
    method: str,
    url: str,
    *,
    timeout: float,
    json_body=None,
    headers: dict | None = None,
    content: bytes | None = None,
) -> Answer:
    """The provider's HTTP answer; raises ``Refused`` when the request was certainly not
    taken and ``Unknown`` when it may have been."""
    sent = {"User-Agent": USER_AGENT, **(headers or {})}
    if json_body is not None:
        content = json.dumps(
            json_body, ensure_ascii=False, separators=(",", ":")
        ).encode()
        sent.setdefault("Content-Type", "application/json")
    try:
        response = client().request(
            method,
            url,
            body=content,
            headers=sent,
            timeout=_timeout(timeout),
            retries=False,
            redirect=False,
        )
    except (NewConnectionError, ConnectTimeoutError) as exc:
        raise Refused(f"connect: {type(exc).__name__}") from None
    except LocationValueError as exc:
        raise Refused(f"url: {type(exc).__name__}") from None
    except WaitedTooLong as exc:
        raise Unknown(f"timeout: {type(exc).__name__}") from None
    except HTTPError as exc:
        raise Unknown(f"transport: {type(exc).__name__}") from None
    if response.status in NOT_TAKEN:
        raise Refused(f"http {response.status}")
    if response.status >= 500:
        raise Unknown(f"http {response.status}")
    return Answer(response.status, response.headers, response.data)


def json_of(response: Answer) -> dict:
    """The answer's JSON object; anything else (HTML, garbage, a list) is ``Unknown``."""
    try:
        value = json.loads(response.content)
    except ValueError:
        raise Unknown(f"unreadable answer (http {response.status_code})") from None
    if not isinstance(value, dict):
        raise Unknown("answer is not a JSON object")
    return value
