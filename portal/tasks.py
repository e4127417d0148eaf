import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F
from django.utils import timezone

from portal.lib import kept_uploads
from portal.lib.email import email_requeue_lost
from portal.models import EmailOutbox

logger = logging.getLogger(__name__)

EMAIL_MAX_ATTEMPTS = 6


@shared_task(bind=True, max_retries=EMAIL_MAX_ATTEMPTS - 1)
def email_send(self, outbox_id: int) -> None:
    """Send one outbox email; on failure retry with exponential back-off, then mark it failed."""
    outbox = EmailOutbox.objects.filter(pk=outbox_id).first()
    if outbox is None or outbox.status == EmailOutbox.Status.SENT:
        return
    message = EmailMultiAlternatives(
        subject=outbox.subject,
        body=outbox.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[outbox.to],
    )
    message.attach_alternative(outbox.body_html, "text/html")
    EmailOutbox.objects.filter(pk=outbox.pk).update(attempts=F("attempts") + 1)
    try:
        message.send()
    except Exception as exc:  # any transport failure: record it and retry
        final = self.request.retries >= self.max_retries
        EmailOutbox.objects.filter(pk=outbox.pk).update(
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            status=EmailOutbox.Status.FAILED if final else EmailOutbox.Status.QUEUED,
        )
        logger.warning("email %s to %s failed: %s", outbox.pk, outbox.to, exc)
        if not final:
            raise self.retry(
                exc=exc, countdown=min(30 * 2**self.request.retries, 3600)
            ) from exc
        return
    sent = {
        "status": EmailOutbox.Status.SENT,
        "sent_at": timezone.now(),
        "last_error": "",
    }
    if outbox.sensitive:
        sent.update(body_text=EmailOutbox.REDACTED, body_html=EmailOutbox.REDACTED)
    EmailOutbox.objects.filter(pk=outbox.pk).update(**sent)


@shared_task
def email_sweep() -> int:
    """Every few minutes: send the emails whose task never ran (``portal.schedule``)."""
    return email_requeue_lost()


@shared_task
def kept_uploads_sweep() -> int:
    """Hourly: delete the files kept from refused submissions once they are too old to use."""
    return kept_uploads.kept_uploads_sweep()
