"""Every path of the Open API: what it is for, what it reads and what it answers."""

from __future__ import annotations

from .fields import (
    ADMIN,
    CATEGORY,
    CUSTOMER_ID,
    DEPOSIT_DATA,
    DESCRIPTION,
    INQUIRY_DATA,
    MERCHANT_ID,
    PAYMENT_DATA,
    PERIODE,
    PREFIX_ID,
    PRODUCT_ID,
    PRODUCT_RECORD,
    RC,
    REFERENCE_ID,
    SESSION_ID,
    STATUS_RECORD,
    TAGIHAN,
    TGL_TRANSAKSI,
    TOTAL,
    envelope,
    record_list,
)
from .model import STRING, Field, Operation
from .text import _

SIGN_ON_FIELDS = (
    Field("mitra", STRING, _("Kode mitra dari kredensial."), example="MTR00042"),
    Field("accountID", STRING, _("accountID dari kredensial."), example="9000000042"),
    MERCHANT_ID.but(pattern=None),
    Field(
        "merchantName",
        STRING,
        _("merchantName dari kredensial (nama mitra)."),
        example="PT Maju Jaya Digital",
    ),
    Field("counterID", STRING, _("counterID dari kredensial."), example="1"),
)
# The Sign On values of the example credential, in the order of SIGN_ON_FIELDS.
SIGN_ON_EXAMPLE = {field.name: field.example for field in SIGN_ON_FIELDS}

PAY_REQUEST = (
    SESSION_ID,
    MERCHANT_ID,
    PRODUCT_ID,
    CUSTOMER_ID,
    REFERENCE_ID,
    TAGIHAN,
    ADMIN,
    TOTAL,
)

