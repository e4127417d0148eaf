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
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    last_error = models.TextField(_("error terakhir"), blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("terkirim pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("email keluar")
        verbose_name_plural = _("email keluar")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "template", "created_at"])]

    def __str__(self) -> str:
        return f"{self.template} → {self.to}"
