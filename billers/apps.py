from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "billers"
    verbose_name = _("Biller (upstream)")

    def ready(self) -> None:
        # Routes read again after a provider or route changes (models import no services).
        from billers import signals  # noqa: F401
