"""Sub-users: create, change and delete the partner's other users, within the rights the
acting user holds itself."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Partner, User
from portal.lib.access import Level, Menu, has_right
from portal.lib.audit import audit_record, snapshot
from portal.lib.email import email_queue
from usermgmt.models import SubUser, TeamSettings, TwoFactor
from usermgmt.rights import (
    Rights,
    rights_clean,
    rights_cover,
    rights_exceeding,
    rights_of,
)
from usermgmt.services.errors import UserManagementError
from usermgmt.services.team import team_settings_locked

USER_AUDIT_FIELDS = ["username", "name", "email", "phone", "access_rights", "is_active"]


def _acting_check(actor: User) -> Partner:
    """The actor's partner, whose users the actor may change; refused otherwise."""
    partner = actor.partner
    if partner is None or not has_right(actor, Menu.USERMGMT, Level.CHANGE):
        raise UserManagementError(
            _("Anda tidak memiliki hak untuk mengubah data user."), code="forbidden"
        )
    return partner


def _rights_check(*, actor: User, rights: Rights) -> Rights:
    rights = rights_clean(rights)
    if not rights:
        raise UserManagementError(_("Pilih minimal satu hak akses."), field="role")
    exceeding = rights_exceeding(granted=rights, holder=rights_of(actor))
    if exceeding:
        labels = ", ".join(str(Menu(menu).label) for menu in exceeding)
        raise UserManagementError(
            _(
                "Anda tidak dapat memberikan hak akses melebihi hak akses Anda sendiri "
                "(%(menus)s)."
            )
            % {"menus": labels},
            field="role",
        )
    return rights


def sub_user_changeable_check(*, actor: User, user: User) -> None:
    """The rules for changing an existing user: the partner's own, living sub-user, not the
    actor, and not one holding a right the actor lacks (who could otherwise change its email
    or password and log in as it)."""
    _acting_check(actor)
    if user.partner_id != actor.partner_id:
        raise UserManagementError(_("User tidak ditemukan."), code="not_found")
    if user.is_owner:
        raise UserManagementError(
            _("Akun pemilik tidak dapat diubah atau dihapus di sini."), code="owner"
        )
    if user.pk == actor.pk:
        raise UserManagementError(
            _(
                "Anda tidak dapat mengubah atau menghapus akun Anda sendiri di sini. "
                "Gunakan Ubah Password atau Keamanan Akun."
            ),
            code="self",
        )
    record = SubUser.objects.filter(user=user).first()
    if record is not None and record.is_deleted:
        raise UserManagementError(_("User ini sudah dihapus."), code="not_found")
    if not rights_cover(actor=actor, user=user):
        raise UserManagementError(
            _(
                "User ini memiliki hak akses yang tidak Anda miliki, sehingga tidak dapat "
                "Anda ubah atau hapus."
            ),
            code="above",
        )


def _unique_check(*, email: str, phone: str, exclude: User | None = None) -> None:
    others = User.objects.all()
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if others.filter(email__iexact=email).exists():
        raise UserManagementError(_("Email sudah digunakan."), field="email")
    if others.filter(phone=phone).exists():
        raise UserManagementError(_("Nomor telepon sudah digunakan."), field="phone")


def _username_allocate(team: TeamSettings) -> tuple[str, int]:
    """The next ``<partner code>.<n>``; the counter only grows, and a number whose username is
    somehow taken already is skipped."""
    prefix = team.partner.code.lower()
    number = team.last_username_number
    while True:
        number += 1
        username = f"{prefix}.{number}"
        if not User.objects.filter(username__iexact=username).exists():
            break
    team.last_username_number = number
    team.save(update_fields=["last_username_number", "updated_at"])
    return username, number


def username_preview(*, partner: Partner) -> str:
    """The username the next sub-user will most likely get (shown read-only on the form)."""
    team = TeamSettings.objects.filter(partner=partner).first()
    number = team.last_username_number if team else 0
    prefix = partner.code.lower()
    while True:
        number += 1
        username = f"{prefix}.{number}"
        if not User.objects.filter(username__iexact=username).exists():
            return username


