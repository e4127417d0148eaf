"""The H2H JSON protocol of the network simulator, shared by the simulator and its adapter
(``billers.adapters.h2h``). Standard library only.

Every request is ``POST <base>/h2h/<name>`` with a JSON object body, signed:
``X-H2H-Timestamp`` (Unix seconds) and ``X-H2H-Signature: sha256=<hex HMAC-SHA256 of
"<timestamp>." + body with the shared key>``. A timestamp more than ``MAX_SKEW_SECONDS`` off is
refused (HTTP 401), as is a bad signature. Callbacks are signed the same way.

Answers are JSON objects with HTTP 200::

    {"status": "success" | "pending" | "failed" | "rejected" | "not_found",
     "rc": "00", "message": "...", "data": {...}, "provider_ref": "NS...", "void": true}

``rejected`` (with ``reason``: maintenance, product_closed, signature, bad_request) means the
request was not taken. ``not_found`` answers a status of a reference the simulator never
took; with ``void`` it also promises never to take that reference afterwards (a late payment
of it is failed), so the answer is final.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable, Sequence

PATHS = {
    "inquiry": "/h2h/inquiry",
    "pay": "/h2h/pay",
    "status": "/h2h/status",
    "balance": "/h2h/balance",
    "price_list": "/h2h/price-list",
}
TIMESTAMP_HEADER = "X-H2H-Timestamp"
SIGNATURE_HEADER = "X-H2H-Signature"
MAX_SKEW_SECONDS = 300
# A callback may be retried for a while: its timestamp is allowed to be older.
CALLBACK_MAX_AGE_SECONDS = 24 * 3600

SUCCESS = "success"
PENDING = "pending"
FAILED = "failed"
REJECTED = "rejected"
NOT_FOUND = "not_found"


def signature(key: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(key.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def signed_headers(key: str, body: bytes, now: float | None = None) -> dict[str, str]:
    timestamp = str(int(time.time() if now is None else now))
    return {
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: signature(key, timestamp, body),
    }


def signer(
    keys: Sequence[str],
    header: Callable[[str], str | None],
    body: bytes,
    *,
    max_age: float = MAX_SKEW_SECONDS,
    now: float | None = None,
) -> int | None:
    """The index of the key in ``keys`` that signed ``body`` (``header(name)`` reads a
    request header), or None when none did or the timestamp is too far off."""
    timestamp = header(TIMESTAMP_HEADER) or ""
    given = header(SIGNATURE_HEADER) or ""
    if not timestamp.isdigit() or not given:
        return None
    now = time.time() if now is None else now
    if abs(now - int(timestamp)) > max_age:
        return None
    found = None
    for index, key in enumerate(keys):
        # Every key is compared (in constant time), so the time taken tells nothing.
        if key and hmac.compare_digest(signature(key, timestamp, body), given):
            found = index if found is None else found
    return found
