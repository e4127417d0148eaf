"""Writes of the profiles app: saving and submitting the KYC profile, what a staff decision does
to it, issuing and rotating credentials, suspending and reactivating a partner."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Partner, User
from portal.lib.access import Level, Menu
from portal.lib.audit import audit_record
from portal.lib.email import email_queue
from portal.lib.environments import Environment
from portal.lib.review import ReviewStatus, review_resubmit
from portal.lib.uploads import private_storage
from profiles import selectors
from profiles.fields import field_label
from profiles.models import (
    LEGAL_FIELDS,
    WEBREPORT_TITLE,
    Credential,
    Profile,
    ProfileDocument,
    ProfileSubmission,
)


class ProfileError(Exception):
    """A refusal to show the partner or the staff member."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class ProfileSaveResult:
    submitted: bool = False
    contact_changed: list[str] = field(default_factory=list)
    legal_pending: list[str] = field(default_factory=list)
    documents_pending: list[str] = field(default_factory=list)

    @property
    def waits_for_review(self) -> bool:
        return bool(self.legal_pending or self.documents_pending)


# --- helpers ------------------------------------------------------------------------------


def _jsonable(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _values(profile: Profile, names) -> dict:
    return {name: getattr(profile, name) for name in names}


def _diff(before: dict, after: dict) -> tuple[dict, dict]:
    keys = [k for k in after if before.get(k) != after[k]]
    return (
        {k: _jsonable(before.get(k)) for k in keys},
        {k: _jsonable(after[k]) for k in keys},
    )


def _partner_field_set(
    *, partner: Partner, field: str, value, action: str, actor, ip=None
) -> None:
    """Change one field of the Partner row, with its audit event (nothing if unchanged)."""
    before = getattr(partner, field)
    if before == value:
        return
    setattr(partner, field, value)
    partner.save(update_fields=[field])
    audit_record(
        action=action,
        actor=actor,
        partner=partner,
        subject=partner,
        before={field: before},
        after={field: value},
        ip=ip,
    )


def _partner_status_set(*, partner: Partner, status: str, actor, ip=None) -> None:
    """Change Partner.status (the dashboard's Status Akun) with its audit event."""
    _partner_field_set(
        partner=partner,
        field="status",
        value=status,
        action="partner.status_changed",
        actor=actor,
        ip=ip,
    )


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
    document.file.save(content.name, content, save=False)
    document.save()
    return document


def _owner_email(
    partner: Partner, template: str, context: dict, *, sensitive: bool = False
) -> None:
    owner = partner.owner
    if owner is None:
        return
    email_queue(
        to=owner.email,
        template=template,
        context={"user": owner, "partner": partner, **context},
        user=owner,
        sensitive=sensitive,
    )


# --- saving and submitting the profile ----------------------------------------------------


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
        before, after = _diff(_values(profile, names), data)
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
            _partner_status_set(
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
    live = _values(profile, profile.field_names)
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
            k: _jsonable(v)
            for k, v in data.items()
            if k in LEGAL_FIELDS and v != live.get(k)
        },
    }
    before, after = _diff(live, contact)
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
            transaction.on_commit(lambda name=name: private_storage.delete(name))
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


