"""What a staff decision on a profile submission does, registered as ProfileSubmission's
review handlers (this module is imported by ``ProfilesConfig.ready``)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import Partner, User
from portal.lib.audit import audit_record
from portal.lib.review import ReviewError, review_handlers_register
from profiles.models import Profile, ProfileDocument, ProfileSubmission
from profiles.services.common import (
    ProfileError,
    owner_email,
    partner_field_set,
    partner_status_set,
    profile_values,
    values_diff,
)
from profiles.services.credentials import credentials_issue


def submission_approved(*, submission: ProfileSubmission, actor: User) -> None:
    """Runs inside ``review_decide``: activate the partner on the first approval (issuing the
    credentials once), or apply an approved change of legal data and documents."""
    partner = Partner.objects.select_for_update().get(pk=submission.partner_id)
    profile = Profile.objects.select_for_update().get(pk=submission.profile_id)
    profile.partner = partner
    if submission.is_initial:
        _initial_approved(profile=profile, actor=actor)
    else:
        _change_apply(profile=profile, submission=submission, actor=actor)


def _initial_approved(*, profile: Profile, actor: User) -> None:
    partner = profile.partner
    if profile.approved_at is None:
        profile.approved_at = timezone.now()
        profile.save(update_fields=["approved_at", "updated_at"])
    _partner_name_sync(partner=partner, profile=profile, actor=actor)
    if partner.status != Partner.Status.SUSPENDED:
        partner_status_set(partner=partner, status=Partner.Status.ACTIVE, actor=actor)
    # The manual's two emails, in its order: the approval (Gambar 11), then the credentials
    # (Gambar 12), the latter only the first time.
    owner_email(
        partner,
        "profile_approved",
        {"portal_url": settings.SITE_URL + reverse("portal:dashboard")},
    )
    issued = credentials_issue(partner=partner, profile=profile, actor=actor)
    if issued is not None:
        # It carries the passwords: the outbox keeps its text only until it is sent.
        owner_email(partner, "credentials_issued", issued, sensitive=True)


def _change_apply(
    *, profile: Profile, submission: ProfileSubmission, actor: User
) -> None:
    names = [n for n in submission.changes if n in profile.field_names]
    proposed = {}
    for name in names:
        value = submission.changes[name]
        if name == "birth_date" and value:
            value = datetime.date.fromisoformat(value)
        proposed[name] = value
    before, after = values_diff(profile_values(profile, names), proposed)
    for name, value in proposed.items():
        setattr(profile, name, value)
    profile.save()
    replaced = []
    for document in submission.documents.filter(status=ProfileDocument.Status.PENDING):
        profile.documents.filter(
            kind=document.kind, status=ProfileDocument.Status.CURRENT
        ).update(status=ProfileDocument.Status.REPLACED)
        document.status = ProfileDocument.Status.CURRENT
        document.save(update_fields=["status"])
        replaced.append(document.kind)
    audit_record(
        action="profile.change_applied",
        actor=actor,
        partner=profile.partner,
        subject=profile,
        before=before,
        after={**after, "documents": sorted(replaced)},
    )
    _partner_name_sync(partner=profile.partner, profile=profile, actor=actor)


def _partner_name_sync(*, partner: Partner, profile: Profile, actor: User) -> None:
    name = profile.display_name[:150]
    if name:
        partner_field_set(
            partner=partner,
            field="name",
            value=name,
            action="partner.renamed",
            actor=actor,
        )


def submission_rejected(*, submission: ProfileSubmission, actor: User) -> None:
    """Runs inside ``review_decide``: a rejected first verification makes the account
    "ditolak" (the partner corrects and resubmits); a rejected change leaves the approved data
    live and sets its documents aside."""
    partner = Partner.objects.select_for_update().get(pk=submission.partner_id)
    if submission.is_initial:
        if partner.status != Partner.Status.SUSPENDED:
            partner_status_set(
                partner=partner, status=Partner.Status.REJECTED, actor=actor
            )
    else:
        submission.documents.filter(status=ProfileDocument.Status.PENDING).update(
            status=ProfileDocument.Status.REJECTED
        )


def _submission_approved_reviewed(*, subject: ProfileSubmission, actor: User) -> None:
    # The admin shows a ReviewError as a warning; the decision is rolled back.
    try:
        submission_approved(submission=subject, actor=actor)
    except ProfileError as exc:
        raise ReviewError(exc.message) from exc


def _submission_rejected_reviewed(*, subject: ProfileSubmission, actor: User) -> None:
    submission_rejected(submission=subject, actor=actor)


review_handlers_register(
    ProfileSubmission,
    on_approved=_submission_approved_reviewed,
    on_rejected=_submission_rejected_reviewed,
)
