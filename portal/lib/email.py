"""One way to send email: render a template triplet, record it, send it from a task."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from portal.models import EmailOutbox


def email_queue(
    *, to: str, template: str, context: dict, user=None, sensitive: bool = False
) -> EmailOutbox:
    """Render ``emails/<template>_{subject.txt,body.txt,body.html}``, record and queue it.

    The send task is queued when the surrounding transaction commits, so an email never goes
    out for a change that was rolled back. A ``sensitive`` email (one that carries passwords)
    has its text wiped from the outbox as soon as it is sent.
    """
    from portal.tasks import email_send

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
    transaction.on_commit(lambda: email_send.delay(outbox.pk))
    return outbox


def email_resend(*, outbox: EmailOutbox) -> None:
    """Queue a failed (or any) email again, keeping its history of attempts."""
    from portal.tasks import email_send

    EmailOutbox.objects.filter(pk=outbox.pk).update(status=EmailOutbox.Status.QUEUED)
    transaction.on_commit(lambda: email_send.delay(outbox.pk))
