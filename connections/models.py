from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy

from portal.lib.environments import Environment
from portal.lib.review import Reviewable

# At most this many entries per partner and environment; deleted entries do not count.
MAX_ENTRIES_PER_ENVIRONMENT = 10


class ConnectionQuerySet(models.QuerySet):
    def not_deleted(self):
        return self.filter(deleted_at__isnull=True)


class Connection(Reviewable):
    """One whitelisted IP address or CIDR range of a partner for one environment (Koneksi).

    Only approved, not deleted entries let a caller in (``selectors.ip_allowed``). Deleting is a
    soft delete: the row stays for the audit trail and the review history, but stops counting
    (for the limit, duplicates and matching) at once.
    """

    partner = models.ForeignKey(
        "accounts.Partner",
        verbose_name=gettext_lazy("mitra"),
        on_delete=models.PROTECT,
        related_name="connections",
    )
    environment = models.CharField(
        gettext_lazy("tipe koneksi"), max_length=12, choices=Environment.choices
    )
    # Normalised by ``addresses.format_network``: "203.0.113.7", "203.0.113.0/28",
    # "2001:db8:1::/48".
    address = models.CharField(gettext_lazy("IP Address"), max_length=50)
    created_at = models.DateTimeField(gettext_lazy("dibuat"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("dibuat oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    deleted_at = models.DateTimeField(gettext_lazy("dihapus"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("dihapus oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ConnectionQuerySet.as_manager()

    review_noun = gettext_lazy("Koneksi IP Address")
    review_action = "connection"

    class Meta:
        verbose_name = gettext_lazy("koneksi (IP whitelist)")
        verbose_name_plural = gettext_lazy("koneksi (IP whitelist)")
        ordering = ["environment", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "environment", "address"],
                condition=Q(deleted_at__isnull=True),
                name="connections_unique_address_per_environment",
            ),
        ]
        indexes = [
            models.Index(
                fields=["partner", "environment", "review_status"],
                condition=Q(deleted_at__isnull=True),
                name="connections_lookup",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.address} ({self.get_environment_display()})"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def review_portal_path(self) -> str:
        return reverse("connections:list")


# Callbacks -----------------------------------------------------------------------------------


class CallbackEndpoint(models.Model):
    """Where a partner wants the final state of its pending transactions, per environment.

    The secret is made by the server and signs every callback (``X-Signature``); the partner
    reads it in the portal to verify what it receives. An empty URL turns callbacks off.
    """

    partner = models.ForeignKey(
        "accounts.Partner",
        verbose_name=gettext_lazy("mitra"),
        on_delete=models.PROTECT,
        related_name="callback_endpoints",
    )
    environment = models.CharField(
        gettext_lazy("environment"), max_length=12, choices=Environment.choices
    )
    url = models.CharField(gettext_lazy("URL callback"), max_length=500, blank=True)
    secret = models.CharField(gettext_lazy("secret"), max_length=64)
    secret_created_at = models.DateTimeField(gettext_lazy("secret dibuat"))
    updated_at = models.DateTimeField(gettext_lazy("diubah"), auto_now=True)

    class Meta:
        verbose_name = gettext_lazy("URL callback")
        verbose_name_plural = gettext_lazy("URL callback")
        ordering = ["partner", "environment"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "environment"],
                name="connections_one_callback_endpoint_per_environment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.url or '-'} ({self.get_environment_display()})"


class CallbackDelivery(models.Model):
    """One callback to send: the body is fixed when it is queued; each try is an attempt."""

    class Status(models.TextChoices):
        QUEUED = "queued", gettext_lazy("Antre")
        DELIVERED = "delivered", gettext_lazy("Terkirim")
        FAILED = "failed", gettext_lazy("Gagal")

    partner = models.ForeignKey(
        "accounts.Partner",
        verbose_name=gettext_lazy("mitra"),
        on_delete=models.PROTECT,
        related_name="callback_deliveries",
    )
    environment = models.CharField(
        gettext_lazy("environment"), max_length=12, choices=Environment.choices
    )
    # The URL when the callback was queued; each attempt records the URL it really used.
    url = models.CharField(gettext_lazy("URL callback"), max_length=500)
    payload = models.JSONField(gettext_lazy("payload"))
    body = models.TextField(gettext_lazy("body"))
    reference_id = models.CharField(gettext_lazy("referenceID"), max_length=40)
    # The billing transaction, by id only: callbacks do not reach into another app's tables.
    transaction_id = models.BigIntegerField(
        gettext_lazy("id transaksi"), null=True, blank=True
    )
    status = models.CharField(
        gettext_lazy("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.QUEUED,
    )
    attempts = models.PositiveSmallIntegerField(gettext_lazy("percobaan"), default=0)
    next_attempt_at = models.DateTimeField(
        gettext_lazy("percobaan berikutnya"), null=True, blank=True
    )
    created_at = models.DateTimeField(gettext_lazy("dibuat"), auto_now_add=True)
    delivered_at = models.DateTimeField(gettext_lazy("terkirim"), null=True, blank=True)
    is_test = models.BooleanField(gettext_lazy("tes"), default=False)

    class Meta:
        verbose_name = gettext_lazy("pengiriman callback")
        verbose_name_plural = gettext_lazy("pengiriman callback")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["partner", "environment", "-created_at"],
                name="connections_callback_list",
            ),
            models.Index(fields=["status", "created_at"], name="connections_cb_status"),
        ]

    def __str__(self) -> str:
        return f"{self.reference_id} → {self.url}"

    @property
    def can_resend(self) -> bool:
        return self.status in (self.Status.DELIVERED, self.Status.FAILED)


class CallbackAttempt(models.Model):
    """One POST of a callback and what came back (an HTTP status and excerpt, or an error)."""

    delivery = models.ForeignKey(
        CallbackDelivery,
        verbose_name=gettext_lazy("pengiriman"),
        on_delete=models.CASCADE,
        related_name="attempt_log",
    )
    at = models.DateTimeField(gettext_lazy("waktu"))
    url = models.CharField(gettext_lazy("URL"), max_length=500)
    http_status = models.PositiveSmallIntegerField(
        gettext_lazy("HTTP status"), null=True, blank=True
    )
    response_excerpt = models.TextField(gettext_lazy("cuplikan respons"), blank=True)
    error = models.TextField(gettext_lazy("error"), blank=True)
    duration_ms = models.PositiveIntegerField(gettext_lazy("durasi (ms)"), default=0)

    class Meta:
        verbose_name = gettext_lazy("percobaan callback")
        verbose_name_plural = gettext_lazy("percobaan callback")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.http_status or self.error[:40]}"

    @property
    def ok(self) -> bool:
        return self.http_status is not None and 200 <= self.http_status < 300
