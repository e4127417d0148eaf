"""Masukkan kode: the second step of the login for users with two-factor login, and the set-up
that users of a partner requiring it go through before their first page."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from portal.lib.client_ip import client_ip
from usermgmt import login, selectors, services, totp
from usermgmt.forms import LoginCodeForm
from usermgmt.views.enrolment import two_factor_enrol


def _back_to_login(request, message: str):
    login.pending_forget(request)
    messages.error(request, message)
    return redirect("accounts:login")


def _wrong_code(request, data: dict, form, exc: services.UserManagementError):
    """Count a wrong code; the login ends at the limit or while code entry is locked."""
    if exc.code == "locked":
        return _back_to_login(request, exc.message)
    if login.pending_failure(request, data) >= login.SESSION_FAILURE_LIMIT:
        return _back_to_login(
            request, _("Terlalu banyak kode yang salah. Silakan login kembali.")
        )
    form.add_error("code", exc.message)
    return None


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_login(request):
    pending = login.pending_get(request)
    if pending is None:
        messages.info(request, _("Sesi login telah berakhir. Silakan login kembali."))
        return redirect("accounts:login")
    user, data = pending
    if selectors.two_factor_of(user=user) is None:
        return _setup(request, user, data)
    form = LoginCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            kind = services.two_factor_verify(
                user=user, code=form.cleaned_data["code"], ip=client_ip(request)
            )
        except services.UserManagementError as exc:
            refused = _wrong_code(request, data, form, exc)
            if refused is not None:
                return refused
        else:
            if kind == "recovery":
                left = selectors.recovery_codes_left(two_factor=user.two_factor)
                messages.warning(
                    request,
                    _(
                        "Anda login dengan kode pemulihan; kode tersebut tidak dapat "
                        "digunakan lagi. Sisa kode pemulihan: %(left)d."
                    )
                    % {"left": left},
                )
            return redirect(login.pending_complete(request, user, data))
    return render(
        request, "usermgmt/two_factor_login.html", {"form": form, "pending_user": user}
    )


def _setup(request, user, data):
    """The partner requires two-factor login and this user has none yet: set it up now,
    then log in and show the recovery codes once."""
    secret = data.get("secret")
    if not secret:
        secret = totp.secret_new()
        data = login.pending_update(request, data, secret=secret)
    return two_factor_enrol(
        request,
        user=user,
        secret=secret,
        template="usermgmt/two_factor_login_setup.html",
        context={"pending_user": user},
        on_enabled=lambda: login.pending_complete(request, user, data),
        wrong_code=lambda form, exc: _wrong_code(request, data, form, exc),
    )
