"""What each Open API service does, once the caller is known (see ``openapi.gateway``).

Every function takes the authenticated ``Caller`` and the parsed JSON body and returns the
answer (a dict). Money moves only through ``billing.services``.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from billing.models import Transaction
from billing.selectors import deposit_balance
from billing.services import (
    BillingError,
    DuplicateReference,
    InsufficientDeposit,
    transaction_complete,
    transaction_create_paid,
)
from openapi import fields, rc
from openapi.fields import BadRequest, money, reply
from openapi.models import Inquiry, SignOnCounter, SignOnSession
from openapi.simulator import backend
from products.models import Product
from products.selectors import product_allowed, product_by_code

SIGNON_DAILY_LIMIT = 99
SAME_AMOUNT_WINDOW = timedelta(minutes=10)
SIGNON_FIELDS = (
    ("mitra", "mitra"),
    ("accountID", "account_id"),
    ("merchantID", "merchant_id"),
    ("merchantName", "merchant_name"),
    ("counterID", "counter_id"),
)


@dataclass
class Caller:
    credential: object  # profiles.Credential
    partner: object  # accounts.Partner
    environment: str


def wib_today():
    return timezone.localdate()


def end_of_wib_day(now: datetime) -> datetime:
    local = timezone.localtime(now)
    return timezone.make_aware(datetime.combine(local.date(), time(23, 59, 59)))


# --- sign-on and sessions -----------------------------------------------------------------


def signon_limit_reached(*, credential) -> bool:
    return SignOnCounter.objects.filter(
        credential=credential, day=wib_today(), count__gt=SIGNON_DAILY_LIMIT
    ).exists()


def sign_on(caller: Caller, body: dict) -> dict:
    credential = caller.credential
    for wire, attribute in SIGNON_FIELDS:
        value = body.get(wire)
        if not isinstance(value, str) or value != getattr(credential, attribute):
            raise BadRequest(f"Field {wire} tidak sesuai dengan kredensial Anda")
    now = timezone.now()
    with transaction.atomic():
        counter, _created = SignOnCounter.objects.select_for_update().get_or_create(
            credential=credential, day=wib_today()
        )
        counter.count = F("count") + 1
        counter.save(update_fields=["count"])
        counter.refresh_from_db(fields=["count"])
        if counter.count > SIGNON_DAILY_LIMIT:
            return reply(
                "34",
                body,
                description=(
                    f"Batas {SIGNON_DAILY_LIMIT} Sign On per hari tercapai; semua request "
                    "kredensial ini ditolak sampai direset oleh tim kami (hubungi support)"
                ),
            )
        session = SignOnSession.objects.create(
            credential=credential,
            session_id=secrets.token_hex(16),
            expires_at=end_of_wib_day(now),
        )
    return {
        "rc": "00",
        "description": "Sign On berhasil; SessionID berlaku sampai 23:59:59 WIB hari ini",
        "SessionID": session.session_id,
    }


def session_valid(*, credential, session_id: str) -> bool:
    return SignOnSession.objects.filter(
        credential=credential, session_id=session_id, expires_at__gte=timezone.now()
    ).exists()


def signon_counter_reset(*, counter: SignOnCounter, actor) -> None:
    from portal.lib.audit import audit_record

    with transaction.atomic():
        before = {"count": counter.count}
        SignOnCounter.objects.filter(pk=counter.pk).update(
            count=0, reset_at=timezone.now()
        )
        audit_record(
            action="signon.counter_reset",
            actor=actor,
            partner=counter.credential.partner,
            subject=counter,
            before=before,
            after={"count": 0},
        )


# --- products -----------------------------------------------------------------------------


def _product(caller: Caller, body: dict) -> Product:
    code = fields.text(body, "productID")
    product = product_by_code(code)
    if product is None:
        raise BadRequest(f"Produk {code} tidak dikenal", rc="15")
    if not product_allowed(
        partner=caller.partner, product=product, environment=caller.environment
    ):
        if caller.environment == "production":
            why = f"Produk {code} belum Aktif (live) untuk Anda di Production"
        else:
            why = f"Produk {code} belum Anda pilih di menu Produk"
        raise BadRequest(why, rc="41")
    if product.status != Product.Status.ACTIVE:
        raise BadRequest(
            f"Produk {code} sedang {product.get_status_display().lower()}", rc="10"
        )
    return product


def _check_merchant(caller: Caller, body: dict) -> None:
    if fields.text(body, "merchantID") != caller.credential.merchant_id:
        raise BadRequest("Field merchantID tidak sesuai dengan kredensial Anda")


# --- inquiry and payment ------------------------------------------------------------------


def inquiry(caller: Caller, body: dict) -> dict:
    _check_merchant(caller, body)
    product = _product(caller, body)
    customer_id = fields.text(body, "customerID")
    reference_id = fields.text(body, "referenceID")
    months = fields.periode(body)
    if product.is_prepaid:
        raise BadRequest(
            f"Produk {product.code} adalah produk prabayar: gunakan SinglePayment",
            rc="10",
        )
    if Transaction.objects.filter(
        partner=caller.partner,
        environment=caller.environment,
        reference_id=reference_id,
    ).exists():
        return reply("86", body)
    answer = backend().inquiry(product=product, customer_id=customer_id, periode=months)
    if answer.rc != "00":
        return reply(answer.rc, body)
    tagihan = answer.data["tagihan"]
    admin = product.admin_fee * answer.data.get("periode", 1)
    total = tagihan + admin
    data = {
        "idPelanggan": customer_id,
        "nama": answer.data["nama"],
        "tagihan": money(tagihan),
        "admin": money(admin),
        "total": money(total),
        "periode": str(answer.data.get("periode", 1)),
        "rincianTagihan": [
            {"bulan": row["bulan"], "tagihan": money(row["tagihan"])}
            for row in answer.data.get("rincianTagihan", [])
        ],
    }
    Inquiry.objects.update_or_create(
        partner=caller.partner,
        environment=caller.environment,
        reference_id=reference_id,
        defaults={
            "product_code": product.code,
            "customer_id": customer_id,
            "tagihan": tagihan,
            "admin": admin,
            "total": total,
            "data": data,
        },
    )
    return reply("00", body, data=data)


def _amounts(body: dict) -> tuple[int, int, int]:
    return (
        fields.amount(body, "tagihan"),
        fields.amount(body, "admin"),
        fields.amount(body, "total"),
    )


def payment(caller: Caller, body: dict) -> dict:
    """Pay the bill of an earlier successful Inquiry with the same referenceID."""
    _check_merchant(caller, body)
    product = _product(caller, body)
    customer_id = fields.text(body, "customerID")
    reference_id = fields.text(body, "referenceID")
    tagihan, admin, total = _amounts(body)
    if product.is_prepaid:
        raise BadRequest(
            f"Produk {product.code} adalah produk prabayar: gunakan SinglePayment",
            rc="10",
        )
    if _reference_used(caller, reference_id):
        return reply("86", body)
    inquiry_row = Inquiry.objects.filter(
        partner=caller.partner,
        environment=caller.environment,
        reference_id=reference_id,
    ).first()
    if (
        inquiry_row is None
        or inquiry_row.product_code != product.code
        or inquiry_row.customer_id != customer_id
    ):
        return reply(
            "61",
            body,
            description=(
                "Lakukan Inquiry dengan referenceID, productID dan customerID yang sama "
                "terlebih dahulu"
            ),
        )
    if (tagihan, admin, total) != (
        inquiry_row.tagihan,
        inquiry_row.admin,
        inquiry_row.total,
    ):
        return reply(
            "70",
            body,
            description=(
                "Jumlah pembayaran tidak sesuai Inquiry: tagihan "
                f"{money(inquiry_row.tagihan)}, admin {money(inquiry_row.admin)}, total "
                f"{money(inquiry_row.total)}"
            ),
        )
    return _pay(
        caller,
        body,
        product,
        customer_id,
        reference_id,
        tagihan,
        admin,
        total,
        "Payment",
        inquiry_row.data,
    )


def single_payment(caller: Caller, body: dict) -> dict:
    """A prepaid purchase at the listed price."""
    _check_merchant(caller, body)
    product = _product(caller, body)
    customer_id = fields.text(body, "customerID")
    reference_id = fields.text(body, "referenceID")
    tagihan, admin, total = _amounts(body)
    if not product.is_prepaid:
        raise BadRequest(
            f"Produk {product.code} adalah produk pascabayar: gunakan Inquiry lalu Payment",
            rc="10",
        )
    if _reference_used(caller, reference_id):
        return reply("86", body)
    if tagihan + admin != total:
        return reply("70", body, description="total harus sama dengan tagihan + admin")
    if total != product.price:
        return reply(
            "42",
            body,
            description=f"Harga produk {product.code} adalah {money(product.price)}",
        )
    return _pay(
        caller,
        body,
        product,
        customer_id,
        reference_id,
        tagihan,
        admin,
        total,
        "SinglePayment",
        {},
    )


def _reference_used(caller: Caller, reference_id: str) -> bool:
    return Transaction.objects.filter(
        partner=caller.partner,
        environment=caller.environment,
        reference_id=reference_id,
    ).exists()


def _same_amount_lock(
    caller: Caller, product: Product, customer_id: str, total: int
) -> None:
    """Serialise payments of the same product and amount to the same number (rc 75 check)."""
    if connection.vendor == "postgresql":
        key = f"{caller.partner.pk}:{caller.environment}:{product.code}:{customer_id}:{total}"
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [key])


def _pay(
    caller,
    body,
    product,
    customer_id,
    reference_id,
    tagihan,
    admin,
    total,
    service,
    inquiry_data,
):
    request_copy = {k: v for k, v in body.items() if k != "sessionID"}
    try:
        with transaction.atomic():
            _same_amount_lock(caller, product, customer_id, total)
            recent = Transaction.objects.filter(
                partner=caller.partner,
                environment=caller.environment,
                product_code=product.code,
                customer_number=customer_id,
                total=total,
                created_at__gte=timezone.now() - SAME_AMOUNT_WINDOW,
            ).exclude(status=Transaction.Status.GAGAL)
            if recent.exists():
                return reply(
                    "75",
                    body,
                    description=(
                        "Transaksi dengan produk dan nominal yang sama ke nomor ini sudah ada "
                        "dalam 10 menit terakhir"
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
        return reply("86", body)
    except BillingError as exc:
        raise BadRequest(exc.message, rc="17") from exc

    answer = backend().pay(
        product=product, customer_id=customer_id, amount=total, reference=reference_id
    )
    outcome = rc.classify_payment(answer.rc)
    data = _receipt(
        product, customer_id, tagihan, admin, total, answer.data, inquiry_data, outcome
    )
    response = reply(answer.rc, body, data=data)
    if outcome == rc.Outcome.PENDING:
        response["description"] = (
            "Transaksi sedang diproses; cek dengan Check-Status atau tunggu callback"
        )
        transaction_complete(
            transaction=txn,
            status=Transaction.Status.PENDING,
            rc=answer.rc,
            description=response["description"],
            response=response,
        )
        transaction.on_commit(lambda: _schedule_resolution(txn.pk))
    else:
        transaction_complete(
            transaction=txn,
            status=Transaction.Status.SUKSES
            if outcome == rc.Outcome.SUCCESS
            else Transaction.Status.GAGAL,
            rc=answer.rc,
            description=response["description"],
            response=response,
        )
    return response


def _receipt(
    product, customer_id, tagihan, admin, total, biller_data, inquiry_data, outcome
) -> dict:
    data = {
        "idPelanggan": customer_id,
        "nama": biller_data.get("nama") or inquiry_data.get("nama", ""),
        "noReferensi": biller_data.get("noReferensi", ""),
        "tagihan": money(tagihan),
        "admin": money(admin),
        "total": money(total),
        "status": {"sukses": "SUKSES", "pending": "PENDING", "gagal": "GAGAL"}[
            outcome.value
        ],
    }
    for key in ("sn", "token", "kwh", "kodeVoucher"):
        if key in biller_data:
            data[key] = biller_data[key]
    return data


def _schedule_resolution(transaction_id: int) -> None:
    from openapi.tasks import pending_resolve

    pending_resolve.apply_async(
        (transaction_id,), countdown=getattr(settings, "PENDING_RESOLVE_SECONDS", 5)
    )


def pending_resolve_now(*, transaction_id: int) -> Transaction | None:
    """Ask the biller for the final result of a pending transaction and record it: a failure
    returns the money (a reversing ledger entry), and the partner's callback is sent."""
    txn = Transaction.objects.filter(pk=transaction_id).first()
    if txn is None or txn.status != Transaction.Status.PENDING:
        return txn
    product = product_by_code(txn.product_code)
    answer = backend().final(product=product, customer_id=txn.customer_number)
    outcome = rc.classify_status(answer.rc)
    if outcome == rc.Outcome.PENDING:
        return txn
    final_rc = "00" if outcome == rc.Outcome.SUCCESS else "17"
    previous = txn.response or {}
    response = {
        **previous,
        "rc": final_rc,
        "description": rc.describe(final_rc),
        "data": {
            **previous.get("data", {}),
            **{
                k: v
                for k, v in answer.data.items()
                if k in ("sn", "token", "kwh", "kodeVoucher", "noReferensi")
            },
            "status": "SUKSES" if final_rc == "00" else "GAGAL",
        },
    }
    with transaction.atomic():
        txn = transaction_complete(
            transaction=txn,
            status=Transaction.Status.SUKSES
            if final_rc == "00"
            else Transaction.Status.GAGAL,
            rc=final_rc,
            description=response["description"],
            response=response,
        )
        _callback(txn, response)
    return txn


