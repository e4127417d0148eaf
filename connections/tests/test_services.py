"""The services other code calls: staff create approved entries; the rules hold for all."""

import pytest

from accounts.models import Partner
from connections.models import Connection
from connections.selectors import ip_allowed, whitelist_entries
from connections.services import (
    ConnectionEntryError,
    connection_create,
    connection_delete,
)
from portal.lib.review import ReviewStatus
from portal.models import AuditEvent


def test_staff_create_an_approved_loopback_entry_in_production(partner, staff):
    entry = connection_create(
        partner=partner,
        environment="production",
        address="127.0.0.1",
        actor=staff,
        approved=True,
    )

    assert entry.review_status == ReviewStatus.APPROVED
    assert (entry.decided_by, entry.created_by) == (staff, staff)
    assert ip_allowed(
        ip="127.0.0.1",
        entries=whitelist_entries(partner=partner, environment="production"),
    )
    event = AuditEvent.objects.get(action="connection.created")
    assert event.after["review_status"] == "approved"


def test_a_partner_user_cannot_create_an_approved_entry(partner, owner):
    with pytest.raises(ConnectionEntryError, match="Hanya staff"):
        connection_create(
            partner=partner,
            environment="development",
            address="36.94.12.7",
            actor=owner,
            approved=True,
        )
    assert not Connection.objects.exists()


def test_a_partner_user_cannot_whitelist_loopback_in_production(partner, owner):
    with pytest.raises(ConnectionEntryError) as exc:
        connection_create(
            partner=partner, environment="production", address="::1", actor=owner
        )
    assert exc.value.field == "address"
    assert "alamat loopback" in exc.value.message


def test_staff_still_respect_the_prefix_limit_and_multicast(partner, staff):
    for address in ("36.94.0.0/16", "224.0.0.1"):
        with pytest.raises(ConnectionEntryError):
            connection_create(
                partner=partner,
                environment="production",
                address=address,
                actor=staff,
                approved=True,
            )


def test_an_inactive_partner_is_refused(partner, owner):
    partner.status = Partner.Status.PENDING
    partner.save()

    with pytest.raises(ConnectionEntryError, match="mitra berstatus Aktif"):
        connection_create(
            partner=partner,
            environment="development",
            address="36.94.12.7",
            actor=owner,
        )


def test_deleting_twice_is_refused(partner, staff):
    entry = connection_create(
        partner=partner, environment="development", address="36.94.12.7", actor=staff
    )
    connection_delete(connection=entry, actor=staff)

    with pytest.raises(ConnectionEntryError, match="sudah dihapus"):
        connection_delete(connection=entry, actor=staff)
