from django import template

from billing.models import Transaction

register = template.Library()


@register.filter
def status_label(value: str) -> str:
    """The label of a transaction status value in the active language ("sukses" is shown
    as "Sukses", or "Success" in English)."""
    return Transaction.Status(value).label
