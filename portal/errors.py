"""The 403, 404 and 500 pages: what happened and where to go, in the user's language.

A partner's user sees them inside the portal layout (sidebar and all); anyone else in the
logged-out layout. The 500 page depends on nothing that may have caused the error: no database,
no context processors, no request.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.http import HttpResponseNotFound, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse

from portal.lib.access import MissingRight
from portal.lib.navigation import home_url

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

PORTAL_LAYOUT = "portal/layout.html"
PUBLIC_LAYOUT = "accounts/auth_base.html"


def _is_member(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and user.partner_id)


def _context(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        back_url = home_url(user)
    else:
        back_url = reverse("accounts:login")
    return {
        "layout": PORTAL_LAYOUT if _is_member(request) else PUBLIC_LAYOUT,
        "back_url": back_url,
    }


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    context = _context(request)
    if isinstance(exception, MissingRight) and _is_member(request):
        owner = request.user.partner.owner
        context.update(
            missing_menu=exception.menu.label,
            missing_level=exception.level.label,
            # Only the name of one's own partner's owner: no contact details are shown.
            owner_name=owner.name if owner and owner != request.user else "",
        )
    return render(request, "403.html", context, status=403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return HttpResponseNotFound(
        loader.render_to_string("404.html", _context(request), request=request)
    )


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        body = loader.get_template("500.html").render()
    except Exception:  # noqa: BLE001 - the error page itself must never fail
        logger.exception("the 500 page could not be rendered")
        body = "<h1>500</h1>"
    return HttpResponseServerError(body)
