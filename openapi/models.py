"""Sign-on sessions and counters, inquiries awaiting payment, the log of every API call, and
the suspect transactions staff settle by hand."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from billing.models import Transaction
from portal.lib.environments import Environment


class SignOnSession(models.Model):
    """A ``SessionID`` given by Sign-On, valid until 23:59:59 WIB of the day it was made."""

    credential = models.ForeignKey(
        "profiles.Credential",
        verbose_name=_("kredensial"),
        on_delete=models.CASCADE,
        related_name="signon_sessions",
    )
    session_id = models.CharField(_("sessionID"), max_length=32, unique=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    expires_at = models.DateTimeField(_("berlaku sampai"))

    class Meta:
        verbose_name = _("sesi Sign On")
        verbose_name_plural = _("sesi Sign On")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.session_id


class SignOnCounter(models.Model):
    """Sign-ons of a credential on one WIB day; past the limit the credential answers rc 34
    for the rest of that day, until staff reset the counter."""

    DAILY_LIMIT = 99

    credential = models.ForeignKey(
        "profiles.Credential",
        verbose_name=_("kredensial"),
        on_delete=models.CASCADE,
        related_name="signon_counters",
    )
    day = models.DateField(_("tanggal"))
    count = models.PositiveIntegerField(_("jumlah Sign On"), default=0)
    reset_at = models.DateTimeField(_("terakhir direset"), null=True, blank=True)

    class Meta:
        verbose_name = _("hitungan Sign On")
        verbose_name_plural = _("hitungan Sign On")
        ordering = ["-day", "credential"]
        constraints = [
            models.UniqueConstraint(
                fields=["credential", "day"], name="openapi_signon_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.credential} {self.day}: {self.count}"


class Inquiry(models.Model):
    """A successful Inquiry, which a Payment with the same referenceID must match."""

    partner = models.ForeignKey(
        "accounts.Partner",
        on_delete=models.CASCADE,
        related_name="inquiries",
        db_index=False,  # the unique (partner, environment, reference) index leads with it
    )
    environment = models.CharField(max_length=12, choices=Environment.choices)
    reference_id = models.CharField(max_length=20)
    product_code = models.CharField(max_length=12)
    customer_id = models.CharField(max_length=32)
    tagihan = models.BigIntegerField()
    admin = models.BigIntegerField()
    total = models.BigIntegerField()
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiry")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "environment", "reference_id"],
                name="openapi_inquiry_reference_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference_id} {self.product_code} {self.customer_id}"


class ApiLog(models.Model):
    """Every call to the Open API, as the server saw it (never a password or Authorization)."""

    partner = models.ForeignKey(
        "accounts.Partner",
        verbose_name=_("mitra"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_logs",
        db_index=False,  # the (partner, …) indexes below lead with it
    )
    environment = models.CharField(
        _("environment"), max_length=12, choices=Environment.choices, blank=True
    )
    username = models.CharField(_("username"), max_length=64, blank=True)
    method = models.CharField(_("metode"), max_length=8)
    path = models.CharField(_("path"), max_length=100)
    ip = models.CharField(_("IP"), max_length=64, blank=True)
    http_status = models.PositiveSmallIntegerField(_("HTTP status"))
    rc = models.CharField(_("rc"), max_length=4, blank=True)
    reference_id = models.CharField(_("referenceID"), max_length=40, blank=True)
    product_code = models.CharField(_("productID"), max_length=20, blank=True)
    request = models.JSONField(_("request"), null=True, blank=True)
    response = models.JSONField(_("response"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("durasi (ms)"), default=0)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        verbose_name = _("log API")
        verbose_name_plural = _("log API")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The Log API page: newest first, optionally per environment.
            models.Index(
                fields=["partner", "-created_at", "-id"],
                name="openapi_log_partner_time",
            ),
            models.Index(
                fields=["partner", "environment", "-created_at"],
                name="openapi_log_partner_env_time",
            ),
            # Integrasi offers a product's latest Development calls as UAT evidence.
            models.Index(
                fields=["partner", "environment", "product_code", "-created_at"],
                name="openapi_log_product_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.rc}"


class SuspectTransaction(Transaction):
    """A transaction as the back-office's suspect queue shows it: pending past the staff
    deadline (``escalated_at``), made final by hand (``pending_settle_by_staff``). A proxy:
    the rows are billing's; the queue, its settle page and its permissions are the Open
    API's, which owns the pending state."""

    class Meta:
        proxy = True
        verbose_name = _("transaksi suspect")
        verbose_name_plural = _("transaksi suspect (pending)")
