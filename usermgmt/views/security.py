"""Keamanan Akun: every partner user turns its own two-factor login on or off here and
renews its recovery codes. No menu right is needed, only a partner account."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from portal.lib.access import partner_required
from portal.lib.client_ip import client_ip
from usermgmt import selectors, services, totp
from usermgmt.forms import CodeForm, TwoFactorDisableForm
from usermgmt.views.enrolment import two_factor_enrol

SETUP_SECRET = "usermgmt.setup_secret"  # noqa: S105 - a session key, not a secret


def _next(request) -> str | None:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@partner_required()
@require_http_methods(["GET"])
def security(request):
    user = request.user
    two_factor = selectors.two_factor_of(user=user)
    return render(
        request,
        "usermgmt/security.html",
        {
            "two_factor": two_factor,
            "codes_left": selectors.recovery_codes_left(two_factor=two_factor)
            if two_factor
            else 0,
            "required": selectors.two_factor_required(partner_id=user.partner_id),
        },
    )


@sensitive_post_parameters("code")
@never_cache
@partner_required()
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """Scan the QR code, type the code it shows, and receive the recovery codes once."""
    user = request.user
    if selectors.two_factor_of(user=user) is not None:
        messages.info(request, _("Verifikasi dua langkah sudah aktif."))
        return redirect("usermgmt:security")
    secret = request.session.get(SETUP_SECRET)
    if not secret:
        secret = totp.secret_new()
        request.session[SETUP_SECRET] = secret

    def enabled() -> str | None:
        request.session.pop(SETUP_SECRET, None)
        return _next(request)

    return two_factor_enrol(
        request,
        user=user,
        secret=secret,
        template="usermgmt/two_factor_setup.html",
        context={
            "next": _next(request) or "",
            "required": selectors.two_factor_required(partner_id=user.partner_id),
        },
        on_enabled=enabled,
    )


@sensitive_post_parameters("password", "code")
@never_cache
@partner_required()
@require_http_methods(["GET", "POST"])
def two_factor_disable(request):
    """Turn two-factor login off: password and a code."""
    user = request.user
    if selectors.two_factor_of(user=user) is None:
        return redirect("usermgmt:security")
    form = TwoFactorDisableForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.two_factor_disable(
                user=user,
                password=form.cleaned_data["password"],
                code=form.cleaned_data["code"],
                ip=client_ip(request),
            )
        except services.UserManagementError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Verifikasi dua langkah dinonaktifkan."))
            return redirect("usermgmt:security")
    return render(
        request,
        "usermgmt/two_factor_disable.html",
        {
            "form": form,
            "required": selectors.two_factor_required(partner_id=user.partner_id),
        },
    )


@sensitive_post_parameters("code")
@never_cache
@partner_required()
@require_http_methods(["GET", "POST"])
def recovery_codes_regenerate(request):
    """Ten new recovery codes (the old ones stop working), after a current code."""
    user = request.user
    if selectors.two_factor_of(user=user) is None:
        return redirect("usermgmt:security")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.recovery_codes_regenerate(
                user=user, code=form.cleaned_data["code"], ip=client_ip(request)
            )
        except services.UserManagementError as exc:
            form.add_error("code", exc.message)
        else:
            return render(
                request,
                "usermgmt/recovery_codes.html",
                {"codes": codes, "continue_url": None, "just_enabled": False},
            )
    return render(request, "usermgmt/recovery_regenerate.html", {"form": form})
