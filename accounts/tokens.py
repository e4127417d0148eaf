"""Activation links: signed, single-purpose, bound to the email address, valid 24 hours.

The payload names the user and a digest of the email the link was sent to, signed with a salt
of its own: a password-reset token, or a link made for an earlier address, never validates.
"""

import hashlib

from django.conf import settings
from django.core import signing

SALT = "accounts.activation.v1"


class ActivationLinkError(Exception):
    """``reason`` is "expired", "invalid" or (for an account already active) "used"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _email_digest(email: str) -> str:
    return hashlib.sha256(email.lower().encode()).hexdigest()[:20]


def activation_token_make(user) -> str:
    return signing.dumps({"u": user.pk, "e": _email_digest(user.email)}, salt=SALT)


def activation_token_read(token: str) -> tuple[int, str]:
    """Return (user id, email digest) of a well-signed, unexpired token."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=settings.ACTIVATION_TIMEOUT)
    except signing.SignatureExpired as exc:
        raise ActivationLinkError("expired") from exc
    except signing.BadSignature as exc:
        raise ActivationLinkError("invalid") from exc
    if not isinstance(payload, dict) or not {"u", "e"} <= payload.keys():
        raise ActivationLinkError("invalid")
    return payload["u"], payload["e"]


def activation_token_matches(user, digest: str) -> bool:
    return signing.constant_time_compare(_email_digest(user.email), digest)
