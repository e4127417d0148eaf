"""Every email is recorded; a failing SMTP server is retried, then shown failed and resendable."""

import socket

import pytest
from django.db import transaction
from django.urls import reverse

from portal.lib.email import email_queue
from portal.models import EmailOutbox
from portal.tasks import EMAIL_MAX_ATTEMPTS

pytestmark = pytest.mark.django_db


@pytest.fixture
def dead_smtp(settings):
    """SMTP pointed at a local port where nothing listens: every connection is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 2
    return settings


def _queue(owner, django_capture_on_commit_callbacks) -> EmailOutbox:
    with django_capture_on_commit_callbacks(execute=True):
        outbox = email_queue(
            to=owner.email,
            template="registration_attempt",
            context={"user": owner, "login_url": "http://testserver/akun/login/"},
            user=owner,
        )
    outbox.refresh_from_db()
    return outbox


def test_a_sent_email_is_recorded_with_both_parts(
    owner, mailoutbox, django_capture_on_commit_callbacks
):
    outbox = _queue(owner, django_capture_on_commit_callbacks)

    assert outbox.status == EmailOutbox.Status.SENT
    assert outbox.attempts == 1
    assert outbox.sent_at is not None
    assert [m.to for m in mailoutbox] == [[owner.email]]
    assert mailoutbox[0].subject == outbox.subject
    assert mailoutbox[0].body == outbox.body_text
    assert mailoutbox[0].alternatives[0][0] == outbox.body_html


def test_nothing_is_sent_for_a_change_that_is_rolled_back(
    owner, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            email_queue(
                to=owner.email, template="registration_attempt", context={"user": owner}
            )
            raise RuntimeError("the change fails after the email was queued")

    assert callbacks == []
    assert mailoutbox == []
    assert not EmailOutbox.objects.exists()


def test_a_failing_smtp_server_is_retried_then_the_email_is_marked_failed(
    owner, dead_smtp, mailoutbox, django_capture_on_commit_callbacks
):
    outbox = _queue(owner, django_capture_on_commit_callbacks)

    assert outbox.status == EmailOutbox.Status.FAILED
    assert outbox.attempts == EMAIL_MAX_ATTEMPTS
    assert "ConnectionRefusedError" in outbox.last_error
    assert outbox.sent_at is None
    assert mailoutbox == []


def test_the_admin_kirim_ulang_action_requeues_and_sends_a_failed_email(
    client, staff, owner, dead_smtp, mailoutbox, django_capture_on_commit_callbacks
):
    outbox = _queue(owner, django_capture_on_commit_callbacks)
    assert outbox.status == EmailOutbox.Status.FAILED
    dead_smtp.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.force_login(staff)
    changelist = reverse("admin:portal_emailoutbox_changelist")

    listing = client.get(changelist, {"status__exact": "failed"}).content.decode()
    assert "Kirim ulang email terpilih" in listing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            changelist,
            {"action": "resend", "_selected_action": [outbox.pk]},
            follow=True,
        )

    assert "1 email diantrekan ulang." in response.content.decode()
    outbox.refresh_from_db()
    assert outbox.status == EmailOutbox.Status.SENT
    assert outbox.attempts == EMAIL_MAX_ATTEMPTS + 1
    assert outbox.last_error == ""
    assert [m.subject for m in mailoutbox] == [outbox.subject]
