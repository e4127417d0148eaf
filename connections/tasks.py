"""Callbacks are sent by a task: one attempt per run, retried with exponential back-off."""

from celery import shared_task
from django.conf import settings

from connections.models import CallbackDelivery
from connections.services import callback_attempt, callbacks_requeue_lost

# The first attempt and six retries: 30 s, 1, 2, 4, 8 and 16 minutes later (with the default
# base), about half an hour in all before a callback is marked failed.
CALLBACK_MAX_ATTEMPTS = 7


def callback_retry_delay(retries: int) -> int:
    """Seconds to wait before retry number ``retries + 1``."""
    base = getattr(settings, "CALLBACK_RETRY_BASE_SECONDS", 30)
    return int(base * 2**retries)


@shared_task(bind=True, max_retries=CALLBACK_MAX_ATTEMPTS - 1)
def callback_deliver(self, delivery_id: int, retry: bool = True) -> None:
    """Send one queued callback. ``retry=False`` (a resend) makes exactly one attempt."""
    delivery = CallbackDelivery.objects.filter(pk=delivery_id).first()
    if delivery is None or delivery.status != CallbackDelivery.Status.QUEUED:
        return
    # Attempts already made count too: a callback queued again by the sweep (its task was
    # lost) does not start the series of retries over.
    done = max(self.request.retries, delivery.attempts)
    retry_in = None
    if retry and done < self.max_retries:
        retry_in = callback_retry_delay(done)
    attempt = callback_attempt(delivery=delivery, retry_in=retry_in)
    if (
        attempt.delivery.status == CallbackDelivery.Status.QUEUED
        and retry_in is not None
    ):
        raise self.retry(countdown=retry_in)


@shared_task
def callback_sweep() -> int:
    """Queue again the callbacks whose task was lost (periodic, ``connections.schedule``)."""
    return callbacks_requeue_lost()
