from django.apps import AppConfig


class UsermgmtConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "usermgmt"
