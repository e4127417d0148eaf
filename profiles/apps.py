from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProfilesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "profiles"
    verbose_name = _("Profil dan kredensial")

    def ready(self) -> None:
        # The services register the review handlers of this app's models.
        from profiles import services  # noqa: F401