def _callback(txn: Transaction, response: dict) -> None:
    from connections.services import callback_enqueue

    payload = {
        "merchantID": response.get("merchantID", ""),
        "productID": txn.product_code,
        "customerID": txn.customer_number,
        "referenceID": txn.reference_id,
        "rc": response["rc"],
        "description": response["description"],
        "data": response.get("data", {}),
    }
    callback_enqueue(
        partner=txn.partner,
        environment=txn.environment,
        payload=payload,
        reference_id=txn.reference_id,
        transaction_id=txn.pk,
    )


def check_status(caller: Caller, body: dict) -> dict:
    _check_merchant(caller, body)
    fields.text(body, "productID")
    fields.text(body, "customerID")
    reference_id = fields.text(body, "referenceID")
    day = fields.day(body, "tglTransaksi")
    txn = Transaction.objects.filter(
        partner=caller.partner,
        environment=caller.environment,
        reference_id=reference_id,
    ).first()
    if txn is None or timezone.localtime(txn.created_at).date() != day:
        return reply(
            "19",
            body,
            description=(
                f"Transaksi referenceID {reference_id} pada {day.isoformat()} "
                "tidak ditemukan"
            ),
        )
    stored = txn.response or {}
    code = {"sukses": "00", "gagal": "17"}.get(txn.status, "71")
    return reply(
        code,
        body,
        description=stored.get("description") if code != "71" else rc.describe("71"),
        data=stored.get("data", {}),
    )