def sub_user_create(
    *,
    actor: User,
    name: str,
    email: str,
    phone: str,
    password: str,
    rights: Rights,
    ip: str | None = None,
) -> User:
    """Add a sub-user to the actor's partner with a system-chosen username.

    The new user can log in at once (with its username or phone number): the acting user
    vouches for the email address, and the new user gets an email saying the account exists.
    """
    partner = _acting_check(actor)
    rights = _rights_check(actor=actor, rights=rights)
    email = email.strip().lower()
    try:
        with transaction.atomic():
            team = team_settings_locked(partner)
            _unique_check(email=email, phone=phone)
            username, number = _username_allocate(team)
            user = User(
                username=username,
                partner=actor.partner,
                name=name,
                email=email,
                phone=phone,
                is_owner=False,
                is_staff=False,
                is_superuser=False,
                access_rights=rights,
                email_verified_at=timezone.now(),
            )
            user.set_password(password)
            user.save()
            SubUser.objects.create(user=user, number=number, created_by=actor)
            audit_record(
                action="usermgmt.user_created",
                actor=actor,
                partner=actor.partner,
                subject=user,
                after=snapshot(user, USER_AUDIT_FIELDS),
                ip=ip,
            )
            email_queue(
                to=user.email,
                template="usermgmt_user_created",
                context={
                    "user": user,
                    "actor": actor,
                    "partner": actor.partner,
                    "login_url": settings.SITE_URL + reverse("accounts:login"),
                },
                user=user,
            )
    except IntegrityError:
        # Taken a moment ago by someone else: the same messages as the check above.
        _unique_check(email=email, phone=phone)
        raise
    return user


def sub_user_update(
    *,
    actor: User,
    user: User,
    name: str,
    email: str,
    phone: str,
    rights: Rights,
    is_active: bool,
    password: str | None = None,
    ip: str | None = None,
) -> User:
    """Change a sub-user's data, rights and status (a new password only when given).

    A deactivated user's sessions stop working at its next request, and so do its other
    sessions when its password changes.
    """
    email = email.strip().lower()
    try:
        with transaction.atomic():
            team_settings_locked(_acting_check(actor))
            user = User.objects.select_for_update().get(pk=user.pk)
            sub_user_changeable_check(actor=actor, user=user)
            rights = _rights_check(actor=actor, rights=rights)
            _unique_check(email=email, phone=phone, exclude=user)
            before = snapshot(user, USER_AUDIT_FIELDS)
            user.name = name
            user.email = email
            user.phone = phone
            user.access_rights = rights
            user.is_active = is_active
            if password:
                user.set_password(password)
            user.save()
            after = snapshot(user, USER_AUDIT_FIELDS)
            if password:
                after["password_changed"] = True
            audit_record(
                action="usermgmt.user_updated",
                actor=actor,
                partner=actor.partner,
                subject=user,
                before=before,
                after=after,
                ip=ip,
            )
    except IntegrityError:
        _unique_check(email=email, phone=phone, exclude=user)
        raise
    return user


def sub_user_delete(*, actor: User, user: User, ip: str | None = None) -> User:
    """Delete a sub-user: deactivate it and keep the row for the audit trail.

    Its sessions stop working at once (Django refuses inactive users on every request), its
    username is never handed out again, and its email and phone number (kept on the
    ``SubUser`` record) are freed for a new account.
    """
    with transaction.atomic():
        team_settings_locked(_acting_check(actor))
        user = User.objects.select_for_update().get(pk=user.pk)
        sub_user_changeable_check(actor=actor, user=user)
        before = snapshot(user, USER_AUDIT_FIELDS)
        record, _created = SubUser.objects.get_or_create(
            user=user, defaults={"number": 0}
        )
        record.deleted_at = timezone.now()
        record.deleted_by = actor
        record.deleted_email = user.email
        record.deleted_phone = user.phone or ""
        record.save()
        user.is_active = False
        user.email = f"dihapus-{user.pk}@users.invalid"
        user.phone = None
        user.set_unusable_password()
        user.save()
        TwoFactor.objects.filter(user=user).delete()
        audit_record(
            action="usermgmt.user_deleted",
            actor=actor,
            partner=actor.partner,
            subject=user,
            before=before,
            after={"deleted_at": record.deleted_at, "is_active": False},
            ip=ip,
        )
    return user
