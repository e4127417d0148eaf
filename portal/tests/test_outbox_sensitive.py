from portal.lib.email import email_queue
from portal.models import EmailOutbox


def test_sensitive_email_text_is_wiped_once_sent(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outbox = email_queue(
            to="mitra@example.id",
            template="activation",
            context={"activation_url": "http://testserver/rahasia-123", "hours": 24},
            sensitive=True,
        )
    assert "rahasia-123" in mailoutbox[0].body
    outbox.refresh_from_db()
    assert outbox.status == EmailOutbox.Status.SENT
    assert "rahasia-123" not in outbox.body_text + outbox.body_html
    assert outbox.body_text == EmailOutbox.REDACTED


def test_ordinary_email_text_is_kept(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outbox = email_queue(
            to="mitra@example.id",
            template="activation",
            context={"activation_url": "http://testserver/link-456", "hours": 24},
        )
    outbox.refresh_from_db()
    assert "link-456" in outbox.body_text
