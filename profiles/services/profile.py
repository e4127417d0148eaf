"""Saving and submitting the KYC profile ("Lengkapi Data", "Ubah Data"), with its scanned
documents: a working copy until the first approval, then changes of legal data and documents
that wait for staff while contact details change at once."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Partner, User
from portal.lib.audit import audit_record
from portal.lib.review import ReviewStatus, review_resubmit
from portal.lib.uploads import private_storage
from profiles import selectors
from profiles.fields import field_label
from profiles.models import LEGAL_FIELDS, Profile, ProfileDocument, ProfileSubmission
from profiles.services.common import (
    ProfileError,
    partner_status_set,
    profile_values,
    values_diff,
    values_jsonable,
)


@dataclass
class ProfileSaveResult:
    submitted: bool = False
    contact_changed: list[str] = field(default_factory=list)
    legal_pending: list[str] = field(default_factory=list)
    documents_pending: list[str] = field(default_factory=list)

    @property
    def waits_for_review(self) -> bool:
        return bool(self.legal_pending or self.documents_pending)


def _document_add(
    *,
    profile: Profile,
    kind: str,
    content: ContentFile,
    actor,
    status: str,
    submission: ProfileSubmission | None = None,
) -> ProfileDocument:
    document = ProfileDocument(
        partner=profile.partner,
        profile=profile,
        kind=kind,
        status=status,
        submission=submission,
        uploaded_by=actor if actor is not None and actor.pk else None,
    )
    # The name only lends its extension: private_upload_to makes the stored name.
    document.file.save(content.name or "", content, save=False)
    document.save()
    return document


def profile_save(
    *,
    partner: Partner,
    actor: User,
    data: dict,
    documents: dict[str, ContentFile] | None = None,
    submit: bool,
    ip: str | None = None,
) -> ProfileSaveResult:
    """Save what the partner entered in "Lengkapi Data" / "Ubah Data".

    Before the first approval the profile is a working copy: ``submit=False`` keeps it as a
    draft (nothing is required), ``submit=True`` requires everything and sends it to staff
    (Partner.status → menunggu verifikasi). After the first approval contact details change at
    once, while legal identity data and documents wait on a change submission and the approved
    values stay live. ``data`` holds the form's cleaned values (a field left out keeps its
    value); ``documents`` maps a ``DocumentKind`` to a checked file.
    """
    documents = documents or {}
    with transaction.atomic():
        # The lock order of review_decide (submission, partner, profile): a partner saving
        # while staff decide waits for the decision instead of deadlocking with it.
        list(
            ProfileSubmission.objects.select_for_update()
            .filter(partner=partner)
            .order_by("pk")
        )
        partner = Partner.objects.select_for_update().get(pk=partner.pk)
        profile, _created = Profile.objects.select_for_update().get_or_create(
            partner=partner
        )
        profile.partner = partner
        names = profile.field_names
        data = {name: data[name] for name in names if name in data}
        if profile.is_approved:
            return _profile_change(
                profile=profile, actor=actor, data=data, documents=documents, ip=ip
            )
        initial = (
            profile.submissions.select_for_update()
            .filter(kind=ProfileSubmission.Kind.INITIAL)
            .first()
        )
        if initial is not None and initial.is_pending:
            raise ProfileError(
                _(
                    "Data profil Anda sedang diverifikasi. Perubahan dapat dilakukan "
                    "setelah ada hasil verifikasi."
                )
            )
        before, after = values_diff(profile_values(profile, names), data)
        for name, value in data.items():
            setattr(profile, name, value)
        profile.save()
        for kind, content in documents.items():
            profile.documents.filter(
                kind=kind, status=ProfileDocument.Status.CURRENT
            ).update(status=ProfileDocument.Status.REPLACED)
            _document_add(
                profile=profile,
                kind=kind,
                content=content,
                actor=actor,
                status=ProfileDocument.Status.CURRENT,
            )
        if after or documents:
            audit_record(
                action="profile.saved" if submit else "profile.draft_saved",
                actor=actor,
                partner=partner,
                subject=profile,
                before=before,
                after={**after, "documents": sorted(documents)},
                ip=ip,
            )
        if not submit:
            return ProfileSaveResult(contact_changed=sorted(after))
        missing = selectors.profile_missing(profile)
        if missing:
            raise ProfileError(
                _("Data belum lengkap: %(missing)s.") % {"missing": ", ".join(missing)}
            )
        if initial is None:
            initial = ProfileSubmission.objects.create(
                partner=partner, profile=profile, kind=ProfileSubmission.Kind.INITIAL
            )
        review_resubmit(subject=initial, actor=actor, ip=ip)
        if partner.status != Partner.Status.SUSPENDED:
            partner_status_set(
                partner=partner, status=Partner.Status.PENDING, actor=actor, ip=ip
            )
        return ProfileSaveResult(submitted=True, contact_changed=sorted(after))


def _profile_change(
    *,
    profile: Profile,
    actor: User,
    data: dict,
    documents: dict[str, ContentFile],
    ip: str | None,
) -> ProfileSaveResult:
    partner = profile.partner
    live = profile_values(profile, profile.field_names)
    # Fields left out of ``data`` keep their value; none may be emptied.
    merged = {**live, **data}
    missing = [
        field_label(name, partner.kind)
        for name in profile.field_names
        if name in selectors.required_fields(profile) and merged[name] in (None, "")
    ]
    if missing:
        raise ProfileError(
            _("Data belum lengkap: %(missing)s.") % {"missing": ", ".join(missing)}
        )
    pending = (
        profile.submissions.select_for_update()
        .filter(kind=ProfileSubmission.Kind.CHANGE, review_status=ReviewStatus.PENDING)
        .first()
    )
    contact = {k: v for k, v in data.items() if k not in LEGAL_FIELDS}
    # The legal values now proposed: what was sent, plus what a pending change proposed for
    # fields not sent; a value equal to the approved one is no change.
    kept = {
        k: v for k, v in (pending.changes if pending else {}).items() if k not in data
    }
    legal = {
        **kept,
        **{
            k: values_jsonable(v)
            for k, v in data.items()
            if k in LEGAL_FIELDS and v != live.get(k)
        },
    }
    before, after = values_diff(live, contact)
    if after:
        for name, value in contact.items():
            setattr(profile, name, value)
        profile.save()
        audit_record(
            action="profile.updated",
            actor=actor,
            partner=partner,
            subject=profile,
            before=before,
            after=after,
            ip=ip,
        )
    result = ProfileSaveResult(contact_changed=sorted(after))
    if pending is None and not legal and not documents:
        return result
    if pending is None:
        pending = ProfileSubmission.objects.create(
            partner=partner,
            profile=profile,
            kind=ProfileSubmission.Kind.CHANGE,
            changes=legal,
        )
        review_resubmit(subject=pending, actor=actor, ip=ip)
    elif legal != pending.changes or documents:
        previous = pending.changes
        pending.changes = legal
        pending.submitted_at = timezone.now()
        pending.save(update_fields=["changes", "submitted_at"])
        audit_record(
            action="profile_change.updated",
            actor=actor,
            partner=partner,
            subject=pending,
            before={"changes": previous},
            after={"changes": legal, "documents": sorted(documents)},
            ip=ip,
        )
    for kind, content in documents.items():
        # A replacement not yet reviewed is simply superseded by the newer upload.
        for old in pending.documents.filter(
            kind=kind, status=ProfileDocument.Status.PENDING
        ):
            name = old.file.name
            old.delete()
            if name:
                transaction.on_commit(functools.partial(private_storage.delete, name))
        _document_add(
            profile=profile,
            kind=kind,
            content=content,
            actor=actor,
            status=ProfileDocument.Status.PENDING,
            submission=pending,
        )
    if not pending.changes and not pending.documents.exists():
        # The partner put the approved values back: nothing is left to review.
        audit_record(
            action="profile_change.withdrawn",
            actor=actor,
            partner=partner,
            subject=pending,
            before={"changes": pending.changes},
            after=None,
            ip=ip,
        )
        pending.delete()
        return result
    result.legal_pending = sorted(pending.changes)
    result.documents_pending = sorted(pending.documents.values_list("kind", flat=True))
    return result
