"""A rejected entry is corrected (Perbaiki) and submitted again."""

from django.urls import reverse

from connections.tests.factories import ConnectionFactory
from portal.lib.review import ReviewStatus
from portal.models import AuditEvent


def _url(entry):
    return reverse("connections:edit", args=[entry.pk])


def test_the_list_offers_perbaiki_on_rejected_entries_only(owner_client, partner):
    rejected = ConnectionFactory(partner=partner, rejected=True)
    pending = ConnectionFactory(partner=partner)

    content = owner_client.get(reverse("connections:list")).content.decode()

    assert _url(rejected) in content
    assert _url(pending) not in content


def test_the_form_shows_the_reason_and_what_was_registered(owner_client, partner):
    entry = ConnectionFactory(
        partner=partner, address="36.94.12.7", rejected=True, review_reason="Salah IP."
    )

    response = owner_client.get(_url(entry))

    content = response.content.decode()
    assert "Alasan: Salah IP." in content
    assert 'value="36.94.12.7"' in content


def test_a_corrected_entry_goes_back_to_the_queue(owner_client, partner, owner):
    entry = ConnectionFactory(
        partner=partner, environment="development", address="36.94.12.7", rejected=True
    )

    response = owner_client.post(
        _url(entry), {"environment": "production", "address": "36.94.12.8"}, follow=True
    )

    assert "Data berhasil disimpan" in response.content.decode()
    entry.refresh_from_db()
    assert (entry.environment, entry.address) == ("production", "36.94.12.8")
    assert entry.review_status == ReviewStatus.PENDING
    assert entry.review_reason == ""
    assert entry.decided_at is None
    updated = AuditEvent.objects.get(action="connection.updated")
    assert updated.before["address"] == "36.94.12.7"
    assert updated.after["address"] == "36.94.12.8"
    submitted = AuditEvent.objects.get(action="connection.submitted")
    assert (submitted.actor, submitted.after) == (owner, {"review_status": "pending"})


def test_resubmitting_unchanged_is_allowed(owner_client, partner):
    entry = ConnectionFactory(partner=partner, address="36.94.12.7", rejected=True)

    owner_client.post(
        _url(entry), {"environment": "development", "address": "36.94.12.7"}
    )

    entry.refresh_from_db()
    assert entry.review_status == ReviewStatus.PENDING


def test_the_rules_apply_to_the_correction(owner_client, partner):
    ConnectionFactory(partner=partner, environment="production", address="36.94.12.8")
    entry = ConnectionFactory(partner=partner, address="36.94.12.7", rejected=True)

    response = owner_client.post(
        _url(entry), {"environment": "production", "address": "36.94.12.8"}
    )

    assert response.context["form"].errors["address"] == [
        "36.94.12.8 sudah terdaftar untuk Production (status: Menunggu)."
    ]
    entry.refresh_from_db()
    assert entry.review_status == ReviewStatus.REJECTED


def test_pending_and_approved_entries_cannot_be_edited(owner_client, partner):
    for entry in (
        ConnectionFactory(partner=partner),
        ConnectionFactory(partner=partner, approved=True),
    ):
        response = owner_client.post(
            _url(entry), {"environment": "development", "address": "36.94.1.1"}
        )
        assert response.status_code == 302
        entry.refresh_from_db()
        assert entry.address != "36.94.1.1"


def test_another_partners_entry_is_not_found(owner_client, outsider):
    entry = ConnectionFactory(partner=outsider.partner, rejected=True)

    assert owner_client.get(_url(entry)).status_code == 404
    assert owner_client.post(_url(entry), {}).status_code == 404
