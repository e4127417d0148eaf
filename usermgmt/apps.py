from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsermgmtConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "usermgmt"
    verbose_name = _("Manajemen User")
