"""Manajemen User: the partner's user settings, what is kept of sub-users, and two-factor login.

The users themselves are ``accounts.User``; this app keeps what only Manajemen User needs:
the counter that numbers sub-usernames (so a number is never handed out twice, even after a
deletion), the owner's "every user must use two-factor login" setting, who created and who
deleted a sub-user, and each user's TOTP secret and recovery codes.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TeamSettings(models.Model):
    """One row per partner, created on first use."""

    partner = models.OneToOneField(
        "accounts.Partner",
        verbose_name=_("mitra"),
        on_delete=models.CASCADE,
        related_name="team_settings",
    )
    last_username_number = models.PositiveIntegerField(
        _("nomor username terakhir"),
        default=0,
        help_text=_(
            "Sub-user berikutnya mendapat nomor sesudahnya; tidak pernah turun."
        ),
    )
    two_factor_required = models.BooleanField(
        _("wajib verifikasi dua langkah"), default=False
    )
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("pengaturan manajemen user")
        verbose_name_plural = _("pengaturan manajemen user")

    def __str__(self) -> str:
        return str(self.partner)


class SubUserQuerySet(models.QuerySet):
    def not_deleted(self):
        return self.filter(deleted_at__isnull=True)


class SubUser(models.Model):
    """What Manajemen User records about a user it created. A deleted sub-user keeps its row
    (and its ``accounts.User`` row, inactive) because the audit trail refers to them; its
    email and phone number are kept here and freed on the user so they can be used again."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="sub_user",
    )
    number = models.PositiveIntegerField(_("nomor"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    deleted_at = models.DateTimeField(_("dihapus"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dihapus oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    deleted_email = models.EmailField(_("email saat dihapus"), blank=True)
    deleted_phone = models.CharField(
        _("nomor handphone saat dihapus"), max_length=16, blank=True
    )

    objects = SubUserQuerySet.as_manager()

    class Meta:
        verbose_name = _("sub-user")
        verbose_name_plural = _("sub-user")

    def __str__(self) -> str:
        return self.user.username

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class TwoFactor(models.Model):
    """A user's TOTP authenticator (RFC 6238: 30 seconds, 6 digits), once confirmed.

    ``last_step`` is the time step of the last accepted code, so a code cannot be used twice.
    ``failures`` counts wrong codes in a row across login attempts; too many lock code entry
    for a while (``locked_until``) whatever session they come from.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="two_factor",
    )
    secret = models.CharField(_("kunci rahasia"), max_length=64)
    confirmed_at = models.DateTimeField(_("diaktifkan"))
    last_step = models.BigIntegerField(_("langkah waktu terakhir"), default=0)
    last_used_at = models.DateTimeField(_("terakhir digunakan"), null=True, blank=True)
    failures = models.PositiveSmallIntegerField(
        _("kode salah berturut-turut"), default=0
    )
    locked_until = models.DateTimeField(_("dikunci hingga"), null=True, blank=True)

    class Meta:
        verbose_name = _("verifikasi dua langkah")
        verbose_name_plural = _("verifikasi dua langkah")

    def __str__(self) -> str:
        return str(self.user)


class RecoveryCode(models.Model):
    """A single-use recovery code; only its hash is stored."""

    two_factor = models.ForeignKey(
        TwoFactor,
        verbose_name=_("verifikasi dua langkah"),
        on_delete=models.CASCADE,
        related_name="recovery_codes",
    )
    code_hash = models.CharField(_("hash kode"), max_length=64)
    used_at = models.DateTimeField(_("digunakan"), null=True, blank=True)

    class Meta:
        verbose_name = _("kode pemulihan")
        verbose_name_plural = _("kode pemulihan")
        constraints = [
            models.UniqueConstraint(
                fields=["two_factor", "code_hash"], name="usermgmt_recovery_code_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.two_factor.user} #{self.pk}"
