from django import template

register = template.Library()


@register.filter
def rupiah(value) -> str:
    """``1250000`` → ``Rp 1.250.000`` (whole rupiah, dot as the thousands separator)."""
    try:
        amount = int(value)
    except (TypeError, ValueError):
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {abs(amount):,}".replace(",", ".")
