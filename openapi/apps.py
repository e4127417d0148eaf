from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenapiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "openapi"
    verbose_name = _("Open API")
