"""Writes of Manajemen User: sub-users, the owner's two-factor requirement, and each user's
two-factor login (set up, check a code, turn off, new recovery codes).

Every refusal is a ``UserManagementError``; ``field`` names the form field it belongs to when
there is one. Every change writes an audit event in its own transaction.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Partner, User
from portal.lib.access import Level, Menu, has_right
from portal.lib.audit import audit_record, snapshot
from portal.lib.email import email_queue
from usermgmt import totp
from usermgmt.models import RecoveryCode, SubUser, TeamSettings, TwoFactor
from usermgmt.rights import (
    Rights,
    rights_clean,
    rights_cover,
    rights_exceeding,
    rights_of,
)

USER_AUDIT_FIELDS = ["username", "name", "email", "phone", "access_rights", "is_active"]
# Wrong codes in a row (over any number of logins) before code entry is locked for a while.
TWO_FACTOR_FAILURE_LIMIT = 10
TWO_FACTOR_LOCK = timedelta(minutes=15)


class UserManagementError(Exception):
    def __init__(
        self, message: str, *, field: str | None = None, code: str = "invalid"
    ):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


# --- team settings ------------------------------------------------------------------------


def _settings_locked(partner: Partner) -> TeamSettings:
    """The partner's settings row, created if needed, locked for this transaction."""
    TeamSettings.objects.get_or_create(partner=partner)
    return TeamSettings.objects.select_for_update().get(partner=partner)


def two_factor_policy_set(
    *, actor: User, required: bool, ip: str | None = None
) -> TeamSettings:
    """The owner requires (or stops requiring) two-factor login from every user of the
    partner. The owner must use it first, so the requirement never locks the owner out of a
    setting they cannot meet."""
    if not actor.is_owner or actor.partner_id is None:
        raise UserManagementError(
            _("Hanya pemilik akun mitra yang dapat mengubah pengaturan ini.")
        )
    with transaction.atomic():
        team = _settings_locked(actor.partner)
        if required and not TwoFactor.objects.filter(user=actor).exists():
            raise UserManagementError(
                _(
                    "Aktifkan verifikasi dua langkah untuk akun Anda sendiri terlebih "
                    "dahulu melalui halaman Keamanan Akun."
                )
            )
        before = {"two_factor_required": team.two_factor_required}
        team.two_factor_required = required
        team.save(update_fields=["two_factor_required", "updated_at"])
        audit_record(
            action="usermgmt.two_factor_policy_changed",
            actor=actor,
            partner=actor.partner,
            subject=team,
            before=before,
            after={"two_factor_required": required},
            ip=ip,
        )
    return team


# --- sub-users ----------------------------------------------------------------------------


def _acting_check(actor: User) -> None:
    if actor.partner_id is None or not has_right(actor, Menu.USERMGMT, Level.CHANGE):
        raise UserManagementError(
            _("Anda tidak memiliki hak untuk mengubah data user."), code="forbidden"
        )


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
    _acting_check(actor)
    rights = _rights_check(actor=actor, rights=rights)
    email = email.strip().lower()
    try:
        with transaction.atomic():
            team = _settings_locked(actor.partner)
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
            _settings_locked(actor.partner)
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
        _settings_locked(actor.partner)
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


# --- two-factor login ---------------------------------------------------------------------


def _two_factor_email(user: User, *, enabled: bool) -> None:
    email_queue(
        to=user.email,
        template="usermgmt_two_factor_changed",
        context={
            "user": user,
            "enabled": enabled,
            "security_url": settings.SITE_URL + reverse("usermgmt:security"),
        },
        user=user,
    )


def _recovery_codes_store(two_factor: TwoFactor) -> list[str]:
    two_factor.recovery_codes.all().delete()
    codes = totp.recovery_codes_new()
    RecoveryCode.objects.bulk_create(
        RecoveryCode(
            two_factor=two_factor,
            code_hash=totp.recovery_hash(user_id=two_factor.user_id, code=code),
        )
        for code in codes
    )
    return codes


def two_factor_enable(
    *, user: User, secret: str, code: str, ip: str | None = None
) -> list[str]:
    """Turn two-factor login on with ``secret`` once ``code`` proves the authenticator has it.

    Returns the ten recovery codes, shown once; only their hashes are kept.
    """
    step = totp.totp_match(secret=secret, code=code)
    if step is None:
        raise UserManagementError(
            _("Kode tidak valid. Masukkan 6 digit kode yang tampil di aplikasi."),
            field="code",
        )
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if TwoFactor.objects.filter(user=user).exists():
            raise UserManagementError(_("Verifikasi dua langkah sudah aktif."))
        now = timezone.now()
        two_factor = TwoFactor.objects.create(
            user=user, secret=secret, confirmed_at=now, last_step=step, last_used_at=now
        )
        codes = _recovery_codes_store(two_factor)
        audit_record(
            action="usermgmt.two_factor_enabled",
            actor=user,
            partner=user.partner,
            subject=user,
            ip=ip,
        )
        _two_factor_email(user, enabled=True)
    return codes


