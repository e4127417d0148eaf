"""Payment and SinglePayment. Money moves only through ``billing.services``: the deposit is
debited together with recording the transaction, before the biller is asked; a failure gives
it back."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from billers.services import (
    RC_OUT_OF_TIME,
    call_reference,
    pay_routed,
    routes_healthy,
)
from billing.models import Transaction
from billing.services import (
    BillingError,
    DebitGuard,
    DuplicateReference,
    InsufficientDeposit,
    Withheld,
    transaction_complete,
    transaction_create_paid,
    transaction_provider_set,
)
from openapi import rc
from openapi.fields import BadRequest, money, reply
from openapi.selectors import same_payment_made, same_payment_query
from openapi.services.commands import Amounts, PaymentCommand
from openapi.services.common import (
    Caller,
    deadline_passed,
    not_prepaid,
    product_for_sale,
    reply_reference_used,
)
from openapi.services.pending import schedule_resolution
from products.models import Product

SAME_AMOUNT_WINDOW = timedelta(minutes=10)
STATUS_LABEL = {"sukses": "SUKSES", "pending": "PENDING", "gagal": "GAGAL"}
RECEIPT_KEYS = ("sn", "token", "kwh", "kodeVoucher")


def payment(caller: Caller, command: PaymentCommand, body: dict) -> dict:
    """Pay the bill of an earlier successful Inquiry with the same referenceID."""
    lookup = product_for_sale(caller, command.product)
    product = lookup.product
    not_prepaid(product)
    if lookup.reference_used:
        return reply_reference_used(body)
    asked = lookup.inquiry
    if (
        asked is None
        or asked.product_code != product.code
        or asked.customer_id != command.customer_id
    ):
        return reply(
            "61",
            body,
            description=(
                "Lakukan Inquiry dengan referenceID, productID dan customerID yang sama "
                "terlebih dahulu"
            ),
        )
    if command.amounts != (asked.tagihan, asked.admin, asked.total):
        return reply(
            "70",
            body,
            description=(
                f"Jumlah pembayaran tidak sesuai Inquiry: tagihan {money(asked.tagihan)}, "
                f"admin {money(asked.admin)}, total {money(asked.total)}"
            ),
        )
    return payment_make(
        caller=caller,
        body=body,
        product=product,
        customer_id=command.customer_id,
        reference_id=command.reference_id,
        amounts=command.amounts,
        service="Payment",
        inquiry_data=asked.data,
    )


def single_payment(caller: Caller, command: PaymentCommand, body: dict) -> dict:
    """A prepaid purchase at the listed price."""
    lookup = product_for_sale(caller, command.product)
    product = lookup.product
    if not product.is_prepaid:
        raise BadRequest(
            f"Produk {product.code} adalah produk pascabayar: gunakan Inquiry lalu "
            "Payment",
            rc="10",
        )
    if lookup.reference_used:
        return reply_reference_used(body)
    tagihan, admin, total = command.amounts
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
    return payment_make(
        caller=caller,
        body=body,
        product=product,
        customer_id=command.customer_id,
        reference_id=command.reference_id,
        amounts=command.amounts,
        service="SinglePayment",
        inquiry_data={},
        refusal=refusal,
    )


def _same_amount_key(caller: Caller, product, customer_id: str, total: int) -> str:
    """The advisory lock that serialises payments of the same product and amount to the
    same number while each one's debit runs, so that the rc 75 and rc 86 checks cannot both
    pass for two concurrent requests (payments of other numbers do not wait)."""
    return (
        f"{caller.partner.pk}:{caller.environment}:{product.code}:{customer_id}:{total}"
    )


def _reply_same_payment(body: dict) -> dict:
    return reply(
        "75",
        body,
        description=(
            "Transaksi dengan produk dan nominal yang sama ke nomor ini sudah ada dalam "
            "10 menit terakhir"
        ),
    )


def payment_make(
    *,
    caller: Caller,
    body: dict,
    product: Product,
    customer_id: str,
    reference_id: str,
    amounts: Amounts,
    service: str,
    inquiry_data: dict,
    refusal: dict | None = None,
) -> dict:
    """Take the money and ask the biller: the caller's ``refusal``; rc 73 when no provider
    is healthy (rc 75 first, when the same payment was made); then the transaction and its
    debit in one message, with the rc 75 check as its guard (rc 12 when short, rc 86 when
    another call took the referenceID meanwhile: the unique constraint); then the biller's
    answer."""
    if deadline_passed(caller):
        # It waited too long before reaching us (in a queue): nothing is taken or sent.
        return reply(
            RC_OUT_OF_TIME,
            body,
            description=(
                "Permintaan melewati batas waktu sebelum diproses; deposit tidak dipotong. "
                "Silakan ulangi"
            ),
        )
    if refusal is not None:
        return refusal
    tagihan, admin, total = amounts
    same_payment = same_payment_query(
        partner=caller.partner,
        environment=caller.environment,
        reference_id=reference_id,
        product_code=product.code,
        customer_id=customer_id,
        total=total,
        since=timezone.now() - SAME_AMOUNT_WINDOW,
    )
    # Before the debit, so that the debit is the one statement that holds the account row.
    # (A half-open breaker's probe claimed for a payment then refused with rc 12, 75 or 86
    # lets the next call probe once the probe's time is up.)
    routes = routes_healthy(product)
    if not routes:
        # Nothing is written either way: the check needs no lock.
        if same_payment_made(same_payment):
            return _reply_same_payment(body)
        return reply(
            "73",
            body,
            description=(
                f"Produk {product.code} sedang gangguan; deposit tidak dipotong. "
                "Silakan coba beberapa saat lagi"
            ),
        )
    upstream_ref = call_reference(
        partner_id=caller.partner.pk,
        environment=caller.environment,
        reference_id=reference_id,
    )
    try:
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
            request={k: v for k, v in body.items() if k != "sessionID"},
            service=service,
            rc="71",
            description=rc.describe("71"),
            provider_id=routes[0].provider.pk,
            buy_price=routes[0].buy_for(product=product, tagihan=tagihan, total=total),
            upstream_ref=upstream_ref,
            guard=DebitGuard(
                lock_key=_same_amount_key(caller, product, customer_id, total),
                sql=same_payment[0],
                params=same_payment[1],
            ),
        )
    except Withheld:
        return _reply_same_payment(body)
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
        return reply_reference_used(body)
    except BillingError as exc:
        raise BadRequest(exc.message, rc="17") from exc

    result = pay_routed(
        environment=caller.environment,
        product=product,
        routes=routes,
        customer_id=customer_id,
        amount=total,
        reference=upstream_ref,
        deadline=caller.deadline,
        moved=lambda route: transaction_provider_set(
            transaction=txn,
            provider_id=route.provider.pk,
            buy_price=route.buy_for(product=product, tagihan=tagihan, total=total),
        ),
    )
    answer = result.answer
    answer_rc = rc.known(answer.rc, otherwise="71")
    outcome = rc.classify_payment(answer_rc)
    data = _receipt(
        customer_id, amounts, answer.data, inquiry_data, STATUS_LABEL[outcome.value]
    )
    response = reply(answer_rc, body, data=data)
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
        rc=answer_rc,
        description=response["description"],
        response=response,
        provider_ref=answer.provider_ref,
    )
    if status == Transaction.Status.PENDING:
        schedule_resolution(txn.pk)
    return response


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
