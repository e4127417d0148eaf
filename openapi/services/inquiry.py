"""Inquiry: look up a postpaid bill and keep the answer for its Payment."""

from __future__ import annotations

import functools
import json

from django.db import connection
from django.utils import timezone

from billers.services import call_reference, inquiry_routed
from openapi import rc
from openapi.fields import money, reply
from openapi.models import Inquiry
from openapi.services.commands import InquiryCommand
from openapi.services.common import (
    Caller,
    not_prepaid,
    product_for_sale,
    reply_reference_used,
)
from portal.lib.sql import col, table, write_relaxed


def inquiry(caller: Caller, command: InquiryCommand, body: dict) -> dict:
    """Look up a postpaid bill; nothing is charged. A successful answer is kept for the
    Payment with the same referenceID."""
    lookup = product_for_sale(caller, command.product)
    product = lookup.product
    not_prepaid(product)
    if lookup.reference_used:
        return reply_reference_used(body)
    customer_id = command.customer_id
    answer, _route = inquiry_routed(
        environment=caller.environment,
        product=product,
        customer_id=customer_id,
        periode=command.periode,
        reference=call_reference(
            partner_id=caller.partner.pk,
            environment=caller.environment,
            reference_id=command.reference_id,
        ),
        deadline=caller.deadline,
    )
    if answer.rc != "00":
        return reply(rc.known(answer.rc, otherwise="01"), body)
    periode = answer.data.get("periode", 1)
    tagihan = answer.data["tagihan"]
    admin = product.admin_fee * periode
    total = tagihan + admin
    data = {
        "idPelanggan": customer_id,
        "nama": answer.data["nama"],
        "tagihan": money(tagihan),
        "admin": money(admin),
        "total": money(total),
        "periode": str(periode),
        "rincianTagihan": [
            {"bulan": row["bulan"], "tagihan": money(row["tagihan"])}
            for row in answer.data.get("rincianTagihan", [])
        ],
    }
    _inquiry_save(
        caller,
        reference_id=command.reference_id,
        product_code=product.code,
        customer_id=customer_id,
        amounts=(tagihan, admin, total),
        data=data,
    )
    return reply("00", body, data=data)


INQUIRY_COLUMNS = (
    "partner_id",
    "environment",
    "reference_id",
    "product_code",
    "customer_id",
    "tagihan",
    "admin",
    "total",
    "data",
    "created_at",
)


@functools.cache
def _inquiry_upsert_sql() -> str:
    columns = [col(Inquiry, name) for name in INQUIRY_COLUMNS]
    key = ", ".join(columns[:3])
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns[3:])
    values = ", ".join(["%s"] * len(columns))
    return f"""INSERT INTO {table(Inquiry)} ({", ".join(columns)}) VALUES ({values})
        ON CONFLICT ({key}) DO UPDATE SET {updates}"""  # noqa: S608 - names come from _meta; values are parameters


def _inquiry_save(
    caller: Caller, *, reference_id, product_code, customer_id, amounts, data
) -> None:
    """Keep the answer for the Payment of this referenceID; asking again replaces it (one
    prepared statement, whether or not the partner asked before). Committed without waiting
    for the disk flush: a database crash may lose it, and the Payment then asks for a new
    Inquiry (rc 61); no money depends on it."""
    tagihan, admin, total = amounts
    values = [
        caller.partner.pk,
        caller.environment,
        reference_id,
        product_code,
        customer_id,
        tagihan,
        admin,
        total,
        json.dumps(data),
        connection.ops.adapt_datetimefield_value(timezone.now()),
    ]
    write_relaxed(_inquiry_upsert_sql(), values)
