"""The front door of every Open API call, in the contract's order:

1. HTTP Digest authentication (401 with a fresh challenge; ``stale=true`` for an old nonce),
   the same 401 for a wrong password and an unknown username;
2. the client IP must match an approved connection entry of the credential's environment
   (403, rc 45), told only to a caller who authenticated;
3. a suspended partner is refused (403); a credential past its daily sign-on limit answers
   rc 34;
4. for ``/Services/*`` except Check-Status, a valid ``sessionID`` of the same credential (rc 34).

Every answer is JSON, whatever the request (wrong method, empty, huge or malformed body, an
unexpected error). Every call that names a username is written to the API log, without the
Authorization header and without secret-looking body values; the bare Digest handshake (a
request without Authorization) is not a call of anyone and is not logged.

The happy path costs one statement before the service runs: the credential with its partner,
sign-on block, session and IP whitelist, and for the payment services the product lookup
their command names (``services.commands``: the body is parsed once, here). The log row is
handed to ``api_log_write``, which in a deployment writes it with others by a background
thread.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable

from django.http import JsonResponse

from accounts.models import Partner
from connections.selectors import ip_allowed
from openapi import digest
from openapi.fields import BadRequest, redact, reply, unprintable_error
from openapi.selectors import caller_for
from openapi.services import Caller
from openapi.services.commands import Command, Parse, Parsed, command_read
from openapi.services.common import deadline_from
from openapi.services.log import api_log_write
from portal.lib.client_ip import client_ip, proxy_waited

logger = logging.getLogger(__name__)

Handler = Callable[[Caller, dict], dict]
CommandHandler = Callable[[Caller, Command, dict], dict]
MAX_BODY_BYTES = 64 * 1024
LOG_RAW_CHARS = 2000
ENV_NAMES = {"development": "Development", "production": "Production"}
AUTH_REQUIRED = "Autentikasi Digest diperlukan (username dan password Transaksi Anda)"


class Answer:
    """A JSON answer and its HTTP status, before it becomes a response."""

    __slots__ = ("headers", "payload", "status")

    def __init__(self, payload: dict, status: int = 200, headers: dict | None = None):
        self.payload = payload
        self.status = status
        self.headers = headers or {}

    def response(self) -> JsonResponse:
        response = JsonResponse(
            self.payload, status=self.status, json_dumps_params={"ensure_ascii": False}
        )
        for key, value in self.headers.items():
            response[key] = value
        return response


def _challenge(*, stale: bool = False) -> Answer:
    description = AUTH_REQUIRED
    if stale:
        description = "Nonce Digest kedaluwarsa; ulangi dengan nonce baru"
    # The ``error`` header right after the challenge: clients copied from Kiosbank's PHP
    # sample read the raw response from "WWW-Authenticate: " up to the first "error" and
    # split that on "," and "=", so nothing but the line end may come between them (the
    # JSON body cannot start with letters; headers added later follow these two).
    return Answer(
        {"rc": "10", "description": description},
        status=401,
        headers={"WWW-Authenticate": digest.challenge(stale=stale), "error": "10"},
    )


class LogEntry:
    """What the API log keeps of a call, filled in as the gateway learns it."""

    __slots__ = ("environment", "method", "partner_id", "path", "username")

    def __init__(self, method: str, path: str):
        self.method = method
        self.path = path
        self.partner_id = None
        self.environment = ""
        self.username = ""


class Call:
    """One request as the gateway sees it: the raw body read once and safely, the parsed
    body (or why it could not be parsed), and what goes into the API log."""

    def __init__(self, request):
        self.request = request
        self.ip = client_ip(request)
        self.raw = b""
        self.body: dict | None = None
        self.body_error: str | None = None
        self.logged_request = None
        self._read()

    def _read(self) -> None:
        try:
            length = int(self.request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_BODY_BYTES:
            self._too_big(length)
            return
        try:
            self.raw = self.request.body
        except Exception:  # RequestDataTooBig, a broken upload…: answer it, never a 500
            self._too_big(length)
            return
        if len(self.raw) > MAX_BODY_BYTES:
            self._too_big(len(self.raw))
            return
        try:
            parsed = json.loads(self.raw.decode("utf-8") or "null")
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            self.body_error = "Body bukan JSON yang valid"
            self.logged_request = {"_raw": self._raw_text()}
            return
        if not isinstance(parsed, dict):
            self.body_error = "Body harus berupa objek JSON"
            self.logged_request = {"_raw": self._raw_text()}
            return
        self.logged_request = redact(parsed)
        # A NUL or other control character in any field is a malformed message (rc 02),
        # whichever service would have ignored that field.
        self.body_error = unprintable_error(parsed)
        if self.body_error is None:
            self.body = parsed

    def _too_big(self, size: int) -> None:
        self.body_error = f"Body terlalu besar (maksimal {MAX_BODY_BYTES // 1024} KB)"
        self.logged_request = {"_raw": f"({size} byte, tidak disimpan)"}

    def _raw_text(self) -> str:
        return self.raw[:LOG_RAW_CHARS].decode("utf-8", "replace")

    @property
    def session_id(self) -> str:
        value = (self.body or {}).get("sessionID")
        return value if isinstance(value, str) and len(value) <= 64 else ""


def handle(
    request,
    handler: Handler | CommandHandler,
    *,
    needs_session: bool,
    parse: Parse | None = None,
) -> JsonResponse:
    """Answer one call with ``handler``; with ``parse``, the body is read into the command
    the handler takes (and its product lookup is asked in the caller's statement)."""
    started = time.monotonic()
    deadline = deadline_from(started - proxy_waited(request))
    call = Call(request)
    log = LogEntry(request.method, request.path)
    try:
        answer = _handle(call, handler, needs_session, log, parse, deadline)
    except Exception:
        logger.exception("Open API error on %s", request.path)
        answer = Answer(
            reply(
                "01",
                call.body,
                description=(
                    "Error tidak terdefinisi; untuk Payment cek hasilnya dengan "
                    "Check-Status sebelum mengulang"
                ),
            )
        )
    if log.username or digest.authorization_header(request.META):
        _log_write(log, call, answer, started)
    return answer.response()


def _log_write(log: LogEntry, call: Call, answer: Answer, started: float) -> None:
    body = call.body or {}
    try:
        api_log_write(
            partner_id=log.partner_id,
            environment=log.environment,
            username=log.username,
            method=log.method,
            path=log.path,
            ip=call.ip,
            http_status=answer.status,
            rc=str(answer.payload.get("rc", "")),
            reference_id=str(body.get("referenceID") or ""),
            product_code=str(body.get("productID") or ""),
            request=call.logged_request,
            response=answer.payload,
            duration_ms=int((time.monotonic() - started) * 1000),
        )
    except Exception:  # the log must never turn an answer into an error
        logger.exception("could not write API log")


def _handle(
    call: Call,
    handler: Handler | CommandHandler,
    needs_session: bool,
    log: LogEntry,
    parse: Parse | None,
    deadline: float,
) -> Answer:
    request = call.request
    if request.method not in ("GET", "POST"):
        return Answer(
            {
                "rc": "02",
                "description": f"Metode {request.method} tidak didukung; gunakan POST",
            },
            status=405,
            headers={"Allow": "GET, POST"},
        )
    creds = digest.parse_authorization(digest.authorization_header(request.META))
    if creds is None:
        return _challenge()
    log.username = creds.username[:64]
    if request.method != "POST":
        return _challenge()
    parsed: Parsed | None = None
    if parse is not None and call.body is not None:
        parsed = command_read(parse, call.body)
    found = caller_for(
        username=creds.username,
        session_id=call.session_id if needs_session else "",
        product=parsed.product if parsed is not None else None,
    )
    if found is None:
        return _challenge()
    credential, partner = found.credential, found.partner
    log.partner_id = partner.pk
    log.environment = credential.environment

    # The password first: a 403 naming the environment would tell an outsider that the
    # username exists, so a wrong password gets the same 401 as an unknown username.
    try:
        digest.verify(
            creds,
            ha1=credential.ha1,
            method=request.method,
            request_uri=request.get_full_path(),
        )
    except digest.DigestFailure as failure:
        return _challenge(stale=failure.stale)
    if not ip_allowed(ip=call.ip, entries=found.whitelist):
        env = ENV_NAMES.get(credential.environment, credential.environment)
        return Answer(
            {
                "rc": "45",
                "description": f"IP {call.ip} belum terdaftar/disetujui untuk {env}",
            },
            status=403,
        )

    if partner.status == Partner.Status.SUSPENDED:
        return Answer(
            {
                "rc": "10",
                "description": (
                    "Akun mitra sedang dinonaktifkan; semua transaksi ditolak. "
                    "Hubungi tim bisnis kami."
                ),
            },
            status=403,
        )
    if partner.status != Partner.Status.ACTIVE:
        return Answer({"rc": "10", "description": "Akun mitra belum aktif"}, status=403)
    if call.body_error is not None:
        return Answer(reply("02", description=call.body_error))
    body = call.body
    if found.signon_blocked:
        return Answer(
            reply(
                "34",
                body,
                description=(
                    "Batas Sign On harian tercapai; semua request kredensial ini ditolak "
                    "sampai direset oleh tim kami"
                ),
            )
        )
    if needs_session and not found.session_valid:
        return Answer(
            reply(
                "34",
                body,
                description="sessionID tidak valid atau sudah habis; lakukan Sign On",
            )
        )
    caller = Caller(
        credential=credential,
        partner=partner,
        environment=credential.environment,
        product=found.product,
        deadline=deadline,
    )
    try:
        if parsed is None:
            return Answer(handler(caller, body))
        return Answer(handler(caller, parsed.command_for(caller), body))
    except BadRequest as exc:
        return Answer(reply(exc.rc, body, description=exc.description))


def unknown_path(request, path: str = "") -> JsonResponse:
    """Any other path under the API prefixes: a JSON answer, never an HTML page."""
    return Answer(
        {"rc": "02", "description": f"Layanan {request.path} tidak dikenal"}, status=404
    ).response()
