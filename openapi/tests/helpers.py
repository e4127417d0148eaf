"""Small steps that many Open API tests take."""

from __future__ import annotations

from django.db.models import Sum

from billing.models import DepositAccount, LedgerEntry
from openapi.fields import money


def inquire(api, product, customer_id: str, reference_id: str, **extra) -> dict:
    return api.call(
        "/Services/Inquiry",
        {
            "productID": product.code,
            "customerID": customer_id,
            "referenceID": reference_id,
            **extra,
        },
    )


def pay(api, product, customer_id: str, reference_id: str, amounts=None) -> dict:
    """Payment of an inquiry (its amounts unless ``amounts`` = (tagihan, admin, total))."""
    if amounts is None:
        asked = inquire(api, product, customer_id, reference_id)
        assert asked["rc"] == "00", asked
        tagihan, admin, total = (
            asked["data"][k] for k in ("tagihan", "admin", "total")
        )
    else:
        tagihan, admin, total = (money(v) for v in amounts)
    return api.call(
        "/Services/Payment",
        {
            "productID": product.code,
            "customerID": customer_id,
            "referenceID": reference_id,
            "tagihan": tagihan,
            "admin": admin,
            "total": total,
        },
    )


def buy(api, product, customer_id: str, reference_id: str, total=None) -> dict:
    """SinglePayment at the listed price (or at ``total``)."""
    total = product.price if total is None else total
    return api.call(
        "/Services/SinglePayment",
        {
            "productID": product.code,
            "customerID": customer_id,
            "referenceID": reference_id,
            "tagihan": money(total),
            "admin": money(0),
            "total": money(total),
        },
    )


def check_status(api, product, customer_id: str, reference_id: str, day) -> dict:
    return api.call(
        "/Services/Check-Status",
        {
            "productID": product.code,
            "customerID": customer_id,
            "referenceID": reference_id,
            "tglTransaksi": day.isoformat(),
        },
        session=False,
    )


def balance(partner, environment: str) -> int:
    account = DepositAccount.objects.filter(
        partner=partner, environment=environment
    ).first()
    return account.balance if account else 0


def ledger_sum(partner, environment: str) -> int:
    return (
        LedgerEntry.objects.filter(
            account__partner=partner, account__environment=environment
        ).aggregate(total=Sum("amount"))["total"]
        or 0
    )
