"""Buat ulang secret: a new secret at once, signatures follow it, the old one stops."""

from django.urls import reverse

from connections.models import CallbackDelivery
from connections.services import callback_enqueue
from portal.models import AuditEvent

PAYLOAD = {"referenceID": "INV-1", "rc": "00", "description": "SUKSES", "data": {}}


def _regenerate(client, environment="development"):
    return client.post(reverse("connections:callback_secret", args=[environment]))


def test_regenerating_replaces_the_secret_and_is_audited(owner_client, endpoint):
    old = endpoint.secret

    response = _regenerate(owner_client)

    endpoint.refresh_from_db()
    assert response.status_code == 302
    assert endpoint.secret != old
    page = owner_client.get(reverse("connections:callbacks")).content.decode()
    assert "berhasil dibuat ulang" in page
    assert endpoint.secret in page
    assert old not in page
    event = AuditEvent.objects.get(action="callback.secret_regenerated")
    assert old not in str(event.after) and endpoint.secret not in str(event.after)


def test_the_button_asks_for_confirmation(owner_client, endpoint):
    content = owner_client.get(reverse("connections:callbacks")).content.decode()

    assert 'data-confirm="Yakin buat ulang secret callback Development?' in content


def test_the_signature_changes_and_the_old_secret_no_longer_verifies(
    owner_client, partner, endpoint, receiver, django_capture_on_commit_callbacks
):
    def send(reference):
        with django_capture_on_commit_callbacks(execute=True):
            return callback_enqueue(
                partner=partner,
                environment="development",
                payload={**PAYLOAD, "referenceID": reference},
                reference_id=reference,
            )

    send("INV-1")
    _regenerate(owner_client)
    first_signature = receiver.requests[0].headers["X-Signature"]
    receiver.statuses = [200]
    # The receiver still holds the old secret: the next callback fails to verify (401).
    delivery = send("INV-2")

    delivery.refresh_from_db()
    assert receiver.requests[0].signature_valid
    assert not receiver.requests[1].signature_valid
    assert receiver.requests[1].headers["X-Signature"] != first_signature
    assert delivery.attempt_log.first().http_status == 401


def test_regenerating_without_a_url_asks_to_save_one_first(owner_client):
    response = _regenerate(owner_client, "production")

    page = owner_client.get(reverse("connections:callbacks")).content.decode()
    assert response.status_code == 302
    assert "Simpan URL callback Production terlebih dahulu." in page
    assert not CallbackDelivery.objects.exists()
