"""Who is calling: the client's IP address, for the Open API's whitelist, the audit trail,
the login lockout and the access log alike.

Behind a TLS proxy or load balancer REMOTE_ADDR is the proxy's address; the client's is in
``X-Forwarded-For``, which anyone can send. So that header is believed only when the direct
peer is one of ``TRUSTED_PROXIES`` (addresses or ranges), and then only its right-most entry
that is not itself a trusted proxy: what a client prepends is ignored.
"""

from __future__ import annotations

import functools
import ipaddress
import math
import time

from django.conf import settings


def client_ip(request) -> str:
    """REMOTE_ADDR, or — when the direct peer is a trusted proxy — the right-most address of
    X-Forwarded-For that is not itself a trusted proxy ("" when there is no address)."""
    remote = request.META.get("REMOTE_ADDR") or ""
    proxies = tuple(settings.TRUSTED_PROXIES)
    if not proxies or not _trusted_by(remote, proxies):
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    for candidate in reversed(forwarded):
        if not _trusted_by(candidate, proxies):
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                return remote
    return remote


def proxy_waited(request, *, now: float | None = None) -> float:
    """Seconds since a trusted proxy received the request, from its ``X-Request-Start:
    t=<seconds since the epoch>`` header (nginx's ``$msec``, deploy/nginx.conf.template):
    the time it queued before reaching this process. 0 without such a header or when the
    direct peer is not a trusted proxy (anyone can send the header); at most an hour."""
    header = request.META.get("HTTP_X_REQUEST_START", "")
    if not header.startswith("t="):
        return 0.0
    proxies = tuple(settings.TRUSTED_PROXIES)
    if not proxies or not _trusted_by(request.META.get("REMOTE_ADDR") or "", proxies):
        return 0.0
    try:
        started = float(header[2:])
    except ValueError:
        return 0.0
    if not math.isfinite(started):
        return 0.0
    waited = (time.time() if now is None else now) - started
    return min(max(waited, 0.0), 3600.0)


@functools.lru_cache(maxsize=1024)
def _trusted_by(ip: str, proxies: tuple[str, ...]) -> bool:
    """Whether ``ip`` is one of ``proxies``; remembered for the addresses last seen, as
    every call of the same partner (the hot path of the Open API) asks it again."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    for entry in proxies:
        try:
            if address in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False
