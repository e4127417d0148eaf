"""The caller's statement and the product lookup are made of the owning apps' rules: they
read what those apps' own selectors read."""

import pytest

from connections.selectors import ip_allowed, whitelist_entries
from connections.tests.factories import ConnectionFactory
from openapi.selectors import ProductQuery, caller_for, product_lookup
from openapi.tests.factories import CredentialFactory
from portal.lib.environments import Environment
from products.models import PartnerProduct
from products.selectors import partner_product_state
from products.tests.factories import PartnerProductFactory

pytestmark = pytest.mark.django_db

ENTRIES = ["203.0.113.0/28", "2001:db8:5::/48", "198.51.100.7", "::ffff:192.0.2.0/120"]
CALLERS = [
    "203.0.113.1",
    "203.0.113.15",
    "203.0.113.16",
    "2001:db8:5::1",
    "2001:db8:6::1",
    "198.51.100.7",
    "::ffff:198.51.100.7",
    "192.0.2.9",
    "fe80::1%eth0",
    "not-an-ip",
    "",
]


@pytest.mark.parametrize("ip", CALLERS)
def test_the_caller_statement_brings_the_whitelist_of_whitelist_entries(partner, ip):
    credential = CredentialFactory(partner=partner)
    for entry in ENTRIES:
        ConnectionFactory(
            partner=partner, environment="development", address=entry, approved=True
        )

    found = caller_for(username=credential.username)

    entries = whitelist_entries(partner=partner, environment="development")
    assert sorted(found.whitelist) == sorted(entries) == sorted(ENTRIES)
    assert ip_allowed(ip=ip, entries=found.whitelist) == ip_allowed(
        ip=ip, entries=entries
    )


def test_caller_for_brings_only_approved_entries_of_its_environment(partner):
    credential = CredentialFactory(partner=partner)
    ConnectionFactory(partner=partner, address="203.0.113.1", approved=True)
    ConnectionFactory(partner=partner, address="203.0.113.2")  # pending
    ConnectionFactory(partner=partner, address="203.0.113.3", rejected=True)
    ConnectionFactory(
        partner=partner, environment="production", address="203.0.113.4", approved=True
    )
    deleted = ConnectionFactory(partner=partner, address="203.0.113.5", approved=True)
    deleted.deleted_at = deleted.decided_at
    deleted.save()

    found = caller_for(username=credential.username)

    assert found.whitelist == ["203.0.113.1"]
    assert found.credential.pk == credential.pk
    assert found.credential.ha1 == credential.ha1
    assert found.partner.status == partner.status
    assert found.credential.partner is found.partner
    assert not found.signon_blocked and not found.session_valid
    assert caller_for(username="tidak.ada") is None


@pytest.mark.parametrize("state", [None, *PartnerProduct.State.values])
@pytest.mark.parametrize("environment", list(Environment))
def test_the_product_lookup_reads_the_state_partner_product_state_reads(
    partner, state, environment
):
    chosen = PartnerProductFactory(partner=partner, state=state or "development")
    if state is None:
        chosen.delete()

    found = product_lookup(
        query=ProductQuery(chosen.product.code),
        partner=partner,
        environment=environment,
    )

    assert found.partner_state == state
    assert found.partner_state == partner_product_state(partner, chosen.product)
