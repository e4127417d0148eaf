"""Reads of the profiles app: the profile and what waits for review, documents a user may
download, the partner's activity, and the Open API credentials."""

from __future__ import annotations

import datetime
import functools
import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet

from accounts.models import Partner
from portal.lib.access import Menu, has_right
from portal.lib.review import ReviewStatus
from portal.lib.sql import Columns, col, joined, table
from portal.models import AuditEvent
from profiles.fields import display_value, field_label
from profiles.models import (
    LEGAL_FIELDS,
    OPTIONAL_DOCUMENTS,
    OPTIONAL_FIELDS,
    Credential,
    Profile,
    ProfileDocument,
    ProfileSubmission,
    document_kinds,
    document_label,
)

# --- the profile --------------------------------------------------------------------------


def profile_for_partner(partner: Partner) -> Profile | None:
    profile = Profile.objects.filter(partner=partner).first()
    if profile is not None:
        profile.partner = partner
    return profile


def required_fields(profile: Profile) -> set[str]:
    required = set(profile.field_names) - OPTIONAL_FIELDS
    if profile.is_perusahaan and profile.business_form == "lainnya":
        required.add("business_form_other")
    return required


def current_documents(profile: Profile | None) -> dict[str, ProfileDocument]:
    if profile is None or profile.pk is None:
        return {}
    return {
        document.kind: document
        for document in profile.documents.filter(
            status=ProfileDocument.Status.CURRENT
        ).select_related("partner")
    }


def profile_missing(profile: Profile) -> list[str]:
    """Labels of what a submission still lacks (fields, then documents)."""
    kind = profile.partner.kind
    missing = [
        field_label(name, kind)
        for name in profile.field_names
        if name in required_fields(profile) and getattr(profile, name) in (None, "")
    ]
    present = current_documents(profile)
    missing += [
        document_label(doc, kind)
        for doc in document_kinds(kind)
        if doc not in OPTIONAL_DOCUMENTS and doc not in present
    ]
    return missing


def initial_submission(profile: Profile | None) -> ProfileSubmission | None:
    if profile is None or profile.pk is None:
        return None
    return profile.submissions.filter(kind=ProfileSubmission.Kind.INITIAL).first()


def pending_change(profile: Profile | None) -> ProfileSubmission | None:
    if profile is None or profile.pk is None:
        return None
    return profile.submissions.filter(
        kind=ProfileSubmission.Kind.CHANGE, review_status=ReviewStatus.PENDING
    ).first()


def last_change(profile: Profile | None) -> ProfileSubmission | None:
    if profile is None or profile.pk is None:
        return None
    return (
        profile.submissions.filter(kind=ProfileSubmission.Kind.CHANGE)
        .order_by("-submitted_at", "-pk")
        .first()
    )


def profile_form_initial(profile: Profile | None) -> dict:
    """What "Ubah Data" starts from: the live values, with a pending change laid over them
    (the partner continues from what they last sent)."""
    if profile is None:
        return {}
    initial = {name: getattr(profile, name) for name in profile.field_names}
    change = pending_change(profile)
    if change is not None:
        for name, value in change.changes.items():
            if name == "birth_date" and value:
                value = datetime.date.fromisoformat(value)
            initial[name] = value
    return initial


@dataclass(frozen=True)
class ProfileRow:
    name: str
    label: str
    value: str
    pending: str | None
    legal: bool


def profile_rows(
    profile: Profile, change: ProfileSubmission | None
) -> list[ProfileRow]:
    """The Profil page (Gambar 15): each field with its live value and, for a legal field
    waiting for review, the proposed one."""
    kind = profile.partner.kind
    proposed = change.changes if change is not None else {}
    return [
        ProfileRow(
            name=name,
            label=field_label(name, kind),
            value=display_value(name, getattr(profile, name)),
            pending=display_value(name, proposed[name]) if name in proposed else None,
            legal=name in LEGAL_FIELDS,
        )
        for name in profile.field_names
    ]


@dataclass(frozen=True)
class DocumentRow:
    kind: str
    label: str
    current: ProfileDocument | None
    pending: ProfileDocument | None
    optional: bool


def document_rows(
    profile: Profile | None, kind: str, change: ProfileSubmission | None = None
) -> list[DocumentRow]:
    current = current_documents(profile)
    pending = (
        {
            d.kind: d
            for d in change.documents.filter(status=ProfileDocument.Status.PENDING)
        }
        if change is not None
        else {}
    )
    return [
        DocumentRow(
            kind=doc,
            label=document_label(doc, kind),
            current=current.get(doc),
            pending=pending.get(doc),
            optional=doc in OPTIONAL_DOCUMENTS,
        )
        for doc in document_kinds(kind)
    ]


