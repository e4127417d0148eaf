"""Sending one callback over HTTP: the body, its signature and one POST, nothing stored.

The stdlib ``http.client`` is used on purpose: one POST with a timeout needs no extra
dependency, sends the headers exactly as named (``X-Signature``), follows no redirect (a 3xx
is a failed attempt that names where it pointed) and uses no proxy from the environment. At
most ``MAX_READ`` bytes of an answer are read; https certificates are verified.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _

from connections import addresses
from connections.callback_url import non_public_reason

TIMEOUT_SECONDS = 10
EXCERPT_CHARS = 500
MAX_READ = 64 * 1024
USER_AGENT = "WebOpenAPI-Callback/1.0"


@dataclass(frozen=True)
class Outcome:
    """What one POST gave back: an HTTP status with the start of the answer, or an error."""

    http_status: int | None
    response_excerpt: str
    error: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.http_status is not None and 200 <= self.http_status < 300


class TargetRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def body_text(payload: dict) -> str:
    """The JSON text of ``payload`` exactly as it is sent (UTF-8, no extra spaces)."""
    return json.dumps(
        payload, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")
    )


def sign(body: bytes, secret: str) -> str:
    """The ``X-Signature`` header value: ``sha256=<hex HMAC-SHA256(body, secret)>``."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def refuse_private_target(url: str) -> None:
    """Production only: refuse a host whose DNS answer is not a public address, so that a
    host name cannot lead the portal into its own network."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, ValueError, UnicodeError) as exc:
        raise TargetRefused(
            _("Nama host %(host)s tidak dapat di-resolve: %(error)s")
            % {"host": host, "error": exc}
        ) from None
    for info in infos:
        address = addresses.parse_address(str(info[4][0]))
        reason = non_public_reason(address) if address is not None else None
        if reason is not None:
            raise TargetRefused(
                _("Callback tidak dikirim: %(host)s mengarah ke %(ip)s, %(kind)s.")
                % {"host": host, "ip": address, "kind": reason}
            )


def _timeout_message(timeout: float) -> str:
    return _("Tidak ada jawaban dalam %(seconds)d detik.") % {"seconds": timeout}


def _excerpt(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")[:EXCERPT_CHARS]


def _connection(url: str, timeout: float) -> tuple[http.client.HTTPConnection, str]:
    parts = urlsplit(url)
    host = (parts.hostname or "").encode("idna").decode("ascii")
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(
            host, parts.port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(host, parts.port, timeout=timeout)
    return connection, target


def post(
    *,
    url: str,
    body: bytes,
    signature: str,
    delivery_id: int,
    timeout: float = TIMEOUT_SECONDS,
) -> Outcome:
    """POST ``body`` to ``url`` once and say what happened; never raises."""
    started = time.monotonic()

    def failed(message: str) -> Outcome:
        elapsed = int((time.monotonic() - started) * 1000)
        return Outcome(None, "", message[:1000], elapsed)

    connection = None
    try:
        connection, target = _connection(url, timeout)
        connection.request(
            "POST",
            target,
            body=body,
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": USER_AGENT,
                "X-Signature": signature,
                "X-Callback-ID": str(delivery_id),
            },
        )
        response = connection.getresponse()
        raw = response.read(MAX_READ)
        error = ""
        if 300 <= response.status < 400:
            error = _("Redirect tidak diikuti (Location: %(location)s).") % {
                "location": (response.getheader("Location") or "-")[:200]
            }
        elapsed = int((time.monotonic() - started) * 1000)
        return Outcome(response.status, _excerpt(raw), error, elapsed)
    except TimeoutError:
        return failed(_timeout_message(timeout))
    except ssl.SSLError as exc:
        return failed(_("Koneksi TLS/SSL gagal: %(reason)s") % {"reason": exc})
    except OSError as exc:
        return failed(_("Gagal terhubung: %(reason)s") % {"reason": exc})
    except http.client.HTTPException as exc:
        return failed(
            _("Jawaban bukan HTTP yang valid: %(reason)s")
            % {"reason": f"{type(exc).__name__} {exc}"}
        )
    except Exception as exc:  # any other transport failure is one failed attempt
        return failed(f"{type(exc).__name__}: {exc}")
    finally:
        if connection is not None:
            connection.close()
