"""The transactions a payment service reads: the rc 75 check of a payment and the state
Check-Status answers from. Prepared SQL from the models' ``_meta``, like the caller's."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.models import Partner
from billing.models import Transaction
from openapi.selectors.products import json_value
from portal.lib.sql import col, execute, statement, table

ADVISORY_LOCK_SQL = "SELECT pg_advisory_xact_lock(hashtext(%s))"


def _aware(value) -> datetime:
    if isinstance(value, str):
        value = parse_datetime(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


@functools.cache
def _same_payment_sql() -> str:
    t = {name: col(Transaction, name) for name in (
        "partner_id", "environment", "reference_id", "product_code", "customer_number",
        "total", "created_at", "status",
    )}  # fmt: skip
    # One lookup of the partner's customer-number index. A transaction of the same
    # referenceID does not count: that payment is answered rc 86 (the unique constraint).
    return f"""
        SELECT 1 FROM {table(Transaction)}
        WHERE {t["partner_id"]} = %s AND {t["environment"]} = %s
          AND {t["customer_number"]} = %s AND {t["product_code"]} = %s
          AND {t["total"]} = %s AND {t["created_at"]} >= %s AND {t["status"]} <> %s
          AND {t["reference_id"]} <> %s
        LIMIT 1
    """  # noqa: S608 - names come from _meta; values are parameters


def same_payment_made(
    *,
    partner: Partner,
    environment: str,
    reference_id: str,
    product_code: str,
    customer_id: str,
    total: int,
    since: datetime,
    lock_key: str | None = None,
) -> bool:
    """Was a transaction (not failed) of the same product and amount to the same number,
    under another referenceID, made since ``since``? (rc 75.)

    With ``lock_key`` (PostgreSQL), the transaction-level advisory lock of that key is taken
    first, in the same round trip: the check is a statement of its own after the lock, so
    it sees whatever the previous holder committed."""
    params: list[Any] = [
        partner.pk,
        environment,
        customer_id,
        product_code,
        total,
        connection.ops.adapt_datetimefield_value(since),
        Transaction.Status.GAGAL,
        reference_id,
    ]
    with connection.cursor() as cursor:
        if lock_key is not None and connection.vendor == "postgresql":
            lock = statement(cursor, ADVISORY_LOCK_SQL)
            check = statement(cursor, _same_payment_sql())
            cursor.execute(f"{lock}; {check}", [lock_key, *params])
            # psycopg keeps the result of each statement: the check's is the second.
            cursor.nextset()
        else:
            execute(cursor, _same_payment_sql(), params)
        return cursor.fetchone() is not None


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
        response=json_value(response) or {},
    )
