"""Callback URL rules: one place that says, in Bahasa Indonesia, what is wrong with the URL a
partner typed for an environment.

Development accepts ``http``; Production needs ``https``. Neither may name a private, loopback
or otherwise special IP literal, so that the portal cannot be pointed at its own network —
except in Development when ``CALLBACK_ALLOW_PRIVATE_TARGETS`` is on (local development and the
test suite, where the partner's "server" is this machine). Host names are checked again
when a callback is sent (``callback_http.resolve_target``), after DNS resolution.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from connections import addresses
from portal.lib.environments import Environment

MAX_URL_LENGTH = 500

_SCHEMES = ("http", "https")


class CallbackUrlError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def ip_literal(host: str) -> addresses.Address | None:
    """The address a URL host stands for when it is an IP literal (``[::1]`` included)."""
    return addresses.parse_address(host.strip("[]"))


def non_public_reason(address: addresses.Address) -> str | None:
    """Why ``address`` is not a public Internet address (``None`` when it is one)."""
    network = ipaddress.ip_network(address)
    kind = addresses.special_kind(network)
    return kind.describe() if kind is not None else None


def private_targets_allowed() -> bool:
    return bool(getattr(settings, "CALLBACK_ALLOW_PRIVATE_TARGETS", False))


def clean_callback_url(url: str, environment: str) -> str:
    """Return the URL to store for ``environment`` (trimmed), or raise ``CallbackUrlError``.
    An empty URL is allowed: it turns callbacks off for that environment."""
    value = (url or "").strip()
    if not value:
        return ""
    if len(value) > MAX_URL_LENGTH:
        raise CallbackUrlError(
            _("URL callback maksimal %(max)d karakter.") % {"max": MAX_URL_LENGTH}
        )
    if any(ch.isspace() or ord(ch) < 32 for ch in value):
        raise CallbackUrlError(_("URL callback tidak boleh mengandung spasi."))
    parts = urlsplit(value)
    scheme = parts.scheme.lower()
    if scheme not in _SCHEMES:
        raise CallbackUrlError(
            _("URL callback harus diawali https:// (atau http:// untuk Development).")
        )
    if environment == Environment.PRODUCTION and scheme != "https":
        raise CallbackUrlError(_("URL callback Production wajib memakai https://."))
    if "@" in parts.netloc:
        raise CallbackUrlError(
            _(
                "URL callback tidak boleh memuat username atau password. Verifikasi "
                "callback memakai tanda tangan X-Signature dengan secret di bawah."
            )
        )
    if parts.fragment or value.endswith("#"):
        raise CallbackUrlError(_("URL callback tidak boleh memuat bagian #fragment."))
    try:
        URLValidator(schemes=list(_SCHEMES))(value)
        port = parts.port
    except (ValidationError, ValueError):
        raise CallbackUrlError(
            _(
                "“%(value)s” bukan URL yang valid. Contoh: "
                "https://api.domain-anda.co.id/callback"
            )
            % {"value": value[:80]}
        ) from None
    host = (parts.hostname or "").lower()
    if port == 0:
        raise CallbackUrlError(_("Port URL callback tidak valid."))
    if environment == Environment.PRODUCTION or not private_targets_allowed():
        if host == "localhost" or host.endswith(".localhost"):
            raise CallbackUrlError(
                _("URL callback Production harus dapat diakses dari Internet.")
            )
        address = ip_literal(host)
        reason = non_public_reason(address) if address is not None else None
        if reason is not None and environment == Environment.PRODUCTION:
            raise CallbackUrlError(
                _(
                    "URL callback Production harus alamat publik: %(host)s adalah "
                    "%(kind)s. Gunakan Development untuk server lokal atau pengujian."
                )
                % {"host": host, "kind": reason}
            )
        if reason is not None:
            raise CallbackUrlError(
                _(
                    "URL callback harus dapat dijangkau dari Internet: %(host)s adalah "
                    "%(kind)s. Server kami tidak mengirim callback ke jaringan internal."
                )
                % {"host": host, "kind": reason}
            )
    return value
