"""Staff see every callback with its attempts and can send failed ones again."""

from django.urls import reverse

from connections.models import CallbackDelivery
from connections.tests.factories import CallbackDeliveryFactory, CallbackEndpointFactory
from portal.models import AuditEvent


def test_staff_see_a_callback_with_its_attempts_but_not_the_secret(
    partner, staff_client
):
    endpoint = CallbackEndpointFactory(partner=partner)
    delivery = CallbackDeliveryFactory(partner=partner, reference_id="INV-9")
    delivery.attempt_log.create(
        at=delivery.created_at, url=delivery.url, http_status=500, duration_ms=3
    )

    listing = staff_client.get(reverse("admin:connections_callbackdelivery_changelist"))
    detail = staff_client.get(
        reverse("admin:connections_callbackdelivery_change", args=[delivery.pk])
    )
    endpoints = staff_client.get(
        reverse("admin:connections_callbackendpoint_change", args=[endpoint.pk])
    )

    assert "INV-9" in listing.content.decode()
    assert "500" in detail.content.decode()
    assert endpoint.secret not in endpoints.content.decode()


def test_staff_resend_failed_callbacks(
    partner, staff, staff_client, endpoint, receiver, django_capture_on_commit_callbacks
):
    delivery = CallbackDeliveryFactory(partner=partner)

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            reverse("admin:connections_callbackdelivery_changelist"),
            {"action": "resend", "_selected_action": [delivery.pk]},
        )

    delivery.refresh_from_db()
    assert delivery.status == CallbackDelivery.Status.DELIVERED
    assert receiver.requests[0].signature_valid
    assert AuditEvent.objects.get(action="callback.resent").actor == staff
