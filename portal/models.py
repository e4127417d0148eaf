from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailOutbox(models.Model):
    """Every email the portal sends, rendered once, so that staff can see and resend it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Antre")
        SENT = "sent", _("Terkirim")
        FAILED = "failed", _("Gagal")

    to = models.EmailField(_("penerima"))
    template = models.CharField(_("template"), max_length=64, db_index=True)
    subject = models.CharField(_("subjek"), max_length=255)
    body_text = models.TextField(_("isi teks"))
    body_html = models.TextField(_("isi HTML"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="emails",
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    # Carries secrets (passwords): the text is wiped once the email has been sent.
    sensitive = models.BooleanField(_("berisi rahasia"), default=False)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    last_error = models.TextField(_("error terakhir"), blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("terkirim pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("email keluar")
        verbose_name_plural = _("email keluar")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "template", "created_at"])]

    REDACTED = "[Isi email ini dihapus setelah terkirim karena memuat password.]"

    def __str__(self) -> str:
        return f"{self.template} → {self.to}"


class AuditEvent(models.Model):
    """One thing that happened, written in the same transaction as the change it describes."""

    partner = models.ForeignKey(
        "accounts.Partner",
        verbose_name=_("mitra"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pelaku"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("aksi"), max_length=64, db_index=True)
    subject_type = models.CharField(_("jenis objek"), max_length=64, blank=True)
    subject_id = models.CharField(_("id objek"), max_length=64, blank=True)
    subject_repr = models.CharField(_("objek"), max_length=255, blank=True)
    before = models.JSONField(_("sebelum"), null=True, blank=True)
    after = models.JSONField(_("sesudah"), null=True, blank=True)
    ip = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        verbose_name = _("jejak audit")
        verbose_name_plural = _("jejak audit")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["partner", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.action} {self.subject_repr}"
