"""HTTP Digest authentication (RFC 7616 / 2617, MD5, qop="auth") for the Open API.

Nonces are made by the server and carry their own time and signature, so no storage is needed
to issue them; they expire after ``NONCE_LIFETIME`` (answered with ``stale=true``). Each
``(nonce, nc)`` pair is accepted once, remembered in the cache (Redis in production) until the
nonce expires: a replayed Authorization header is refused, while a client may reuse a nonce with
a new ``nc``.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

NONCE_LIFETIME = 300  # seconds
_PARAM = re.compile(r'(\w+)=(?:"((?:[^"\\]++|\\.)*+)"|([^\s,]+))')


def _now() -> float:
    """The clock of nonces (a function, so tests can move it)."""
    return time.time()


def md5_hex(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def ha1_for(username: str, password: str, realm: str | None = None) -> str:
    return md5_hex(f"{username}:{realm or settings.DIGEST_REALM}:{password}")


def _sign(payload: str, secret_key: str | None = None) -> str:
    key = ((secret_key or settings.SECRET_KEY) + ":digest-nonce").encode()
    return hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()[:32]


def nonce_make(now: float | None = None) -> str:
    stamp = f"{int(now if now is not None else _now())}:{secrets.token_hex(8)}"
    return (
        base64.urlsafe_b64encode(f"{stamp}:{_sign(stamp)}".encode())
        .decode()
        .rstrip("=")
    )


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
    try:
        raw = base64.urlsafe_b64decode(nonce + "=" * (-len(nonce) % 4)).decode()
        stamp, salt, signature = raw.split(":")
        issued = int(stamp)
    except (ValueError, UnicodeDecodeError):
        return None
    if not hmac.compare_digest(signature, _sign(f"{stamp}:{salt}", secret_key)):
        return None
    return issued


def opaque() -> str:
    return _sign("opaque")


def challenge(*, stale: bool = False) -> str:
    parts = [
        f'realm="{settings.DIGEST_REALM}"',
        'qop="auth"',
        "algorithm=MD5",
        f'nonce="{nonce_make()}"',
        f'opaque="{opaque()}"',
    ]
    if stale:
        parts.append("stale=true")
    return "Digest " + ", ".join(parts)


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


def parse_authorization(header: str) -> DigestCredentials | None:
    if not header or header[:7].lower() != "digest ":
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
        nc=params["nc"].lower(),
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

    The (nonce, nc) pair is consumed only when everything else is right, so that a wrong guess
    cannot burn a legitimate client's counter.
    """
    if creds.realm != settings.DIGEST_REALM or creds.qop != "auth":
        raise DigestFailure("realm or qop")
    if creds.algorithm.upper() != "MD5":
        raise DigestFailure("algorithm")
    if not re.fullmatch(r"[0-9a-f]{8}", creds.nc):
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
    if not nc_first_use(creds.nonce, creds.nc):
        raise DigestFailure("replay")


def nc_first_use(nonce: str, nc: str) -> bool:
    """Remember ``(nonce, nc)`` until the nonce expires; False if it was seen before.

    With Redis (every deployment, and the tests) this is one ``SET NX EX`` on a client kept
    for the process, a third of the CPU of going through Django's cache API on every call;
    without it (``make run``) the cache of the process does it.
    """
    key = f"openapi:digest-nc:{nonce}:{nc}"
    ttl = NONCE_LIFETIME + 60
    client = _redis()
    if client is None:
        return cache.add(key, 1, timeout=ttl)
    # The command itself: ``client.set`` checks its keyword arguments through decorators
    # that cost as much as the round trip.
    return client.execute_command("SET", key, b"1", "EX", ttl, "NX") is not None


@functools.cache
def _redis():
    """The Redis client of the default cache, when it is Redis; one per process."""
    config = settings.CACHES.get("default", {})
    if not config.get("BACKEND", "").endswith("RedisCache"):
        return None
    import redis

    location = config["LOCATION"]
    return redis.Redis.from_url(location[0] if isinstance(location, list) else location)
