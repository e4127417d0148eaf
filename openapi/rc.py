"""The response codes of the Open API: one table, used by the code and by the documentation's
"Daftar Kode Response" page."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_noop


class Outcome(StrEnum):
    SUCCESS = "sukses"
    PENDING = "pending"
    FAILED = "gagal"


@dataclass(frozen=True)
class ResponseCode:
    code: str
    description: str


# The API answers with the Indonesian description; the documentation shows it translated.
_TABLE = [
    ("00", gettext_noop("Sukses")),
    ("01", gettext_noop("Error tidak terdefinisi")),
    ("02", gettext_noop("Format pesan salah")),
    ("03", gettext_noop("Tidak ada jawaban dari biller")),
    ("04", gettext_noop("Tidak ada respon dari biller")),
    ("05", gettext_noop("Tidak ada respon dari host")),
    ("10", gettext_noop("Transaksi tidak dapat dilakukan")),
    ("12", gettext_noop("Saldo deposit tidak mencukupi")),
    ("14", gettext_noop("Gangguan media penyimpanan")),
    ("15", gettext_noop("Produk tidak dikenal")),
    ("17", gettext_noop("Transaksi gagal")),
    ("19", gettext_noop("Data tidak ditemukan")),
    ("34", gettext_noop("Sesi habis atau batas Sign On harian tercapai")),
    ("38", gettext_noop("Jalur ke biller terputus")),
    ("39", gettext_noop("Biller timeout")),
    ("41", gettext_noop("Tidak diizinkan menjual produk ini")),
    ("42", gettext_noop("Harga jual tidak valid")),
    ("45", gettext_noop("IP belum terdaftar/disetujui")),
    ("46", gettext_noop("Transaksi kedaluwarsa")),
    ("61", gettext_noop("Harus Inquiry terlebih dahulu")),
    ("62", gettext_noop("Tagihan baru belum tersedia")),
    ("64", gettext_noop("Tagihan sudah terbayar")),
    ("65", gettext_noop("Nomor pelanggan salah")),
    ("67", gettext_noop("Gagal saat memproses")),
    ("68", gettext_noop("Batas transaksi harian tercapai")),
    ("70", gettext_noop("Jumlah pembayaran salah")),
    ("71", gettext_noop("Transaksi sedang diproses")),
    (
        "73",
        gettext_noop("Produk sedang gangguan (tidak ada biller yang dapat melayani)"),
    ),
    ("74", gettext_noop("Sudah lunas")),
    ("75", gettext_noop("Nominal sama ke nomor yang sama dalam 10 menit")),
    ("86", gettext_noop("referenceID sudah digunakan")),
]

CODES: dict[str, ResponseCode] = {
    code: ResponseCode(code, text) for code, text in _TABLE
}

# First Payment / SinglePayment answer: these mean "not final yet".
PAYMENT_PENDING = frozenset(
    {"01", "03", "04", "05", "14", "19", "38", "39", "67", "71"}
)


def known(code: str, *, otherwise: str) -> str:
    """``code`` if it is one of ours, else ``otherwise``: an upstream may answer a code we
    do not have (a newer version of its table); a payment then stays pending (71), never
    reversed on a code nobody here can read, and an inquiry fails with 01."""
    return code if code in CODES else otherwise


def describe(code: str) -> str:
    return CODES[code].description


def classify_inquiry(code: str) -> Outcome:
    return Outcome.SUCCESS if code == "00" else Outcome.FAILED


def classify_payment(code: str) -> Outcome:
    if code == "00":
        return Outcome.SUCCESS
    return Outcome.PENDING if code in PAYMENT_PENDING else Outcome.FAILED


def classify_status(code: str) -> Outcome:
    """Check-Status and callbacks: 00 success, 17 failed, anything else still pending."""
    if code == "00":
        return Outcome.SUCCESS
    return Outcome.FAILED if code == "17" else Outcome.PENDING


def table() -> list[dict]:
    """Rows for the documentation: code, description, and the class per phase."""
    return [
        {
            "code": rc.code,
            "description": rc.description,
            "inquiry": classify_inquiry(rc.code).value,
            "payment": classify_payment(rc.code).value,
            "status": classify_status(rc.code).value,
        }
        for rc in CODES.values()
    ]
