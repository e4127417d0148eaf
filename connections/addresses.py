"""IP Address parsing for the whitelist: one place that turns what a partner typed into a
normalised network and says, in Bahasa Indonesia, what is wrong with it.

Every entry is kept as an ``ip_network``: a single address is a /32 (IPv4) or /128 (IPv6)
network and is written without its prefix (``203.0.113.7``); a range keeps its prefix
(``203.0.113.0/28``). IPv4-mapped IPv6 (``::ffff:203.0.113.7``) is stored and matched as IPv4.

A range whose host bits are set (``203.0.113.7/24``) is refused, with the range the partner
probably meant as a suggestion: silently widening what they typed would whitelist addresses
they did not name.
"""

from __future__ import annotations

import functools
import ipaddress
from enum import Enum

from django.utils.translation import gettext as _

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# The widest range a partner may register: /24 for IPv4 (256 addresses), /48 for IPv6.
MAX_PREFIX = {4: 24, 6: 48}

_MAPPED = ipaddress.IPv6Network("::ffff:0:0/96")
_GLOBAL_UNICAST_V6 = ipaddress.IPv6Network("2000::/3")


class AddressError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Special(Enum):
    """Why an address is not a public Internet address (IANA special-purpose registries).

    The table is ours rather than ``ipaddress``'s ``is_private`` & co., whose answers changed
    between Python patch releases."""

    UNSPECIFIED = "unspecified"
    BROADCAST = "broadcast"
    MULTICAST = "multicast"
    LOOPBACK = "loopback"
    LINK_LOCAL = "link_local"
    PRIVATE = "private"
    DOCUMENTATION = "documentation"
    RESERVED = "reserved"

    @property
    def never_valid(self) -> bool:
        """No server can call from these, whatever the environment."""
        return self in (Special.UNSPECIFIED, Special.BROADCAST, Special.MULTICAST)

    def describe(self) -> str:
        return {
            Special.UNSPECIFIED: _("alamat tidak spesifik (0.0.0.0 / ::)"),
            Special.BROADCAST: _("alamat broadcast"),
            Special.MULTICAST: _("alamat multicast"),
            Special.LOOPBACK: _(
                "alamat loopback (hanya berlaku di komputer itu sendiri)"
            ),
            Special.LINK_LOCAL: _(
                "alamat link-local (hanya berlaku di jaringan lokal)"
            ),
            Special.PRIVATE: _("alamat jaringan privat/lokal, bukan IP publik"),
            Special.DOCUMENTATION: _("alamat contoh untuk dokumentasi"),
            Special.RESERVED: _("alamat khusus/cadangan (reserved)"),
        }[self]


# Checked in this order; the first range that overlaps the entry names the reason.
_SPECIAL_RANGES: list[tuple[Special, Network]] = [
    (Special.UNSPECIFIED, ipaddress.ip_network(n)) for n in ("0.0.0.0/8", "::/128")
] + [
    (Special.BROADCAST, ipaddress.ip_network("255.255.255.255/32")),
    (Special.MULTICAST, ipaddress.ip_network("224.0.0.0/4")),
    (Special.MULTICAST, ipaddress.ip_network("ff00::/8")),
    (Special.LOOPBACK, ipaddress.ip_network("127.0.0.0/8")),
    (Special.LOOPBACK, ipaddress.ip_network("::1/128")),
    (Special.LINK_LOCAL, ipaddress.ip_network("169.254.0.0/16")),
    (Special.LINK_LOCAL, ipaddress.ip_network("fe80::/10")),
    *(
        (Special.PRIVATE, ipaddress.ip_network(n))
        for n in (
            "10.0.0.0/8",
            "100.64.0.0/10",  # shared address space (carrier-grade NAT)
            "172.16.0.0/12",
            "192.168.0.0/16",
            "fc00::/7",  # unique local
            "64:ff9b:1::/48",  # local-use NAT64
        )
    ),
    *(
        (Special.DOCUMENTATION, ipaddress.ip_network(n))
        for n in (
            "192.0.2.0/24",
            "198.51.100.0/24",
            "203.0.113.0/24",
            "2001:db8::/32",
            "3fff::/20",
        )
    ),
    *(
        (Special.RESERVED, ipaddress.ip_network(n))
        for n in (
            "192.0.0.0/24",
            "192.88.99.0/24",
            "198.18.0.0/15",
            "240.0.0.0/4",
            "100::/64",
            "2001::/23",
            "2002::/16",
            "5f00::/16",
        )
    ),
]


def _unmap(network: Network) -> Network:
    """``::ffff:203.0.113.0/120`` → ``203.0.113.0/24``; anything else unchanged."""
    if network.version == 6 and network.subnet_of(_MAPPED):
        base = int(network.network_address) & 0xFFFFFFFF
        return ipaddress.IPv4Network((base, network.prefixlen - 96))
    return network


def parse_network(text: str) -> Network:
    """Parse an IPv4/IPv6 address or CIDR range as typed; raise ``AddressError`` if it is not
    one, or if its host bits are set."""
    value = (text or "").strip()
    if not value:
        raise AddressError(_("IP Address wajib diisi."))
    malformed = AddressError(
        _(
            "“%(value)s” bukan IP Address yang valid. Gunakan format IPv4 "
            "(contoh 203.0.113.7), IPv6 (contoh 2001:db8::7) atau rentang CIDR "
            "(contoh 203.0.113.0/28)."
        )
        % {"value": value[:64]}
    )
    if "%" in value or any(ch.isspace() for ch in value):
        raise malformed
    try:
        network = ipaddress.ip_network(value, strict=True)
    except ValueError:
        try:
            loose = ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise malformed from None
        raise AddressError(
            _(
                "%(value)s bukan awal rentang (bagian host harus nol). "
                "Maksud Anda %(suggestion)s?"
            )
            % {"value": value, "suggestion": format_network(_unmap(loose))}
        ) from None
    return _unmap(network)


@functools.lru_cache(maxsize=4096)
def parse_address(text: str) -> Address | None:
    """The single address a request comes from, or None if ``text`` is not one.
    IPv4-mapped IPv6 becomes IPv4; an IPv6 zone (``%eth0``) is dropped. Remembered for the
    addresses last seen (every Open API call asks it)."""
    value = (text or "").strip().split("%", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def format_network(network: Network) -> str:
    """The stored, displayed form: a single address without prefix, a range with it."""
    if network.num_addresses == 1:
        return str(network.network_address)
    return str(network)


def special_kind(network: Network) -> Special | None:
    """Why this network is not public, or None when it is a public Internet range."""
    for kind, special in _SPECIAL_RANGES:
        if special.version == network.version and network.overlaps(special):
            return kind
    if network.version == 6 and not network.subnet_of(_GLOBAL_UNICAST_V6):
        return Special.RESERVED
    return None


def too_wide(network: Network) -> bool:
    return network.prefixlen < MAX_PREFIX[network.version]
