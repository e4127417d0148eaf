"""Sending one callback over HTTP: the body, its signature and one POST, nothing stored.

The stdlib ``http.client`` is used on purpose: one POST with a timeout needs no extra
dependency, sends the headers exactly as named (``X-Signature``), follows no redirect (a 3xx
is a failed attempt that names where it pointed) and uses no proxy from the environment. At
most ``MAX_READ`` bytes of an answer are read; https certificates are verified. The host
name is resolved once per POST and the connection goes to the very addresses that were
checked (``resolve_target``).
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


@dataclass(frozen=True)
class Target:
    """Where one POST goes: the URL's host name, which is sent as ``Host`` and checked
    against the TLS certificate (SNI too), and the addresses that name resolved to. The
    name is resolved once, here, and the connection is made to these addresses: resolving
    again when connecting would let a DNS answer that changed in between (DNS rebinding)
    send the callback somewhere that was never checked."""

    tls: bool
    host: str
    port: int
    path: str
    addresses: tuple[tuple[int, tuple], ...]


def resolve_target(url: str, *, refuse_private: bool) -> Target:
    """Resolve the host of ``url`` once. With ``refuse_private`` (Production, and
    Development outside local work) every address of the answer must be public, or
    ``TargetRefused`` is raised, so that a host name cannot lead the portal into its own
    network. Without it a name that does not resolve raises ``OSError``."""
    parts = urlsplit(url)
    host = (parts.hostname or "").encode("idna").decode("ascii")
    tls = parts.scheme == "https"
    try:
        port = parts.port or (443 if tls else 80)
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, ValueError, UnicodeError) as exc:
        if not refuse_private:
            raise
        raise TargetRefused(
            _("Nama host %(host)s tidak dapat di-resolve: %(error)s")
            % {"host": host, "error": exc}
        ) from None
    if refuse_private:
        for info in infos:
            address = addresses.parse_address(str(info[4][0]))
            reason = non_public_reason(address) if address is not None else None
            if reason is not None:
                raise TargetRefused(
                    _("Callback tidak dikirim: %(host)s mengarah ke %(ip)s, %(kind)s.")
                    % {"host": host, "ip": address, "kind": reason}
                )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(
        tls=tls,
        host=host,
        port=port,
        path=path,
        addresses=tuple((info[0], info[4]) for info in infos),
    )


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An ``HTTPConnection`` to the host name of ``target`` (its ``Host`` header) that
    connects to the addresses already resolved, in order, and never resolves again."""

    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self.target = target

    def connect(self) -> None:
        error: OSError = OSError(
            _("tidak ada alamat untuk %(host)s") % {"host": self.host}
        )
        for family, sockaddr in self.target.addresses:
            sock = socket.socket(family, socket.SOCK_STREAM)
            try:
                sock.settimeout(self.timeout)
                sock.connect(sockaddr)
            except OSError as exc:
                sock.close()
                error = exc
                continue
            self.sock = sock
            return
        raise error


class _PinnedHTTPSConnection(_PinnedHTTPConnection):
    """The same over TLS: the certificate is verified against the host name, which is
    also sent as SNI, although the socket was opened to an IP address."""

    def connect(self) -> None:
        super().connect()
        context = ssl.create_default_context()
        self.sock = context.wrap_socket(self.sock, server_hostname=self.host)


def _timeout_message(timeout: float) -> str:
    return _("Tidak ada jawaban dalam %(seconds)d detik.") % {"seconds": timeout}


def _excerpt(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")[:EXCERPT_CHARS]


def post(
    *,
    url: str,
    body: bytes,
    signature: str,
    delivery_id: int,
    refuse_private: bool,
    timeout: float = TIMEOUT_SECONDS,
) -> Outcome:
    """POST ``body`` to ``url`` once and say what happened. Raises only ``TargetRefused``
    (see ``resolve_target``), before anything is sent."""
    started = time.monotonic()

    def failed(message: str) -> Outcome:
        elapsed = int((time.monotonic() - started) * 1000)
        return Outcome(None, "", message[:1000], elapsed)

    connection = None
    try:
        target = resolve_target(url, refuse_private=refuse_private)
        connection_class = (
            _PinnedHTTPSConnection if target.tls else _PinnedHTTPConnection
        )
        connection = connection_class(target, timeout)
        connection.request(
            "POST",
            target.path,
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
    except TargetRefused:
        raise
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
