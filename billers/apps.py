from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "billers"
    verbose_name = _("Biller (upstream)")
