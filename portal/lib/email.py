"""One way to send email: render a template triplet, record it, send it from a task."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from portal.lib.tasks import task_enqueue
from portal.models import EmailOutbox

# Named, not imported: ``portal.tasks`` imports this module.
EMAIL_SEND = "portal.tasks.email_send"
# An email never tried this long after it was queued has lost its send task.
LOST_AFTER = timedelta(minutes=5)
LOST_BATCH = 200


def email_queue(
    *, to: str, template: str, context: dict, user=None, sensitive: bool = False
) -> EmailOutbox:
    """Render ``emails/<template>_{subject.txt,body.txt,body.html}``, record and queue it.

    The send task is queued when the surrounding transaction commits, so an email never goes
    out for a change that was rolled back; when the broker is down the email stays queued and
    ``email_sweep`` sends it later. A ``sensitive`` email (one that carries passwords) has its
    text wiped from the outbox as soon as it is sent.
    """
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"emails/{template}_subject.txt", context)
        body_text = render_to_string(f"emails/{template}_body.txt", context)
        body_html = render_to_string(f"emails/{template}_body.html", context)
    outbox = EmailOutbox.objects.create(
        to=to,
        template=template,
        subject=" ".join(subject.split()),
        body_text=body_text,
        body_html=body_html,
        user=user,
        sensitive=sensitive,
    )
    task_enqueue(EMAIL_SEND, outbox.pk)
    return outbox


def email_resend(*, outbox: EmailOutbox) -> None:
    """Queue a failed (or any) email again, keeping its history of attempts."""
    EmailOutbox.objects.filter(pk=outbox.pk).update(status=EmailOutbox.Status.QUEUED)
    task_enqueue(EMAIL_SEND, outbox.pk)


def email_requeue_lost(*, now=None) -> int:
    """Queue again the emails whose send task never ran (the broker was down when they were
    queued, or the task was lost): still queued, never tried, older than ``LOST_AFTER``.
    Returns how many. A task that is merely late may then run twice; the second finds the
    email sent and does nothing."""
    now = now or timezone.now()
    lost = list(
        EmailOutbox.objects.filter(
            status=EmailOutbox.Status.QUEUED,
            attempts=0,
            created_at__lt=now - LOST_AFTER,
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:LOST_BATCH]
    )
    for outbox_id in lost:
        task_enqueue(EMAIL_SEND, outbox_id)
    return len(lost)
