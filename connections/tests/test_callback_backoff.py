"""The waits between attempts double from a configurable base; a redirect is not followed."""

from datetime import timedelta

from django.utils import timezone

from connections.models import CallbackDelivery
from connections.services import callback_attempt
from connections.tasks import callback_retry_delay
from connections.tests.factories import CallbackDeliveryFactory


def test_the_default_back_off_doubles_from_30_seconds(settings):
    del settings.CALLBACK_RETRY_BASE_SECONDS  # not set in portal/settings.py either

    delays = [callback_retry_delay(n) for n in range(6)]

    assert delays == [30, 60, 120, 240, 480, 960]


def test_the_base_comes_from_the_setting(settings):
    settings.CALLBACK_RETRY_BASE_SECONDS = 2

    assert [callback_retry_delay(n) for n in range(3)] == [2, 4, 8]


def test_a_failed_attempt_with_a_retry_left_stays_queued_until_its_time(
    endpoint, receiver, partner
):
    receiver.statuses = [503]
    delivery = CallbackDeliveryFactory(
        partner=partner, status=CallbackDelivery.Status.QUEUED, attempts=0
    )
    before = timezone.now()

    attempt = callback_attempt(delivery=delivery, retry_in=120)

    delivery.refresh_from_db()
    assert attempt.http_status == 503
    assert delivery.status == CallbackDelivery.Status.QUEUED
    assert delivery.attempts == 1
    assert before + timedelta(seconds=119) < delivery.next_attempt_at
    assert delivery.next_attempt_at < timezone.now() + timedelta(seconds=121)


def test_a_redirect_is_not_followed(endpoint, receiver, partner):
    receiver.statuses = [302]
    delivery = CallbackDeliveryFactory(
        partner=partner, status=CallbackDelivery.Status.QUEUED, attempts=0
    )

    attempt = callback_attempt(delivery=delivery)

    delivery.refresh_from_db()
    assert attempt.http_status == 302
    assert "Redirect tidak diikuti" in attempt.error
    assert delivery.status == CallbackDelivery.Status.FAILED
    assert len(receiver.requests) == 1
