"""One review pattern for everything staff decide: pending → approved | rejected (reason).

Profiles, connection entries, UAT requests, live requests and top-ups inherit ``Reviewable``
and are decided only through ``review_decide`` (the admin's actions call it too). What a
decision does beyond the row itself belongs to the subject's app: its services module
registers the reactions with ``review_handlers_register`` at import (the app's
``AppConfig.ready`` imports it), so a model never imports a service. The reactions run inside
the decision's transaction, after the row is locked and updated.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.lib.audit import audit_record
from portal.lib.email import email_queue


class ReviewStatus(models.TextChoices):
    PENDING = "pending", gettext_lazy("Menunggu")
    APPROVED = "approved", gettext_lazy("Disetujui")
    REJECTED = "rejected", gettext_lazy("Ditolak")


class ReviewError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# callback(subject=<locked row>, actor=<user>); raising ReviewError refuses the decision.
ReviewHandler = Callable[..., None]

_handlers: dict[type, dict[str, ReviewHandler | None]] = {}


def review_handlers_register(
    model: type,
    *,
    on_approved: ReviewHandler | None = None,
    on_rejected: ReviewHandler | None = None,
) -> None:
    """Make ``review_decide`` call ``on_approved`` / ``on_rejected`` for subjects of
    ``model`` (or of a subclass) in the decision's transaction. Registering a model again
    replaces its handlers (a module imported twice stays harmless)."""
    _handlers[model] = {
        "approved": on_approved,
        "rejected": on_rejected,
    }


def _handler_for(model: type, outcome: str) -> ReviewHandler | None:
    for cls in model.__mro__:
        if cls in _handlers:
            return _handlers[cls][outcome]
    return None


class Reviewable(models.Model):
    review_status = models.CharField(
        gettext_lazy("status"),
        max_length=10,
        choices=ReviewStatus.choices,
        default=ReviewStatus.PENDING,
        db_index=True,
    )
    review_reason = models.TextField(gettext_lazy("alasan penolakan"), blank=True)
    submitted_at = models.DateTimeField(gettext_lazy("diajukan"), default=timezone.now)
    decided_at = models.DateTimeField(gettext_lazy("diputuskan"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("diputuskan oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # What the partner reads in emails and on pages, e.g. "Profil mitra", "IP 203.0.113.7".
    review_noun: ClassVar[str] = "Pengajuan"
    # Dotted prefix of audit actions: "<prefix>.approved", "<prefix>.rejected".
    review_action: ClassVar[str] = "review"

    class Meta:
        abstract = True

    @property
    def is_pending(self) -> bool:
        return self.review_status == ReviewStatus.PENDING

    @property
    def is_approved(self) -> bool:
        return self.review_status == ReviewStatus.APPROVED

    @property
    def is_rejected(self) -> bool:
        return self.review_status == ReviewStatus.REJECTED

    def review_partner(self):
        return self.partner

    def review_title(self) -> str:
        return f"{self.review_noun}: {self}"

    def review_portal_path(self) -> str:
        """Where the partner sees this subject (for the decision email)."""
        return "/"

    def review_email(self) -> tuple[str, dict] | None:
        """(template, extra context) of the decision email; None for no email."""
        return ("review_decided", {})


def review_decide(
    *,
    subject: Reviewable,
    approve: bool,
    actor,
    reason: str = "",
    ip=None,
    notify: bool = True,
):
    """Approve or reject a pending subject, once.

    Locks the row, refuses a subject that is no longer pending (a second click changes
    nothing), requires a reason to reject, writes the audit event, runs the registered handler and
    queues the email to the partner, all in one transaction. ``notify=False`` leaves the
    email to a caller that sends one for several decisions at once.
    """
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ReviewError(_("Alasan penolakan wajib diisi."))
    model = type(subject)
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=subject.pk)
        if locked.review_status != ReviewStatus.PENDING:
            raise ReviewError(
                _("%(subject)s sudah diputuskan (%(status)s).")
                % {"subject": locked, "status": locked.get_review_status_display()}
            )
        before = {"review_status": locked.review_status}
        locked.review_status = (
            ReviewStatus.APPROVED if approve else ReviewStatus.REJECTED
        )
        locked.review_reason = "" if approve else reason
        locked.decided_at = timezone.now()
        locked.decided_by = actor
        locked.save(
            update_fields=["review_status", "review_reason", "decided_at", "decided_by"]
        )
        handler = _handler_for(model, "approved" if approve else "rejected")
        if handler is not None:
            handler(subject=locked, actor=actor)
        partner = locked.review_partner()
        audit_record(
            action=f"{locked.review_action}.{'approved' if approve else 'rejected'}",
            actor=actor,
            partner=partner,
            subject=locked,
            before=before,
            after={"review_status": locked.review_status, "review_reason": reason},
            ip=ip,
        )
        email = locked.review_email() if notify else None
        owner = partner.owner if partner is not None else None
        if email is not None and owner is not None:
            template, extra = email
            email_queue(
                to=owner.email,
                template=template,
                context={
                    "user": owner,
                    "partner": partner,
                    "subject": locked,
                    "approved": approve,
                    "reason": reason,
                    "portal_url": settings.SITE_URL + locked.review_portal_path(),
                    **extra,
                },
                user=owner,
            )
    subject.refresh_from_db()
    return locked


def review_resubmit(*, subject: Reviewable, actor, ip=None) -> None:
    """Put a rejected (or new) subject back in the queue; call inside the caller's atomic
    block, after saving the partner's corrections."""
    before = {
        "review_status": subject.review_status,
        "review_reason": subject.review_reason,
    }
    subject.review_status = ReviewStatus.PENDING
    subject.review_reason = ""
    subject.submitted_at = timezone.now()
    subject.decided_at = None
    subject.decided_by = None
    subject.save(
        update_fields=[
            "review_status",
            "review_reason",
            "submitted_at",
            "decided_at",
            "decided_by",
        ]
    )
    audit_record(
        action=f"{subject.review_action}.submitted",
        actor=actor,
        partner=subject.review_partner(),
        subject=subject,
        before=before,
        after={"review_status": subject.review_status},
        ip=ip,
    )
