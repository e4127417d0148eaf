"""Which providers sell a product, in the order they are tried."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from django.conf import settings

from billers import health
from billers.models import Provider, ProviderProduct

_routes: dict[int, tuple[float, tuple]] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class Route:
    provider: Provider
    provider_code: str
    # Prepaid: what the provider charges us. Postpaid: its admin fee on top of the bill.
    buy_price: int

    def buy_for(self, *, product, tagihan: int, total: int) -> int:
        """What this transaction costs us at this provider."""
        if product.is_prepaid:
            return self.buy_price or total
        return tagihan + self.buy_price


SIMULATOR_CODE = "sim"


def default_provider() -> Provider | None:
    """The provider of a product that has no route of its own: the provider named by
    ``BILLERS_DEFAULT_PROVIDER``, by default the in-process simulator (its row is made by a
    migration; without it, as in a flushed test database, an unsaved simulator stands in)."""
    code = getattr(settings, "BILLERS_DEFAULT_PROVIDER", SIMULATOR_CODE)
    found = Provider.objects.filter(code=code).first()
    if found is not None:
        return found if found.enabled else None
    if code == SIMULATOR_CODE:
        return Provider(
            code=SIMULATOR_CODE, name="Simulator", kind=Provider.Kind.SIMULATOR
        )
    return None


def _read_routes(product) -> tuple[Route, ...]:
    rows = (
        ProviderProduct.objects.filter(
            product_id=product.pk, enabled=True, provider__enabled=True
        )
        .select_related("provider")
        .order_by("priority", "id")
    )
    routes = tuple(
        Route(
            provider=row.provider,
            provider_code=row.provider_code or product.code,
            buy_price=row.buy_price,
        )
        for row in rows
    )
    if routes:
        return routes
    fallback = default_provider()
    if fallback is None:
        return ()
    return (Route(provider=fallback, provider_code=product.code, buy_price=0),)


def routes_for(product) -> tuple[Route, ...]:
    """The product's enabled routes by priority, read at most once every
    ``BILLERS_ROUTES_TTL`` seconds per process (a change made in the back-office reaches
    every process within that time)."""
    ttl = getattr(settings, "BILLERS_ROUTES_TTL", 5)
    now = time.monotonic()
    found = _routes.get(product.pk)
    if found is not None and found[0] > now:
        return found[1]
    routes = _read_routes(product)
    with _lock:
        _routes[product.pk] = (now + ttl, routes)
    return routes


def routes_forget() -> None:
    """Forget the routes read by this process (after a change)."""
    with _lock:
        _routes.clear()


def provider_by_id(provider_id: int) -> Provider | None:
    return Provider.objects.filter(pk=provider_id).first()


def products_disrupted(product_ids) -> set[int]:
    """Of ``product_ids``, those no provider can serve now (no enabled route, or every
    provider's breaker open): the Open API reports them GANGGUAN. One query for all."""
    wanted = set(product_ids)
    providers: dict[int, set[int]] = {}
    for product_id, provider_id, kind in ProviderProduct.objects.filter(
        product_id__in=wanted, enabled=True, provider__enabled=True
    ).values_list("product_id", "provider_id", "provider__kind"):
        if kind == Provider.Kind.SIMULATOR:
            provider_id = 0  # in process: always up
        providers.setdefault(product_id, set()).add(provider_id)
    fallback = default_provider()
    up = {0}
    for provider_id in {p for ids in providers.values() for p in ids} - up:
        if health.breaker_state(provider_id) != "open":
            up.add(provider_id)
    disrupted = set()
    for product_id in wanted:
        routed = providers.get(product_id)
        if routed is None:
            if fallback is None:
                disrupted.add(product_id)
            elif fallback.kind != Provider.Kind.SIMULATOR and (
                health.breaker_state(fallback.pk) == "open"
            ):
                disrupted.add(product_id)
        elif not routed & up:
            disrupted.add(product_id)
    return disrupted
