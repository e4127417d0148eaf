from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConnectionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "connections"
    verbose_name = _("Koneksi")

    def ready(self) -> None:
        # The services register the review handlers of this app's models.
        from connections import services  # noqa: F401
