"""A change to a provider or a route makes this process read the routes again once it is
committed (other processes within ``BILLERS_ROUTES_TTL`` seconds). Connected in
``BillersConfig.ready``."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from billers.models import Provider, ProviderProduct
from billers.selectors import routes_forget


@receiver(post_save, sender=Provider, dispatch_uid="billers_provider_saved")
@receiver(post_delete, sender=Provider, dispatch_uid="billers_provider_deleted")
@receiver(post_save, sender=ProviderProduct, dispatch_uid="billers_route_saved")
@receiver(post_delete, sender=ProviderProduct, dispatch_uid="billers_route_deleted")
def routes_changed(sender, **kwargs) -> None:
    transaction.on_commit(routes_forget)