# --- price lists, products, deposit -------------------------------------------------------


def _record(product: Product) -> dict:
    return {
        "code": product.code,
        "name": product.name,
        "category": product.category.name,
        "type": product.kind,
        "price": money(product.price),
        "admin": money(product.admin_fee),
        "status": product.status,
    }


def _catalogue():
    return Product.objects.select_related("category").order_by(
        "category__position", "code"
    )


def pulsa_prices(caller: Caller, body: dict) -> dict:
    _check_merchant(caller, body)
    prefix = fields.text(body, "prefixID")
    products = _catalogue().filter(
        operator=prefix, category__slug__in=["pulsa-prabayar", "paket-data"]
    )
    return {
        "rc": "00",
        "description": rc.describe("00"),
        "record": [_record(p) for p in products],
    }


def price_by_product(caller: Caller, body: dict) -> dict:
    _check_merchant(caller, body)
    code = body.get("productID")
    category = body.get("category")
    if code:
        products = _catalogue().filter(code=fields.text(body, "productID"))
        if not products:
            raise BadRequest(f"Produk {code} tidak dikenal", rc="15")
    elif category:
        if not isinstance(category, str):
            raise BadRequest("Field category harus berupa string")
        products = _catalogue().filter(category__name__iexact=category)
        if not products:
            raise BadRequest(f"Kategori {category} tidak dikenal", rc="15")
    else:
        raise BadRequest("Isi productID atau category")
    return {
        "rc": "00",
        "description": rc.describe("00"),
        "record": [_record(p) for p in products],
    }


def active_product(caller: Caller, body: dict) -> dict:
    _check_merchant(caller, body)
    products = _catalogue()
    if body.get("productID"):
        products = products.filter(code=fields.text(body, "productID"))
        if not products:
            raise BadRequest(f"Produk {body['productID']} tidak dikenal", rc="15")
    return {
        "rc": "00",
        "description": rc.describe("00"),
        "record": [
            {"code": p.code, "name": p.name, "status": p.status} for p in products
        ],
    }


def product_list(caller: Caller, body: dict) -> dict:
    _check_merchant(caller, body)
    products = _catalogue()
    category = body.get("category")
    if category:
        if not isinstance(category, str):
            raise BadRequest("Field category harus berupa string")
        products = products.filter(category__name__iexact=category)
        if not products:
            raise BadRequest(f"Kategori {category} tidak dikenal", rc="15")
    return {
        "rc": "00",
        "description": rc.describe("00"),
        "record": [_record(p) for p in products],
    }


def deposit(caller: Caller, body: dict) -> dict:
    _check_merchant(caller, body)
    balance = deposit_balance(partner=caller.partner, environment=caller.environment)
    return reply(
        "00", body, data={"deposit": money(balance), "environment": caller.environment}
    )
