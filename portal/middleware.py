"""The request id and the access log: first in ``MIDDLEWARE`` so that it times, numbers and
logs every answer, redirects to https and errors included. And the browser middlewares of
Django (session, login, messages) as ``PortalOnly``: skipped for Open API calls, which are
answered in Indonesian without looking for the caller's language."""

from __future__ import annotations

import logging
import time

from csp import middleware as csp
from django.conf import settings
from django.contrib.auth import middleware as auth
from django.contrib.messages import middleware as messages
from django.contrib.sessions import middleware as sessions
from django.core.signals import request_finished
from django.middleware import locale
from django.utils import translation
from django.utils.functional import empty

from openapi.urls import API_PREFIXES
from portal.lib.client_ip import client_ip
from portal.logging import (
    MASK,
    is_sensitive,
    new_request_id,
    request_id_var,
    sane_request_id,
)

access_logger = logging.getLogger("portal.access")

REQUEST_ID_HEADER = "X-Request-ID"
# Load-balancer probes would drown the log; they are logged at DEBUG only.
QUIET_PATHS = ("/healthz",)


class RequestIdMiddleware:
    """Takes a sane ``X-Request-ID`` from the client or proxy (or makes one), makes it the id
    of every log line written while answering, returns it in the response, and writes one
    access line per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = sane_request_id(request.headers.get(REQUEST_ID_HEADER))
        request_id = request_id or new_request_id()
        request.request_id = request_id
        # Kept until the response is closed (request_finished, below), so that Django's own
        # "Not Found: /…" line, written after the middleware, carries it too.
        request_id_var.set(request_id)
        started = time.monotonic()
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        _log_access(request, response, time.monotonic() - started)
        return response


def _forget_request_id(**kwargs) -> None:
    request_id_var.set(None)


request_finished.connect(
    _forget_request_id, dispatch_uid="portal.middleware.request_id"
)


def _log_access(request, response, seconds: float) -> None:
    path = _loggable_path(request)
    level = logging.DEBUG if path in QUIET_PATHS else logging.INFO
    if not access_logger.isEnabledFor(level):
        return
    duration_ms = round(seconds * 1000, 1)
    access_logger.log(
        level,
        "%s %s %s %sms",
        request.method,
        path,
        response.status_code,
        duration_ms,
        extra={
            "method": request.method,
            "path": path,
            "status": response.status_code,
            "duration_ms": duration_ms,
            "user_id": _user_id(request),
            "partner_id": getattr(getattr(request, "partner", None), "pk", None),
            "client_ip": client_ip(request),
        },
    )


def _loggable_path(request) -> str:
    """The path without its query string, with secrets in it (the token of an activation or a
    password-reset link) masked."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is not None:
        for key, value in match.kwargs.items():
            if is_sensitive(key) and value:
                path = path.replace(str(value), MASK)
    return path


def _user_id(request) -> int | None:
    """The user's id if the request already loaded the user (the access log must not cost a
    session and user query of its own)."""
    user = getattr(request, "user", None)
    user = getattr(user, "_wrapped", user)
    if user is None or user is empty or not user.is_authenticated:
        return None
    return user.pk


# --- browser middlewares, skipped for the Open API ------------------------------------------


def is_open_api(request) -> bool:
    """An Open API call (``/auth/…``, ``/Services/…``): a server of a partner, Digest
    authentication, no cookies."""
    return request.path_info[1:].split("/", 1)[0] in API_PREFIXES


class PortalOnly:
    """Mixed into a middleware, runs it for the portal's pages only: an Open API call goes
    straight to the next one. The API has no cookies, so a session, a logged-in user,
    messages or a two-factor redirect mean nothing to it and only cost time."""

    def __call__(self, request):
        if is_open_api(request):
            return self.get_response(request)
        return super().__call__(request)


# An Open API answer is JSON for a partner's server: nothing in it may load or be framed.
API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'"


class CSPMiddleware(csp.CSPMiddleware):
    """The portal's policy built per page by django-csp (nonces, per-view changes); an Open
    API answer gets one fixed policy instead (building it was 3% of the API's CPU)."""

    def __call__(self, request):
        if is_open_api(request):
            response = self.get_response(request)
            response.headers.setdefault(
                "Content-Security-Policy", API_CONTENT_SECURITY_POLICY
            )
            return response
        return super().__call__(request)


class SessionMiddleware(PortalOnly, sessions.SessionMiddleware):
    pass


class AuthenticationMiddleware(PortalOnly, auth.AuthenticationMiddleware):
    pass


class MessageMiddleware(PortalOnly, messages.MessageMiddleware):
    pass


class LocaleMiddleware(locale.LocaleMiddleware):
    """The portal's pages in the language of the URL, the cookie or the browser; an Open
    API call always in Indonesian, the contract's language, whatever its Accept-Language
    and whatever page the same thread served before."""

    def __call__(self, request):
        if is_open_api(request):
            translation.activate(settings.LANGUAGE_CODE)
            return self.get_response(request)
        return super().__call__(request)
