"""Reads of the whitelist, for the Koneksi pages, the Open API and the menus it gates."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from accounts.models import Partner
from connections import addresses
from connections.models import (
    CallbackAttempt,
    CallbackDelivery,
    CallbackEndpoint,
    Connection,
)
from portal.lib.environments import Environment
from portal.lib.review import ReviewStatus


def connection_list(*, partner: Partner) -> QuerySet[Connection]:
    """The partner's entries as the list page shows them (deleted ones left out)."""
    return (
        Connection.objects.not_deleted()
        .filter(partner=partner)
        .order_by("environment", "-created_at", "-pk")
    )


def ip_allowed(*, partner: Partner, environment: str, ip: str) -> bool:
    """May ``ip`` call ``environment`` for ``partner``?

    Only approved, not deleted entries count. An entry is a single address or a CIDR range;
    an IPv4-mapped IPv6 caller (``::ffff:203.0.113.7``) is matched as IPv4. Anything that is
    not an IP address is refused.
    """
    address = addresses.parse_address(ip)
    if address is None:
        return False
    entries = (
        Connection.objects.not_deleted()
        .filter(
            partner=partner,
            environment=environment,
            review_status=ReviewStatus.APPROVED,
        )
        .values_list("address", flat=True)
    )
    for entry in entries:
        try:
            network = addresses.parse_network(entry)
        except (
            addresses.AddressError
        ):  # never stored so, but never let it open the door
            continue
        if network.version == address.version and address in network:
            return True
    return False


def has_approved_entry(*, partner: Partner, environment: str | None = None) -> bool:
    """Is any entry approved (in ``environment``, or in either)? The documentation menu opens
    with the first approved entry; Request Live needs an approved Production entry."""
    entries = Connection.objects.not_deleted().filter(
        partner=partner, review_status=ReviewStatus.APPROVED
    )
    if environment is not None:
        entries = entries.filter(environment=environment)
    return entries.exists()


def connection_counts(*, partner: Partner) -> dict[str, int]:
    """How many entries (any status) each environment holds, for the "3/10" hint."""
    rows = (
        Connection.objects.not_deleted()
        .filter(partner=partner)
        .order_by()
        .values("environment")
        .annotate(total=Count("pk"))
    )
    counts = {environment.value: 0 for environment in Environment}
    counts.update({row["environment"]: row["total"] for row in rows})
    return counts


def callback_endpoints(*, partner: Partner) -> dict[str, CallbackEndpoint | None]:
    """The partner's callback endpoint of each environment (None where none is saved)."""
    endpoints = {environment.value: None for environment in Environment}
    for endpoint in CallbackEndpoint.objects.filter(partner=partner):
        endpoints[endpoint.environment] = endpoint
    return endpoints


def callback_deliveries(
    *, partner: Partner, environment: str | None = None
) -> QuerySet[CallbackDelivery]:
    """The partner's callbacks, newest first, each with its attempts in order."""
    deliveries = CallbackDelivery.objects.filter(partner=partner)
    if environment:
        deliveries = deliveries.filter(environment=environment)
    return deliveries.order_by("-created_at", "-pk").prefetch_related(
        Prefetch(
            "attempt_log",
            queryset=CallbackAttempt.objects.order_by("at", "pk"),
        )
    )
