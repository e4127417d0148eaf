"""Parsing and normalising what a partner types as IP Address."""

import pytest

from connections import addresses


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("  203.0.113.7 ", "203.0.113.7"),
        ("203.0.113.7/32", "203.0.113.7"),
        ("203.0.113.0/24", "203.0.113.0/24"),
        ("203.0.113.0/255.255.255.240", "203.0.113.0/28"),
        ("2001:DB8:0:0::7", "2001:db8::7"),
        ("2001:db8::7/128", "2001:db8::7"),
        ("2001:db8:1::/48", "2001:db8:1::/48"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("::ffff:203.0.113.0/120", "203.0.113.0/24"),
    ],
)
def test_addresses_are_stored_normalised(typed, stored):
    assert addresses.format_network(addresses.parse_network(typed)) == stored


@pytest.mark.parametrize(
    "typed",
    ["abc", "203.0.113", "203.0.113.256", "010.0.0.1", "fe80::1%eth0", "1.2.3.4 5"],
)
def test_malformed_addresses_are_refused(typed):
    with pytest.raises(addresses.AddressError, match="bukan IP Address yang valid"):
        addresses.parse_network(typed)


def test_host_bits_are_refused_with_the_range_meant():
    with pytest.raises(addresses.AddressError) as exc:
        addresses.parse_network("203.0.113.7/24")
    assert "Maksud Anda 203.0.113.0/24?" in exc.value.message


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("8.8.8.8", None),
        ("2a00:1450:4001::/48", None),
        ("10.1.2.3", addresses.Special.PRIVATE),
        ("100.64.1.0/24", addresses.Special.PRIVATE),
        ("fd00::1", addresses.Special.PRIVATE),
        ("127.0.0.1", addresses.Special.LOOPBACK),
        ("::1", addresses.Special.LOOPBACK),
        ("169.254.1.1", addresses.Special.LINK_LOCAL),
        ("fe80::1", addresses.Special.LINK_LOCAL),
        ("224.0.0.1", addresses.Special.MULTICAST),
        ("ff02::1", addresses.Special.MULTICAST),
        ("0.0.0.0", addresses.Special.UNSPECIFIED),  # noqa: S104
        ("255.255.255.255", addresses.Special.BROADCAST),
        ("203.0.113.7", addresses.Special.DOCUMENTATION),
        ("2001:db8::1", addresses.Special.DOCUMENTATION),
        ("240.0.0.1", addresses.Special.RESERVED),
        ("198.18.0.1", addresses.Special.RESERVED),
        ("4000::1", addresses.Special.RESERVED),
    ],
)
def test_special_ranges_are_named(typed, kind):
    assert addresses.special_kind(addresses.parse_network(typed)) is kind


def test_request_addresses_unmap_ipv4_and_drop_the_zone():
    assert str(addresses.parse_address("::ffff:8.8.8.8")) == "8.8.8.8"
    assert str(addresses.parse_address("fe80::1%eth0")) == "fe80::1"
    assert addresses.parse_address("not-an-ip") is None