# --- what a staff decision does (called by ProfileSubmission's review hooks) -----------


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
        _partner_status_set(partner=partner, status=Partner.Status.ACTIVE, actor=actor)
    # The manual's two emails, in its order: the approval (Gambar 11), then the credentials
    # (Gambar 12), the latter only the first time.
    _owner_email(
        partner,
        "profile_approved",
        {"portal_url": settings.SITE_URL + reverse("portal:dashboard")},
    )
    issued = _credentials_issue(partner=partner, profile=profile, actor=actor)
    if issued is not None:
        # It carries the passwords: the outbox keeps its text only until it is sent.
        _owner_email(partner, "credentials_issued", issued, sensitive=True)


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
    before, after = _diff(_values(profile, names), proposed)
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
        _partner_field_set(
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
            _partner_status_set(
                partner=partner, status=Partner.Status.REJECTED, actor=actor
            )
    else:
        submission.documents.filter(status=ProfileDocument.Status.PENDING).update(
            status=ProfileDocument.Status.REJECTED
        )


# --- credentials --------------------------------------------------------------------------

WEBREPORT_RIGHTS = {str(Menu.TRANSAKSI): str(Level.VIEW)}
COUNTER_ID = "1"


def _password_new() -> str:
    return secrets.token_urlsafe(12)


def _webreport_user_create(*, partner: Partner, password: str) -> User:
    base = f"{partner.code.lower()}.report"
    username, n = base, 1
    while User.objects.filter(username__iexact=username).exists():
        n += 1
        username = f"{base}{n}"
    owner = partner.owner
    # The login belongs to the owner: its email is the owner's plus-address, so that "Lupa
    # Password" for it reaches the owner; a reserved domain if that address is taken.
    local, _at, domain = owner.email.partition("@") if owner else ("", "", "")
    candidates = [f"{local}+report@{domain}"] if local and domain else []
    candidates.append(f"{username}@webreport.invalid")
    email = next(
        c for c in candidates if not User.objects.filter(email__iexact=c).exists()
    )
    user = User(
        username=username,
        partner=partner,
        name=f"Webreport {partner.name}"[:150],
        email=email,
        is_owner=False,
        access_rights=dict(WEBREPORT_RIGHTS),
        email_verified_at=timezone.now(),
    )
    user.set_password(password)
    user.save()
    return user


def _merchant_id_new(environment: str) -> str:
    prefix = "MP" if environment == Environment.PRODUCTION else "MD"
    while True:
        candidate = f"{prefix}{secrets.randbelow(10**10):010d}"
        if not Credential.objects.filter(merchant_id=candidate).exists():
            return candidate


def _credential_create(
    *, partner: Partner, profile: Profile, environment: str, password: str
) -> Credential:
    suffix = "prod" if environment == Environment.PRODUCTION else "dev"
    username = f"{partner.code.lower()}.{suffix}"
    for _attempt in range(5):
        try:
            # A savepoint: a merchantID taken a moment ago by another partner is drawn again.
            with transaction.atomic():
                return Credential.objects.create(
                    partner=partner,
                    environment=environment,
                    username=username,
                    ha1=selectors.digest_ha1(username, password),
                    mitra=partner.code,
                    account_id=f"{1 if suffix == 'prod' else 9}{partner.pk:09d}",
                    merchant_id=_merchant_id_new(environment),
                    merchant_name=(profile.display_name or partner.name)[:150],
                    counter_id=COUNTER_ID,
                )
        except IntegrityError:
            continue
    raise ProfileError(_("Kredensial tidak dapat dibuat. Silakan coba lagi."))


def _credentials_issue(*, partner: Partner, profile: Profile, actor) -> dict | None:
    """The three credential sets of the manual, once per partner. Returns the email context
    (with the passwords, which are not stored), or None when they were issued before."""
    if partner.credentials.exists():
        return None
    report_password = _password_new()
    report_user = _webreport_user_create(partner=partner, password=report_password)
    profile.webreport_user = report_user
    profile.save(update_fields=["webreport_user", "updated_at"])
    sets = []
    for environment in (Environment.PRODUCTION, Environment.DEVELOPMENT):
        password = _password_new()
        credential = _credential_create(
            partner=partner, profile=profile, environment=environment, password=password
        )
        sets.append({"credential": credential, "password": password})
    audit_record(
        action="credential.issued",
        actor=actor,
        partner=partner,
        subject=partner,
        after={
            "webreport": report_user.username,
            "transaksi": [s["credential"].username for s in sets],
        },
    )
    return {
        "webreport_username": report_user.username,
        "webreport_password": report_password,
        "webreport_url": settings.SITE_URL + reverse("accounts:login"),
        "transaction_sets": sets,
        "realm": selectors.digest_realm(),
        "api_url": settings.SITE_URL,
        "credentials_url": settings.SITE_URL + reverse("profiles:credentials"),
    }


def credential_rotate(
    *,
    partner: Partner,
    credential_id: int,
    actor: User,
    ip: str | None = None,
    password: str | None = None,
) -> tuple[Credential, str]:
    """Give a Transaksi credential a new password; the old one stops working at once (its HA1
    is replaced). Returns the credential and the new password, to be shown once. The portal
    always draws a random one; ``password`` is for demo data and tests of API clients."""
    password = password or _password_new()
    with transaction.atomic():
        credential = (
            Credential.objects.select_for_update()
            .filter(pk=credential_id, partner=partner)
            .first()
        )
        if credential is None:
            raise ProfileError(_("Kredensial tidak ditemukan."))
        credential.ha1 = selectors.digest_ha1(credential.username, password)
        credential.rotated_at = timezone.now()
        credential.save(update_fields=["ha1", "rotated_at"])
        audit_record(
            action="credential.rotated",
            actor=actor,
            partner=partner,
            subject=credential,
            after={"rotated_at": credential.rotated_at},
            ip=ip,
        )
        _owner_email(
            partner,
            "credentials_rotated",
            {
                "title": credential.title,
                "username": credential.username,
                "actor": actor,
                "rotated_at": credential.rotated_at,
            },
        )
    return credential, password


def webreport_rotate(
    *,
    partner: Partner,
    actor: User,
    ip: str | None = None,
    password: str | None = None,
) -> tuple[User, str]:
    """A new password for the Webreport login; its open sessions end with the old one."""
    password = password or _password_new()
    with transaction.atomic():
        profile = Profile.objects.select_for_update().filter(partner=partner).first()
        user = profile.webreport_user if profile is not None else None
        if user is None:
            raise ProfileError(_("Akun Webreport belum tersedia."))
        user.set_password(password)
        user.save(update_fields=["password"])
        now = timezone.now()
        audit_record(
            action="credential.rotated",
            actor=actor,
            partner=partner,
            subject=user,
            after={"webreport": user.username, "rotated_at": now},
            ip=ip,
        )
        _owner_email(
            partner,
            "credentials_rotated",
            {
                "title": WEBREPORT_TITLE,
                "username": user.username,
                "actor": actor,
                "rotated_at": now,
            },
        )
    return user, password


# --- suspend and reactivate (staff) -------------------------------------------------------


def partner_suspend(
    *, partner: Partner, actor: User, reason: str, ip: str | None = None
) -> Partner:
    """Staff put a partner's account on hold (Status Akun "Dinonaktifkan"); its Open API
    credentials stop working (``credential_for_username``) until it is reactivated."""
    reason = (reason or "").strip()
    if not reason:
        raise ProfileError(_("Alasan penonaktifan wajib diisi."))
    with transaction.atomic():
        partner = Partner.objects.select_for_update().get(pk=partner.pk)
        if partner.status == Partner.Status.SUSPENDED:
            raise ProfileError(
                _("%(partner)s sudah dinonaktifkan.") % {"partner": partner}
            )
        _partner_status_set(
            partner=partner, status=Partner.Status.SUSPENDED, actor=actor, ip=ip
        )
        audit_record(
            action="partner.suspended",
            actor=actor,
            partner=partner,
            subject=partner,
            after={"reason": reason},
            ip=ip,
        )
        _owner_email(partner, "profile_suspended", {"reason": reason})
    return partner


def partner_reactivate(
    *, partner: Partner, actor: User, ip: str | None = None
) -> Partner:
    """Lift a suspension: the account returns to the status its profile has earned."""
    with transaction.atomic():
        partner = Partner.objects.select_for_update().get(pk=partner.pk)
        if partner.status != Partner.Status.SUSPENDED:
            raise ProfileError(
                _("%(partner)s tidak sedang dinonaktifkan.") % {"partner": partner}
            )
        status = selectors.partner_status_earned(partner)
        _partner_status_set(partner=partner, status=status, actor=actor, ip=ip)
        audit_record(
            action="partner.reactivated",
            actor=actor,
            partner=partner,
            subject=partner,
            after={"status": status},
            ip=ip,
        )
        _owner_email(
            partner,
            "profile_reactivated",
            {
                "status_label": partner.get_status_display(),
                "portal_url": settings.SITE_URL + reverse("portal:dashboard"),
            },
        )
    return partner
