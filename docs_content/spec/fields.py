"""Fields shared by several calls, described once.

Enumerations are read from the code that produces them (response codes, operators, product
kinds and states, environments), so that the description cannot list a value the API never
sends.
"""

from __future__ import annotations

from openapi.rc import CODES
from portal.lib.environments import Environment
from products.models import Operator, Product

from .model import ARRAY, INTEGER, OBJECT, STRING, Field
from .text import _

EXAMPLE_SESSION_ID = "3f2a9c1b7d4e5f60718293a4b5c6d7e8"
EXAMPLE_MERCHANT_ID = "MD0123456789"
MONEY_PATTERN = "[0-9]{12}"

# --- request ------------------------------------------------------------------------------

SESSION_ID = Field(
    "sessionID",
    STRING,
    _("SessionID dari Sign On. Berlaku sampai pukul 23:59:59 WIB pada hari Sign On."),
    example=EXAMPLE_SESSION_ID,
    pattern="[0-9a-f]{32}",
)
MERCHANT_ID = Field(
    "merchantID",
    STRING,
    _(
        "merchantID dari kredensial Transaksi Anda (berbeda untuk Development dan Production)."
    ),
    example=EXAMPLE_MERCHANT_ID,
    pattern="[A-Za-z0-9]{1,20}",
)
PRODUCT_ID = Field(
    "productID",
    STRING,
    _("Kode produk dari Daftar Produk."),
    example="100301",
    pattern="[A-Za-z0-9]{1,12}",
)
CUSTOMER_ID = Field(
    "customerID",
    STRING,
    _("Nomor pelanggan: ID pelanggan, nomor kontrak, nomor ponsel atau ID akun game."),
    example="530000000001",
    pattern="[0-9]{4,32}",
)
REFERENCE_ID = Field(
    "referenceID",
    STRING,
    _(
        "ID transaksi dari sistem Anda, unik per environment. Payment memakai referenceID yang "
        "sama dengan Inquiry-nya. referenceID yang sudah dipakai dijawab rc 86."
    ),
    example="TRX-PLN-0001",
    pattern="[A-Za-z0-9._-]{1,20}",
)
PERIODE = Field(
    "periode",
    STRING,
    _(
        "Khusus BPJS Kesehatan: jumlah bulan yang dibayar, 1 sampai 12. Tanpa field ini tagihan "
        "dihitung sesuai tunggakan peserta."
    ),
    required=False,
    example="2",
    pattern="[1-9]|1[0-2]",
)


def _money(name: str, description: str, example: str) -> Field:
    return Field(
        name,
        STRING,
        _(
            "%(description)s Rupiah utuh, 12 digit dengan nol di depan.",
            description=description,
        ),
        example=example,
        pattern="[0-9]{1,12}",
    )


TAGIHAN = _money(
    "tagihan",
    _("Jumlah tagihan dari Inquiry, atau harga produk prabayar."),
    "000000150000",
)
ADMIN = _money(
    "admin", _("Biaya admin dari Inquiry (0 untuk produk prabayar)."), "000000002500"
)
TOTAL = _money("total", _("tagihan + admin."), "000000152500")
TGL_TRANSAKSI = Field(
    "tglTransaksi",
    STRING,
    _("Tanggal transaksi (WIB), format YYYY-MM-DD."),
    example="2026-11-29",
    format="date",
)
OPERATORS = ", ".join(f"{value} {label}" for value, label in Operator.choices)
PREFIX_ID = Field(
    "prefixID",
    STRING,
    _("Kode operator: %(operators)s.", operators=OPERATORS),
    example=Operator.TELKOMSEL.value,
    enum=tuple(Operator.values),
)
CATEGORY = Field(
    "category",
    STRING,
    _(
        "Nama kategori seperti di Daftar Produk (huruf besar/kecil tidak dibedakan), misalnya "
        "Pulsa Prabayar."
    ),
    required=False,
    example="Streaming",
)

# --- response -----------------------------------------------------------------------------

RC = Field(
    "rc",
    STRING,
    _("Kode response, lihat Daftar Kode Response."),
    example="00",
    enum=tuple(CODES),
)
DESCRIPTION = Field(
    "description", STRING, _("Keterangan kode response."), example="Sukses"
)


def echo(field: Field) -> Field:
    """A request field that the answer repeats ("" when it was not sent)."""
    return field.but(
        description=_(
            "%(field)s dari request (kosong bila tidak dikirim).", field=field.name
        ),
        pattern=None,
        format=None,
    )


MONEY_OUT = {"pattern": MONEY_PATTERN}
TAGIHAN_OUT = TAGIHAN.but(description=_("Jumlah tagihan."), **MONEY_OUT)
ADMIN_OUT = ADMIN.but(description=_("Biaya admin."), **MONEY_OUT)
TOTAL_OUT = TOTAL.but(description=_("tagihan + admin."), **MONEY_OUT)
ID_PELANGGAN = Field(
    "idPelanggan", STRING, _("Nomor pelanggan (customerID)."), example="530000000001"
)
NAMA = Field(
    "nama", STRING, _("Nama pelanggan menurut biller."), example="BUDI SANTOSO"
)

