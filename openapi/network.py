"""Who is calling: the client IP, believing X-Forwarded-For only from trusted proxies."""

import functools
import ipaddress

from django.conf import settings


def _trusted(ip: str) -> bool:
    return _trusted_by(ip, tuple(settings.TRUSTED_PROXIES))


@functools.lru_cache(maxsize=1024)
def _trusted_by(ip: str, proxies: tuple[str, ...]) -> bool:
    """Whether ``ip`` is one of ``proxies`` (addresses or ranges); remembered for the
    addresses last seen, as every call of the same partner asks it again."""
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


def client_ip(request) -> str:
    """REMOTE_ADDR, or — when the direct peer is a trusted proxy — the right-most address of
    X-Forwarded-For that is not itself a trusted proxy."""
    remote = request.META.get("REMOTE_ADDR", "")
    if not _trusted(remote):
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    for candidate in reversed(forwarded):
        if not _trusted(candidate):
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                return remote
    return remote
