from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocsContentConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "docs_content"
    verbose_name = _("Dokumentasi")
