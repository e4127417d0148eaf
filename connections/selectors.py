"""Reads of the whitelist, for the Koneksi pages, the Open API and the menus it gates."""

from __future__ import annotations

import functools
from collections.abc import Iterable

from django.db import connection
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
from portal.lib.sql import col, execute, table


def connection_list(*, partner: Partner) -> QuerySet[Connection]:
    """The partner's entries as the list page shows them (deleted ones left out)."""
    return (
        Connection.objects.not_deleted()
        .filter(partner=partner)
        .order_by("environment", "-created_at", "-pk")
    )


def whitelist_sql(alias: str, *, partner: str, environment: str) -> str:
    """The condition under which a row ``alias`` of ``Connection`` lets a caller in: an
    approved, not deleted entry of ``partner`` in ``environment`` (SQL expressions: ``%s``
    or a column of the statement around it). It takes ``WHITELIST_PARAMS`` after those of
    ``partner`` and ``environment``. The Open API's caller statement joins the entries with
    it, so that the whitelist costs no round trip of its own."""
    return (
        f"{alias}.{col(Connection, 'partner_id')} = {partner}"
        f" AND {alias}.{col(Connection, 'environment')} = {environment}"
        f" AND {alias}.{col(Connection, 'review_status')} = %s"
        f" AND {alias}.{col(Connection, 'deleted_at')} IS NULL"
    )


WHITELIST_PARAMS = (ReviewStatus.APPROVED,)


def whitelist_entries(*, partner: Partner, environment: str) -> list[str]:
    """The entries that let a caller of ``partner`` into ``environment`` (one query)."""
    where = whitelist_sql("w", partner="%s", environment="%s")
    sql = f"SELECT w.{col(Connection, 'address')} FROM {table(Connection)} w WHERE {where}"  # noqa: S608 - names come from _meta; values are parameters
    with connection.cursor() as cursor:
        execute(cursor, sql, [partner.pk, environment, *WHITELIST_PARAMS])
        return [row[0] for row in cursor.fetchall()]


@functools.lru_cache(maxsize=4096)
def _network(entry: str) -> addresses.Network | None:
    try:
        return addresses.parse_network(entry)
    except addresses.AddressError:  # never stored so, but never let it open the door
        return None


def ip_allowed(*, ip: str, entries: Iterable[str]) -> bool:
    """May ``ip`` call with these whitelist ``entries`` (``whitelist_entries``, or the same
    rows joined into the caller's statement)?

    An entry is a single address or a CIDR range; an IPv4-mapped IPv6 caller
    (``::ffff:203.0.113.7``) is matched as IPv4. Anything that is not an IP address is
    refused.
    """
    address = addresses.parse_address(ip)
    if address is None:
        return False
    for entry in entries:
        network = _network(entry)
        if (
            network is not None
            and network.version == address.version
            and address in network
        ):
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
    endpoints: dict[str, CallbackEndpoint | None] = {
        environment.value: None for environment in Environment
    }
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
