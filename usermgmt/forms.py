"""Forms of Manajemen User and Keamanan Akun: parse and normalise what was typed."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from accounts.forms import PASSWORD_MAX_LENGTH, clean_phone_value
from accounts.models import User
from portal.lib.access import Menu
from usermgmt.rights import (
    CUSTOM,
    LEVEL_CHOICES,
    ROLE_CHOICES,
    Rights,
    rights_clean,
    rights_exceeding,
    rights_of,
    role_of,
)

STATUS_CHOICES = [("1", gettext_lazy("Aktif")), ("0", gettext_lazy("Nonaktif"))]


def right_field(menu: str) -> str:
    return f"right_{menu}"


def _password_field(label, *, required: bool, help_text=None) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=PASSWORD_MAX_LENGTH,
        strip=False,
        required=required,
        help_text=help_text,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class SubUserForm(forms.Form):
    """Tambah Data / Edit: the user's data and its Hak Akses Akun.

    The role select only pre-fills the matrix (in the browser); the matrix is what is stored.
    ``actor`` is the user filling the form: no menu may be granted above what it holds.
    """

    username = forms.CharField(
        label=pgettext_lazy("manual", "Username"),
        required=False,
        disabled=True,
        help_text=gettext_lazy("Diatur otomatis oleh sistem."),
    )
    name = forms.CharField(label=gettext_lazy("Nama"), max_length=150)
    email = forms.EmailField(
        label=gettext_lazy("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=gettext_lazy("No. Telepon"),
        max_length=24,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    password1 = _password_field(
        pgettext_lazy("manual", "Password"),
        required=True,
        help_text=gettext_lazy(
            "Minimal 8 karakter; jangan gunakan password yang umum."
        ),
    )
    password2 = _password_field(gettext_lazy("Konfirmasi Password"), required=True)
    is_active = forms.TypedChoiceField(
        label=gettext_lazy("Status"),
        choices=STATUS_CHOICES,
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        initial="1",
    )
    role = forms.ChoiceField(
        label=gettext_lazy("Hak Akses Akun"),
        choices=ROLE_CHOICES,
        initial=CUSTOM,
        required=False,
    )

    def __init__(self, *args, actor: User, instance: User | None = None, **kwargs):
        self.actor = actor
        self.instance = instance
        initial = kwargs.setdefault("initial", {})
        if instance is not None:
            initial.setdefault("username", instance.username)
            initial.setdefault("name", instance.name)
            initial.setdefault("email", instance.email)
            initial.setdefault("phone", instance.phone)
            initial.setdefault("is_active", "1" if instance.is_active else "0")
            held = rights_clean(instance.access_rights)
            initial.setdefault("role", role_of(held))
            for menu in Menu:
                initial.setdefault(right_field(menu.value), held.get(menu.value, ""))
        super().__init__(*args, **kwargs)
        for menu in Menu:
            self.fields[right_field(menu.value)] = forms.ChoiceField(
                label=menu.label,
                choices=LEVEL_CHOICES,
                required=False,
                initial="",
                widget=forms.RadioSelect,
            )
        if instance is None:
            del self.fields["is_active"]
        else:
            # Leave both empty to keep the current password.
            for name in ("password1", "password2"):
                self.fields[name].required = False
            self.fields["password1"].help_text = gettext_lazy(
                "Kosongkan jika password tidak diubah."
            )

    @property
    def right_fields(self):
        return [self[right_field(menu.value)] for menu in Menu]

    @property
    def actor_rights(self) -> Rights:
        return rights_of(self.actor)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if len(name) < 2:
            raise forms.ValidationError(_("Nama minimal 2 huruf."))
        return name

    def _others(self):
        others = User.objects.all()
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        return others

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if self._others().filter(email__iexact=email).exists():
            raise forms.ValidationError(_("Email sudah digunakan."))
        return email

    def clean_phone(self):
        phone = clean_phone_value(self.cleaned_data["phone"])
        if self._others().filter(phone=phone).exists():
            raise forms.ValidationError(_("Nomor telepon sudah digunakan."))
        return phone

    def clean(self):
        cleaned = super().clean()
        self._clean_password(cleaned)
        self._clean_rights(cleaned)
        return cleaned

    def _clean_password(self, cleaned):
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password1 != password2:
            self.add_error(
                "password2", _("Konfirmasi password tidak sama dengan password.")
            )
        elif password2 and not password1:
            self.add_error("password1", _("Isi password baru."))
        if password1:
            probe = User(
                username=self.instance.username if self.instance else "",
                name=cleaned.get("name", ""),
                email=cleaned.get("email", ""),
                phone=cleaned.get("phone", ""),
            )
            try:
                password_validation.validate_password(password1, probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)

    def _clean_rights(self, cleaned):
        rights = self.rights()
        if not rights:
            self.add_error("role", _("Pilih minimal satu hak akses."))
            return
        for menu in rights_exceeding(granted=rights, holder=self.actor_rights):
            self.add_error(
                right_field(menu),
                _(
                    "Anda tidak dapat memberikan hak akses melebihi hak akses Anda "
                    "sendiri."
                ),
            )

    def rights(self) -> Rights:
        return rights_clean(
            {
                menu.value: self.cleaned_data.get(right_field(menu.value), "")
                for menu in Menu
            }
        )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Kode verifikasi"),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "spellcheck": "false",
            }
        ),
    )

    def clean_code(self):
        return " ".join(self.cleaned_data["code"].split())


class LoginCodeForm(CodeForm):
    """Masukkan kode: the 6 digits of the authenticator, or a recovery code."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = gettext_lazy(
            "6 digit kode dari aplikasi authenticator, atau salah satu kode pemulihan."
        )
        self.fields["code"].widget.attrs["inputmode"] = "text"


class TwoFactorDisableForm(CodeForm):
    password = forms.CharField(
        label=pgettext_lazy("manual", "Password"),
        max_length=PASSWORD_MAX_LENGTH,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    field_order = ["password", "code"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.pop("autofocus", None)
        self.fields["code"].help_text = gettext_lazy(
            "Kode dari aplikasi authenticator, atau salah satu kode pemulihan."
        )


class TwoFactorPolicyForm(forms.Form):
    required = forms.TypedChoiceField(
        label=gettext_lazy("Wajibkan verifikasi dua langkah untuk semua user"),
        choices=STATUS_CHOICES,
        coerce=lambda value: value == "1",
    )
