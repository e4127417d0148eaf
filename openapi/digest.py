"""HTTP Digest authentication (RFC 7616 / 2617, MD5, qop="auth") for the Open API.

Nonces are made by the server and carry their own time and signature, so no storage is needed
to issue them; they expire after ``NONCE_LIFETIME`` (answered with ``stale=true``). Per nonce,
``nc`` must increase: the highest ``nc`` accepted is remembered in the cache (Redis in
production) until the nonce expires, so a replayed Authorization header, or an older ``nc``,
is refused while a client may reuse its nonce with the next ``nc``.

The challenge has the exact shape of Kiosbank's documentation (see ``challenge``), and what
clients send is read liberally: values quoted or not, parameters in any order, ``nc`` as 8 hex
digits or as an unpadded decimal (Kiosbank's PHP sample sends ``1``, ``2``…).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
import secrets
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from portal.lib.cache import Script, redis_client

NONCE_LIFETIME = 300  # seconds
_PARAM = re.compile(r'(\w+)\s*=\s*(?:"((?:[^"\\]++|\\.)*+)"|([^\s,"]+))')
_NONCE = re.compile(r"[0-9a-f]{32}")
# RFC 7616 writes nc as 8 hex digits; shorter all-digit values are the decimal of the PHP
# sample (a nonce lives minutes, far from the ten million calls a decimal needs for 8 digits).
_NC_HEX = re.compile(r"[0-9a-fA-F]{8}")
_NC_DECIMAL = re.compile(r"[0-9]{1,7}")
HEADER_KEY = "HTTP_AUTHORIZATION"


def _now() -> float:
    """The clock of nonces (a function, so tests can move it)."""
    return time.time()


def md5_hex(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def _sign(payload: str, secret_key: str | None = None, size: int = 32) -> str:
    key = ((secret_key or settings.SECRET_KEY) + ":digest-nonce").encode()
    return hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()[:size]


def nonce_make(now: float | None = None) -> str:
    """32 hex digits, as clients expect: the issue time (8), a salt (8) and their signature
    (16, a 64-bit HMAC: forging one is an online guess per request)."""
    stamp = f"{int(now if now is not None else _now()) & 0xFFFFFFFF:08x}"
    salted = stamp + secrets.token_hex(4)
    return salted + _sign(salted, size=16)


def nonce_state(nonce: str, now: float | None = None) -> str:
    """ "valid", "stale" (well made but expired) or "invalid"."""
    issued = _nonce_issued(nonce, settings.SECRET_KEY)
    if issued is None:
        return "invalid"
    age = (now if now is not None else _now()) - issued
    if age < -5:
        return "invalid"
    return "stale" if age > NONCE_LIFETIME else "valid"


@functools.lru_cache(maxsize=4096)
def _nonce_issued(nonce: str, secret_key: str) -> int | None:
    """When this server issued ``nonce`` (signed with ``secret_key``), None if it did not
    make it. Remembered for the nonces last seen, since a client reuses its nonce call
    after call; the key is part of what is remembered, so a new key refuses old nonces."""
    if not _NONCE.fullmatch(nonce):
        return None
    if not hmac.compare_digest(nonce[16:], _sign(nonce[:16], secret_key, size=16)):
        return None
    return int(nonce[:8], 16)


def opaque() -> str:
    return _sign("opaque")


def challenge(*, stale: bool = False) -> str:
    """``Digest realm="…",qop="auth",nonce="…",opaque="…"``: no spaces, no other parameter,
    this order (clients built from Kiosbank's PHP sample split it on "," and "=" and drop the
    quotes by position). No ``algorithm``: MD5 is the default of RFC 7616."""
    value = (
        f'Digest realm="{settings.DIGEST_REALM}",qop="auth",'
        f'nonce="{nonce_make()}",opaque="{opaque()}"'
    )
    return value + ",stale=true" if stale else value


def authorization_header(meta) -> str:
    """The Authorization header of a request's ``META``.

    A client that writes ``Authorization : Digest …`` (a space before the colon) reaches the
    application only through a server that lets the line through: gunicorn refuses it (400)
    unless started with ``--strip-header-spaces`` (then it is the usual key), and runserver
    ends the headers at that line. A server that keeps the space in the name gives a key
    such as ``HTTP_AUTHORIZATION `` or ``HTTP_AUTHORIZATION_``; it is looked for only when the
    usual key is absent (the handshake), so the signed call pays nothing for it.
    """
    header = meta.get(HEADER_KEY)
    if header is not None:
        return header
    for key, value in meta.items():
        if key.startswith(HEADER_KEY) and key.rstrip(" _\t") == HEADER_KEY:
            return value
    return ""


@dataclass(frozen=True)
class DigestCredentials:
    username: str
    realm: str
    nonce: str
    uri: str
    response: str
    qop: str
    nc: str
    cnonce: str
    algorithm: str

    @property
    def nc_value(self) -> int | None:
        """``nc`` as a number (8 hex digits, or a decimal without padding), None if neither.

        The response is computed with ``nc`` exactly as sent; the number is what the replay
        check compares, so ``1`` and ``00000001`` are the same call."""
        if _NC_HEX.fullmatch(self.nc):
            value = int(self.nc, 16)
        elif _NC_DECIMAL.fullmatch(self.nc):
            value = int(self.nc)
        else:
            return None
        return value or None


def parse_authorization(header: str) -> DigestCredentials | None:
    header = header.strip() if header else ""
    if header[:7].lower() != "digest ":
        return None
    params = {}
    for key, quoted, bare in _PARAM.findall(header, 7):
        value = quoted or bare
        if "\\" in value:
            value = value.replace('\\"', '"').replace("\\\\", "\\")
        params[key.lower()] = value
    required = ("username", "realm", "nonce", "uri", "response", "qop", "nc", "cnonce")
    if any(not params.get(key) for key in required):
        return None
    return DigestCredentials(
        username=params["username"],
        realm=params["realm"],
        nonce=params["nonce"],
        uri=params["uri"],
        response=params["response"].lower(),
        qop=params["qop"],
        nc=params["nc"],
        cnonce=params["cnonce"],
        algorithm=params.get("algorithm", "MD5"),
    )


class DigestFailure(Exception):
    """``stale`` tells the client to retry with a fresh nonce."""

    def __init__(self, reason: str, *, stale: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.stale = stale


def verify(
    creds: DigestCredentials, *, ha1: str, method: str, request_uri: str
) -> None:
    """Check a parsed Authorization against the stored HA1; raise DigestFailure if wrong.

    The ``nc`` is consumed only when everything else is right, so that a wrong guess cannot
    burn a legitimate client's counter.
    """
    if creds.realm != settings.DIGEST_REALM or creds.qop.lower() != "auth":
        raise DigestFailure("realm or qop")
    if creds.algorithm.upper() != "MD5":
        raise DigestFailure("algorithm")
    nc = creds.nc_value
    if nc is None:
        raise DigestFailure("nc")
    if (
        creds.uri != request_uri
        and creds.uri.split("?")[0] != request_uri.split("?")[0]
    ):
        raise DigestFailure("uri")
    state = nonce_state(creds.nonce)
    if state == "invalid":
        raise DigestFailure("nonce")
    ha2 = md5_hex(f"{method}:{creds.uri}")
    expected = md5_hex(
        f"{ha1}:{creds.nonce}:{creds.nc}:{creds.cnonce}:{creds.qop}:{ha2}"
    )
    if not hmac.compare_digest(expected, creds.response):
        raise DigestFailure("response")
    if state == "stale":
        raise DigestFailure("stale", stale=True)
    if not nc_advance(creds.nonce, nc):
        raise DigestFailure("replay")


# Raise the nonce's highest nc to ARGV[1] if it is higher; 1 if it was raised. One round trip,
# atomic on the server: two requests with the same nc cannot both pass.
_ADVANCE = Script("""
local seen = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) <= seen then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1
""")
_local_lock = threading.Lock()


def nc_advance(nonce: str, nc: int) -> bool:
    """Accept ``nc`` for ``nonce`` if it is higher than any accepted before; remembered until
    the nonce expires. False for a replay or an older ``nc``.

    The keys are the cache's own (``KEY_PREFIX`` and ``VERSION`` apply). Django's cache API
    has no atomic "raise if higher", so on Redis (every deployment, and the tests) one
    ``EVALSHA`` on the cache's client does it (the script is loaded once). On any other cache
    (``make run``) ``cache.add`` lets each (nonce, nc) pair pass once, across processes, and
    the highest ``nc`` is kept under a lock of the process.
    """
    key = f"openapi:digest-nc:{nonce}"
    ttl = NONCE_LIFETIME + 60
    client = redis_client()
    if client is None:
        if not cache.add(f"{key}:{nc}", 1, timeout=ttl):
            return False
        with _local_lock:
            if nc <= cache.get(key, 0):
                return False
            cache.set(key, nc, timeout=ttl)
            return True
    key = cache.make_and_validate_key(key)
    return _ADVANCE(client, [key], [nc, ttl]) == 1
