from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "billing"
    verbose_name = _("Deposit dan transaksi")

    def ready(self) -> None:
        # The services register the review handlers of this app's models.
        from billing import services  # noqa: F401
