"""The response codes of the Open API: one table, used by the code and by the documentation's
"Daftar Kode Response" page."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Outcome(StrEnum):
    SUCCESS = "sukses"
    PENDING = "pending"
    FAILED = "gagal"


@dataclass(frozen=True)
class ResponseCode:
    code: str
    description: str


_TABLE = [
    ("00", "Sukses"),
    ("01", "Error tidak terdefinisi"),
    ("02", "Format pesan salah"),
    ("03", "Tidak ada jawaban dari biller"),
    ("04", "Tidak ada respon dari biller"),
    ("05", "Tidak ada respon dari host"),
    ("10", "Transaksi tidak dapat dilakukan"),
    ("12", "Saldo deposit tidak mencukupi"),
    ("14", "Gangguan media penyimpanan"),
    ("15", "Produk tidak dikenal"),
    ("17", "Transaksi gagal"),
    ("19", "Data tidak ditemukan"),
    ("34", "Sesi habis atau batas Sign On harian tercapai"),
    ("38", "Jalur ke biller terputus"),
    ("39", "Biller timeout"),
    ("41", "Tidak diizinkan menjual produk ini"),
    ("42", "Harga jual tidak valid"),
    ("45", "IP belum terdaftar/disetujui"),
    ("46", "Transaksi kedaluwarsa"),
    ("61", "Harus Inquiry terlebih dahulu"),
    ("62", "Tagihan baru belum tersedia"),
    ("64", "Tagihan sudah terbayar"),
    ("65", "Nomor pelanggan salah"),
    ("67", "Gagal saat memproses"),
    ("68", "Batas transaksi harian tercapai"),
    ("70", "Jumlah pembayaran salah"),
    ("71", "Transaksi sedang diproses"),
    ("74", "Sudah lunas"),
    ("75", "Nominal sama ke nomor yang sama dalam 10 menit"),
    ("86", "referenceID sudah digunakan"),
]

CODES: dict[str, ResponseCode] = {
    code: ResponseCode(code, text) for code, text in _TABLE
}

# First Payment / SinglePayment answer: these mean "not final yet".
PAYMENT_PENDING = frozenset(
    {"01", "03", "04", "05", "14", "19", "38", "39", "67", "71"}
)


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
