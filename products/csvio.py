"""Reading the catalogue's CSV files: the shipped data file and staff's price imports.

Both accept the comma or the semicolon (Excel in Indonesian locales writes ``;``), an optional
UTF-8 byte-order mark, and comment lines starting with ``#``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_IMPORT_BYTES = 1024 * 1024

# Columns of the price export; an import needs ``kode`` and at least one of ``harga``/``admin``.
EXPORT_COLUMNS = [
    "kode",
    "nama",
    "kategori",
    "jenis",
    "operator",
    "harga",
    "admin",
    "status",
]


class CsvFormatError(ValueError):
    """The file as a whole cannot be read (not text, no header, …)."""


@dataclass(frozen=True)
class CsvRow:
    line: int
    values: dict[str, str]


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CsvFormatError(_("bukan teks UTF-8")) from exc


def read_table(text: str) -> tuple[list[str], list[CsvRow]]:
    """The lower-cased header and the rows (as dicts keyed by it), one record per line."""
    lines = [
        (number, line)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not lines:
        raise CsvFormatError(_("file tidak berisi baris data"))
    first = lines[0][1]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        records = list(
            csv.reader([line for _number, line in lines], delimiter=delimiter)
        )
    except csv.Error as exc:
        raise CsvFormatError(
            _("format CSV rusak (%(error)s)") % {"error": exc}
        ) from exc
    header = [name.strip().lower() for name in records[0]]
    rows = []
    for (number, _line), cells in zip(lines[1:], records[1:], strict=True):
        values = {
            name: (cells[index].strip() if index < len(cells) else "")
            for index, name in enumerate(header)
        }
        rows.append(CsvRow(line=number, values=values))
    return header, rows


def parse_rupiah(value: str) -> int:
    """``"20.000"``, ``"20000"``, ``"Rp 20.000"`` → 20000; raises ValueError otherwise."""
    cleaned = value.strip().lower().removeprefix("rp").strip().replace(".", "")
    if cleaned.endswith(",00"):
        cleaned = cleaned[:-3]
    if not cleaned.isdigit():
        raise ValueError(value)
    return int(cleaned)
