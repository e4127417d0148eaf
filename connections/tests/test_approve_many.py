"""Approving several IP Addresses at once sends each partner one email listing them."""

from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import PartnerFactory, UserFactory
from connections.models import Connection
from connections.services import connection_approve_many
from connections.tests.factories import ConnectionFactory
from portal.lib.review import ReviewStatus
from portal.models import AuditEvent

CHANGELIST = reverse("admin:connections_connection_changelist")


def _approve(client, entries):
    return client.post(
        CHANGELIST,
        {"action": "review_approve", "_selected_action": [e.pk for e in entries]},
        follow=True,
    )


def test_one_email_per_partner_listing_its_approved_entries(
    partner, owner, staff, staff_client, send, mailoutbox
):
    other_owner = UserFactory(partner=PartnerFactory())
    mine = [
        ConnectionFactory(partner=partner, environment="production", address=address)
        for address in ("36.94.12.9", "36.94.12.7", "36.94.12.8")
    ]
    theirs = ConnectionFactory(partner=other_owner.partner, address="103.1.2.3")

    response = send(_approve, staff_client, [*mine, theirs])

    assert "4 pengajuan disetujui." in response.content.decode()
    assert set(Connection.objects.values_list("review_status", flat=True)) == {
        ReviewStatus.APPROVED
    }
    events = AuditEvent.objects.filter(action="connection.approved")
    assert sorted(int(e.subject_id) for e in events) == sorted(
        e.pk for e in [*mine, theirs]
    )
    assert {e.actor for e in events} == {staff}
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [owner.email, other_owner.email]
    )
    (message,) = [m for m in mailoutbox if m.to == [owner.email]]
    assert message.subject == "Disetujui: 3 Koneksi IP Address"
    listed = [line for line in message.body.splitlines() if line.startswith("- ")]
    assert listed == [
        "- 36.94.12.7 (Production)",
        "- 36.94.12.8 (Production)",
        "- 36.94.12.9 (Production)",
    ]
    (html,) = [c for c, mimetype in message.alternatives if mimetype == "text/html"]
    assert "<li><strong>36.94.12.8 (Production)</strong></li>" in html
    (single,) = [m for m in mailoutbox if m.to == [other_owner.email]]
    assert single.subject.startswith("Disetujui: Koneksi IP Address: 103.1.2.3")


def test_entries_that_cannot_be_approved_are_reported_and_left_out(
    partner, owner, staff, staff_client, send, mailoutbox
):
    waiting = ConnectionFactory(partner=partner, address="36.94.12.7")
    deleted = ConnectionFactory(
        partner=partner, address="36.94.12.8", deleted_at=timezone.now()
    )
    decided = ConnectionFactory(partner=partner, address="36.94.12.9", rejected=True)

    response = send(_approve, staff_client, [waiting, deleted, decided])

    html = response.content.decode()
    assert "1 pengajuan disetujui." in html
    assert "sudah dihapus oleh mitra" in html
    assert "sudah diputuskan" in html
    deleted.refresh_from_db()
    decided.refresh_from_db()
    assert deleted.review_status == ReviewStatus.PENDING
    assert decided.review_status == ReviewStatus.REJECTED
    (message,) = mailoutbox
    assert "36.94.12.7 (Development) telah disetujui" in message.body
    assert "36.94.12.8" not in message.body


def test_the_service_sends_nothing_when_nothing_was_approved(
    partner, staff, send, mailoutbox
):
    decided = ConnectionFactory(partner=partner, approved=True)

    approved, refused = send(
        connection_approve_many, connections=[decided], actor=staff
    )

    assert approved == [] and len(refused) == 1
    assert mailoutbox == []
    assert not AuditEvent.objects.filter(action="connection.approved").exists()
