"""Revisi: the dated changelog of the Open API, newest first. The first entry's version is the
``info.version`` of the OpenAPI description."""

from datetime import date

from .model import Revision
from .text import _

REVISIONS: tuple[Revision, ...] = (
    Revision(
        version="1.0.0",
        date=date(2026, 11, 29),
        changes=(
            _(
                "Rilis pertama Open API untuk environment Development dan Production pada "
                "alamat yang sama; environment ditentukan oleh kredensial yang dipakai."
            ),
            _(
                "Authentikasi HTTP Digest (MD5, qop=auth) dengan nonce dari server; header "
                "Authorization yang diulang (nonce dan nc yang sama) ditolak."
            ),
            _(
                "Sign On dengan nilai kredensial Transaksi; SessionID berlaku sampai 23:59:59 "
                "WIB, maksimal 99 Sign On per kredensial per hari (rc 34)."
            ),
            _(
                "Inquiry, Payment, Single Payment dan Check Status untuk semua kategori produk; "
                "nominal dalam rupiah utuh 12 digit."
            ),
            _(
                "Callback hasil akhir transaksi pending, ditandatangani dengan header "
                "X-Signature (HMAC-SHA256)."
            ),
            _(
                "Daftar Harga Pulsa (getPulsa-Prabayar), harga per produk (getHargaByProductID), "
                "Cek Deposit (get-Deposit), Cek Status Produk (get-Active-Product) dan Daftar "
                "Produk (get-Product-List)."
            ),
            _(
                "Nomor Development: simulator biller dengan hasil pasti per nomor pelanggan."
            ),
            _(
                "Deskripsi OpenAPI 3.1 dan koleksi Postman dapat diunduh dari menu Dokumentasi."
            ),
        ),
    ),
)
