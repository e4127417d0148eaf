from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.lib.environments import Environment
from portal.lib.review import Reviewable, ReviewError

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

    # A partner may delete an entry while it waits; deciding it afterwards would email about
    # an address that no longer exists, so the decision is refused (and rolled back).
    def _refuse_if_deleted(self) -> None:
        if self.is_deleted:
            raise ReviewError(
                _("%(subject)s sudah dihapus oleh mitra.") % {"subject": self}
            )

    def review_on_approved(self, *, actor) -> None:
        self._refuse_if_deleted()

    def review_on_rejected(self, *, actor) -> None:
        self._refuse_if_deleted()
