"""Inquiry, Payment, SinglePayment and Check-Status. Money moves only through
``billing.services``: the deposit is debited together with recording the transaction, before
the biller is asked; a failure gives it back."""

from __future__ import annotations

import functools
import json
import logging
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from billing.models import Transaction
from billing.services import (
    BillingError,
    DuplicateReference,
    InsufficientDeposit,
    transaction_complete,
    transaction_create_paid,
)
from openapi import fields, rc
from openapi.fields import BadRequest, money, reply
from openapi.models import Inquiry
from openapi.selectors import payment_conflict, transaction_state
from openapi.services.common import (
    Caller,
    ProductNeeds,
    check_merchant,
    product_for_sale,
)
from openapi.services.log import write_relaxed
from openapi.services.pending import schedule_resolution
from openapi.simulator import BillerAnswer, backend
from portal.lib.sql import col, table
from products.models import Product

logger = logging.getLogger(__name__)

SAME_AMOUNT_WINDOW = timedelta(minutes=10)
# What each service asks of its product; the views hand these to the gateway, which asks
# them in the caller's statement.
INQUIRY_PRODUCT = ProductNeeds(reference=True)
PAYMENT_PRODUCT = ProductNeeds(reference=True, inquiry=True)
SINGLE_PAYMENT_PRODUCT = ProductNeeds()
STATUS_LABEL = {"sukses": "SUKSES", "pending": "PENDING", "gagal": "GAGAL"}
RECEIPT_KEYS = ("sn", "token", "kwh", "kodeVoucher")


def _reply_86(body: dict) -> dict:
    return reply(
        "86",
        body,
        description=(
            "referenceID sudah digunakan; buat referenceID baru untuk transaksi baru, "
            "atau gunakan Check-Status untuk transaksi ini"
        ),
    )


def _not_prepaid(product: Product) -> None:
    if product.is_prepaid:
        raise BadRequest(
            f"Produk {product.code} adalah produk prabayar: gunakan SinglePayment",
            rc="10",
        )


# --- Inquiry ------------------------------------------------------------------------------


def inquiry(caller: Caller, body: dict) -> dict:
    """Look up a postpaid bill; nothing is charged. A successful answer is kept for the
    Payment with the same referenceID."""
    check_merchant(caller, body)
    code = fields.text(body, "productID")
    customer_id = fields.text(body, "customerID")
    reference_id = fields.text(body, "referenceID")
    months = fields.periode(body)
    lookup = product_for_sale(caller, INQUIRY_PRODUCT.ask(code, reference_id))
    product = lookup.product
    _not_prepaid(product)
    if lookup.reference_used:
        return _reply_86(body)
    answer = backend().inquiry(product=product, customer_id=customer_id, periode=months)
    if answer.rc != "00":
        return reply(answer.rc, body)
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
        reference_id=reference_id,
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


# --- Payment and SinglePayment ------------------------------------------------------------


def _amounts(body: dict) -> tuple[int, int, int]:
    return (
        fields.amount(body, "tagihan"),
        fields.amount(body, "admin"),
        fields.amount(body, "total"),
    )


def payment(caller: Caller, body: dict) -> dict:
    """Pay the bill of an earlier successful Inquiry with the same referenceID."""
    check_merchant(caller, body)
    code = fields.text(body, "productID")
    customer_id = fields.text(body, "customerID")
    reference_id = fields.text(body, "referenceID")
    tagihan, admin, total = _amounts(body)
    lookup = product_for_sale(caller, PAYMENT_PRODUCT.ask(code, reference_id))
    product = lookup.product
    _not_prepaid(product)
    if lookup.reference_used:
        return _reply_86(body)
    asked = lookup.inquiry
    if (
        asked is None
        or asked.product_code != product.code
        or asked.customer_id != customer_id
    ):
        return reply(
            "61",
            body,
            description=(
                "Lakukan Inquiry dengan referenceID, productID dan customerID yang sama "
                "terlebih dahulu"
            ),
        )
    if (tagihan, admin, total) != (asked.tagihan, asked.admin, asked.total):
        return reply(
            "70",
            body,
            description=(
                f"Jumlah pembayaran tidak sesuai Inquiry: tagihan {money(asked.tagihan)}, "
                f"admin {money(asked.admin)}, total {money(asked.total)}"
            ),
        )
    return _pay(
        caller,
        body,
        product=product,
        customer_id=customer_id,
        reference_id=reference_id,
        amounts=(tagihan, admin, total),
        service="Payment",
        inquiry_data=asked.data,
    )


def single_payment(caller: Caller, body: dict) -> dict:
    """A prepaid purchase at the listed price."""
    check_merchant(caller, body)
    code = fields.text(body, "productID")
    customer_id = fields.text(body, "customerID")
    reference_id = fields.text(body, "referenceID")
    tagihan, admin, total = _amounts(body)
    product = product_for_sale(caller, SINGLE_PAYMENT_PRODUCT.ask(code, "")).product
    if not product.is_prepaid:
        raise BadRequest(
            f"Produk {product.code} adalah produk pascabayar: gunakan Inquiry lalu "
            "Payment",
            rc="10",
        )
    refusal = None
    if tagihan + admin != total:
        refusal = reply(
            "70", body, description="total harus sama dengan tagihan + admin"
        )
    elif total != product.price:
        refusal = reply(
            "42",
            body,
            description=f"Harga produk {product.code} adalah {money(product.price)}",
        )
    return _pay(
        caller,
        body,
        product=product,
        customer_id=customer_id,
        reference_id=reference_id,
        amounts=(tagihan, admin, total),
        service="SinglePayment",
        inquiry_data={},
        refusal=refusal,
    )


