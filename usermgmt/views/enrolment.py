"""Aktifkan Verifikasi Dua Langkah: the one enrolment flow. Keamanan Akun reaches it from the
menu; the login reaches it for a user of a partner that requires two-factor login and has none
yet. Each caller keeps the pending secret in its own place and says where to go afterwards."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from portal.lib.client_ip import client_ip
from usermgmt import services, totp
from usermgmt.forms import CodeForm

# wrong_code(form, exc) answers a wrong code with a page of its own, or None to show the error.
WrongCode = Callable[[CodeForm, services.UserManagementError], HttpResponse | None]


def setup_context(user, secret: str) -> dict:
    uri = totp.provisioning_uri(secret=secret, account=user.username)
    return {
        # segno draws only shapes, never the URI's text, so the SVG is safe as it is.
        "qr_svg": mark_safe(totp.qr_svg(uri)),  # noqa: S308
        "secret_display": totp.secret_display(secret),
    }


def _code_error(form: CodeForm, exc: services.UserManagementError) -> None:
    form.add_error("code", exc.message)


def two_factor_enrol(
    request,
    *,
    user,
    secret: str,
    template: str,
    context: dict,
    on_enabled: Callable[[], str | None],
    wrong_code: WrongCode = _code_error,
) -> HttpResponse:
    """Show the QR code and key of ``secret`` on ``template``; the code it shows turns
    two-factor login on and the recovery codes appear once, with a link to the URL that
    ``on_enabled()`` returns (it also tidies up the caller's pending state)."""
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.two_factor_enable(
                user=user,
                secret=secret,
                code=form.cleaned_data["code"],
                ip=client_ip(request),
            )
        except services.UserManagementError as exc:
            refused = wrong_code(form, exc)
            if refused is not None:
                return refused
        else:
            return render(
                request,
                "usermgmt/recovery_codes.html",
                {"codes": codes, "continue_url": on_enabled(), "just_enabled": True},
            )
    return render(
        request, template, {"form": form, **context, **setup_context(user, secret)}
    )
