from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class Partner(models.Model):
    """A business (mitra) that registered on the portal: the tenant every row belongs to."""

    class Kind(models.TextChoices):
        PRIBADI = "pribadi", _("Pribadi")
        PERUSAHAAN = "perusahaan", _("Perusahaan")

    class Status(models.TextChoices):
        INCOMPLETE = "belum_lengkap", _("Belum lengkap")
        PENDING = "menunggu_verifikasi", _("Menunggu verifikasi")
        ACTIVE = "aktif", _("Aktif")
        REJECTED = "ditolak", _("Ditolak")
        SUSPENDED = "dinonaktifkan", _("Dinonaktifkan")

    code = models.CharField(_("kode mitra"), max_length=12, unique=True)
    kind = models.CharField(_("jenis mitra"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("nama mitra"), max_length=150)
    status = models.CharField(
        _("status akun"),
        max_length=20,
        choices=Status.choices,
        default=Status.INCOMPLETE,
    )
    created_at = models.DateTimeField(_("terdaftar"), auto_now_add=True)

    class Meta:
        verbose_name = _("mitra")
        verbose_name_plural = _("mitra")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def owner(self):
        return self.users.filter(is_owner=True).first()


class User(AbstractUser):
    """A person who logs in: a partner's owner or sub-user, or a staff member (no partner)."""

    partner = models.ForeignKey(
        Partner,
        verbose_name=_("mitra"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    name = models.CharField(_("nama lengkap"), max_length=150, blank=True)
    email = models.EmailField(_("email"), unique=True)
    phone = models.CharField(
        _("nomor handphone"), max_length=16, unique=True, null=True, blank=True
    )
    is_owner = models.BooleanField(_("pemilik akun mitra"), default=False)
    email_verified_at = models.DateTimeField(
        _("email terverifikasi"), null=True, blank=True
    )
    access_rights = models.JSONField(_("hak akses"), default=dict, blank=True)

    objects = UserManager()

    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("user")
        constraints = [
            models.UniqueConstraint(
                Lower("email"), name="accounts_user_email_ci_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.username

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None


class LoginLock(models.Model):
    """Failed logins per account (or per unknown identifier), wherever they come from."""

    key = models.CharField(max_length=160, unique=True)
    failures = models.PositiveSmallIntegerField(default=0)
    last_failure_at = models.DateTimeField(null=True)
    locked_until = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("kunci login")
        verbose_name_plural = _("kunci login")

    def __str__(self) -> str:
        return self.key
