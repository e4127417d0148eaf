"""HTTP for the adapters: one pooled client per process, and the rule that turns a transport
failure into ``Refused`` (not taken) or ``Unknown`` (maybe taken)."""

from __future__ import annotations

import json
import os
import threading

import httpx

from billers.adapters.base import Refused, Unknown

# 502 and 503 come from a proxy or a provider in maintenance before the request was taken.
NOT_TAKEN = frozenset({502, 503})
CONNECT_SECONDS = 3.0
_local = threading.local()
_lock = threading.Lock()
_clients: dict[int, httpx.Client] = {}


def client() -> httpx.Client:
    """The process's client (a forked worker makes its own: a pool is never shared across
    processes)."""
    pid = os.getpid()
    found = _clients.get(pid)
    if found is None:
        with _lock:
            found = _clients.get(pid)
            if found is None:
                found = httpx.Client(
                    limits=httpx.Limits(
                        max_connections=512, max_keepalive_connections=64
                    )
                )
                _clients[pid] = found
    return found


def _timeout(seconds: float) -> httpx.Timeout:
    seconds = max(seconds, 0.05)
    return httpx.Timeout(seconds, connect=min(seconds, CONNECT_SECONDS))


def send(
    method: str,
    url: str,
    *,
    timeout: float,
    json_body=None,
    headers: dict | None = None,
    content: bytes | None = None,
) -> httpx.Response:
    """The provider's HTTP answer; raises ``Refused`` when the request was certainly not
    taken and ``Unknown`` when it may have been."""
    try:
        response = client().request(
            method,
            url,
            json=json_body,
            content=content,
            headers=headers,
            timeout=_timeout(timeout),
        )
    except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
        raise Refused(f"connect: {type(exc).__name__}") from None
    except httpx.TimeoutException as exc:
        raise Unknown(f"timeout: {type(exc).__name__}") from None
    except httpx.HTTPError as exc:
        raise Unknown(f"transport: {type(exc).__name__}") from None
    if response.status_code in NOT_TAKEN:
        raise Refused(f"http {response.status_code}")
    if response.status_code >= 500:
        raise Unknown(f"http {response.status_code}")
    return response


def json_of(response: httpx.Response) -> dict:
    """The answer's JSON object; anything else (HTML, garbage, a list) is ``Unknown``."""
    try:
        value = json.loads(response.content)
    except ValueError:
        raise Unknown(f"unreadable answer (http {response.status_code})") from None
    if not isinstance(value, dict):
        raise Unknown("answer is not a JSON object")
    return value
