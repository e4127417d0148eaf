"""Keep users of a partner that requires two-factor login on the set-up page until they have
set it up (for sessions that began before the owner turned the requirement on; new logins
are already stopped in the login step).

Add ``"usermgmt.middleware.TwoFactorRequiredMiddleware"`` to ``MIDDLEWARE`` after
``AuthenticationMiddleware`` and ``MessageMiddleware``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.deprecation import MiddlewareMixin
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from portal.middleware import PortalOnly
from usermgmt import selectors


def _open_paths() -> tuple[str, ...]:
    """Pages a user without two-factor login may still open: Keamanan Akun (where it is set
    up), logging out, static files and the language switch."""
    return (
        reverse("usermgmt:security"),
        reverse("usermgmt:two_factor_login"),
        reverse("accounts:logout"),
        "/" + settings.STATIC_URL.lstrip("/"),
        "/i18n/",
    )


class TwoFactorRequiredMiddleware(PortalOnly, MiddlewareMixin):
    def process_request(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.partner_id is not None
            and selectors.two_factor_required(partner_id=user.partner_id)
            and not request.path.startswith(_open_paths())
            and selectors.two_factor_of(user=user) is None
        ):
            messages.warning(
                request,
                _(
                    "Mitra Anda mewajibkan verifikasi dua langkah. Aktifkan terlebih "
                    "dahulu untuk melanjutkan."
                ),
            )
            setup = reverse("usermgmt:two_factor_setup")
            if request.method != "GET":
                return redirect(setup)
            return redirect(f"{setup}?{urlencode({'next': request.get_full_path()})}")
        return None
