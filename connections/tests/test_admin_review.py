"""Staff decide entries in the back-office through the shared review actions."""

from django.urls import reverse

from accounts.tests.helpers import email_button_link
from connections.tests.factories import ConnectionFactory
from portal.lib.review import ReviewStatus
from portal.models import AuditEvent

CHANGELIST = reverse("admin:connections_connection_changelist")


def _act(client, action, entries, **extra):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [e.pk for e in entries], **extra},
        follow=True,
    )


def _html(message):
    (html,) = [c for c, mimetype in message.alternatives if mimetype == "text/html"]
    return html


def test_approving_whitelists_the_entry_and_emails_the_owner(
    partner, owner, staff, staff_client, send, mailoutbox
):
    entry = ConnectionFactory(
        partner=partner, environment="production", address="36.94.12.7"
    )

    response = send(_act, staff_client, "review_approve", [entry])

    assert "1 pengajuan disetujui." in response.content.decode()
    entry.refresh_from_db()
    assert entry.review_status == ReviewStatus.APPROVED
    assert entry.decided_by == staff and entry.decided_at is not None
    event = AuditEvent.objects.get(action="connection.approved")
    assert (event.partner, event.actor, event.subject_id) == (
        partner,
        staff,
        str(entry.pk),
    )
    (message,) = mailoutbox
    assert message.to == [owner.email]
    assert message.subject == "Disetujui: Koneksi IP Address: 36.94.12.7 (Production)"
    assert "36.94.12.7 (Production) telah disetujui" in message.body
    assert "36.94.12.7 (Production)</strong> telah disetujui" in _html(message)
    assert email_button_link(message, "Buka Portal") == reverse("connections:list")


def test_rejecting_asks_a_reason_then_emails_it(
    partner, owner, staff_client, send, mailoutbox
):
    entry = ConnectionFactory(partner=partner, address="36.94.12.7")

    asked = _act(staff_client, "review_reject", [entry])
    assert "Alasan penolakan" in asked.content.decode()
    entry.refresh_from_db()
    assert entry.review_status == ReviewStatus.PENDING

    send(_act, staff_client, "review_reject", [entry], reason="Bukan IP server Anda.")

    entry.refresh_from_db()
    assert entry.review_status == ReviewStatus.REJECTED
    assert entry.review_reason == "Bukan IP server Anda."
    event = AuditEvent.objects.get(action="connection.rejected")
    assert event.after["review_reason"] == "Bukan IP server Anda."
    (message,) = mailoutbox
    assert message.subject.startswith("Ditolak: Koneksi IP Address: 36.94.12.7")
    assert "Alasan: Bukan IP server Anda." in message.body
    assert "Alasan: Bukan IP server Anda." in _html(message)


def test_the_partner_reads_the_decision_on_the_list(
    partner, staff_client, client, owner
):
    entry = ConnectionFactory(partner=partner, address="36.94.12.7")
    _act(staff_client, "review_reject", [entry], reason="Bukan IP server Anda.")

    client.force_login(owner)
    content = client.get(reverse("connections:list")).content.decode()

    assert "Ditolak" in content and "Alasan: Bukan IP server Anda." in content


def test_a_decided_entry_is_not_decided_again(partner, staff_client, send, mailoutbox):
    entry = ConnectionFactory(partner=partner, approved=True)

    response = send(_act, staff_client, "review_reject", [entry], reason="Berubah.")

    assert "sudah diputuskan" in response.content.decode()
    entry.refresh_from_db()
    assert entry.review_status == ReviewStatus.APPROVED
    assert mailoutbox == []


def test_an_entry_deleted_by_the_partner_cannot_be_decided(
    partner, staff_client, send, mailoutbox
):
    entry = ConnectionFactory(partner=partner, address="36.94.12.7")
    entry.deleted_at = entry.created_at
    entry.save()

    response = send(_act, staff_client, "review_approve", [entry])

    assert "sudah dihapus oleh mitra" in response.content.decode()
    entry.refresh_from_db()
    assert entry.review_status == ReviewStatus.PENDING
    assert not AuditEvent.objects.filter(action="connection.approved").exists()
    assert mailoutbox == []


def test_the_detail_page_approves_with_its_own_button(partner, staff_client, send):
    entry = ConnectionFactory(partner=partner)
    change_url = reverse("admin:connections_connection_change", args=[entry.pk])
    assert "Setujui" in staff_client.get(change_url).content.decode()

    send(
        staff_client.post,
        reverse("admin:connections_connection_review", args=[entry.pk]),
        {"decision": "approve"},
    )

    entry.refresh_from_db()
    assert entry.review_status == ReviewStatus.APPROVED


def test_staff_filter_by_status_and_environment_and_search(partner, staff_client):
    ConnectionFactory(partner=partner, environment="production", address="36.94.12.7")
    ConnectionFactory(partner=partner, environment="development", address="36.94.12.8")
    ConnectionFactory(
        partner=partner, environment="production", address="36.94.12.9", approved=True
    )

    filtered = staff_client.get(
        CHANGELIST, {"review_status": "pending", "environment": "production"}
    )
    by_ip = staff_client.get(CHANGELIST, {"q": "36.94.12.8"})
    by_partner = staff_client.get(CHANGELIST, {"q": partner.code})

    assert [c.address for c in filtered.context["cl"].result_list] == ["36.94.12.7"]
    assert [c.address for c in by_ip.context["cl"].result_list] == ["36.94.12.8"]
    assert len(by_partner.context["cl"].result_list) == 3
