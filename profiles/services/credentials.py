"""The credentials issued on the first approval (Webreport login, Transaksi Prod and
Transaksi Dev) and their rotation by the partner."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Partner, User
from portal.lib.access import Level, Menu
from portal.lib.audit import audit_record
from portal.lib.environments import Environment
from profiles import selectors
from profiles.models import WEBREPORT_TITLE, Credential, Profile
from profiles.services.common import ProfileError, owner_email

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


def credentials_issue(*, partner: Partner, profile: Profile, actor) -> dict | None:
    """The three credential sets of the manual, once per partner. Returns the email context
    (with the passwords, which are not stored), or None when they were issued before."""
    if partner.credentials.exists():
        return None
    report_password = _password_new()
    report_user = _webreport_user_create(partner=partner, password=report_password)
    profile.webreport_user = report_user
    profile.save(update_fields=["webreport_user", "updated_at"])
    sets: list[dict] = []
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
        owner_email(
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
        owner_email(
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
