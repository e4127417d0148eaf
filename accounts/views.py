from datetime import UTC, datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from accounts import selectors, services
from accounts.forms import (
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    RegistrationForm,
    ResendByEmailForm,
    SetPasswordForm,
)
from accounts.models import User
from accounts.tokens import ActivationLinkError
from portal.lib.client_ip import client_ip
from portal.lib.navigation import home_url
from portal.lib.params import safe_next
from usermgmt.login import two_factor_login_begin

# The address waiting for activation, as this browser knows it; the account's id only when this
# browser has shown the account is its own (it registered it, or typed its password); and the
# times this browser was told an activation email went out (for visitors, see
# services.activation_resend_for_visitor).
SESSION_PENDING_EMAIL = "accounts.pending_email"
SESSION_PENDING_USER = "accounts.pending_user"
SESSION_SENT = "accounts.activation_sent"


def _pending_remember(request, *, email: str, user: User | None, sent: bool) -> None:
    request.session[SESSION_PENDING_EMAIL] = email
    request.session[SESSION_PENDING_USER] = user.pk if user is not None else None
    request.session[SESSION_SENT] = [timezone.now().timestamp()] if sent else []


def _pending_forget(request) -> None:
    for key in (SESSION_PENDING_EMAIL, SESSION_PENDING_USER, SESSION_SENT):
        request.session.pop(key, None)


def _posted(request):
    """The submitted data of a POST (even an empty one, so that it is validated), else None."""
    return request.POST if request.method == "POST" else None


def _safe_next(request, user) -> str:
    """``next`` when it is a page of this site, else the user's first page."""
    target = request.POST.get("next") or request.GET.get("next")
    return safe_next(request, target) or home_url(user)


@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect(home_url(request.user))
    form = RegistrationForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        user = services.partner_register(data=form.registration())
        # The same answer whether or not the phone or email was already registered.
        _pending_remember(
            request, email=form.cleaned_data["email"], user=user, sent=True
        )
        return redirect("accounts:verify_email")
    return render(request, "accounts/register.html", {"form": form})


@require_http_methods(["GET", "POST"])
def verify_email(request):
    """Gambar 4: "check your email", with Kirim Ulang."""
    email = request.session.get(SESSION_PENDING_EMAIL)
    form = ResendByEmailForm(_posted(request), initial={"email": email})
    if request.method == "POST":
        if email is None and form.is_valid():
            email = form.cleaned_data["email"]
            _pending_remember(request, email=email, user=None, sent=False)
        if email is not None:
            try:
                next_at = _resend(request, email)
                messages.success(request, _resent_message(email, next_at))
            except services.AccountError as exc:
                if exc.code == "verified":
                    messages.info(request, exc.message)
                    return redirect("accounts:login")
                messages.warning(request, exc.message)
            return redirect("accounts:verify_email")
    return render(request, "accounts/verify_email.html", {"email": email, "form": form})


def _resend(request, email: str) -> datetime | None:
    """Kirim Ulang: the account's own limits for its owner; for anyone else the same answers,
    counted on this browser's sends, so that they never tell whether the account exists.
    Returns when the next Kirim Ulang may go (None: at once)."""
    user_pk = request.session.get(SESSION_PENDING_USER)
    user = User.objects.filter(pk=user_pk).first() if user_pk else None
    if user is not None:
        services.activation_resend(user=user)
        return services.activation_resend_available_at(user=user)
    sent = [
        datetime.fromtimestamp(moment, tz=UTC)
        for moment in request.session.get(SESSION_SENT, [])
    ]
    sent = services.activation_resend_for_visitor(email=email, sent=sent)
    request.session[SESSION_SENT] = [moment.timestamp() for moment in sent]
    return services.activation_resend_next(sent=sent, now=timezone.now())


def _resent_message(email: str, next_at: datetime | None) -> str:
    """That the email went again, and when Kirim Ulang may be pressed next."""
    if next_at is None:
        return _("Email aktivasi telah dikirim ulang ke %(email)s.") % {"email": email}
    return _(
        "Email aktivasi telah dikirim ulang ke %(email)s. Periksa juga folder spam; bila "
        "belum diterima, Kirim Ulang dapat digunakan lagi pukul %(time)s WIB."
    ) % {
        "email": email,
        "time": timezone.localtime(next_at).strftime("%H:%M:%S"),
    }


@never_cache
@require_http_methods(["GET", "POST"])
def activate(request, token):
    """Gambar 6: the link of the activation email opens a page whose button (a POST)
    activates. Mail systems' link scanners open every link with a GET, so a GET only says
    whether the link is still good and changes nothing."""
    try:
        user = selectors.activation_link_user(token=token)
    except ActivationLinkError as exc:
        return _activation_failed(request, reason=exc.reason)
    if request.method == "GET":
        return render(request, "accounts/activation_confirm.html", {"pending": user})
    try:
        user = services.account_activate(token=token)
    except services.AccountError as exc:
        # Used in another tab since this page was opened.
        return _activation_failed(request, reason=exc.code)
    _pending_forget(request)
    return render(request, "accounts/activation_done.html", {"activated_user": user})


def _activation_failed(request, *, reason: str):
    """Why the link no longer works, with a form asking for a new one (its POST sends it)."""
    posted = request.POST if "email" in request.POST else None
    form = ResendByEmailForm(posted)
    if posted is not None and form.is_valid():
        services.activation_resend_by_email(email=form.cleaned_data["email"])
        messages.success(
            request,
            _(
                "Jika email tersebut terdaftar dan belum diaktivasi, email aktivasi baru "
                "telah dikirim."
            ),
        )
        return redirect("accounts:login")
    return render(
        request, "accounts/activation_failed.html", {"reason": reason, "form": form}
    )


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login(request):
    if request.user.is_authenticated:
        return redirect(_safe_next(request, request.user))
    form = LoginForm(_posted(request), ip=client_ip(request))
    if request.method == "POST":
        if form.is_valid():
            # Users with two-factor login (or whose partner requires it) are logged in only
            # after the code step of usermgmt.
            code_step = two_factor_login_begin(
                request, user=form.user, next_url=_safe_next(request, form.user)
            )
            if code_step is not None:
                return code_step
            auth_login(request, form.user, backend=settings.AUTHENTICATION_BACKENDS[0])
            return redirect(_safe_next(request, form.user))
        if form.error_code == "unverified":
            _pending_remember(
                request, email=form.user.email, user=form.user, sent=False
            )
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
    )


class LogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("accounts:login")


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # The new password changes the session hash, which ends every other session; the
        # lock that many failures may have put on the account is lifted too.
        services.login_locks_clear(user=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"

    def get_success_url(self):
        # The user's first page: a sub-user without the Dashboard right would get a 403 there.
        return home_url(self.request.user)

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Password berhasil diubah."))
        return response
