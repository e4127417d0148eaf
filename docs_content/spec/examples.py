"""The examples of the documentation, in the order the pages show them.

Each is a request a partner can send to the Development API with the documented development
numbers, and the answer it gets (the test suite sends every one of them and compares). Payment
requests take their amounts from the answer of their Inquiry, so an amount is written once.
"""

from __future__ import annotations

from openapi.development_numbers import development_numbers

from .fields import EXAMPLE_MERCHANT_ID, EXAMPLE_SESSION_ID
from .model import Example
from .operations import SIGN_ON_EXAMPLE
from .text import _

ECHOED = ("merchantID", "sessionID", "customerID", "productID", "referenceID")
SUCCESS = "Sukses"


def dev_number(category: str, suffix: str = "01") -> str:
    """The documented Development number of ``category`` ending in ``suffix`` (01 succeeds,
    71 is pending and then succeeds)."""
    for row in development_numbers():
        if row["category"] == category and row["customer_id"].endswith(suffix):
            return row["customer_id"]
    raise KeyError(f"{category} {suffix}")


def _answer(request: dict, data: dict, *, rc: str = "00", description=SUCCESS) -> dict:
    echoed = {name: request.get(name, "") for name in ECHOED}
    return {"rc": rc, "description": description, **echoed, "data": data}


def _body(product: str, customer: str, reference: str, **extra) -> dict:
    return {
        "sessionID": EXAMPLE_SESSION_ID,
        "merchantID": EXAMPLE_MERCHANT_ID,
        "productID": product,
        "customerID": customer,
        "referenceID": reference,
        **extra,
    }


def _amounts(data: dict) -> dict:
    return {name: data[name] for name in ("tagihan", "admin", "total")}


def _price(rupiah: int) -> dict:
    return {
        "tagihan": f"{rupiah:012d}",
        "admin": f"{0:012d}",
        "total": f"{rupiah:012d}",
    }


def _receipt(request: dict, *, nama: str, no_ref: str, sn: str, **extra) -> dict:
    return {
        "idPelanggan": request["customerID"],
        "nama": nama,
        "noReferensi": no_ref,
        **_amounts(request),
        "status": "SUKSES",
        "sn": sn,
        **extra,
    }


SIGN_ON = Example(
    key="sign_on",
    operation="sign_on",
    title="Sign On",
    request=dict(SIGN_ON_EXAMPLE),
    response={
        "rc": "00",
        "description": "Sign On berhasil; SessionID berlaku sampai 23:59:59 WIB hari ini",
        "SessionID": EXAMPLE_SESSION_ID,
    },
)


def _bill(nama: str, per_month: int, admin_per_month: int, months: int = 1) -> dict:
    """Inquiry data: the bill of ``months`` months and the admin fee of each month."""
    tagihan, admin = per_month * months, admin_per_month * months
    return {
        "nama": nama,
        "tagihan": f"{tagihan:012d}",
        "admin": f"{admin:012d}",
        "total": f"{tagihan + admin:012d}",
        "periode": str(months),
        "rincianTagihan": [
            {"bulan": month, "tagihan": f"{per_month:012d}"}
            for month in range(1, months + 1)
        ],
    }


