"""CSV exports that stream: rows are read from the database in chunks (a server-side cursor on
PostgreSQL) and written to the response one by one, so 100,000 rows never sit in memory."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from datetime import datetime

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone

from billing.models import LedgerEntry, Transaction
from billing.selectors import LOCAL_TZ
from portal.lib.environments import Environment

CHUNK_SIZE = 2000


class _Echo:
    """A file-like object whose ``write`` hands the line back instead of storing it."""

    def write(self, value: str) -> str:
        return value


def _local(value: datetime | None) -> str:
    if value is None:
        return ""
    return timezone.localtime(value, LOCAL_TZ).strftime("%Y-%m-%d %H:%M:%S")


def _safe(value) -> object:
    # A cell starting with = + - @ would run as a formula in a spreadsheet (CSV injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def stream_csv(
    *, header: list[str], rows: Iterable[Iterable], filename: str
) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff"  # BOM: spreadsheet programs then read the file as UTF-8
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([_safe(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


TRANSACTION_COLUMNS = [
    ("created_at", "Waktu"),
    ("reference_id", "referenceID"),
    ("environment", "Environment"),
    ("category", "Kategori"),
    ("product_code", "Kode Produk"),
    ("product_name", "Nama Produk"),
    ("customer_number", "Nomor Pelanggan"),
    ("tagihan", "Tagihan"),
    ("admin", "Admin"),
    ("total", "Total"),
    ("status", "Status"),
    ("rc", "RC"),
    ("description", "Keterangan"),
]


def _worded(columns: list[tuple[str, str]], choices: dict) -> list[dict | None]:
    """Per column, the words a person reads for its stored codes ("sukses" → "Sukses",
    "production" → "Production") in the active language; None: the cell as it is."""
    return [
        {value: str(label) for value, label in choices[name].choices}
        if name in choices
        else None
        for name, _label in columns
    ]


def _read(row: tuple, words: list[dict | None]) -> tuple:
    """A row as written to the CSV: the local time first, codes as words."""
    cells = (
        cell if labels is None else labels.get(cell, cell)
        for cell, labels in zip(row[1:], words[1:], strict=True)
    )
    return (_local(row[0]), *cells)


def transaction_rows(qs: QuerySet) -> Iterator[tuple]:
    fields = [name for name, _label in TRANSACTION_COLUMNS]
    # Worded now, in the request's language, not later while the response streams.
    words = _worded(
        TRANSACTION_COLUMNS,
        {"status": Transaction.Status, "environment": Environment},
    )
    rows = qs.values_list(*fields).iterator(chunk_size=CHUNK_SIZE)
    return (_read(row, words) for row in rows)


LEDGER_COLUMNS = [
    ("created_at", "Waktu"),
    ("kind", "Jenis"),
    ("description", "Keterangan"),
    ("amount", "Jumlah"),
    ("balance_after", "Saldo"),
]


def ledger_rows(qs: QuerySet) -> Iterator[tuple]:
    fields = [name for name, _label in LEDGER_COLUMNS]
    words = _worded(LEDGER_COLUMNS, {"kind": LedgerEntry.Kind})
    rows = qs.values_list(*fields).iterator(chunk_size=CHUNK_SIZE)
    return (_read(row, words) for row in rows)
