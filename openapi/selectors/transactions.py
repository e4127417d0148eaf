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
from portal.lib.sql import col, execute, table


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


def same_payment_query(
    *,
    partner: Partner,
    environment: str,
    reference_id: str,
    product_code: str,
    customer_id: str,
    total: int,
    since: datetime,
) -> tuple[str, tuple[Any, ...]]:
    """The rc 75 check as SQL and its parameters: a row when a transaction (not failed) of
    the same product and amount to the same number, under another referenceID, was made
    since ``since``. The payment's debit carries it as its guard (``DebitGuard``)."""
    return _same_payment_sql(), (
        partner.pk,
        environment,
        customer_id,
        product_code,
        total,
        connection.ops.adapt_datetimefield_value(since),
        Transaction.Status.GAGAL,
        reference_id,
    )


def same_payment_made(query: tuple[str, tuple[Any, ...]]) -> bool:
    """Does ``query`` (:func:`same_payment_query`) find a row now?"""
    sql, params = query
    with connection.cursor() as cursor:
        execute(cursor, sql, params)
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
