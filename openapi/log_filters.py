"""Logging filters of the Open API, wired in ``settings.LOGGING``."""

from __future__ import annotations

import logging


class DigestHandshakeFilter(logging.Filter):
    """Drops ``django.request``'s WARNING for a 401 of an Open API path.

    Every Digest client is answered 401 once per nonce by design (the handshake, a stale
    nonce), so those warnings would be one line per call in production; the access line
    (``portal.access``) and the API log already record each of them. Other 4xx and 5xx
    answers, and 401s of portal pages, are kept.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) != 401:
            return True
        request = getattr(record, "request", None)
        if request is None:
            return True
        # Imported here: the logging configuration is read before the apps are loaded.
        from portal.middleware import is_open_api

        return not is_open_api(request)