# (category, productID, referenceID, extra request fields, Inquiry data, (noReferensi, sn))
_POSTPAID = (
    (
        "Asuransi",
        "900001",
        "TRX-BPJS-0001",
        {"periode": "2"},
        _bill("AGUS KUSUMA", 848_000, 2_500, months=2),
        ("0211199853883195", "SN199853883195"),
    ),
    (
        "Listrik",
        "100301",
        "TRX-PLN-0001",
        {},
        _bill("RINA LESTARI", 275_000, 2_500),
        ("0255182065626407", "SN182065626407"),
    ),
    (
        "Multifinance",
        "204111",
        "TRX-FIF-0001",
        {},
        _bill("ANDI HIDAYAT", 720_000, 2_500),
        ("0132473121856861", "SN473121856861"),
    ),
    (
        "Pajak",
        "740201",
        "TRX-PBB-0001",
        {},
        _bill("DEWI KUSUMA", 118_000, 2_500),
        ("0275054797472654", "SN054797472654"),
    ),
    (
        "PDAM",
        "400061",
        "TRX-PDAM-0001",
        {},
        _bill("AGUS HIDAYAT", 51_000, 2_500),
        ("0172100720943532", "SN100720943532"),
    ),
    (
        "Telekomunikasi",
        "520011",
        "TRX-TELKOM-0001",
        {},
        _bill("RUDI PRATAMA", 326_000, 2_500),
        ("0215450273292296", "SN450273292296"),
    ),
    (
        "TV Berbayar",
        "520031",
        "TRX-MNC-0001",
        {},
        _bill("BUDI KUSUMA", 467_000, 2_500),
        ("0267830205554998", "SN830205554998"),
    ),
)
# (category, productID, referenceID, price, receipt: nama, noReferensi, sn and extras)
_PREPAID = (
    (
        "Listrik",
        "100312",
        "TRX-TOKEN-0001",
        21_500,
        {
            "nama": "RINA LESTARI",
            "no_ref": "0090185296343038",
            "sn": "SN185296343038",
            "token": "0000-0090-1852-9634-3038",
            "kwh": "14.9",
        },
    ),
    (
        "Streaming",
        "STV011",
        "TRX-VIDIO-0001",
        29_500,
        {"nama": "DEWI WIJAYA", "no_ref": "0195930769637313", "sn": "SN930769637313"},
    ),
    (
        "Uang Elektronik",
        "751031",
        "TRX-OVO-0001",
        51_000,
        {"nama": "BUDI SARI", "no_ref": "0047541561450015", "sn": "SN541561450015"},
    ),
    (
        "Voucher Game",
        "6805BE",
        "TRX-MLBB-0001",
        1_500,
        {
            "nama": "SRI PRATAMA",
            "no_ref": "0214822998214787",
            "sn": "SN822998214787",
            "kodeVoucher": "2998214787",
        },
    ),
    (
        "Pulsa Prabayar",
        "501021",
        "TRX-PULSA-0001",
        10_550,
        {"nama": "BUDI WIJAYA", "no_ref": "0276397149947149", "sn": "SN397149947149"},
    ),
    (
        "Paket Data",
        "5D5521",
        "TRX-DATA-0001",
        14_000,
        {"nama": "WATI KUSUMA", "no_ref": "0001444468016941", "sn": "SN444468016941"},
    ),
)


def _slug(category: str) -> str:
    return category.lower().replace(" ", "_")


def _postpaid() -> tuple[list[Example], list[Example]]:
    inquiries, payments = [], []
    for category, product, reference, extra, bill, (no_ref, sn) in _POSTPAID:
        customer = dev_number(category)
        request = _body(product, customer, reference, **extra)
        inquiry_data = {"idPelanggan": customer, **bill}
        inquiries.append(
            Example(
                key=f"inquiry.{_slug(category)}",
                operation="inquiry",
                title=f"Inquiry {category}",
                category=category,
                request=request,
                response=_answer(request, inquiry_data),
            )
        )
        pay_request = _body(product, customer, reference, **_amounts(inquiry_data))
        payments.append(
            Example(
                key=f"payment.{_slug(category)}",
                operation="payment",
                title=f"Payment {category}",
                category=category,
                request=pay_request,
                response=_answer(
                    pay_request,
                    _receipt(pay_request, nama=bill["nama"], no_ref=no_ref, sn=sn),
                ),
            )
        )
    return inquiries, payments


def _prepaid() -> list[Example]:
    examples = []
    for category, product, reference, price, receipt in _PREPAID:
        request = _body(product, dev_number(category), reference, **_price(price))
        examples.append(
            Example(
                key=f"single_payment.{_slug(category)}",
                operation="single_payment",
                title=f"Single Payment {category}",
                category=category,
                request=request,
                response=_answer(request, _receipt(request, **receipt)),
            )
        )
    return examples


INQUIRIES, PAYMENTS = _postpaid()
SINGLE_PAYMENTS = _prepaid()

_PULSA = SINGLE_PAYMENTS[-2]
CHECK_STATUS_REQUEST = {
    key: value for key, value in _PULSA.request.items() if key != "sessionID"
} | {"tglTransaksi": "2026-11-29"}
CHECK_STATUS = Example(
    key="check_status",
    operation="check_status",
    title="Check Status Single Payment pulsa",
    category="Pulsa Prabayar",
    request=CHECK_STATUS_REQUEST,
    response=_answer(CHECK_STATUS_REQUEST, _PULSA.response["data"]),
)

