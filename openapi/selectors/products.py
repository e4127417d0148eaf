"""The product a payment service names, in one statement: the catalogue product with its
category, the partner's state of it (``products.selectors.partner_state_sql``), whether the
referenceID is taken and the partner's inquiry of that referenceID, as each service asks.

Written as SQL prepared once from the models' own ``_meta``: it runs on every payment call,
where the ORM's compiler cost more CPU than the database spent on the row. The rows come
back as ordinary model instances (fields not selected are deferred).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

from django.db import connection

from accounts.models import Partner
from billing.models import Transaction
from openapi.models import Inquiry
from portal.lib.sql import Columns, col, execute, joined, table
from products.models import Category, Product
from products.selectors import partner_state_sql
from profiles.models import Credential

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


def json_value(value):
    """A JSON column as Python: PostgreSQL's driver decodes it, SQLite's gives the text."""
    return json.loads(value) if isinstance(value, str | bytes) else value


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


@functools.cache
def product_sql(
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
    state = partner_state_sql(partner=partner, product=f"pr.{col(Product, 'id')}")
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


def product_params(query: ProductQuery, partner_id=None, environment=None) -> list:
    """The parameters of :func:`product_sql` in the order of its text (without the
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


def product_row(query: ProductQuery, row) -> ProductLookup:
    """The answer to ``query`` from the columns of :func:`product_sql`."""
    _sql, product, category = product_sql(
        reference=query.reference_id is not None, inquiry=query.with_inquiry
    )
    n, m = len(product), len(category)
    found = product.instance(row[:n])
    joined(found, "category", category.instance(row[n : n + m]))
    rest = list(row[n + m :])
    lookup = ProductLookup(product=found, partner_state=rest.pop(0))
    if query.reference_id is not None:
        lookup.reference_used = bool(rest.pop(0))
    if query.with_inquiry and rest[0] is not None:
        product_code, customer_id, tagihan, admin, total, data = rest[:6]
        lookup.inquiry = InquiryRow(
            product_code=product_code,
            customer_id=customer_id,
            tagihan=tagihan,
            admin=admin,
            total=total,
            data=json_value(data) or {},
        )
    return lookup


def product_lookup(
    *, query: ProductQuery, partner: Partner, environment: str
) -> ProductLookup | None:
    """The product ``query.code`` with its category and the partner's state of it, and what
    else ``query`` asks. One statement."""
    sql, _product, _category = product_sql(
        reference=query.reference_id is not None, inquiry=query.with_inquiry
    )
    with connection.cursor() as cursor:
        execute(cursor, sql, product_params(query, partner.pk, environment))
        row = cursor.fetchone()
    if row is None:
        return None
    return product_row(query, row)
