"""The Callback page: Kirim tes, the list of callbacks with their attempts, Kirim ulang."""

from datetime import timedelta

from django.urls import reverse

from connections.models import CallbackDelivery
from connections.tests.factories import CallbackDeliveryFactory, CallbackEndpointFactory
from portal.models import AuditEvent

PAGE_URL = reverse("connections:callbacks")


def test_kirim_tes_sends_a_signed_test_and_shows_the_answer(
    owner_client, endpoint, receiver
):
    receiver.answer = b'{"status":"OK","pesan":"tes diterima"}'

    response = owner_client.post(
        reverse("connections:callback_test", args=["development"]), follow=True
    )

    content = response.content.decode()
    [received] = receiver.requests
    assert received.signature_valid
    assert received.json["rc"] == "00"
    assert received.json["data"]["test"] is True
    delivery = CallbackDelivery.objects.get()
    assert delivery.is_test
    assert (delivery.status, delivery.attempts) == ("delivered", 1)
    assert "Tes callback berhasil diterima server Anda." in content
    assert "Hasil Kirim Tes (Development)" in content
    assert "tes diterima" in content
    assert AuditEvent.objects.filter(action="callback.test_sent").exists()


def test_a_failing_test_is_tried_once_and_shows_the_status(
    owner_client, endpoint, receiver
):
    receiver.statuses = [500]
    receiver.answer = b"server sedang gangguan"

    response = owner_client.post(
        reverse("connections:callback_test", args=["development"]), follow=True
    )

    content = response.content.decode()
    delivery = CallbackDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", 1)
    assert len(receiver.requests) == 1
    assert "Tes callback gagal." in content
    assert "server sedang gangguan" in content
    assert ">500<" in content


def test_a_test_needs_a_saved_url(owner_client):
    response = owner_client.post(
        reverse("connections:callback_test", args=["production"]), follow=True
    )

    assert (
        "Simpan URL callback Production terlebih dahulu." in response.content.decode()
    )
    assert not CallbackDelivery.objects.exists()


def test_kirim_ulang_sends_a_failed_callback_again(
    owner_client, partner, endpoint, receiver, django_capture_on_commit_callbacks
):
    delivery = CallbackDeliveryFactory(partner=partner, reference_id="INV-77")

    content = owner_client.get(PAGE_URL).content.decode()
    assert reverse("connections:callback_resend", args=[delivery.pk]) in content
    assert 'data-confirm="Yakin kirim ulang callback INV-77?' in content
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            reverse("connections:callback_resend", args=[delivery.pk])
        )

    delivery.refresh_from_db()
    assert response.status_code == 302
    assert (delivery.status, delivery.attempts) == ("delivered", 2)
    assert delivery.attempt_log.get().http_status == 200
    assert receiver.requests[0].body == delivery.body.encode()
    assert receiver.requests[0].signature_valid
    assert AuditEvent.objects.filter(action="callback.resent").exists()


def test_a_resend_that_fails_again_is_one_attempt(
    owner_client, partner, endpoint, receiver, django_capture_on_commit_callbacks
):
    receiver.statuses = [500]
    delivery = CallbackDeliveryFactory(partner=partner)

    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(reverse("connections:callback_resend", args=[delivery.pk]))

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 2)
    assert len(receiver.requests) == 1


def test_a_queued_callback_cannot_be_resent(owner_client, partner):
    delivery = CallbackDeliveryFactory(partner=partner, status="queued")

    response = owner_client.post(
        reverse("connections:callback_resend", args=[delivery.pk]), follow=True
    )

    assert "masih dalam antrean pengiriman" in response.content.decode()
    assert reverse("connections:callback_resend", args=[delivery.pk]) not in (
        response.content.decode()
    )


def test_callbacks_are_listed_newest_first_with_their_attempts(owner_client, partner):
    older = CallbackDeliveryFactory(partner=partner, reference_id="INV-OLD")
    older.created_at -= timedelta(hours=1)
    older.save()
    newer = CallbackDeliveryFactory(partner=partner, reference_id="INV-NEW")
    newer.attempt_log.create(
        at=newer.created_at,
        url=newer.url,
        http_status=502,
        response_excerpt="Bad Gateway dari mitra",
        duration_ms=15,
    )

    content = owner_client.get(PAGE_URL).content.decode()

    assert content.index("INV-NEW") < content.index("INV-OLD")
    assert "Bad Gateway dari mitra" in content
    assert ">502<" in content


def test_the_list_filters_by_environment_and_is_paginated(owner_client, partner):
    for _ in range(12):
        CallbackDeliveryFactory(partner=partner)
    CallbackDeliveryFactory(
        partner=partner, environment="production", reference_id="P1"
    )

    first = owner_client.get(PAGE_URL)
    second = owner_client.get(PAGE_URL, {"page": 2})
    production = owner_client.get(PAGE_URL, {"env": "production"})

    assert len(first.context["deliveries"]) == 10
    assert len(second.context["deliveries"]) == 3
    assert "Halaman 2 dari 2" in second.content.decode()
    assert [d.reference_id for d in production.context["deliveries"]] == ["P1"]


def test_the_query_count_does_not_grow_with_rows(
    owner_client, partner, django_assert_max_num_queries
):
    CallbackEndpointFactory(partner=partner)
    CallbackDeliveryFactory(partner=partner)
    owner_client.get(PAGE_URL)
    with django_assert_max_num_queries(20) as few:
        owner_client.get(PAGE_URL)
    for _ in range(8):
        delivery = CallbackDeliveryFactory(partner=partner)
        delivery.attempt_log.create(at=delivery.created_at, url=delivery.url)
    with django_assert_max_num_queries(len(few.captured_queries)):
        owner_client.get(PAGE_URL)
