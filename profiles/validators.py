"""Indonesian identifiers of the KYC profile: parsed to digits, checked, explained per field.

Each ``clean_*`` takes what the partner typed and returns the normal form (digits only, or
``+62…`` for telephones) or raises ``ValidationError`` with a message in Bahasa Indonesia.
"""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_SEPARATORS = re.compile(r"[\s\-.()/]")

# Kode provinsi of Kemendagri (the first two digits of a NIK), including the Papua provinces
# created in 2022: 93 Papua Selatan, 94 Papua Tengah, 95 Papua Pegunungan, 96 Papua Barat Daya.
PROVINCE_CODES = {
    "11": "Aceh",
    "12": "Sumatera Utara",
    "13": "Sumatera Barat",
    "14": "Riau",
    "15": "Jambi",
    "16": "Sumatera Selatan",
    "17": "Bengkulu",
    "18": "Lampung",
    "19": "Kepulauan Bangka Belitung",
    "21": "Kepulauan Riau",
    "31": "DKI Jakarta",
    "32": "Jawa Barat",
    "33": "Jawa Tengah",
    "34": "DI Yogyakarta",
    "35": "Jawa Timur",
    "36": "Banten",
    "51": "Bali",
    "52": "Nusa Tenggara Barat",
    "53": "Nusa Tenggara Timur",
    "61": "Kalimantan Barat",
    "62": "Kalimantan Tengah",
    "63": "Kalimantan Selatan",
    "64": "Kalimantan Timur",
    "65": "Kalimantan Utara",
    "71": "Sulawesi Utara",
    "72": "Sulawesi Tengah",
    "73": "Sulawesi Selatan",
    "74": "Sulawesi Tenggara",
    "75": "Gorontalo",
    "76": "Sulawesi Barat",
    "81": "Maluku",
    "82": "Maluku Utara",
    "91": "Papua",
    "92": "Papua Barat",
    "93": "Papua Selatan",
    "94": "Papua Tengah",
    "95": "Papua Pegunungan",
    "96": "Papua Barat Daya",
}
PROVINCE_CHOICES = [(name, name) for name in PROVINCE_CODES.values()]


def _digits(raw: str) -> str:
    return _SEPARATORS.sub("", raw or "")


_ASCII_DIGITS = re.compile(r"[0-9]+")


def _require_digits(value: str, label: str) -> None:
    # ASCII digits only: str.isdigit() and \d would also take full-width or Arabic-Indic ones.
    if not _ASCII_DIGITS.fullmatch(value):
        raise ValidationError(
            _("%(label)s hanya boleh berisi angka.") % {"label": label},
            code="digits",
        )


def nik_birth_date(nik: str) -> tuple[int, int, int]:
    """(day, month, two-digit year) encoded in a NIK; women's day is stored plus 40."""
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if day > 40:
        day -= 40
    return day, month, year


def _plausible_dates(day: int, month: int, year: int) -> list[datetime.date]:
    today = datetime.date.today()
    found = []
    for century in (1900, 2000):
        try:
            date = datetime.date(century + year, month, day)
        except ValueError:
            continue
        if date <= today:
            found.append(date)
    return found


def clean_nik(raw: str, *, label: str = "NIK") -> str:
    """16 digits: province (2), regency (2), district (2), birth date DDMMYY (women +40 on
    the day), serial (4)."""
    nik = _digits(raw)
    _require_digits(nik, label)
    if len(nik) != 16:
        raise ValidationError(
            _("%(label)s harus 16 digit angka (Anda mengisi %(count)d digit).")
            % {"label": label, "count": len(nik)},
            code="length",
        )
    if nik[:2] not in PROVINCE_CODES:
        raise ValidationError(
            _(
                "%(label)s tidak valid: dua digit pertama (%(code)s) bukan kode provinsi "
                "Indonesia."
            )
            % {"label": label, "code": nik[:2]},
            code="province",
        )
    if not _plausible_dates(*nik_birth_date(nik)):
        raise ValidationError(
            _(
                "%(label)s tidak valid: digit ke-7 sampai ke-12 (%(digits)s) bukan tanggal "
                "lahir yang benar (format TTBBTT; tanggal perempuan ditambah 40)."
            )
            % {"label": label, "digits": nik[6:12]},
            code="birth_date",
        )
    if nik[12:] == "0000":
        raise ValidationError(
            _("%(label)s tidak valid: empat digit terakhir tidak boleh 0000.")
            % {"label": label},
            code="serial",
        )
    return nik


def nik_matches_birth_date(nik: str, birth_date: datetime.date) -> bool:
    day, month, year = nik_birth_date(nik)
    return (day, month, year) == (
        birth_date.day,
        birth_date.month,
        birth_date.year % 100,
    )


def clean_npwp(raw: str, *, label: str = "NPWP") -> str:
    """15 digits (the old format, 99.999.999.9-999.999) or 16 digits (the NIK-based NPWP)."""
    npwp = _digits(raw)
    _require_digits(npwp, label)
    if len(npwp) not in (15, 16):
        raise ValidationError(
            _("%(label)s harus 15 atau 16 digit angka (Anda mengisi %(count)d digit).")
            % {"label": label, "count": len(npwp)},
            code="length",
        )
    if set(npwp) == {"0"}:
        raise ValidationError(
            _("%(label)s tidak valid.") % {"label": label}, code="invalid"
        )
    return npwp


def clean_nib(raw: str) -> str:
    """Nomor Induk Berusaha from OSS: 13 digits."""
    nib = _digits(raw)
    _require_digits(nib, "NIB")
    if len(nib) != 13:
        raise ValidationError(
            _("NIB harus 13 digit angka (Anda mengisi %(count)d digit).")
            % {"count": len(nib)},
            code="length",
        )
    return nib


def clean_postal_code(raw: str) -> str:
    """Kode pos: five digits, 10110 to 99999 (no Indonesian postal code starts with 0)."""
    code = _digits(raw)
    _require_digits(code, _("Kode pos"))
    if len(code) != 5:
        raise ValidationError(_("Kode pos harus 5 digit angka."), code="length")
    if code[0] == "0":
        raise ValidationError(
            _("Kode pos tidak valid: kode pos Indonesia tidak diawali angka 0."),
            code="invalid",
        )
    return code


_TELEPHONE = re.compile(r"^\+62[1-9][0-9]{7,11}$")


def clean_telephone(raw: str) -> str:
    """A landline (021 555 1234) or mobile number (0812…), stored as +62…."""
    number = _digits(raw)
    if number.startswith("+62"):
        pass
    elif number.startswith("62"):
        number = "+" + number
    elif number.startswith("0"):
        number = "+62" + number[1:]
    else:
        number = ""
    if not _TELEPHONE.match(number):
        raise ValidationError(
            _(
                "Nomor telepon tidak valid. Tulis dengan kode area atau awalan 08, "
                "misalnya 021 5551 2345 atau 0812 3456 7890."
            ),
            code="invalid",
        )
    return number
