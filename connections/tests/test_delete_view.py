"""Hapus: POST only, after the shared confirmation modal; the entry stops counting at once."""

from django.urls import reverse

from connections.models import Connection
from connections.selectors import ip_allowed, whitelist_entries
from connections.tests.factories import ConnectionFactory
from portal.models import AuditEvent


def _url(entry):
    return reverse("connections:delete", args=[entry.pk])


def test_the_list_asks_for_confirmation_before_deleting(owner_client, partner):
    entry = ConnectionFactory(partner=partner, address="36.94.12.7")

    content = owner_client.get(reverse("connections:list")).content.decode()

    assert f'action="{_url(entry)}"' in content
    assert 'data-confirm="Yakin hapus IP Address 36.94.12.7 (Development)?' in content


def test_delete_removes_the_entry_from_the_whitelist_at_once(
    owner_client, partner, owner
):
    entry = ConnectionFactory(
        partner=partner, environment="production", address="36.94.12.7", approved=True
    )
    assert ip_allowed(
        ip="36.94.12.7",
        entries=whitelist_entries(partner=partner, environment="production"),
    )

    response = owner_client.post(_url(entry), follow=True)

    assert "IP Address 36.94.12.7 (Production) berhasil dihapus." in (
        response.content.decode()
    )
    entry.refresh_from_db()
    assert entry.deleted_at is not None and entry.deleted_by == owner
    assert not ip_allowed(
        ip="36.94.12.7",
        entries=whitelist_entries(partner=partner, environment="production"),
    )
    assert (
        "36.94.12.7"
        not in owner_client.get(reverse("connections:list")).content.decode()
    )
    event = AuditEvent.objects.get(action="connection.deleted")
    assert (event.partner, event.actor, event.subject_id) == (
        partner,
        owner,
        str(entry.pk),
    )
    assert event.before["address"] == "36.94.12.7"


def test_get_does_not_delete(owner_client, partner):
    entry = ConnectionFactory(partner=partner)

    response = owner_client.get(_url(entry))

    assert response.status_code == 405
    assert Connection.objects.not_deleted().filter(pk=entry.pk).exists()


def test_another_partners_entry_is_not_found(owner_client, outsider):
    entry = ConnectionFactory(partner=outsider.partner)

    response = owner_client.post(_url(entry))

    assert response.status_code == 404
    assert Connection.objects.not_deleted().filter(pk=entry.pk).exists()


def test_a_deleted_entry_is_not_found_again(owner_client, partner):
    entry = ConnectionFactory(partner=partner)
    owner_client.post(_url(entry))

    assert owner_client.post(_url(entry)).status_code == 404
    assert AuditEvent.objects.filter(action="connection.deleted").count() == 1
