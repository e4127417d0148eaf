"""TOTP (RFC 6238: SHA-1, 30 seconds, 6 digits) and recovery codes, without any writes.

``pyotp`` computes the codes; the QR code of the ``otpauth://`` URI is drawn by ``segno`` as
inline SVG, so nothing leaves the server.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

import pyotp
import segno

ISSUER = "Web Open API"
DIGITS = 6
INTERVAL = 30
# Codes of the previous and next 30 seconds are accepted too (clock drift of the phone).
WINDOW = 1
RECOVERY_CODE_COUNT = 10
# No 0/O, 1/l/I: a person copies these from paper.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_RECOVERY_GROUPS = 3
_RECOVERY_GROUP_LENGTH = 4


def secret_new() -> str:
    return pyotp.random_base32()


def provisioning_uri(*, secret: str, account: str) -> str:
    return pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL).provisioning_uri(
        name=account, issuer_name=ISSUER
    )


def qr_svg(uri: str) -> str:
    """An inline ``<svg>`` of the QR code (no XML declaration), safe to mark as HTML: segno
    writes only path data and sizes, never the URI text."""
    return segno.make_qr(uri, error="m").svg_inline(scale=5, border=2)


def secret_display(secret: str) -> str:
    """The key in groups of four, for typing into an authenticator by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def code_normalize(value: str) -> str:
    return "".join(ch for ch in (value or "") if not ch.isspace() and ch != "-").lower()


def totp_match(*, secret: str, code: str, after_step: int = 0, now=None) -> int | None:
    """The time step whose code equals ``code`` within the window, if it is later than
    ``after_step`` (a code already used is refused); else None."""
    code = code_normalize(code)
    if len(code) != DIGITS or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL)
    current = int((now if now is not None else time.time()) // INTERVAL)
    for step in range(current - WINDOW, current + WINDOW + 1):
        if step > after_step and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def recovery_codes_new() -> list[str]:
    codes: set[str] = set()
    while len(codes) < RECOVERY_CODE_COUNT:
        groups = (
            "".join(
                secrets.choice(_RECOVERY_ALPHABET)
                for _ in range(_RECOVERY_GROUP_LENGTH)
            )
            for _ in range(_RECOVERY_GROUPS)
        )
        codes.add("-".join(groups))
    return sorted(codes)


def recovery_hash(*, user_id: int, code: str) -> str:
    """SHA-256 of the normalised code, salted with the user's id. The codes are random enough
    (about 59 bits) that a fast hash is safe, and a fixed hash lets us look the code up."""
    data = f"usermgmt.recovery:{user_id}:{code_normalize(code)}".encode()
    return hashlib.sha256(data).hexdigest()


def looks_like_recovery_code(value: str) -> bool:
    code = code_normalize(value)
    return len(code) == _RECOVERY_GROUPS * _RECOVERY_GROUP_LENGTH
