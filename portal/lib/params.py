"""Values a view reads straight from the request, outside a form, made safe to use.

A query string is whatever the visitor typed: PostgreSQL refuses a text holding NUL (psycopg
raises ValueError, not a DatabaseError, so nothing turns it into a 404), ``str.isdigit()``
takes digits such as "²" that ``int()`` refuses, and ``redirect()`` treats a ``next`` without
a slash as a URL name to reverse.
"""

from __future__ import annotations

from django.utils.http import url_has_allowed_host_and_scheme

# The largest value of a PostgreSQL bigint (the primary keys).
BIGINT_MAX = 2**63 - 1


def param_text(params, name: str, *, max_length: int = 200) -> str:
    """``params[name]`` stripped, or "" when it holds a NUL or is longer than any value it
    could match: such a value names nothing, so it is treated as absent."""
    value = (params.get(name) or "").strip()
    if "\x00" in value or len(value) > max_length:
        return ""
    return value


def param_id(params, name: str) -> int | None:
    """``params[name]`` as a row id: ASCII digits that fit a bigint, else None."""
    value = (params.get(name) or "").strip()
    if not (value.isascii() and value.isdecimal()) or int(value) > BIGINT_MAX:
        return None
    return int(value)


def safe_next(request, target: str | None) -> str:
    """``target`` when it is a path of this site (so ``redirect()`` takes it as it is), else
    ""; the caller falls back to its own page."""
    target = (target or "").strip()
    if not target.startswith("/") or "\x00" in target:
        return ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    return target
