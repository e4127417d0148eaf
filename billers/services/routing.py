"""Routing: a call goes to the first healthy provider of its product.

A provider that refused before taking the request (``Refused``) is skipped and the next one
tried while the deadline allows. A payment that may have been taken (``Unknown``) is never sent
to a second provider: it is pending (suspect) and its status is asked later. An inquiry moves no
money, so any failure moves on to the next provider.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import time
from dataclasses import dataclass

from billers import health
from billers.adapters import adapter_for
from billers.adapters.base import BillerAnswer, Call, Refused, Unknown, UpstreamError
from billers.models import Provider
from billers.selectors import Route, default_provider, provider_by_id, routes_for
from portal.lib.db import connection_release

logger = logging.getLogger(__name__)

# No provider could take it: the product is "gangguan" for now (a failure: no money moves).
RC_NO_PROVIDER = "73"
# Taken, no final answer yet.
RC_PENDING = "71"
# The call's deadline ran out before a provider was asked (nothing was sent).
RC_OUT_OF_TIME = "46"


def _timed(provider: Provider) -> bool:
    """The in-process simulator has no network: no figures, no breaker."""
    return provider.kind != Provider.Kind.SIMULATOR


def routes_healthy(product) -> list[Route]:
    """The product's routes whose provider's breaker lets a call through now (the probe
    of a half-open breaker is claimed by whoever asks first)."""
    healthy = []
    for route in routes_for(product):
        provider = route.provider
        if not _timed(provider) or health.allow(
            provider.pk, probe_seconds=float(provider.timeout_seconds)
        ):
            healthy.append(route)
    return healthy


def call_reference(*, partner_id: int, environment: str, reference_id: str) -> str:
    """Our reference at the provider for the partner's ``reference_id``: the same for its
    Inquiry and its Payment (a Kiosbank-style provider pays only a referenceID it was asked
    about), unique across partners and environments, 20 characters."""
    digest = hashlib.sha256(
        f"{partner_id}:{environment}:{reference_id}".encode()
    ).digest()
    return "W" + base64.b32encode(digest).decode()[:19]


def _ask(route: Route, method: str, call: Call) -> BillerAnswer:
    """One call to one provider. Any failure of the adapter after it was called is
    ``Unknown`` (the request may have been taken), for every kind of provider; the figures
    and the breaker count the providers on the network only. A pooled database connection
    goes back to the pool for the wait."""
    adapter = adapter_for(route.provider, call.environment)
    timed = _timed(route.provider)
    if timed:
        connection_release()
    started = time.monotonic()
    try:
        try:
            answer = getattr(adapter, method)(call)
        except UpstreamError:
            raise
        except Exception:
            logger.exception(
                "provider %s %s: adapter error", route.provider.code, method
            )
            raise Unknown("adapter error") from None
    except UpstreamError as exc:
        if timed:
            health.record(
                route.provider.pk, ok=False, seconds=time.monotonic() - started
            )
        logger.warning(
            "provider %s %s %s: %s",
            route.provider.code,
            method,
            call.reference,
            exc.reason,
        )
        raise
    if timed:
        health.record(route.provider.pk, ok=True, seconds=time.monotonic() - started)
    return answer


def _left(deadline: float, route: Route) -> float:
    return min(deadline - time.monotonic(), float(route.provider.timeout_seconds))


def inquiry_routed(
    *,
    environment: str,
    product,
    customer_id: str,
    periode: int | None,
    reference: str,
    deadline: float,
) -> tuple[BillerAnswer, Route | None]:
    """The first provider's answer to an inquiry (rc 73 when none answered, rc 46 when the
    deadline ran out first)."""
    for route in routes_healthy(product):
        left = _left(deadline, route)
        if left <= 0:
            return BillerAnswer(rc=RC_OUT_OF_TIME), None
        call = Call(
            environment=environment,
            product=product,
            provider_code=route.provider_code,
            customer_id=customer_id,
            reference=reference,
            timeout=left,
            periode=periode,
        )
        try:
            return _ask(route, "inquiry", call), route
        except UpstreamError:
            continue
    return BillerAnswer(rc=RC_NO_PROVIDER), None


@dataclass(frozen=True)
class PayResult:
    answer: BillerAnswer
    # The provider that took it (or may have): None when none did.
    route: Route | None
    # Sent, and no readable answer: ask the provider for the status later.
    suspect: bool = False


def pay_routed(
    *,
    environment: str,
    product,
    routes: list[Route],
    customer_id: str,
    amount: int,
    reference: str,
    deadline: float,
    moved=None,
) -> PayResult:
    """Pay through ``routes`` in order (the caller read them before taking the money).
    ``moved(route)`` is told before a call goes to a provider other than the first, so that
    the transaction always names the provider that may hold it. Past the ``deadline`` no
    provider is asked any more (rc 46: nothing was sent)."""
    for index, route in enumerate(routes):
        left = _left(deadline, route)
        if left <= 0:
            return PayResult(answer=BillerAnswer(rc=RC_OUT_OF_TIME), route=None)
        if index and moved is not None:
            moved(route)
        call = Call(
            environment=environment,
            product=product,
            provider_code=route.provider_code,
            customer_id=customer_id,
            reference=reference,
            timeout=left,
            amount=amount,
        )
        try:
            return PayResult(answer=_ask(route, "pay", call), route=route)
        except Refused:
            continue
        except UpstreamError:
            return PayResult(
                answer=BillerAnswer(rc=RC_PENDING), route=route, suspect=True
            )
    return PayResult(answer=BillerAnswer(rc=RC_NO_PROVIDER), route=None)


def status_asked(
    *,
    environment: str,
    product,
    provider_id: int | None,
    customer_id: str,
    reference: str,
    provider_ref: str = "",
    timeout: float | None = None,
) -> BillerAnswer:
    """The provider's status of one of our payments; rc 71 (still pending) when it
    cannot say (any failure: the money stays where it is)."""
    provider = provider_by_id(provider_id) if provider_id else default_provider()
    if provider is None:
        return BillerAnswer(rc=RC_PENDING)
    route = Route(provider=provider, provider_code="", buy_price=0)
    for candidate in routes_for(product) if product is not None else ():
        if candidate.provider.pk == provider.pk:
            route = candidate
    call = Call(
        environment=environment,
        product=product,
        provider_code=route.provider_code or getattr(product, "code", ""),
        customer_id=customer_id,
        reference=reference,
        timeout=timeout or float(provider.timeout_seconds),
        provider_ref=provider_ref,
    )
    try:
        return _ask(route, "status", call)
    except UpstreamError:
        return BillerAnswer(rc=RC_PENDING)
