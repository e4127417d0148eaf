"""The whole way for real: a Celery worker on Redis sends the activation email to an SMTP
server, and the link that arrives there activates the account."""

import os
import threading
import time
import uuid
from email import message_from_bytes, policy

import pytest
import redis
from aiosmtpd.controller import Controller
from celery.contrib.testing.worker import start_worker
from celery.signals import task_prerun
from django.urls import reverse

from accounts.models import User
from accounts.tests.helpers import REGISTRATION, button_link
from portal.celery import app as celery_app
from portal.models import EmailOutbox
from tests_journey.deployment import free_port

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


class Inbox:
    """aiosmtpd handler that keeps every message it is given."""

    def __init__(self):
        self.messages: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope.content)
        return "250 Message accepted for delivery"

    def wait_for_message(self, timeout: float = 30.0) -> bytes:
        deadline = time.monotonic() + timeout
        while not self.messages:
            assert time.monotonic() < deadline, "no email reached the SMTP server"
            time.sleep(0.1)
        return self.messages[0]


@pytest.fixture
def smtp_inbox(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield inbox
    controller.stop()


@pytest.fixture
def celery_worker():
    """A worker thread consuming a queue of its own on the Redis broker, for this test only.

    The queue name is unique so that another test run sharing the Redis database cannot take
    this run's task (nor this worker theirs).
    """
    broker_url = os.environ["REDIS_URL"]
    queue = f"test-accounts-{uuid.uuid4().hex}"
    changes = {
        "task_always_eager": False,
        "broker_url": broker_url,
        "task_default_queue": queue,
        "worker_enable_remote_control": False,
        "worker_hijack_root_logger": False,
    }
    saved = {key: celery_app.conf[key] for key in changes}
    celery_app.conf.update(changes)
    try:
        with start_worker(
            celery_app, perform_ping_check=False, queues=[queue], shutdown_timeout=30
        ) as worker:
            yield worker
    finally:
        celery_app.conf.update(saved)
        broker = redis.Redis.from_url(broker_url)
        broker.delete(queue, *broker.scan_iter(match=f"_kombu.binding*.{queue}"))
        broker.close()


def _parts(raw: bytes) -> tuple[str, str]:
    message = message_from_bytes(raw, policy=policy.default)
    assert message["Subject"] == "Aktivasi Akun Web Open API"
    assert message["To"] == "budi@majujaya.test"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


@pytest.fixture
def task_runs():
    """(task name, eager?, in the test's own thread?) of every task run during the test."""
    runs = []
    test_thread = threading.current_thread()

    def record(sender, task, **kwargs):
        runs.append(
            (
                task.name,
                bool(task.request.is_eager),
                threading.current_thread() is test_thread,
            )
        )

    task_prerun.connect(record, weak=False)
    yield runs
    task_prerun.disconnect(record)


def test_the_activation_email_travels_through_the_worker_and_smtp(
    client, smtp_inbox, celery_worker, task_runs
):
    response = client.post(reverse("accounts:register"), REGISTRATION)
    assert response.status_code == 302

    text, html = _parts(smtp_inbox.wait_for_message())
    link = button_link(text=text, html=html, label="Aktivasi Akun")
    page = client.post(link)

    assert "Aktivasi Berhasil" in page.content.decode()
    assert User.objects.get(email="budi@majujaya.test").is_verified
    outbox = EmailOutbox.objects.get(template="activation")
    deadline = time.monotonic() + 10
    while outbox.status != EmailOutbox.Status.SENT and time.monotonic() < deadline:
        time.sleep(0.1)
        outbox.refresh_from_db()
    assert outbox.status == EmailOutbox.Status.SENT
    assert outbox.attempts == 1
    # Sent by the worker from the broker, not run eagerly inside the request.
    assert task_runs == [("portal.tasks.email_send", False, False)]
