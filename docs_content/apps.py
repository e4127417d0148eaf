from django.apps import AppConfig


class DocsContentConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "docs_content"
