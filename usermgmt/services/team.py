"""The partner's team settings: the username counter and the owner's two-factor
requirement."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Partner, User
from portal.lib.audit import audit_record
from usermgmt.models import TeamSettings, TwoFactor
from usermgmt.services.errors import UserManagementError


def team_settings_locked(partner: Partner) -> TeamSettings:
    """The partner's settings row, created if needed, locked for this transaction."""
    TeamSettings.objects.get_or_create(partner=partner)
    return TeamSettings.objects.select_for_update().get(partner=partner)


def two_factor_policy_set(
    *, actor: User, required: bool, ip: str | None = None
) -> TeamSettings:
    """The owner requires (or stops requiring) two-factor login from every user of the
    partner. The owner must use it first, so the requirement never locks the owner out of a
    setting they cannot meet."""
    if not actor.is_owner or actor.partner is None:
        raise UserManagementError(
            _("Hanya pemilik akun mitra yang dapat mengubah pengaturan ini.")
        )
    with transaction.atomic():
        team = team_settings_locked(actor.partner)
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