# A purchase whose first answer is pending (rc 71); its final result comes by Check Status
# and by the callback below.
PENDING_REQUEST = _body(
    "501021", dev_number("Pulsa Prabayar", "71"), "TRX-PULSA-0002", **_price(10_550)
)
_PENDING_RECEIPT = {
    "idPelanggan": PENDING_REQUEST["customerID"],
    "nama": "",
    "noReferensi": "",
    **_amounts(PENDING_REQUEST),
    "status": "PENDING",
}
PENDING = Example(
    key="single_payment.pending",
    operation="single_payment",
    title="Single Payment dengan jawaban pending",
    category="Pulsa Prabayar",
    request=PENDING_REQUEST,
    response=_answer(
        PENDING_REQUEST,
        _PENDING_RECEIPT,
        rc="71",
        description=(
            "Transaksi sedang diproses; cek dengan Check-Status atau tunggu callback"
        ),
    ),
)
CALLBACK = {
    "merchantID": EXAMPLE_MERCHANT_ID,
    "productID": PENDING_REQUEST["productID"],
    "customerID": PENDING_REQUEST["customerID"],
    "referenceID": PENDING_REQUEST["referenceID"],
    "rc": "00",
    "description": SUCCESS,
    "data": _PENDING_RECEIPT
    | {"noReferensi": "0224344185397989", "sn": "SN344185397989", "status": "SUKSES"},
}

_SESSION = {"sessionID": EXAMPLE_SESSION_ID, "merchantID": EXAMPLE_MERCHANT_ID}


def _records(*records: dict) -> dict:
    return {"rc": "00", "description": SUCCESS, "record": list(records)}


def _product(code: str, name: str, category: str, price: int) -> dict:
    """A prepaid product as the price lists answer it."""
    return {
        "code": code,
        "name": name,
        "category": category,
        "type": "prabayar",
        "price": f"{price:012d}",
        "admin": f"{0:012d}",
        "status": "AKTIF",
    }


TELKOMSEL_10K = _product("501021", "Telkomsel 10.000", "Pulsa Prabayar", 10_550)

PULSA_PRICES = Example(
    key="pulsa_prices",
    operation="pulsa_prices",
    title="Harga pulsa dan paket data Telkomsel",
    request=_SESSION | {"prefixID": "21"},
    response=_records(
        _product("500521", "Telkomsel 5.000", "Pulsa Prabayar", 5_575),
        TELKOMSEL_10K,
        _product("501521", "Telkomsel 15.000", "Pulsa Prabayar", 15_525),
    ),
    truncated=("record",),
)
PRICE_BY_PRODUCT = Example(
    key="price_by_product",
    operation="price_by_product",
    title="Harga satu produk",
    request=_SESSION | {"productID": "501021"},
    response=_records(TELKOMSEL_10K),
)
DEPOSIT = Example(
    key="deposit",
    operation="deposit",
    title="Cek deposit",
    request=dict(_SESSION),
    response=_answer(
        _SESSION, {"deposit": "000010000000", "environment": "development"}
    ),
    note=_("Saldo di atas hanya contoh; jawaban berisi saldo deposit Anda saat itu."),
    varies=("data.deposit",),
)
ACTIVE_PRODUCT = Example(
    key="active_product",
    operation="active_product",
    title="Status satu produk",
    request=_SESSION | {"productID": "501021"},
    response=_records(
        {"code": "501021", "name": "Telkomsel 10.000", "status": "AKTIF"}
    ),
)
PRODUCT_LIST = Example(
    key="product_list",
    operation="product_list",
    title="Produk kategori Streaming",
    request=_SESSION | {"category": "Streaming"},
    response=_records(
        _product("STG011", "Genflix 1 Bulan", "Streaming", 35_500),
        _product("STI011", "iQIYI VIP Standard 1 Bulan", "Streaming", 49_500),
        _product("STM011", "Vision+ Premium 1 Bulan", "Streaming", 25_500),
    ),
    truncated=("record",),
)

EXAMPLES: tuple[Example, ...] = (
    SIGN_ON,
    *INQUIRIES,
    *PAYMENTS,
    *SINGLE_PAYMENTS,
    PENDING,
    CHECK_STATUS,
    PULSA_PRICES,
    PRICE_BY_PRODUCT,
    DEPOSIT,
    ACTIVE_PRODUCT,
    PRODUCT_LIST,
)
BY_KEY = {example.key: example for example in EXAMPLES}