def partner_status_earned(partner: Partner) -> str:
    """The status a partner's profile has earned, e.g. when a suspension is lifted."""
    profile = profile_for_partner(partner)
    if profile is not None and profile.is_approved:
        return Partner.Status.ACTIVE
    initial = initial_submission(profile)
    if initial is None:
        return Partner.Status.INCOMPLETE
    if initial.is_pending:
        return Partner.Status.PENDING
    return Partner.Status.REJECTED


# --- documents ----------------------------------------------------------------------------


def document_for_user(user, pk: int) -> ProfileDocument | None:
    """The document ``pk`` if ``user`` may download it: staff who may view profile
    submissions, or a user of the same partner with the PROFIL right. None otherwise, so that
    the view answers 404 without telling whether it exists."""
    if not user.is_authenticated or not user.is_active:
        return None
    document = ProfileDocument.objects.select_related("partner").filter(pk=pk).first()
    if document is None:
        return None
    if user.is_staff and user.has_perm("profiles.view_profilesubmission"):
        return document
    if user.partner_id == document.partner_id and has_right(user, Menu.PROFIL):
        return document
    return None


# --- activity -----------------------------------------------------------------------------


def partner_activity(partner: Partner) -> QuerySet[AuditEvent]:
    """Every audit event of the partner, newest first (the Aktivitas page)."""
    return (
        AuditEvent.objects.filter(partner=partner)
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


# --- credentials --------------------------------------------------------------------------


def digest_realm() -> str:
    return getattr(settings, "DIGEST_REALM", "WebOpenAPI")


def digest_ha1(username: str, password: str, realm: str | None = None) -> str:
    """HA1 of HTTP Digest (RFC 7616, MD5): MD5(username:realm:password)."""
    realm = digest_realm() if realm is None else realm
    # MD5 is what the Digest protocol prescribes here, not a choice of password hashing.
    return hashlib.md5(
        f"{username}:{realm}:{password}".encode(), usedforsecurity=False
    ).hexdigest()


def partner_credentials(partner: Partner) -> list[Credential]:
    """Transaksi (Production) first, then Transaksi (Development), as in the manual."""
    return sorted(
        Credential.objects.filter(partner=partner),
        key=lambda c: 0 if c.environment == "production" else 1,
    )


# The Open API's HA1 lookup: the credential of a Digest username with its partner. The Open
# API runs it inside its caller statement (``openapi.selectors.caller``), which adds what
# else a call needs; the credential is ``c`` and its partner ``p`` there.
CREDENTIAL_FIELDS = (
    "id",
    "partner_id",
    "environment",
    "username",
    "ha1",
    "mitra",
    "account_id",
    "merchant_id",
    "merchant_name",
    "counter_id",
)
PARTNER_FIELDS = ("id", "code", "kind", "name", "status")


@dataclass(frozen=True)
class CredentialLookup:
    """The HA1 lookup as parts of a statement: ``select`` (the columns of ``credential``
    then ``partner``), ``source`` (the FROM clause) and ``where`` (one parameter: the
    username). Any partner status is found: the caller answers a suspended partner."""

    credential: Columns
    partner: Columns
    select: str
    source: str
    where: str

    def __len__(self) -> int:
        return len(self.credential) + len(self.partner)

    def instance(self, values) -> Credential:
        """The credential of a row (from the first selected column), with its partner."""
        n = len(self.credential)
        credential = self.credential.instance(values[:n])
        joined(credential, "partner", self.partner.instance(values[n : len(self)]))
        return credential


@functools.cache
def credential_lookup() -> CredentialLookup:
    credential = Columns(Credential, "c", CREDENTIAL_FIELDS)
    partner = Columns(Partner, "p", PARTNER_FIELDS)
    return CredentialLookup(
        credential=credential,
        partner=partner,
        select=f"{credential.sql}, {partner.sql}",
        source=(
            f"{table(Credential)} c JOIN {table(Partner)} p"
            f" ON p.{col(Partner, 'id')} = c.{col(Credential, 'partner_id')}"
        ),
        where=f"c.{col(Credential, 'username')} = %s",
    )


def credential_check_password(credential: Credential, password: str) -> bool:
    return hmac.compare_digest(
        digest_ha1(credential.username, password), credential.ha1
    )
