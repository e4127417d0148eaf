"""The biller simulator: the default backend, deterministic for the documented development
numbers, so that a partner can exercise every outcome in Development without a real biller.

The last two digits of a customer number choose the outcome (see ``OUTCOMES``); the rest of the
number gives a stable name and bill amount. The documentation's "Nomor Development" page is
rendered from them (``openapi.development_numbers``).
"""

from __future__ import annotations

import hashlib

from django.utils.translation import gettext_noop

from billers.adapters.base import BillerAnswer

# outcome key → (rc of inquiry, rc of the first payment answer, final rc, description)
OUTCOMES: dict[str, tuple[str, str, str, str]] = {
    "01": ("00", "00", "00", gettext_noop("Sukses")),
    "65": ("65", "65", "65", gettext_noop("Nomor pelanggan salah (rc 65)")),
    "64": ("64", "64", "64", gettext_noop("Tagihan sudah terbayar (rc 64)")),
    "71": ("00", "71", "00", gettext_noop("Pending, lalu sukses (rc 71 → 00)")),
    "17": (
        "00",
        "71",
        "17",
        gettext_noop("Pending, lalu gagal; deposit dikembalikan (rc 71 → 17)"),
    ),
    "39": (
        "00",
        "39",
        "17",
        gettext_noop(
            "Biller timeout saat pembayaran (rc 39 → pending → gagal 17; deposit "
            "dikembalikan)"
        ),
    ),
}
# BPJS Kesehatan (category Asuransi): the two digits before the outcome give the months.
BPJS_CATEGORY = "Asuransi"
BPJS_MONTHS_SUFFIXES = {"03": 3, "06": 6}
BPJS_MONTHS_OUTCOME = gettext_noop("Sukses, tagihan %(months)s bulan")

# A realistic customer-number stem per category; the documented numbers are stem + suffix.
STEMS: dict[str, str] = {
    "Listrik": "5300000000",  # IDPEL, 12 digits
    "Asuransi": "00012345678",  # BPJS Kesehatan VA, 13 digits
    "PDAM": "0100200",
    "Multifinance": "80200300",
    "Pajak": "3271000100",
    "Telekomunikasi": "02198765",
    "TV Berbayar": "70100200",
    "Streaming": "8812345",
    "Uang Elektronik": "08123450",
    "Voucher Game": "9912345",
    "Pulsa Prabayar": "08129990",
    "Paket Data": "08139990",
}

_FIRST = ["Budi", "Siti", "Agus", "Dewi", "Rudi", "Sri", "Andi", "Rina", "Joko", "Wati"]
_LAST = [
    "Santoso",
    "Wijaya",
    "Saputra",
    "Lestari",
    "Hidayat",
    "Kusuma",
    "Pratama",
    "Sari",
]


def _seed(customer_id: str) -> int:
    return int(hashlib.sha256(customer_id.encode()).hexdigest()[:12], 16)


def _suffix(customer_id: str) -> str:
    return customer_id[-2:] if len(customer_id) >= 2 else ""


def _category(product) -> str:
    return product.category.name if product is not None else ""


def outcome_of(customer_id: str) -> tuple[str, str, str, str]:
    """Numbers that are not documented behave as success."""
    return OUTCOMES.get(_suffix(customer_id), OUTCOMES["01"])


def customer_name(customer_id: str) -> str:
    seed = _seed(customer_id)
    return f"{_FIRST[seed % len(_FIRST)]} {_LAST[(seed // 7) % len(_LAST)]}".upper()


def bill_amount(customer_id: str, months: int = 1) -> int:
    """A stable bill of Rp 25.000–Rp 975.000 (in thousands), per month."""
    return (25 + _seed(customer_id) % 951) * 1000 * months


class SimulatorBackend:
    """The simulated biller's answers (``billers.adapters.simulator`` serves them as a
    provider, ``billers.netsim`` over the network)."""

    name = "simulator"

    def inquiry(
        self, *, product, customer_id: str, periode: int | None = None
    ) -> BillerAnswer:
        rc_inquiry, _first, _final, _text = outcome_of(customer_id)
        if rc_inquiry != "00":
            return BillerAnswer(rc=rc_inquiry)
        months = periode or 1
        if periode is None and _category(product) == BPJS_CATEGORY:
            months = BPJS_MONTHS_SUFFIXES.get(customer_id[-4:-2], 1)
        tagihan = bill_amount(customer_id, months)
        return BillerAnswer(
            rc="00",
            data={
                "idPelanggan": customer_id,
                "nama": customer_name(customer_id),
                "tagihan": tagihan,
                "periode": months,
                "rincianTagihan": [
                    {"bulan": index + 1, "tagihan": tagihan // months}
                    for index in range(months)
                ],
            },
        )

    def pay(
        self, *, product, customer_id: str, amount: int, reference: str
    ) -> BillerAnswer:
        """The first answer to a payment; ``71`` means the final result comes later."""
        _inq, rc_first, _final, _text = outcome_of(customer_id)
        if rc_first != "00":
            return BillerAnswer(rc=rc_first)
        return BillerAnswer(
            rc="00", data=self.receipt(product=product, customer_id=customer_id)
        )

    def final(self, *, product, customer_id: str) -> BillerAnswer:
        """The final result of a pending payment."""
        _inq, _first, rc_final, _text = outcome_of(customer_id)
        if rc_final != "00":
            return BillerAnswer(rc=rc_final)
        return BillerAnswer(
            rc="00", data=self.receipt(product=product, customer_id=customer_id)
        )

    def receipt(self, *, product, customer_id: str) -> dict:
        seed = _seed(customer_id + str(getattr(product, "code", "")))
        data = {
            "idPelanggan": customer_id,
            "nama": customer_name(customer_id),
            "noReferensi": f"{seed % 10**16:016d}",
            "sn": f"SN{seed % 10**12:012d}",
        }
        category = _category(product)
        if category == "Listrik" and getattr(product, "is_prepaid", False):
            digits = f"{seed % 10**20:020d}"
            data["token"] = "-".join(digits[i : i + 4] for i in range(0, 20, 4))
            data["kwh"] = f"{(getattr(product, 'price', 0) or 0) / 1444.7:.1f}"
        if category == "Voucher Game":
            data["kodeVoucher"] = f"{seed % 10**10:010d}"
        return data
