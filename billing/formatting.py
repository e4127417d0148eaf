"""Rupiah as Indonesians write it: ``Rp 1.250.000`` (dot as the thousands separator)."""

from __future__ import annotations


def format_rupiah(value, *, symbol: bool = True) -> str:
    """``1250000`` → ``Rp 1.250.000``; negative amounts get a leading minus (``-Rp 5.000``).

    Amounts are whole rupiah; anything that is not a number is shown as ``-``.
    """
    if value is None or value == "":
        return "-"
    try:
        number = int(value)
    except (TypeError, ValueError):
        return "-"
    digits = f"{abs(number):,}".replace(",", ".")
    text = f"Rp {digits}" if symbol else digits
    return f"-{text}" if number < 0 else text
