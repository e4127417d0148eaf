"""The front door of every Open API call, in the contract's order:

1. the client IP must match an approved connection entry of the credential's environment
   (403, rc 45);
2. HTTP Digest authentication (401 with a fresh challenge; ``stale=true`` for an old nonce);
3. a suspended partner is refused; a credential past its daily sign-on limit answers rc 34;
4. for ``/Services/*`` except Check-Status, a valid ``sessionID`` of the same credential (rc 34).

Every call, refused or not, is written to the API log without passwords or Authorization.
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
from openapi.fields import BadRequest, reply
from openapi.models import ApiLog
from openapi.network import client_ip
from openapi.services import Caller, session_valid, signon_limit_reached
from profiles.models import Credential

logger = logging.getLogger(__name__)

Handler = Callable[[Caller, dict], dict]
MAX_BODY_BYTES = 64 * 1024
ENV_NAMES = {"development": "Development", "production": "Production"}


def _json(
    payload: dict, status: int = 200, headers: dict | None = None
) -> JsonResponse:
    response = JsonResponse(
        payload, status=status, json_dumps_params={"ensure_ascii": False}
    )
    for key, value in (headers or {}).items():
        response[key] = value
    return response


def _challenge(*, stale: bool = False) -> JsonResponse:
    return _json(
        {"rc": "01", "description": "Autentikasi Digest diperlukan"},
        status=401,
        headers={"WWW-Authenticate": digest.challenge(stale=stale)},
    )


def _parse_body(request) -> dict:
    if len(request.body) > MAX_BODY_BYTES:
        raise BadRequest("Body terlalu besar")
    try:
        body = json.loads(request.body.decode("utf-8") or "null")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadRequest("Body bukan JSON yang valid") from exc
    if not isinstance(body, dict):
        raise BadRequest("Body harus berupa objek JSON")
    return body


def handle(request, handler: Handler, *, needs_session: bool) -> JsonResponse:
    started = time.monotonic()
    ip = client_ip(request)
    log = ApiLog(method=request.method, path=request.path[:100], ip=ip[:64])
    body: dict | None = None
    try:
        response = _handle(request, handler, needs_session, ip, log)
    except Exception:
        logger.exception("Open API error on %s", request.path)
        response = _json(
            reply("01", description="Error tidak terdefinisi; silakan coba lagi")
        )
    try:
        body = json.loads(request.body.decode("utf-8")) if request.body else None
    except (UnicodeDecodeError, json.JSONDecodeError):
        body = {"_raw": request.body[:2000].decode("utf-8", "replace")}
    log.request = body if isinstance(body, dict | list) else {"_raw": str(body)[:2000]}
    log.response = json.loads(response.content)
    log.http_status = response.status_code
    log.rc = str(log.response.get("rc", ""))[:4]
    if isinstance(body, dict):
        log.reference_id = str(body.get("referenceID", ""))[:40]
        log.product_code = str(body.get("productID", ""))[:20]
    log.duration_ms = int((time.monotonic() - started) * 1000)
    try:
        log.save()
    except Exception:  # the log must never turn an answer into an error
        logger.exception("could not write API log")
    return response


def _handle(request, handler, needs_session, ip, log) -> JsonResponse:
    creds = digest.parse_authorization(request.META.get("HTTP_AUTHORIZATION", ""))
    if request.method != "POST" or creds is None:
        return _challenge()
    credential = (
        Credential.objects.select_related("partner")
        .filter(username=creds.username)
        .first()
    )
    if credential is None:
        return _challenge()
    log.partner = credential.partner
    log.environment = credential.environment
    log.username = credential.username[:64]

    if not ip_allowed(
        partner=credential.partner, environment=credential.environment, ip=ip
    ):
        env = ENV_NAMES.get(credential.environment, credential.environment)
        return _json(
            {
                "rc": "45",
                "description": f"IP {ip} belum terdaftar/disetujui untuk {env}",
            },
            status=403,
        )
    try:
        digest.verify(
            creds,
            ha1=credential.ha1,
            method=request.method,
            request_uri=request.get_full_path(),
        )
    except digest.DigestFailure as failure:
        return _challenge(stale=failure.stale)

    partner = credential.partner
    if partner.status == Partner.Status.SUSPENDED:
        return _json(
            {
                "rc": "10",
                "description": "Akun mitra sedang dinonaktifkan; hubungi tim kami",
            },
            status=403,
        )
    try:
        body = _parse_body(request)
    except BadRequest as exc:
        return _json(reply(exc.rc, description=exc.description))
    caller = Caller(
        credential=credential, partner=partner, environment=credential.environment
    )
    try:
        if signon_limit_reached(credential=credential):
            return _json(
                reply(
                    "34",
                    body,
                    description="Batas Sign On harian tercapai; hubungi tim kami untuk reset",
                )
            )
        if needs_session:
            session_id = body.get("sessionID")
            if not isinstance(session_id, str) or not session_valid(
                credential=credential, session_id=session_id
            ):
                return _json(
                    reply(
                        "34",
                        body,
                        description="sessionID tidak valid atau sudah habis; lakukan Sign On",
                    )
                )
        return _json(handler(caller, body))
    except BadRequest as exc:
        return _json(reply(exc.rc, body, description=exc.description))
