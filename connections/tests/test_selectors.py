"""ip_allowed over whitelist_entries: may IP x call environment y for this partner? And
has_approved_entry."""

import pytest

from connections.selectors import has_approved_entry, ip_allowed, whitelist_entries
from connections.tests.factories import ConnectionFactory


@pytest.fixture
def whitelist(partner):
    for address in ("36.94.12.7", "36.94.13.0/28", "2404:c0:1::7", "2404:c0:2::/48"):
        ConnectionFactory(
            partner=partner, environment="production", address=address, approved=True
        )
    return partner


@pytest.mark.parametrize(
    ("ip", "allowed"),
    [
        ("36.94.12.7", True),
        ("36.94.12.8", False),
        ("36.94.13.0", True),
        ("36.94.13.15", True),
        ("36.94.13.16", False),
        ("2404:c0:1::7", True),
        ("2404:C0:1:0::7", True),
        ("2404:c0:1::8", False),
        ("2404:c0:2:ffff::1", True),
        ("2404:c0:3::1", False),
        ("::ffff:36.94.12.7", True),
        ("::ffff:36.94.13.9", True),
        ("::ffff:36.94.12.8", False),
        (" 36.94.12.7 ", True),
        ("", False),
        ("not-an-ip", False),
        ("36.94.13.0/28", False),
    ],
)
def test_ip_allowed_matches_addresses_and_ranges(whitelist, ip, allowed):
    assert (
        ip_allowed(
            ip=ip,
            entries=whitelist_entries(partner=whitelist, environment="production"),
        )
        is allowed
    )


def test_entries_count_only_in_their_environment(whitelist):
    assert not ip_allowed(
        ip="36.94.12.7",
        entries=whitelist_entries(partner=whitelist, environment="development"),
    )


def test_entries_count_only_for_their_partner(whitelist, outsider):
    assert not ip_allowed(
        ip="36.94.12.7",
        entries=whitelist_entries(partner=outsider.partner, environment="production"),
    )


@pytest.mark.parametrize("state", [{}, {"rejected": True}])
def test_pending_and_rejected_entries_do_not_match(partner, state):
    ConnectionFactory(
        partner=partner, environment="production", address="36.94.12.0/24", **state
    )

    assert not ip_allowed(
        ip="36.94.12.7",
        entries=whitelist_entries(partner=partner, environment="production"),
    )


def test_deleted_entries_do_not_match(partner):
    entry = ConnectionFactory(
        partner=partner, environment="production", address="36.94.12.7", approved=True
    )
    entry.deleted_at = entry.created_at
    entry.save()

    assert not ip_allowed(
        ip="36.94.12.7",
        entries=whitelist_entries(partner=partner, environment="production"),
    )


def test_a_mapped_entry_serves_both_loopback_forms(partner):
    ConnectionFactory(
        partner=partner, environment="development", address="127.0.0.1", approved=True
    )

    assert ip_allowed(
        ip="::ffff:127.0.0.1",
        entries=whitelist_entries(partner=partner, environment="development"),
    )
    assert not ip_allowed(
        ip="::1", entries=whitelist_entries(partner=partner, environment="development")
    )


def test_ip_allowed_is_one_query(whitelist, django_assert_num_queries):
    with django_assert_num_queries(1):
        ip_allowed(
            ip="2404:c0:2::1",
            entries=whitelist_entries(partner=whitelist, environment="production"),
        )


def test_has_approved_entry_per_environment(partner):
    ConnectionFactory(partner=partner, environment="production")
    assert not has_approved_entry(partner=partner)

    ConnectionFactory(partner=partner, environment="development", approved=True)

    assert has_approved_entry(partner=partner)
    assert has_approved_entry(partner=partner, environment="development")
    assert not has_approved_entry(partner=partner, environment="production")
