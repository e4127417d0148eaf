"""Each user's two-factor login: set up, check a code at login, turn off, new recovery
codes, and the reset a sub-user's manager may do."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from portal.lib.audit import audit_record
from portal.lib.email import email_queue
from usermgmt import totp
from usermgmt.models import RecoveryCode, TeamSettings, TwoFactor
from usermgmt.services.errors import UserManagementError

# Wrong codes in a row (over any number of logins) before code entry is locked for a while.
TWO_FACTOR_FAILURE_LIMIT = 10
TWO_FACTOR_LOCK = timedelta(minutes=15)


def _two_factor_changed(
    *, user: User, actor: User, action: str, enabled: bool, ip: str | None
) -> None:
    """The audit event and the email to the user of a 2FA switched on or off (inside the
    caller's transaction)."""
    audit_record(
        action=f"usermgmt.two_factor_{action}",
        actor=actor,
        partner=user.partner,
        subject=user,
        ip=ip,
    )
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
        _two_factor_changed(
            user=user, actor=user, action="enabled", enabled=True, ip=ip
        )
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
    team = (
        TeamSettings.objects.filter(partner_id=user.partner_id).first()
        if user.partner_id is not None
        else None
    )
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
            _two_factor_changed(
                user=user, actor=user, action="disabled", enabled=False, ip=ip
            )


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
        _two_factor_changed(
            user=user, actor=actor, action="reset", enabled=False, ip=ip
        )
    return True
