from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from accounts import services
from accounts.models import Partner, User
from portal.lib.phone import normalize_phone

PASSWORD_MAX_LENGTH = 128
# "Password" as the manual names it; without a context Django's own Indonesian catalogue would
# turn the label into "Sandi".
PASSWORD_LABEL = pgettext_lazy("form field", "Password")


def clean_phone_value(value: str) -> str:
    phone = normalize_phone(value)
    if phone is None:
        raise forms.ValidationError(
            _(
                "Nomor handphone harus nomor seluler Indonesia, misalnya 0812 3456 7890 "
                "atau +62 812 3456 7890."
            )
        )
    return phone


class RegistrationForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Nama Lengkap"), max_length=150)
    kind = forms.ChoiceField(
        label=gettext_lazy("Jenis Mitra"),
        choices=Partner.Kind.choices,
        widget=forms.RadioSelect,
    )
    company_name = forms.CharField(
        label=gettext_lazy("Nama Perusahaan"),
        max_length=150,
        required=False,
        help_text=gettext_lazy("Wajib diisi untuk jenis mitra Perusahaan."),
    )
    phone = forms.CharField(
        label=gettext_lazy("Nomor Handphone"),
        max_length=24,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=gettext_lazy("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = forms.CharField(
        label=PASSWORD_LABEL,
        max_length=PASSWORD_MAX_LENGTH,
        strip=False,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "new-password"}, render_value=True
        ),
        help_text=gettext_lazy(
            "Minimal 8 karakter; jangan gunakan password yang umum."
        ),
    )
    password2 = forms.CharField(
        label=gettext_lazy("Konfirmasi Password"),
        max_length=PASSWORD_MAX_LENGTH,
        strip=False,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "new-password"}, render_value=True
        ),
    )

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if len(name) < 2:
            raise forms.ValidationError(_("Nama lengkap minimal 2 huruf."))
        return name

    def clean_company_name(self):
        return " ".join(self.cleaned_data["company_name"].split())

    def clean_phone(self):
        return clean_phone_value(self.cleaned_data["phone"])

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Partner.Kind.PERUSAHAAN and not cleaned.get(
            "company_name"
        ):
            self.add_error(
                "company_name",
                _("Nama perusahaan wajib diisi untuk jenis mitra Perusahaan."),
            )
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error(
                "password2", _("Konfirmasi password tidak sama dengan password.")
            )
        if password1:
            probe = User(
                username="",
                name=cleaned.get("name", ""),
                email=cleaned.get("email", ""),
                phone=cleaned.get("phone", ""),
            )
            try:
                password_validation.validate_password(password1, probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned

    def registration(self) -> services.Registration:
        data = self.cleaned_data
        return services.Registration(
            name=data["name"],
            kind=data["kind"],
            company_name=data["company_name"]
            if data["kind"] == Partner.Kind.PERUSAHAAN
            else "",
            phone=data["phone"],
            email=data["email"],
            password=data["password1"],
        )


class LoginForm(forms.Form):
    identifier = forms.CharField(
        label=gettext_lazy("Nomor Handphone atau Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=PASSWORD_LABEL,
        max_length=PASSWORD_MAX_LENGTH,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, ip: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.ip = ip  # the client's, for the audit event of a lock
        self.user = None
        self.error_code = None

    def clean(self):
        cleaned = super().clean()
        identifier, password = cleaned.get("identifier"), cleaned.get("password")
        if not identifier or not password:
            return cleaned
        try:
            self.user = services.login_verify(
                identifier=identifier, password=password, ip=self.ip
            )
        except services.AccountError as exc:
            self.error_code = exc.code
            raise forms.ValidationError(exc.message, code=exc.code) from exc
        if not self.user.is_verified and not self.user.is_staff:
            self.error_code = "unverified"
            raise forms.ValidationError(
                _(
                    "Email Anda belum diverifikasi. Buka email aktivasi yang kami kirim, atau "
                    "gunakan Kirim Ulang untuk menerima email baru."
                ),
                code="unverified",
            )
        return cleaned


class ResendByEmailForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Email terdaftar"), max_length=254)

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class SetPasswordForm(auth_forms.SetPasswordForm):
    """Django's new-password form (reset link), labelled with the manual's "Password"."""

    error_messages = {
        "password_mismatch": gettext_lazy(
            "Konfirmasi password tidak sama dengan password baru."
        ),
    }
    new_password1, new_password2 = auth_forms.SetPasswordMixin.create_password_fields(
        label1=gettext_lazy("Password Baru"),
        label2=gettext_lazy("Konfirmasi Password Baru"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password2"].help_text = gettext_lazy(
            "Ketik ulang password baru yang sama."
        )


class PasswordChangeForm(SetPasswordForm, auth_forms.PasswordChangeForm):
    """Django's change form (Ubah Password), labelled with the manual's "Password"."""

    error_messages = {
        **SetPasswordForm.error_messages,
        "password_incorrect": gettext_lazy(
            "Password lama salah. Silakan masukkan lagi."
        ),
    }
    old_password = forms.CharField(
        label=gettext_lazy("Password Lama"),
        strip=False,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "current-password", "autofocus": True}
        ),
    )
    field_order = ["old_password", "new_password1", "new_password2"]


class PasswordResetForm(DjangoPasswordResetForm):
    """Django's reset form, with links built from SITE_URL and sent through the outbox."""

    email = forms.EmailField(
        label=gettext_lazy("Email terdaftar"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def save(self, **kwargs):
        email = self.cleaned_data["email"]
        for user in self.get_users(email):
            path = reverse(
                "accounts:password_reset_confirm",
                kwargs={
                    "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                    "token": default_token_generator.make_token(user),
                },
            )
            services.password_reset_email(user=user, reset_url=settings.SITE_URL + path)
