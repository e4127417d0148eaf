from django.db import models
from django.utils.translation import gettext_lazy as _


class Environment(models.TextChoices):
    """The two environments of the Open API; credentials, IPs, products and deposits are kept
    apart per environment."""

    DEVELOPMENT = "development", _("Development")
    PRODUCTION = "production", _("Production")
