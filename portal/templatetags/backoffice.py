"""Tags of the back-office templates."""

from django import template

from portal.lib.backoffice import review_queue

register = template.Library()


@register.simple_tag(takes_context=True)
def review_queue_rows(context):
    """The "Menunggu keputusan" rows for the signed-in staff member (admin home)."""
    return review_queue(user=context["request"].user)
