from django import template

from billing.formatting import format_rupiah

register = template.Library()


@register.filter
def rupiah(value) -> str:
    """``{{ 1250000|rupiah }}`` → ``Rp 1.250.000``."""
    return format_rupiah(value)


@register.filter
def rupiah_signed(value) -> str:
    """Ledger amounts with an explicit sign: ``+Rp 100.000`` / ``-Rp 5.000``."""
    text = format_rupiah(value)
    try:
        positive = int(value) > 0
    except (TypeError, ValueError):
        return text
    return f"+{text}" if positive else text
