"""A queued callback whose task was lost (Redis flushed, a worker killed) is queued again by
the periodic sweep, and still keeps to the limit of attempts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from connections.models import CallbackDelivery
from connections.services import callbacks_requeue_lost
from connections.services.callbacks import LOST_AFTER
from connections.tasks import CALLBACK_MAX_ATTEMPTS, callback_sweep
from connections.tests.factories import CallbackDeliveryFactory
from portal.models import AuditEvent

pytestmark = pytest.mark.django_db
QUEUED = CallbackDelivery.Status.QUEUED


def _queued(partner, *, late: timedelta, attempts: int = 0, **extra):
    fields = {"status": QUEUED, "attempts": attempts, **extra}
    return CallbackDeliveryFactory(
        partner=partner, next_attempt_at=timezone.now() - late, **fields
    )


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    def run():
        with django_capture_on_commit_callbacks(execute=True):
            return callback_sweep()

    return run


def test_a_lost_callback_is_sent_again_and_audited(partner, endpoint, receiver, sweep):
    lost = _queued(partner, late=timedelta(hours=2), attempts=1)

    assert sweep() == 1

    lost.refresh_from_db()
    assert lost.status == CallbackDelivery.Status.DELIVERED
    assert lost.attempts == 2
    [received] = receiver.requests
    assert received.signature_valid
    assert received.body == lost.body.encode()
    event = AuditEvent.objects.get(action="callback.requeued")
    assert (event.partner, event.subject_id) == (partner, str(lost.pk))


def test_callbacks_on_their_way_or_finished_are_left_alone(
    partner, endpoint, receiver, sweep
):
    recent = _queued(partner, late=LOST_AFTER - timedelta(minutes=1))
    future = _queued(partner, late=-timedelta(minutes=8))
    done = [
        _queued(partner, late=timedelta(hours=2), status=status)
        for status in (
            CallbackDelivery.Status.DELIVERED,
            CallbackDelivery.Status.FAILED,
        )
    ]
    test = _queued(partner, late=timedelta(hours=2), is_test=True)
    before = {d.pk: d.next_attempt_at for d in (recent, future, test, *done)}

    assert sweep() == 0

    assert receiver.requests == []
    assert {
        d.pk: d.next_attempt_at for d in CallbackDelivery.objects.filter(pk__in=before)
    } == before
    assert not AuditEvent.objects.filter(action="callback.requeued").exists()


def test_a_swept_callback_does_not_start_its_retries_over(
    partner, endpoint, receiver, sweep, settings
):
    settings.CALLBACK_RETRY_BASE_SECONDS = 0
    receiver.statuses = [500]
    lost = _queued(partner, late=timedelta(hours=1), attempts=CALLBACK_MAX_ATTEMPTS - 2)

    sweep()

    lost.refresh_from_db()
    assert len(receiver.requests) == 2
    assert lost.attempts == CALLBACK_MAX_ATTEMPTS
    assert lost.status == CallbackDelivery.Status.FAILED


def test_the_sweep_moves_the_due_time_so_the_next_sweep_waits(partner, endpoint):
    lost = _queued(partner, late=timedelta(hours=3))
    now = timezone.now()

    # Without running the tasks: the next sweep, a minute later, does not queue it twice.
    assert callbacks_requeue_lost(now=now) == 1
    assert callbacks_requeue_lost(now=now + timedelta(minutes=1)) == 0

    lost.refresh_from_db()
    assert lost.next_attempt_at == now
    assert lost.status == QUEUED
