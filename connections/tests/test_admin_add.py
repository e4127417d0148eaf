"""Staff add an already approved entry in the back-office (e.g. loopback for the demo)."""

from django.urls import reverse

from connections.models import Connection
from connections.tests.factories import ConnectionFactory
from portal.lib.review import ReviewStatus
from portal.models import AuditEvent

ADD_URL = reverse("admin:connections_connection_add")


def test_staff_whitelist_loopback_in_production(partner, staff, staff_client):
    response = staff_client.post(
        ADD_URL,
        {
            "partner": partner.pk,
            "environment": "production",
            "address": "::1",
            "approved": "on",
        },
    )

    assert response.status_code == 302
    entry = Connection.objects.get()
    assert (entry.address, entry.review_status) == ("::1", ReviewStatus.APPROVED)
    assert entry.decided_by == staff
    assert AuditEvent.objects.get(action="connection.created").actor == staff


def test_staff_are_still_refused_a_duplicate(partner, staff_client):
    ConnectionFactory(partner=partner, environment="production", address="36.94.12.7")

    response = staff_client.post(
        ADD_URL,
        {"partner": partner.pk, "environment": "production", "address": "36.94.12.7"},
    )

    assert response.status_code == 200
    assert "sudah terdaftar untuk Production" in response.content.decode()
    assert Connection.objects.count() == 1


def test_staff_remove_entries_with_an_audited_action(partner, staff, staff_client):
    entry = ConnectionFactory(partner=partner, approved=True)

    staff_client.post(
        reverse("admin:connections_connection_changelist"),
        {"action": "delete_entries", "_selected_action": [entry.pk]},
    )

    entry.refresh_from_db()
    assert entry.is_deleted
    assert AuditEvent.objects.get(action="connection.deleted").actor == staff