INQUIRY_DATA = Field(
    "data",
    OBJECT,
    _("Rincian tagihan."),
    fields=(
        ID_PELANGGAN,
        NAMA,
        TAGIHAN_OUT,
        ADMIN_OUT,
        TOTAL_OUT,
        Field("periode", STRING, _("Jumlah bulan yang ditagih."), example="1"),
        Field(
            "rincianTagihan",
            ARRAY,
            _("Tagihan per bulan."),
            fields=(
                Field("bulan", INTEGER, _("Bulan ke-(1, 2, …)."), example=1),
                TAGIHAN_OUT.but(description=_("Tagihan bulan itu.")),
            ),
        ),
    ),
)
PAYMENT_STATUSES = ("SUKSES", "PENDING", "GAGAL")
PAYMENT_DATA = Field(
    "data",
    OBJECT,
    _("Struk transaksi."),
    fields=(
        ID_PELANGGAN,
        NAMA.but(
            description=_("Nama pelanggan (kosong bila biller tidak memberikannya).")
        ),
        Field(
            "noReferensi",
            STRING,
            _("Nomor referensi biller (kosong selama transaksi pending)."),
            example="4826015937264810",
        ),
        TAGIHAN_OUT,
        ADMIN_OUT,
        TOTAL_OUT,
        Field(
            "status",
            STRING,
            _("Status transaksi: SUKSES, PENDING atau GAGAL."),
            example="SUKSES",
            enum=PAYMENT_STATUSES,
        ),
        Field(
            "sn",
            STRING,
            _("Serial number dari biller."),
            required=False,
            example="SN000123456789",
        ),
        Field(
            "token",
            STRING,
            _("Token listrik (produk PLN prabayar)."),
            required=False,
            example="1234-5678-9012-3456-7890",
        ),
        Field(
            "kwh",
            STRING,
            _("Jumlah kWh token listrik (produk PLN prabayar)."),
            required=False,
            example="14.9",
        ),
        Field(
            "kodeVoucher",
            STRING,
            _("Kode voucher (produk Voucher Game)."),
            required=False,
            example="0123456789",
        ),
    ),
)
DEPOSIT_DATA = Field(
    "data",
    OBJECT,
    _("Saldo deposit."),
    fields=(
        Field(
            "deposit",
            STRING,
            _("Saldo deposit environment ini, rupiah utuh 12 digit."),
            example="000010000000",
            pattern=MONEY_PATTERN,
        ),
        Field(
            "environment",
            STRING,
            _("Environment kredensial yang dipakai."),
            example=Environment.DEVELOPMENT.value,
            enum=tuple(Environment.values),
        ),
    ),
)

PRODUCT_CODE = Field("code", STRING, _("Kode produk (productID)."), example="501021")
PRODUCT_NAME = Field("name", STRING, _("Nama produk."), example="Telkomsel 10.000")
PRODUCT_STATUS = Field(
    "status",
    STRING,
    _("Status produk: AKTIF, GANGGUAN atau MAINTENANCE."),
    example=Product.Status.ACTIVE.value,
    enum=tuple(Product.Status.values),
)
PRODUCT_RECORD = Field(
    "record",
    ARRAY,
    _("Daftar produk."),
    fields=(
        PRODUCT_CODE,
        PRODUCT_NAME,
        Field("category", STRING, _("Nama kategori."), example="Pulsa Prabayar"),
        Field(
            "type",
            STRING,
            _("Jenis produk: prabayar atau pascabayar."),
            example=Product.Kind.PREPAID.value,
            enum=tuple(Product.Kind.values),
        ),
        Field(
            "price",
            STRING,
            _("Harga dasar produk prabayar (0 untuk pascabayar), 12 digit."),
            example="000000010550",
            pattern=MONEY_PATTERN,
        ),
        Field(
            "admin",
            STRING,
            _("Biaya admin produk pascabayar (0 untuk prabayar), 12 digit."),
            example="000000000000",
            pattern=MONEY_PATTERN,
        ),
        PRODUCT_STATUS,
    ),
)
STATUS_RECORD = Field(
    "record",
    ARRAY,
    _("Status produk."),
    fields=(PRODUCT_CODE, PRODUCT_NAME, PRODUCT_STATUS),
)


def envelope(*, data: Field | None, session: bool = True) -> tuple[Field, ...]:
    """The answer of the ``/Services/*`` calls: rc, description, the echoed identifiers and
    ``data``."""
    session_field = echo(SESSION_ID)
    if not session:
        session_field = session_field.but(
            description=_("Selalu kosong (request ini tanpa sessionID).")
        )
    fields = [
        RC,
        DESCRIPTION,
        echo(MERCHANT_ID),
        session_field,
        echo(CUSTOMER_ID),
        echo(PRODUCT_ID),
        echo(REFERENCE_ID),
    ]
    fields.append(
        data
        if data is not None
        else Field("data", OBJECT, _("Kosong pada jawaban gagal."), fields=())
    )
    return tuple(fields)


def record_list(record: Field) -> tuple[Field, ...]:
    return (RC, DESCRIPTION, record)