OPERATIONS: tuple[Operation, ...] = (
    Operation(
        key="sign_on",
        url_name="openapi:sign_on",
        title="Sign On",
        summary="Mendapatkan SessionID",
        description=(
            _(
                "Sign On dengan nilai kredensial Transaksi Anda. SessionID yang didapat dipakai "
                "oleh semua request /Services/* (kecuali Check-Status) sampai pukul 23:59:59 WIB. "
                "Batas 99 Sign On per kredensial per hari; lewat dari itu semua request kredensial "
                "tersebut dijawab rc 34 sampai direset oleh tim kami."
            )
        ),
        request=SIGN_ON_FIELDS,
        response=(
            RC,
            DESCRIPTION,
            Field(
                "SessionID",
                STRING,
                _(
                    "32 karakter heksadesimal; kirim sebagai sessionID di request berikutnya."
                ),
                example="3f2a9c1b7d4e5f60718293a4b5c6d7e8",
                pattern="[0-9a-f]{32}",
            ),
        ),
        needs_session=False,
        tag="Sign On",
    ),
    Operation(
        key="inquiry",
        url_name="openapi:inquiry",
        title="Inquiry",
        summary="Cek tagihan produk pascabayar",
        description=(
            _(
                "Menanyakan tagihan produk pascabayar. Tidak ada saldo yang dipotong. Simpan "
                "tagihan, admin dan total dari jawaban: Payment harus mengirim jumlah yang sama "
                "dengan referenceID yang sama."
            )
        ),
        request=(
            SESSION_ID,
            MERCHANT_ID,
            PRODUCT_ID,
            CUSTOMER_ID,
            REFERENCE_ID,
            PERIODE,
        ),
        response=envelope(data=INQUIRY_DATA),
        tag="Inquiry",
    ),
    Operation(
        key="payment",
        url_name="openapi:payment",
        title="Payment",
        summary="Membayar tagihan hasil Inquiry",
        description=(
            _(
                "Membayar tagihan dari Inquiry sukses dengan referenceID, productID dan customerID "
                "yang sama. Jumlah harus sama dengan jawaban Inquiry (rc 70 bila berbeda); tanpa "
                "Inquiry dijawab rc 61. Deposit dipotong saat transaksi dicatat; transaksi yang "
                "akhirnya gagal mengembalikan deposit."
            )
        ),
        request=PAY_REQUEST,
        response=envelope(data=PAYMENT_DATA),
        tag="Payment",
    ),
    Operation(
        key="single_payment",
        url_name="openapi:single_payment",
        title="Single Payment",
        summary="Membeli produk prabayar",
        description=(
            _(
                "Pembelian produk prabayar (pulsa, paket data, token listrik, streaming, uang "
                "elektronik, voucher game) tanpa Inquiry, pada harga daftar: tagihan = harga "
                "produk, admin = 000000000000, total = tagihan (rc 42 bila berbeda)."
            )
        ),
        request=PAY_REQUEST,
        response=envelope(data=PAYMENT_DATA),
        tag="Single Payment",
    ),
    Operation(
        key="check_status",
        url_name="openapi:check_status",
        title="Check Status",
        summary="Status transaksi Payment atau Single Payment",
        description=(
            _(
                "Menanyakan status akhir transaksi. Request sama dengan Payment tanpa sessionID, "
                "ditambah tglTransaksi. rc 00 sukses, rc 17 gagal (deposit sudah dikembalikan), "
                "kode lain berarti masih diproses; rc 19 bila transaksi tidak ditemukan."
            )
        ),
        request=(
            MERCHANT_ID,
            PRODUCT_ID,
            CUSTOMER_ID,
            REFERENCE_ID,
            TAGIHAN,
            ADMIN,
            TOTAL,
            TGL_TRANSAKSI,
        ),
        response=envelope(data=PAYMENT_DATA, session=False),
        needs_session=False,
        tag="Check Status",
    ),
    Operation(
        key="pulsa_prices",
        url_name="openapi:pulsa_prices",
        title="Daftar Harga Pulsa",
        summary="Harga dasar pulsa dan paket data per operator",
        description=(
            _(
                "Harga dasar pulsa dan paket data satu operator. Gunakan sebelum Single Payment "
                "untuk menentukan harga jual."
            )
        ),
        request=(SESSION_ID, MERCHANT_ID, PREFIX_ID),
        response=record_list(PRODUCT_RECORD),
        tag="Daftar Harga Pulsa",
    ),
    Operation(
        key="price_by_product",
        url_name="openapi:price_by_product",
        title="Harga per Produk",
        summary="Harga satu produk, satu grup atau satu kategori",
        description=_(
            "Harga satu produk (productID), semua produk satu grup (prefixID berisi kode "
            "grup, untuk sinkronisasi seluruh daftar harga) atau semua produk satu "
            "kategori. Grup yang tidak dikenal dijawab rc 00 dengan record kosong."
        ),
        request=(
            SESSION_ID,
            MERCHANT_ID,
            PRODUCT_ID.optional(
                _("Kode produk. Isi productID, prefixID (kode grup) atau category.")
            ),
            PREFIX_ID.but(
                description=_(
                    "Kode grup produk berformat AAA.AAAA, misalnya LST.AAAA (Listrik); "
                    "dipakai bila productID kosong. Daftar grup ada di halaman Daftar "
                    "Harga."
                ),
                required=False,
                example="LST.AAAA",
                enum=(),
                pattern="[A-Za-z]{3}\\.[A-Za-z]{4}",
            ),
            CATEGORY.but(
                description=_(
                    "Nama kategori, dipakai bila productID dan prefixID kosong."
                )
            ),
        ),
        response=record_list(PRODUCT_RECORD),
        tag="Daftar Harga Pulsa",
    ),
    Operation(
        key="deposit",
        url_name="openapi:deposit",
        title="Cek Deposit",
        summary="Saldo deposit",
        description=(
            _(
                "Sisa saldo deposit environment kredensial yang dipakai (Development atau "
                "Production)."
            )
        ),
        request=(SESSION_ID, MERCHANT_ID),
        response=envelope(data=DEPOSIT_DATA),
        tag="Cek Deposit",
    ),
    Operation(
        key="active_product",
        url_name="openapi:active_product",
        title="Cek Status Produk",
        summary="Status produk: AKTIF, GANGGUAN atau MAINTENANCE",
        description=(
            _(
                "Status satu produk, atau semua produk bila productID tidak dikirim. Produk "
                "berstatus selain AKTIF dijawab rc 10 saat ditransaksikan."
            )
        ),
        request=(
            SESSION_ID,
            MERCHANT_ID,
            PRODUCT_ID.optional(_("Kode produk; kosongkan untuk semua produk.")),
        ),
        response=record_list(STATUS_RECORD),
        tag="Cek Status Produk",
    ),
    Operation(
        key="product_list",
        url_name="openapi:product_list",
        title="Daftar Produk",
        summary="Katalog produk",
        description=(
            _(
                "Katalog produk: kode, nama, kategori, jenis, harga, admin dan status. "
                "Kirim category untuk satu kategori saja."
            )
        ),
        request=(SESSION_ID, MERCHANT_ID, CATEGORY),
        response=record_list(PRODUCT_RECORD),
        tag="Daftar Produk",
    ),
)

BY_KEY = {operation.key: operation for operation in OPERATIONS}

CALLBACK_FIELDS = (
    MERCHANT_ID.but(
        description=_("merchantID kredensial transaksi ini."), pattern=None
    ),
    PRODUCT_ID.but(description=_("productID transaksi."), pattern=None),
    CUSTOMER_ID.but(description=_("customerID transaksi."), pattern=None),
    REFERENCE_ID.but(
        description=_("referenceID transaksi dari sistem Anda."), pattern=None
    ),
    RC.but(description=_("Hasil akhir: 00 sukses, 17 gagal (deposit dikembalikan).")),
    DESCRIPTION,
    PAYMENT_DATA.but(description=_("Struk transaksi, sama dengan data Payment.")),
)
