"""Reading and writing the wire format: required fields, 12-digit amounts, the reply shape."""

from __future__ import annotations

import re
from datetime import date

from openapi.rc import describe


class BadRequest(Exception):
    """Answered with ``rc`` (02 by default) and a description naming the field."""

    def __init__(self, description: str, rc: str = "02"):
        super().__init__(description)
        self.rc = rc
        self.description = description


_PATTERNS = {
    "productID": (re.compile(r"[A-Za-z0-9]{1,12}"), "1–12 huruf/angka"),
    "customerID": (re.compile(r"[0-9]{4,32}"), "4–32 digit angka"),
    "referenceID": (
        re.compile(r"[A-Za-z0-9._-]{1,20}"),
        "1–20 karakter (huruf, angka, . _ -)",
    ),
    "merchantID": (re.compile(r"[A-Za-z0-9]{1,20}"), "1–20 huruf/angka"),
    "sessionID": (re.compile(r"[0-9a-f]{32}"), "32 karakter heksadesimal"),
    "prefixID": (
        re.compile(r"11|21|31|41|51|81"),
        "salah satu dari 11, 21, 31, 41, 51, 81",
    ),
}
AMOUNT = re.compile(r"[0-9]{1,12}")
# Control characters (C0 with NUL, DEL, C1) and lone UTF-16 surrogates: JSON can carry them
# as \u escapes, but no field of the contract holds one, and the database refuses some.
UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
FIELD_NAME_CHARS = 60


def unprintable_error(body: dict) -> str | None:
    """Why ``body`` is refused (rc 02) for a control character in any field, at any depth,
    naming the first such field; None when every key and string is clean."""
    stack: list[tuple[str, object]] = [("", body)]
    while stack:  # no recursion: a deeply nested body must not raise RecursionError
        path, value = stack.pop()
        if isinstance(value, str):
            if UNPRINTABLE.search(value):
                return (
                    f"Field {path[:FIELD_NAME_CHARS]} berisi karakter kontrol "
                    "(misalnya NUL, tab atau baris baru) yang tidak diizinkan"
                )
        elif isinstance(value, dict):
            for key in value:
                if UNPRINTABLE.search(key):
                    return "Nama field berisi karakter kontrol yang tidak diizinkan"
            stack.extend(
                (f"{path}.{key}" if path else key, item)
                for key, item in reversed(value.items())
            )
        elif isinstance(value, list):
            stack.extend(
                (f"{path}[{index}]", item)
                for index, item in reversed(list(enumerate(value)))
            )
    return None


def text(body: dict, name: str, *, required: bool = True) -> str:
    value = body.get(name)
    if value is None or value == "":
        if required:
            raise BadRequest(f"Field {name} wajib diisi")
        return ""
    if not isinstance(value, str):
        raise BadRequest(f"Field {name} harus berupa string")
    pattern, rule = _PATTERNS.get(name, (None, ""))
    if pattern is not None and not pattern.fullmatch(value):
        raise BadRequest(f"Field {name} tidak valid: harus {rule}")
    return value


def amount(body: dict, name: str) -> int:
    """A whole-rupiah amount sent as a zero-padded string of at most 12 digits."""
    value = body.get(name)
    if value is None or value == "":
        raise BadRequest(f"Field {name} wajib diisi")
    if not isinstance(value, str) or not AMOUNT.fullmatch(value):
        raise BadRequest(
            f"Field {name} harus berupa angka 12 digit, misalnya 000000020000"
        )
    return int(value)


def day(body: dict, name: str) -> date:
    value = body.get(name)
    if not isinstance(value, str) or not value:
        raise BadRequest(f"Field {name} wajib diisi (format YYYY-MM-DD)")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise BadRequest(f"Field {name} harus berformat YYYY-MM-DD") from exc


def periode(body: dict) -> int | None:
    value = body.get("periode")
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not str(value).isdigit() or not 1 <= int(value) <= 12:
        raise BadRequest("Field periode harus berupa jumlah bulan 1–12")
    return int(value)


def money(value: int) -> str:
    return f"{int(value):012d}"


def reply(
    rc: str, body: dict | None = None, *, description: str = "", **fields
) -> dict:
    """The common answer: rc, description, the echoed identifiers and ``data``."""
    body = body or {}
    answer = {"rc": rc, "description": description or describe(rc)}
    for name in ("merchantID", "sessionID", "customerID", "productID", "referenceID"):
        value = body.get(name)
        answer[name] = value if isinstance(value, str) else ""
    answer.update(fields)
    answer.setdefault("data", {})
    return answer


# Keys whose values never reach the API log, whatever a client puts in its body.
SECRET_KEYS = ("password", "passwd", "secret", "token", "authorization", "pin")


def redact(value, depth: int = 0):
    """A copy of a parsed body with secret-looking values replaced (for the API log)."""
    if depth > 5:
        return "…"
    if isinstance(value, dict):
        return {
            key: "***"
            if isinstance(key, str) and any(s in key.lower() for s in SECRET_KEYS)
            else redact(item, depth + 1)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [redact(item, depth + 1) for item in value[:100]]
    return value