def _code_use(two_factor: TwoFactor, code: str, *, ip: str | None) -> str | None:
    """Accept a TOTP code or an unused recovery code of a locked ``two_factor`` row, updating
    it; returns "totp" or "recovery", or None (failure counted) when the code is wrong."""
    now = timezone.now()
    step = totp.totp_match(
        secret=two_factor.secret, code=code, after_step=two_factor.last_step
    )
    kind = None
    if step is not None:
        two_factor.last_step = step
        kind = "totp"
    elif totp.looks_like_recovery_code(code):
        used = two_factor.recovery_codes.filter(
            code_hash=totp.recovery_hash(user_id=two_factor.user_id, code=code),
            used_at__isnull=True,
        ).update(used_at=now)
        if used:
            kind = "recovery"
            audit_record(
                action="usermgmt.recovery_code_used",
                actor=two_factor.user,
                partner=two_factor.user.partner,
                subject=two_factor.user,
                after={
                    "left": two_factor.recovery_codes.filter(
                        used_at__isnull=True
                    ).count()
                },
                ip=ip,
            )
    if kind is not None:
        two_factor.failures = 0
        two_factor.last_used_at = now
        two_factor.save(update_fields=["last_step", "failures", "last_used_at"])
        return kind
    two_factor.failures += 1
    if two_factor.failures >= TWO_FACTOR_FAILURE_LIMIT:
        two_factor.failures = 0
        two_factor.locked_until = now + TWO_FACTOR_LOCK
        audit_record(
            action="usermgmt.two_factor_locked",
            actor=None,
            partner=two_factor.user.partner,
            subject=two_factor.user,
            after={"locked_until": two_factor.locked_until},
            ip=ip,
        )
    two_factor.save(update_fields=["failures", "locked_until"])
    return None


def _locked_error(until) -> UserManagementError:
    local = timezone.localtime(until)
    return UserManagementError(
        _(
            "Terlalu banyak kode yang salah. Verifikasi dua langkah dikunci sementara; "
            "coba lagi pukul %(time)s WIB."
        )
        % {"time": local.strftime("%H:%M")},
        field="code",
        code="locked",
    )


def two_factor_verify(*, user: User, code: str, ip: str | None = None) -> str:
    """Check a login code: a TOTP code (±30 seconds, never one already used) or a recovery
    code (once). Returns "totp" or "recovery"; a wrong code is counted and refused."""
    with transaction.atomic():
        two_factor = TwoFactor.objects.select_for_update().filter(user=user).first()
        if two_factor is None:
            raise UserManagementError(
                _("Verifikasi dua langkah tidak aktif."), code="missing"
            )
        if two_factor.locked_until and two_factor.locked_until > timezone.now():
            raise _locked_error(two_factor.locked_until)
        kind = _code_use(two_factor, code, ip=ip)
        locked_until = two_factor.locked_until
    # Outside the transaction, so that the counted failure stays recorded.
    if kind is None:
        if locked_until and locked_until > timezone.now():
            raise _locked_error(locked_until)
        raise UserManagementError(
            _("Kode verifikasi salah atau sudah digunakan."), field="code"
        )
    return kind


def two_factor_disable(
    *, user: User, password: str, code: str, ip: str | None = None
) -> None:
    """Turn two-factor login off; needs the password and a current code (or recovery code),
    and is refused while the partner requires two-factor login."""
    team = TeamSettings.objects.filter(partner_id=user.partner_id).first()
    if team is not None and team.two_factor_required:
        raise UserManagementError(
            _(
                "Pemilik akun mitra mewajibkan verifikasi dua langkah untuk semua user, "
                "sehingga tidak dapat dinonaktifkan."
            )
        )
    if not user.check_password(password):
        raise UserManagementError(_("Password salah."), field="password")
    two_factor_verify(user=user, code=code, ip=ip)
    with transaction.atomic():
        deleted, _rows = TwoFactor.objects.filter(user=user).delete()
        if deleted:
            audit_record(
                action="usermgmt.two_factor_disabled",
                actor=user,
                partner=user.partner,
                subject=user,
                ip=ip,
            )
            _two_factor_email(user, enabled=False)


def recovery_codes_regenerate(
    *, user: User, code: str, ip: str | None = None
) -> list[str]:
    """Replace every recovery code (used or not) with ten new ones, after a current code."""
    two_factor_verify(user=user, code=code, ip=ip)
    with transaction.atomic():
        two_factor = TwoFactor.objects.select_for_update().get(user=user)
        codes = _recovery_codes_store(two_factor)
        audit_record(
            action="usermgmt.recovery_codes_regenerated",
            actor=user,
            partner=user.partner,
            subject=user,
            ip=ip,
        )
    return codes


def two_factor_reset(*, user: User, actor: User, ip: str | None = None) -> bool:
    """Staff turn off a user's two-factor login (phone and recovery codes lost), after
    checking who is asking outside the system. Returns False when it was not on."""
    if not actor.is_staff:
        raise UserManagementError(
            _("Hanya staff yang dapat mereset verifikasi dua langkah user lain.")
        )
    with transaction.atomic():
        deleted, _rows = TwoFactor.objects.filter(user=user).delete()
        if not deleted:
            return False
        audit_record(
            action="usermgmt.two_factor_reset",
            actor=actor,
            partner=user.partner,
            subject=user,
            ip=ip,
        )
        _two_factor_email(user, enabled=False)
    return True
