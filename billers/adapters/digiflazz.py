"""Digiflazz (buyer API, https://developer.digiflazz.com/api/buyer/) as an adapter.

What its documentation says and this adapter does:

- Every call is a JSON POST under ``https://api.digiflazz.com/v1`` (``Provider.base_url``
  overrides it); every answer is wrapped in ``{"data": …}``.
- ``/cek-saldo``: ``cmd`` "deposit", ``sign = md5(username + apiKey + "depo")``.
- ``/price-list``: ``cmd`` "prepaid" or "pasca", ``sign = md5(username + apiKey + "pricelist")``.
- ``/transaction``: ``buyer_sku_code``, ``customer_no``, ``ref_id``,
  ``sign = md5(username + apiKey + ref_id)``, ``"testing": true`` for development. A prepaid
  top-up sent again with the same ``ref_id`` is its status check; a bill is asked with
  ``commands`` "inq-pasca", paid with "pay-pasca" (the same ``ref_id`` as its inquiry) and
  checked with "status-pasca". ``status`` is "Sukses", "Pending" or "Gagal", with an ``rc``
  from its table (whose "Terbentuk Transaksi" column says whether a transaction was made).
- Webhooks: a POST of ``{"data": …}`` with ``X-Digiflazz-Event`` (create/update) and
  ``X-Hub-Signature: sha1=<HMAC-SHA1 of the body with the webhook secret>``.

Credentials come from ``Provider.credential`` (USERNAME, KEY, WEBHOOK_SECRET per environment).
Neither they nor a ``sign`` are ever logged or put into an answer's data.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.db.models import Q

from billers.adapters import transport
from billers.adapters.base import (
    BillerAnswer,
    Call,
    CallbackEvent,
    CallbackRejected,
    PriceRow,
    Refused,
    Unknown,
)
from billers.models import ProviderProduct
from portal.lib.environments import Environment

DEFAULT_BASE_URL = "https://api.digiflazz.com/v1"

SUKSES, PENDING, GAGAL = "sukses", "pending", "gagal"

# Our rc for each outcome (``openapi.rc``): a status answer is only ever 00, 17 or pending.
RC_SUCCESS = "00"
RC_PENDING = "71"
RC_FAILED = "17"

# Digiflazz rcs that are about the request, not about the transaction: payload error,
# signature, username, IP not whitelisted, price-list limit, transaction rate limit. Nothing
# was taken, and nothing is learnt about an earlier transaction of that ref_id.
REQUEST_REFUSED = frozenset({"40", "41", "42", "45", "83", "85"})
# Nothing can be bought here now (SKU unknown or off, balance short, product or seller out of
# service, cut-off, stock, account limits): a payment tries the next provider.
UNAVAILABLE = frozenset(
    {
        "43",  # SKU tidak di temukan atau Non-Aktif
        "44",  # Saldo tidak cukup
        "53",  # Produk Seller Sedang Tidak Tersedia
        "55",  # Produk Sedang Gangguan
        "56",  # Limit saldo seller
        "58",  # Sedang Cut Off
        "61",  # Belum pernah melakukan deposit
        "62",  # Seller sedang mengalami gangguan
        "63",  # Tidak support transaksi multi
        "65",  # Limit transaksi multi
        "66",  # Cut Off (Perbaikan Sistem Seller)
        "67",  # Seller belum ter-verfikasi
        "68",  # Stok habis
        "69",  # Harga seller lebih besar dari ketentuan harga Buyer
        "71",  # Produk Sedang Tidak Stabil
        "80",  # Akun Anda telah diblokir oleh Seller
        "81",  # Seller ini telah diblokir oleh Anda
        "82",  # Akun Anda belum ter-verfikasi
    }
)
# "Ref ID tidak unik": a transaction with this ref_id exists there; a payment that gets it
# may have been taken.
RC_REF_NOT_UNIQUE = "49"
# A failed payment or inquiry, in our vocabulary (the rest is 17).
FAILED_AS = {
    "52": "65",  # Prefix Tidak Sesuai Dengan Operator
    "54": "65",  # Nomor Tujuan Salah
    "57": "65",  # Jumlah Digit Kurang Atau Lebih
    "60": "62",  # Tagihan belum tersedia
    "84": "70",  # Nominal tidak valid
}
# The rcs whose documented status is "Gagal" (an answer without a status is read by them).
DOCUMENTED_FAILED = frozenset(
    {"01", "02", *REQUEST_REFUSED, *UNAVAILABLE, RC_REF_NOT_UNIQUE, *FAILED_AS}
    | {"47", "50", "51", "59", "64", "70", "72", "73", "74", "86", "87"}
)

_TOKEN_DIGITS = re.compile(r"\D")
_KWH = re.compile(r"^\d+(?:[.,]\d+)?$")


def md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def hub_signature(secret: str, body: bytes) -> str:
    """The ``X-Hub-Signature`` of a webhook body."""
    return "sha1=" + hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()


def _amount(value) -> int:
    """A Digiflazz number (int, float or numeric string) in whole rupiah."""
    try:
        return int(Decimal(str(value)))
    except (InvalidOperation, ValueError, TypeError):
        raise Unknown("unreadable amount") from None


def _outcome(data: Mapping) -> str:
    status = str(data.get("status") or "").strip().lower()
    if status in (SUKSES, PENDING, GAGAL):
        return status
    rc = str(data.get("rc") or "")
    if not status and rc in DOCUMENTED_FAILED:
        return GAGAL
    if not status and rc == "03":
        return PENDING
    raise Unknown("unreadable status")


def _is_pln_prepaid(product) -> bool:
    category = getattr(getattr(product, "category", None), "name", "")
    return category == "Listrik" and bool(getattr(product, "is_prepaid", False))


def _token_fields(sn: str) -> dict:
    """A PLN token's fields inside the SN: the first part holds the 20 digits; a last part
    that is a number is the kWh."""
    parts = [part.strip() for part in sn.split("/")]
    digits = _TOKEN_DIGITS.sub("", parts[0])
    if len(digits) != 20:
        return {}
    fields = {"token": "-".join(digits[i : i + 4] for i in range(0, 20, 4))}
    if len(parts) > 1 and _KWH.match(parts[-1]):
        fields["kwh"] = parts[-1].replace(",", ".")
    return fields


class DigiflazzAdapter:
    def __init__(self, provider, environment: str):
        self.provider = provider
        self.environment = environment
        self.base_url = (provider.base_url or DEFAULT_BASE_URL).rstrip("/")

    # --- plumbing --------------------------------------------------------------------------

    def _credentials(self) -> tuple[str, str]:
        username = self.provider.credential(self.environment, "USERNAME")
        key = self.provider.credential(self.environment, "KEY")
        if not username or not key:
            raise Refused("credentials not configured")
        return username, key

    def _post(self, path: str, body: dict, timeout: float):
        response = transport.send(
            "POST", f"{self.base_url}{path}", timeout=timeout, json_body=body
        )
        answer = transport.json_of(response)
        if "data" not in answer:
            raise Unknown(f"answer without data (http {response.status_code})")
        return answer["data"]

    def _own_timeout(self) -> float:
        return float(self.provider.timeout_seconds)

    def _transaction(self, call: Call, commands: str = "") -> dict:
        """One ``/transaction`` request; its ``data`` object."""
        username, key = self._credentials()
        body: dict = {}
        if commands:
            body["commands"] = commands
        body.update(
            username=username,
            buyer_sku_code=call.provider_code,
            customer_no=call.customer_id,
            ref_id=call.reference,
            sign=md5(username + key + call.reference),
        )
        if self.environment == Environment.DEVELOPMENT:
            body["testing"] = True
        data = self._post("/transaction", body, call.timeout)
        if not isinstance(data, dict):
            raise Unknown("data is not an object")
        return data

    @staticmethod
    def _rc(data: Mapping) -> str:
        return str(data.get("rc") or "")

    def _refused_or_failed(self, data: Mapping) -> BillerAnswer:
        """A "Gagal" answer to a payment or an inquiry: ``Refused`` when nothing was taken
        and another provider may serve it, else our failure rc."""
        rc = self._rc(data)
        if rc in REQUEST_REFUSED or rc in UNAVAILABLE:
            raise Refused(f"rc {rc}")
        return BillerAnswer(rc=FAILED_AS.get(rc, RC_FAILED))

    def _receipt(self, call_product, data: Mapping) -> dict:
        sn = str(data.get("sn") or "")
        receipt: dict = {"sn": sn}
        if call_product is not None and not call_product.is_prepaid:
            receipt["noReferensi"] = sn
            if data.get("customer_name"):
                receipt["nama"] = str(data["customer_name"])
        elif _is_pln_prepaid(call_product):
            receipt.update(_token_fields(sn))
        return receipt

    def _final(self, product, data: Mapping) -> BillerAnswer:
        """A status answer (status check or webhook): 00, 17 or still pending."""
        outcome = _outcome(data)
        provider_ref = str(data.get("trx_id") or "")
        if outcome == SUKSES:
            return BillerAnswer(
                rc=RC_SUCCESS,
                data=self._receipt(product, data),
                provider_ref=provider_ref,
            )
        if outcome == PENDING:
            return BillerAnswer(rc=RC_PENDING, provider_ref=provider_ref)
        return BillerAnswer(rc=RC_FAILED, provider_ref=provider_ref)

    @staticmethod
    def _is_prepaid(call: Call) -> bool:
        if call.product is None:
            # Without the product we cannot tell a top-up from a bill.
            raise Unknown("product unknown")
        return bool(getattr(call.product, "is_prepaid", True))

    # --- the adapter's interface -----------------------------------------------------------

    def inquiry(self, call: Call) -> BillerAnswer:
        """A bill (``inq-pasca``): name, bill without Digiflazz's admin, months."""
        if self._is_prepaid(call):
            raise Refused("inquiry is for postpaid products")
        data = self._transaction(call, "inq-pasca")
        outcome = _outcome(data)
        if outcome == GAGAL:
            return self._refused_or_failed(data)
        if outcome == PENDING:
            raise Unknown("inquiry answered pending")
        desc = data.get("desc")
        if not isinstance(desc, dict):
            desc = {}
        listed = desc.get("detail")
        details: list[dict] = [
            row
            for row in (listed if isinstance(listed, list) else [])
            if isinstance(row, dict)
        ]
        # One sheet's bill: its amount and its fine (its admin is Digiflazz's).
        sheets = [
            _amount(row.get("nilai_tagihan") or 0) + _amount(row.get("denda") or 0)
            for row in details
        ]
        admin = _amount(data.get("admin") or 0)
        if "selling_price" in data:
            tagihan = _amount(data["selling_price"]) - admin
        else:
            tagihan = sum(sheets)
        months = _amount(desc.get("lembar_tagihan") or len(details) or 1)
        return BillerAnswer(
            rc=RC_SUCCESS,
            data={
                "idPelanggan": call.customer_id,
                "nama": str(data.get("customer_name") or ""),
                "tagihan": tagihan,
                "periode": months,
                "rincianTagihan": [
                    {"bulan": str(row.get("periode") or index + 1), "tagihan": sheet}
                    for index, (row, sheet) in enumerate(
                        zip(details, sheets, strict=True)
                    )
                ],
            },
        )

    def pay(self, call: Call) -> BillerAnswer:
        """A top-up, or the payment of a bill asked with the same reference."""
        data = self._transaction(call, "" if self._is_prepaid(call) else "pay-pasca")
        outcome = _outcome(data)
        if outcome == GAGAL:
            if self._rc(data) == RC_REF_NOT_UNIQUE:
                raise Unknown(f"rc {RC_REF_NOT_UNIQUE}")
            return self._refused_or_failed(data)
        return self._final(call.product, data)

    def status(self, call: Call) -> BillerAnswer:
        """As documented: the same top-up sent again with the same ``ref_id``; a bill's with
        ``status-pasca``. An answer about the request (signature, IP, rate limit…) says
        nothing about the transaction: it stays pending."""
        data = self._transaction(call, "" if self._is_prepaid(call) else "status-pasca")
        rc = self._rc(data)
        if _outcome(data) == GAGAL and (
            rc in REQUEST_REFUSED or rc == RC_REF_NOT_UNIQUE
        ):
            raise Refused(f"rc {rc}")
        return self._final(call.product, data)

    def balance(self) -> int:
        username, key = self._credentials()
        data = self._post(
            "/cek-saldo",
            {
                "cmd": "deposit",
                "username": username,
                "sign": md5(username + key + "depo"),
            },
            self._own_timeout(),
        )
        if not isinstance(data, dict) or "deposit" not in data:
            raise Refused(f"rc {self._rc(data) if isinstance(data, dict) else '?'}")
        return _amount(data["deposit"])

    def price_list(self) -> list[PriceRow]:
        """Prepaid rows at their price; postpaid rows at what Digiflazz keeps on top of the
        bill (its admin less the buyer's commission)."""
        username, key = self._credentials()
        sign = md5(username + key + "pricelist")
        rows: list[PriceRow] = []
        for cmd in ("prepaid", "pasca"):
            data = self._post(
                "/price-list",
                {"cmd": cmd, "username": username, "sign": sign},
                self._own_timeout(),
            )
            if not isinstance(data, list):
                raise Refused(f"rc {self._rc(data) if isinstance(data, dict) else '?'}")
            for item in data:
                if not isinstance(item, dict) or not item.get("buyer_sku_code"):
                    continue
                if cmd == "prepaid":
                    price = _amount(item.get("price") or 0)
                else:
                    price = _amount(item.get("admin") or 0) - _amount(
                        item.get("commission") or 0
                    )
                rows.append(
                    PriceRow(
                        provider_code=str(item["buyer_sku_code"]),
                        name=str(item.get("product_name") or ""),
                        price=price,
                        available=bool(item.get("buyer_product_status"))
                        and bool(item.get("seller_product_status")),
                    )
                )
        return rows

    def callback_parse(
        self, *, headers: Mapping[str, str], body: bytes
    ) -> CallbackEvent:
        """A webhook is genuine when its ``X-Hub-Signature`` is the HMAC-SHA1 of the body
        with this environment's webhook secret (a webhook without a secret is never
        accepted)."""
        secret = self.provider.credential(self.environment, "WEBHOOK_SECRET")
        if not secret:
            raise CallbackRejected("no webhook secret")
        given = ""
        for name, value in headers.items():
            if name.lower() == "x-hub-signature":
                given = str(value)
        if not hmac.compare_digest(
            hub_signature(secret, body).encode(), given.strip().encode()
        ):
            raise CallbackRejected("bad signature")
        try:
            payload = json.loads(body)
        except ValueError:
            raise CallbackRejected("unreadable body") from None
        data = payload.get("data") if isinstance(payload, dict) else None
        if not isinstance(data, dict) or not isinstance(data.get("ref_id"), str):
            raise CallbackRejected("no ref_id")
        product = self._product_of(str(data.get("buyer_sku_code") or "")) or (
            _WebhookProduct(prepaid=not _is_pasca(headers, data))
        )
        try:
            answer = self._final(product, data)
        except Unknown:
            raise CallbackRejected("unreadable status") from None
        return CallbackEvent(reference=data["ref_id"], answer=answer)

    def _product_of(self, sku: str):
        """The product this provider sells under ``sku`` (its route), if any: a webhook
        names only the SKU, and a PLN token is read from the SN of a PLN prepaid product."""
        if not sku or self.provider.pk is None:
            return None
        route = (
            ProviderProduct.objects.filter(provider_id=self.provider.pk)
            .filter(Q(provider_code=sku) | Q(provider_code="", product__code=sku))
            .select_related("product__category")
            .order_by("priority", "id")
            .first()
        )
        return route.product if route is not None else None


class _WebhookProduct:
    """What a webhook tells about the product: only whether it is a bill (the pending
    transaction's own product decides the rest)."""

    category = None

    def __init__(self, *, prepaid: bool):
        self.is_prepaid = prepaid


def _is_pasca(headers: Mapping[str, str], data: Mapping) -> bool:
    """Documented: the User-Agent of a postpaid webhook starts with
    "DigiFlazz-Pasca-Hookshot/"."""
    for name, value in headers.items():
        if name.lower() == "user-agent":
            return str(value).lower().startswith("digiflazz-pasca-hookshot")
    return "customer_name" in data