def _same_amount_key(caller: Caller, product, customer_id: str, total: int) -> str:
    """The advisory lock that serialises payments of the same product and amount to the
    same number until the surrounding transaction ends, so that the rc 75 and rc 86 checks
    cannot both pass for two concurrent requests (payments of other numbers do not wait)."""
    return (
        f"{caller.partner.pk}:{caller.environment}:{product.code}:{customer_id}:{total}"
    )


def _pay(
    caller: Caller,
    body: dict,
    *,
    product: Product,
    customer_id: str,
    reference_id: str,
    amounts: tuple[int, int, int],
    service: str,
    inquiry_data: dict,
    refusal: dict | None = None,
) -> dict:
    """Under the lock: rc 86 (referenceID taken), the caller's ``refusal``, rc 75; then the
    transaction and its debit together (rc 12 when short), then the biller's answer."""
    tagihan, admin, total = amounts
    request_copy = {k: v for k, v in body.items() if k != "sessionID"}
    try:
        with transaction.atomic():
            conflict = payment_conflict(
                lock_key=_same_amount_key(caller, product, customer_id, total),
                partner=caller.partner,
                environment=caller.environment,
                reference_id=reference_id,
                product_code=product.code,
                customer_id=customer_id,
                total=total,
                since=timezone.now() - SAME_AMOUNT_WINDOW,
            )
            if conflict == "86":
                return _reply_86(body)
            if refusal is not None:
                return refusal
            if conflict == "75":
                return reply(
                    "75",
                    body,
                    description=(
                        "Transaksi dengan produk dan nominal yang sama ke nomor ini sudah "
                        "ada dalam 10 menit terakhir"
                    ),
                )
            txn = transaction_create_paid(
                partner=caller.partner,
                environment=caller.environment,
                product=product,
                product_code=product.code,
                product_name=product.name,
                category=product.category.name,
                customer_number=customer_id,
                reference_id=reference_id,
                tagihan=tagihan,
                admin=admin,
                total=total,
                request=request_copy,
                service=service,
                rc="71",
                description=rc.describe("71"),
                # Any refusal leaves this block and rolls the whole transaction back.
                savepoint=False,
            )
    except InsufficientDeposit:
        return reply(
            "12",
            body,
            description=(
                f"Saldo deposit {caller.environment} tidak mencukupi untuk total "
                f"{money(total)}"
            ),
        )
    except DuplicateReference:
        return _reply_86(body)
    except BillingError as exc:
        raise BadRequest(exc.message, rc="17") from exc

    answer = _ask_biller(product, customer_id, total, reference_id)
    outcome = rc.classify_payment(answer.rc)
    data = _receipt(
        customer_id, amounts, answer.data, inquiry_data, STATUS_LABEL[outcome.value]
    )
    response = reply(answer.rc, body, data=data)
    if outcome == rc.Outcome.PENDING:
        response["description"] = (
            "Transaksi sedang diproses; cek dengan Check-Status atau tunggu callback"
        )
        status = Transaction.Status.PENDING
    elif outcome == rc.Outcome.SUCCESS:
        status = Transaction.Status.SUKSES
    else:
        status = Transaction.Status.GAGAL
    transaction_complete(
        transaction=txn,
        status=status,
        rc=answer.rc,
        description=response["description"],
        response=response,
    )
    if status == Transaction.Status.PENDING:
        schedule_resolution(txn.pk)
    return response


def _ask_biller(
    product, customer_id: str, total: int, reference_id: str
) -> BillerAnswer:
    """The biller's first answer; a transport error is pending, never a failure (the money
    is already taken, and the biller may have done it)."""
    try:
        return backend().pay(
            product=product,
            customer_id=customer_id,
            amount=total,
            reference=reference_id,
        )
    except Exception:
        logger.exception("biller error on %s %s", product.code, reference_id)
        return BillerAnswer(rc="05")


def _receipt(customer_id, amounts, biller_data, inquiry_data, status: str) -> dict:
    tagihan, admin, total = amounts
    data = {
        "idPelanggan": customer_id,
        "nama": biller_data.get("nama") or inquiry_data.get("nama", ""),
        "noReferensi": biller_data.get("noReferensi", ""),
        "tagihan": money(tagihan),
        "admin": money(admin),
        "total": money(total),
        "status": status,
    }
    for key in RECEIPT_KEYS:
        if key in biller_data:
            data[key] = biller_data[key]
    return data


# --- Check-Status -------------------------------------------------------------------------


def check_status(caller: Caller, body: dict) -> dict:
    """The current state of a Payment/SinglePayment: 00 success, 17 failed, 71 pending."""
    check_merchant(caller, body)
    product_id = fields.text(body, "productID")
    customer_id = fields.text(body, "customerID")
    reference_id = fields.text(body, "referenceID")
    day = fields.day(body, "tglTransaksi")
    txn = transaction_state(
        partner=caller.partner,
        environment=caller.environment,
        reference_id=reference_id,
    )
    if (
        txn is None
        or timezone.localtime(txn.created_at).date() != day
        or txn.product_code != product_id
        or txn.customer_number != customer_id
    ):
        return reply(
            "19",
            body,
            description=(
                f"Transaksi referenceID {reference_id} dengan productID {product_id} dan "
                f"customerID {customer_id} pada {day.isoformat()} tidak ditemukan"
            ),
        )
    code = {"sukses": "00", "gagal": "17"}.get(txn.status, "71")
    description = rc.describe(code)
    if code != "71" and txn.response.get("description"):
        description = txn.response["description"]
    data = dict(txn.response.get("data") or {})
    data["status"] = STATUS_LABEL.get(txn.status, "PENDING")
    return reply(code, body, description=description, data=data)
