"""The reads every Open API call makes, one SQL statement each.

They run on every request, so they are written as SQL prepared once from the models' own
``_meta`` (table and column names are never typed by hand): measured on the 2-core
reference machine, the ORM spent 1.5 ms of CPU compiling the caller lookup alone, the
prepared statement 0.08 ms. The rows come back as ordinary model instances (fields not
selected are deferred) so that the services keep working with ``Credential``, ``Partner``
and ``Product`` as everywhere else.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.models import Partner
from billing.models import Transaction
from connections import addresses
from connections.models import Connection
from openapi.models import Inquiry, SignOnCounter, SignOnSession
from portal.lib.environments import Environment
from portal.lib.review import ReviewStatus
from portal.lib.sql import Columns, col, execute, joined, statement, table
from products.models import Category, PartnerProduct, Product
from profiles.models import Credential

CREDENTIAL_FIELDS = (
    "id",
    "partner_id",
    "environment",
    "username",
    "ha1",
    "mitra",
    "account_id",
    "merchant_id",
    "merchant_name",
    "counter_id",
)
PARTNER_FIELDS = ("id", "code", "kind", "name", "status")
PRODUCT_FIELDS = (
    "id",
    "code",
    "name",
    "category_id",
    "kind",
    "operator",
    "price",
    "admin_fee",
    "status",
)
CATEGORY_FIELDS = ("id", "slug", "name", "position")
INQUIRY_FIELDS = ("product_code", "customer_id", "tagihan", "admin", "total", "data")


def _json(value):
    return json.loads(value) if isinstance(value, str | bytes) else value


def _aware(value) -> datetime:
    if isinstance(value, str):
        value = parse_datetime(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


# --- the caller ---------------------------------------------------------------------------


@dataclass
class CallerRow:
    credential: Credential
    partner: Partner
    signon_blocked: bool
    session_valid: bool
    whitelist: list[str] = field(default_factory=list)
    # The answer to the ``product`` query of ``caller_for``: (query, lookup or None).
    product: tuple[ProductQuery, ProductLookup | None] | None = None


@functools.cache
def _caller_sql(
    reference: bool | None = None, inquiry: bool = False
) -> tuple[str, Columns, Columns]:
    """The caller lookup; with ``reference`` not None, also a product lookup (joined
    laterally, so that an unknown product leaves the caller's columns alone)."""
    credential = Columns(Credential, "c", CREDENTIAL_FIELDS)
    partner = Columns(Partner, "p", PARTNER_FIELDS)
    lateral = ""
    if reference is not None:
        product_sql, _product, _category = _product_sql(
            reference=reference, inquiry=inquiry, lateral=True
        )
        lateral = f"LEFT JOIN LATERAL ({product_sql}) pl ON TRUE"
    sql = f"""
        SELECT {credential.sql}, {partner.sql},
            EXISTS (
                SELECT 1 FROM {table(SignOnCounter)} k
                WHERE k.{col(SignOnCounter, "credential_id")} = c.{col(Credential, "id")}
                  AND k.{col(SignOnCounter, "day")} = %s
                  AND k.{col(SignOnCounter, "count")} > %s
            ),
            EXISTS (
                SELECT 1 FROM {table(SignOnSession)} s
                WHERE s.{col(SignOnSession, "credential_id")} = c.{col(Credential, "id")}
                  AND s.{col(SignOnSession, "session_id")} = %s
                  AND s.{col(SignOnSession, "expires_at")} >= %s
            ),
            w.{col(Connection, "address")}{", pl.*" if reference is not None else ""}
        FROM {table(Credential)} c
        JOIN {table(Partner)} p
          ON p.{col(Partner, "id")} = c.{col(Credential, "partner_id")}
        LEFT JOIN {table(Connection)} w
          ON w.{col(Connection, "partner_id")} = c.{col(Credential, "partner_id")}
         AND w.{col(Connection, "environment")} = c.{col(Credential, "environment")}
         AND w.{col(Connection, "review_status")} = %s
         AND w.{col(Connection, "deleted_at")} IS NULL
        {lateral}
        WHERE c.{col(Credential, "username")} = %s
    """  # noqa: S608 - names come from _meta; values are parameters
    return sql, credential, partner


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
    sql, credential, partner = _caller_sql(
        reference, product is not None and product.with_inquiry
    )
    ops = connection.ops
    params = [
        ops.adapt_datefield_value(timezone.localdate()),
        SignOnCounter.DAILY_LIMIT,
        session_id or "",
        ops.adapt_datetimefield_value(timezone.now()),
        ReviewStatus.APPROVED,
        *(_product_params(product) if product is not None else ()),
        username,
    ]
    with connection.cursor() as cursor:
        execute(cursor, sql, params)
        rows = cursor.fetchall()
    if not rows:
        return None
    first = rows[0]
    n, m = len(credential), len(partner)
    address = n + m + 2
    row = CallerRow(
        credential=credential.instance(first[:n]),
        partner=partner.instance(first[n : n + m]),
        signon_blocked=bool(first[n + m]),
        session_valid=bool(session_id) and bool(first[n + m + 1]),
        whitelist=[r[address] for r in rows if r[address]],
    )
    joined(row.credential, "partner", row.partner)
    if product is not None:
        found = first[address + 1 :]
        _sql, product_columns, category_columns = _product_sql(
            reference=reference, inquiry=product.with_inquiry
        )
        row.product = (
            product,
            None
            if found[0] is None
            else _product_row(product, found, product_columns, category_columns),
        )
    return row


@functools.lru_cache(maxsize=4096)
def _network(entry: str):
    try:
        return addresses.parse_network(entry)
    except addresses.AddressError:  # never stored so, but never let it open the door
        return None


def ip_in_whitelist(ip: str, entries: list[str]) -> bool:
    """``connections.selectors.ip_allowed`` on entries already fetched: a single address or
    a CIDR range; an IPv4-mapped IPv6 caller is matched as IPv4; anything else is refused."""
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


# --- products, references and inquiries ---------------------------------------------------


@dataclass
class InquiryRow:
    product_code: str
    customer_id: str
    tagihan: int
    admin: int
    total: int
    data: dict


@dataclass
class ProductLookup:
    product: Product
    partner_state: str | None
    reference_used: bool = False
    inquiry: InquiryRow | None = None


@dataclass(frozen=True)
class ProductQuery:
    """What a service asks of its product: the code, whether ``reference_id`` is taken
    (when given) and, ``with_inquiry``, the partner's inquiry of that referenceID."""

    code: str
    reference_id: str | None = None
    with_inquiry: bool = False


def _product_sql(
    *, reference: bool, inquiry: bool, lateral: bool = False
) -> tuple[str, Columns, Columns]:
    """The product lookup; ``lateral`` takes the partner and environment from the caller's
    credential ``c`` of the statement around it instead of from parameters."""
    partner, environment = (
        (f"c.{col(Credential, 'partner_id')}", f"c.{col(Credential, 'environment')}")
        if lateral
        else ("%s", "%s")
    )
    product = Columns(Product, "pr", PRODUCT_FIELDS)
    category = Columns(Category, "cat", CATEGORY_FIELDS)
    state = f"""(SELECT pp.{col(PartnerProduct, "state")} FROM {table(PartnerProduct)} pp
             WHERE pp.{col(PartnerProduct, "partner_id")} = {partner}
               AND pp.{col(PartnerProduct, "product_id")} = pr.{col(Product, "id")})"""  # noqa: S608 - names come from _meta; values are parameters
    select = [product.sql, category.sql, state]
    if reference:
        select.append(
            f"""EXISTS (SELECT 1 FROM {table(Transaction)} t
                WHERE t.{col(Transaction, "partner_id")} = {partner}
                  AND t.{col(Transaction, "environment")} = {environment}
                  AND t.{col(Transaction, "reference_id")} = %s)"""  # noqa: S608 - names come from _meta; values are parameters
        )
    joins = (
        f"JOIN {table(Category)} cat "
        f"ON cat.{col(Category, 'id')} = pr.{col(Product, 'category_id')}"
    )
    if inquiry:
        select += [f"i.{col(Inquiry, name)}" for name in INQUIRY_FIELDS]
        joins += f"""
            LEFT JOIN {table(Inquiry)} i
              ON i.{col(Inquiry, "partner_id")} = {partner}
             AND i.{col(Inquiry, "environment")} = {environment}
             AND i.{col(Inquiry, "reference_id")} = %s"""
    sql = f"""SELECT {", ".join(select)} FROM {table(Product)} pr {joins}
        WHERE pr.{col(Product, "code")} = %s"""  # noqa: S608 - names come from _meta; values are parameters
    return sql, product, category


_product_sql = functools.cache(_product_sql)


def _product_params(query: ProductQuery, partner_id=None, environment=None) -> list:
    """The parameters of :func:`_product_sql` in the order of its text (without the
    partner and environment when ``lateral``)."""
    standalone = partner_id is not None
    params: list = [partner_id] if standalone else []
    for wanted in (query.reference_id is not None, query.with_inquiry):
        if wanted:
            if standalone:
                params += [partner_id, environment]
            params.append(query.reference_id)
    params.append(query.code)
    return params


def _product_row(query: ProductQuery, row, product, category) -> ProductLookup:
    n, m = len(product), len(category)
    found = product.instance(row[:n])
    joined(found, "category", category.instance(row[n : n + m]))
    rest = list(row[n + m :])
    lookup = ProductLookup(product=found, partner_state=rest.pop(0))
    if query.reference_id is not None:
        lookup.reference_used = bool(rest.pop(0))
    if query.with_inquiry and rest[0] is not None:
        lookup.inquiry = InquiryRow(*rest[:5], data=_json(rest[5]) or {})
    return lookup


def product_lookup(
    *, query: ProductQuery, partner: Partner, environment: str
) -> ProductLookup | None:
    """The product ``query.code`` with its category and the partner's state of it, and what
    else ``query`` asks. One statement."""
    sql, product, category = _product_sql(
        reference=query.reference_id is not None, inquiry=query.with_inquiry
    )
    with connection.cursor() as cursor:
        execute(cursor, sql, _product_params(query, partner.pk, environment))
        row = cursor.fetchone()
    if row is None:
        return None
    return _product_row(query, row, product, category)


def product_sellable(*, state: str | None, environment: str) -> bool:
    """``products.selectors.product_allowed`` for a state already fetched: Development needs
    the product chosen, Production needs it Aktif (live)."""
    if state is None:
        return False
    if environment == Environment.PRODUCTION:
        return state == PartnerProduct.State.ACTIVE
    return environment == Environment.DEVELOPMENT


# --- transactions -------------------------------------------------------------------------


ADVISORY_LOCK_SQL = "SELECT pg_advisory_xact_lock(hashtext(%s))"


@functools.cache
def _conflict_sql() -> str:
    t = {name: col(Transaction, name) for name in (
        "partner_id", "environment", "reference_id", "product_code", "customer_number",
        "total", "created_at", "status",
    )}  # fmt: skip
    # Two index lookups (the referenceID's unique index, then the partner's customer-number
    # index), never one scan of the partner's transactions: written as one OR, PostgreSQL
    # filtered every row of the partner, so a payment grew slower with each transaction.
    return f"""
        SELECT {t["reference_id"]} FROM {table(Transaction)}
        WHERE {t["partner_id"]} = %s AND {t["environment"]} = %s
          AND {t["reference_id"]} = %s
        UNION ALL
        SELECT {t["reference_id"]} FROM {table(Transaction)}
        WHERE {t["partner_id"]} = %s AND {t["environment"]} = %s
          AND {t["customer_number"]} = %s AND {t["product_code"]} = %s
          AND {t["total"]} = %s AND {t["created_at"]} >= %s AND {t["status"]} <> %s
    """  # noqa: S608 - names come from _meta; values are parameters


def payment_conflict(
    *,
    partner: Partner,
    environment: str,
    reference_id: str,
    product_code: str,
    customer_id: str,
    total: int,
    since: datetime,
    lock_key: str | None = None,
) -> str | None:
    """ "86" when the referenceID is taken, "75" when a transaction (not failed) of the same
    product and amount to the same number was made since ``since``; None otherwise.

    With ``lock_key`` (PostgreSQL), the transaction-level advisory lock of that key is taken
    first, in the same round trip: the check is a statement of its own after the lock, so
    it sees whatever the previous holder committed."""
    params = [
        partner.pk,
        environment,
        reference_id,
        partner.pk,
        environment,
        customer_id,
        product_code,
        total,
        connection.ops.adapt_datetimefield_value(since),
        Transaction.Status.GAGAL,
    ]
    with connection.cursor() as cursor:
        if lock_key is not None and connection.vendor == "postgresql":
            lock = statement(cursor, ADVISORY_LOCK_SQL)
            check = statement(cursor, _conflict_sql())
            cursor.execute(f"{lock}; {check}", [lock_key, *params])
        else:
            execute(cursor, _conflict_sql(), params)
        references = [row[0] for row in cursor.fetchall()]
    if reference_id in references:
        return "86"
    return "75" if references else None


@dataclass
class TransactionState:
    status: str
    product_code: str
    customer_number: str
    created_at: datetime
    response: dict


@functools.cache
def _state_sql() -> str:
    names = ("status", "product_code", "customer_number", "created_at", "response")
    selected = ", ".join(col(Transaction, name) for name in names)
    return f"""SELECT {selected} FROM {table(Transaction)}
        WHERE {col(Transaction, "partner_id")} = %s
          AND {col(Transaction, "environment")} = %s
          AND {col(Transaction, "reference_id")} = %s"""  # noqa: S608 - names come from _meta; values are parameters


def transaction_state(
    *, partner: Partner, environment: str, reference_id: str
) -> TransactionState | None:
    """What Check-Status answers from: the transaction of a referenceID."""
    with connection.cursor() as cursor:
        execute(cursor, _state_sql(), [partner.pk, environment, reference_id])
        row = cursor.fetchone()
    if row is None:
        return None
    status, product_code, customer_number, created_at, response = row
    return TransactionState(
        status=status,
        product_code=product_code,
        customer_number=customer_number,
        created_at=_aware(created_at),
        response=_json(response) or {},
    )
