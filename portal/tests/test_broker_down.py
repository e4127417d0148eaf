"""Redis down: the requests whose data is committed still answer normally, their emails
stay queued, and the periodic sweep sends them once the broker is back."""

import logging
import socket
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.tests.helpers import REGISTRATION
from portal.celery import app as celery_app
from portal.lib.email import LOST_AFTER, email_queue, email_requeue_lost
from portal.lib.tasks import task_enqueue
from portal.models import EmailOutbox
from portal.tasks import email_send

pytestmark = pytest.mark.django_db


def _dead_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _broker_reset() -> None:
    # Celery keeps its connection pools to the broker it first used; forget them so that the
    # next publish connects to the broker now configured.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def dead_broker():
    """Tasks really published (not run eagerly), to a Redis port where nothing listens."""
    conf = celery_app.conf
    saved = conf.broker_url, conf.task_always_eager
    conf.broker_url = f"redis://127.0.0.1:{_dead_port()}/0"
    conf.task_always_eager = False
    _broker_reset()
    yield
    conf.broker_url, conf.task_always_eager = saved
    _broker_reset()


def _broker_back() -> None:
    """The broker is back: tasks run at once (eagerly), as in the other tests."""
    celery_app.conf.task_always_eager = True


def _age(outbox_ids, by=LOST_AFTER + timedelta(minutes=1)) -> None:
    EmailOutbox.objects.filter(pk__in=outbox_ids).update(created_at=timezone.now() - by)


def _sweep(django_capture_on_commit_callbacks) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return email_requeue_lost()


# Really committed, so that the tasks are published while the request runs, as in production.
@pytest.mark.django_db(transaction=True)
def test_registration_answers_normally_and_the_sweep_sends_the_email_later(
    client, dead_broker, mailoutbox, caplog
):
    with caplog.at_level(logging.ERROR, logger="portal.lib.tasks"):
        response = client.post(reverse("accounts:register"), REGISTRATION)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:verify_email")
    page = client.get(response["Location"]).content.decode()
    assert "Kami telah mengirim email aktivasi ke" in page
    user = User.objects.get(email=REGISTRATION["email"])
    outbox = EmailOutbox.objects.get(user=user, template="activation")
    assert outbox.status == EmailOutbox.Status.QUEUED
    assert mailoutbox == []
    assert "broker is unreachable" in caplog.text

    _broker_back()
    _age([outbox.pk])
    assert email_requeue_lost() == 1

    outbox.refresh_from_db()
    assert outbox.status == EmailOutbox.Status.SENT
    assert [m.to for m in mailoutbox] == [[user.email]]


@pytest.mark.django_db(transaction=True)
def test_password_reset_answers_normally_and_the_sweep_sends_the_link_later(
    client, owner, dead_broker, mailoutbox
):
    response = client.post(
        reverse("accounts:password_reset"), {"email": owner.email}, follow=True
    )

    assert response.status_code == 200
    assert "link untuk membuat password baru telah dikirim" in response.content.decode()
    outbox = EmailOutbox.objects.get(user=owner, template="password_reset")
    assert outbox.status == EmailOutbox.Status.QUEUED
    assert mailoutbox == []

    _broker_back()
    _age([outbox.pk])
    assert email_requeue_lost() == 1

    outbox.refresh_from_db()
    assert outbox.status == EmailOutbox.Status.SENT
    assert mailoutbox[0].to == [owner.email]
    assert "/akun/reset/" in mailoutbox[0].body


def test_a_sweep_while_the_broker_is_still_down_keeps_the_email_queued(
    owner, dead_broker, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outbox = email_queue(
            to=owner.email,
            template="registration_attempt",
            context={"user": owner, "login_url": "http://testserver/akun/login/"},
            user=owner,
        )
    _age([outbox.pk])

    assert _sweep(django_capture_on_commit_callbacks) == 1

    outbox.refresh_from_db()
    assert outbox.status == EmailOutbox.Status.QUEUED
    assert outbox.attempts == 0
    assert mailoutbox == []


def test_the_sweep_leaves_young_emails_and_emails_waiting_for_their_retry(
    owner, mailoutbox, django_capture_on_commit_callbacks
):
    young = EmailOutbox.objects.create(to=owner.email, template="t", subject="s")
    retrying = EmailOutbox.objects.create(
        to=owner.email, template="t", subject="s", attempts=1, last_error="SMTP down"
    )
    sent = EmailOutbox.objects.create(
        to=owner.email, template="t", subject="s", status=EmailOutbox.Status.SENT
    )
    _age([retrying.pk, sent.pk])

    assert _sweep(django_capture_on_commit_callbacks) == 0
    assert mailoutbox == []
    young.refresh_from_db()
    assert (young.status, young.attempts) == (EmailOutbox.Status.QUEUED, 0)


def test_a_task_is_published_only_when_the_transaction_commits(
    owner, mailoutbox, django_capture_on_commit_callbacks
):
    outbox = EmailOutbox.objects.create(to=owner.email, template="t", subject="s")
    with django_capture_on_commit_callbacks() as callbacks:
        task_enqueue(email_send, outbox.pk)
        assert mailoutbox == []
    assert len(callbacks) == 1
