"""Oversized requests to the Open API answered in JSON, as every other API answer is.

gunicorn refuses an oversized request line (414) or header (431) with an HTML page of its
own, before Django sees the request, and a partner's client expects JSON with an ``rc``.
So gunicorn's limits are set above these (``deploy/gunicorn.conf.py``) and this middleware
enforces these for the API paths: within gunicorn's limits the answer is JSON rc 02 with the
same status gunicorn would give; beyond them gunicorn still answers itself.
"""

from __future__ import annotations

from django.http import JsonResponse

from portal.middleware import is_open_api

# gunicorn's defaults: what a client could send before, and about what proxies accept.
MAX_REQUEST_LINE = 4094
MAX_HEADER_FIELD = 8190
MAX_HEADER_FIELDS = 100
# Headers that WSGI does not put under HTTP_.
_PLAIN_HEADERS = {"CONTENT_TYPE": "Content-Type", "CONTENT_LENGTH": "Content-Length"}


def _header_name(key: str) -> str:
    return _PLAIN_HEADERS.get(key) or key[5:].replace("_", "-").title()


def oversized_error(request) -> tuple[int, str] | None:
    """(HTTP status, description) when the request line or a header of ``request`` is over
    the API's limits; None when it is within them."""
    target = request.META.get("RAW_URI") or request.get_full_path()
    line = len(request.method) + len(target) + len(" HTTP/1.1") + 1
    if line > MAX_REQUEST_LINE:
        return 414, f"URL terlalu panjang (maksimal {MAX_REQUEST_LINE} byte)"
    count = 0
    for key, value in request.META.items():
        if not (key.startswith("HTTP_") or key in _PLAIN_HEADERS):
            continue
        count += 1
        name = _header_name(key)
        size = len(name) + len(": ") + len(str(value))
        if size > MAX_HEADER_FIELD:
            return 431, (
                f"Header {name} terlalu besar: {size} byte "
                f"(maksimal {MAX_HEADER_FIELD} byte)"
            )
    if count > MAX_HEADER_FIELDS:
        return 431, f"Terlalu banyak header: {count} (maksimal {MAX_HEADER_FIELDS})"
    return None


class ApiRequestLimitMiddleware:
    """Early in ``MIDDLEWARE`` (after the request id): an oversized API call never reaches
    the gateway, and gets JSON."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_open_api(request):
            refused = oversized_error(request)
            if refused is not None:
                status, description = refused
                return JsonResponse(
                    {"rc": "02", "description": description},
                    status=status,
                    json_dumps_params={"ensure_ascii": False},
                )
        return self.get_response(request)
