"""Who is calling, in the one statement every Open API call makes before its service runs.

The statement is put together from the rules of the apps that own them, each written once:
the HA1 lookup (``profiles.selectors.credential_lookup``), the whitelist entries
(``connections.selectors.whitelist_sql``, matched by ``connections.selectors.ip_allowed``),
the product lookup of the payment services (``openapi.selectors.products``, with
``products.selectors.partner_state_sql``), and this app's own sign-on counter and session
(``signon_blocked_sql``, ``session_valid_sql``). It is prepared once per connection
(``portal.lib.sql``): compiling it through the ORM on every call cost more CPU than the
database spends answering it (``make bench`` measures the path).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

from accounts.models import Partner
from connections.models import Connection
from connections.selectors import WHITELIST_PARAMS, whitelist_sql
from openapi.models import SignOnCounter, SignOnSession
from openapi.selectors.products import (
    ProductLookup,
    ProductQuery,
    product_params,
    product_row,
    product_sql,
)
from portal.lib.sql import col, execute, table
from profiles.models import Credential
from profiles.selectors import credential_lookup


@dataclass
class CallerRow:
    credential: Credential
    partner: Partner
    signon_blocked: bool
    session_valid: bool
    whitelist: list[str] = field(default_factory=list)
    # The answer to the ``product`` query of ``caller_for``: (query, lookup or None).
    product: tuple[ProductQuery, ProductLookup | None] | None = None


def signon_blocked_sql(credential: str) -> str:
    """Is the credential (an SQL expression of its id) past today's sign-on limit? Takes
    ``signon_blocked_params()``."""
    return f"""EXISTS (
        SELECT 1 FROM {table(SignOnCounter)} k
        WHERE k.{col(SignOnCounter, "credential_id")} = {credential}
          AND k.{col(SignOnCounter, "day")} = %s
          AND k.{col(SignOnCounter, "count")} > %s)"""  # noqa: S608 - names come from _meta; values are parameters


def signon_blocked_params() -> list:
    return [
        connection.ops.adapt_datefield_value(timezone.localdate()),
        SignOnCounter.DAILY_LIMIT,
    ]


def session_valid_sql(credential: str) -> str:
    """The sign-on session check: is the ``sessionID`` one of the credential's (an SQL
    expression of its id) sessions, not yet expired? Takes ``session_valid_params``; the
    answer counts only for a non-empty ``sessionID`` (see ``caller_for``)."""
    return f"""EXISTS (
        SELECT 1 FROM {table(SignOnSession)} s
        WHERE s.{col(SignOnSession, "credential_id")} = {credential}
          AND s.{col(SignOnSession, "session_id")} = %s
          AND s.{col(SignOnSession, "expires_at")} >= %s)"""  # noqa: S608 - names come from _meta; values are parameters


def session_valid_params(session_id: str) -> list:
    return [session_id, connection.ops.adapt_datetimefield_value(timezone.now())]


@functools.cache
def _caller_sql(reference: bool | None = None, inquiry: bool = False) -> str:
    """The caller lookup; with ``reference`` not None, also a product lookup (joined
    laterally, so that an unknown product leaves the caller's columns alone)."""
    lookup = credential_lookup()
    credential_id = f"c.{col(Credential, 'id')}"
    lateral = ""
    if reference is not None:
        product, _product, _category = product_sql(
            reference=reference, inquiry=inquiry, lateral=True
        )
        lateral = f"LEFT JOIN LATERAL ({product}) pl ON TRUE"
    whitelist = whitelist_sql(
        "w",
        partner=f"c.{col(Credential, 'partner_id')}",
        environment=f"c.{col(Credential, 'environment')}",
    )
    return f"""
        SELECT {lookup.select},
            {signon_blocked_sql(credential_id)},
            {session_valid_sql(credential_id)},
            w.{col(Connection, "address")}{", pl.*" if reference is not None else ""}
        FROM {lookup.source}
        LEFT JOIN {table(Connection)} w ON {whitelist}
        {lateral}
        WHERE {lookup.where}
    """  # noqa: S608 - names come from _meta; values are parameters


def caller_for(
    *, username: str, session_id: str = "", product: ProductQuery | None = None
) -> CallerRow | None:
    """The credential of a Digest username with its partner, whether it is past today's
    sign-on limit, whether ``session_id`` is one of its live sessions, and the approved
    whitelist entries of its environment — in one statement; with ``product``, the same
    statement also answers that product lookup for the credential's partner and
    environment (the service of the call needs it next)."""
    if connection.vendor != "postgresql":
        product = None  # no LATERAL in SQLite (make run): the service asks on its own
    reference = None if product is None else product.reference_id is not None
    sql = _caller_sql(reference, product is not None and product.with_inquiry)
    params = [
        *signon_blocked_params(),
        *session_valid_params(session_id or ""),
        *WHITELIST_PARAMS,
        *(product_params(product) if product is not None else ()),
        username,
    ]
    with connection.cursor() as cursor:
        execute(cursor, sql, params)
        rows = cursor.fetchall()
    if not rows:
        return None
    first = rows[0]
    lookup = credential_lookup()
    credential = lookup.instance(first)
    n = len(lookup)
    address = n + 2
    row = CallerRow(
        credential=credential,
        partner=credential.partner,
        signon_blocked=bool(first[n]),
        session_valid=bool(session_id) and bool(first[n + 1]),
        whitelist=[r[address] for r in rows if r[address]],
    )
    if product is not None:
        found = first[address + 1 :]
        row.product = (
            product,
            None if found[0] is None else product_row(product, found),
        )
    return row
