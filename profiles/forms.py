"""The "Lengkapi Data" / "Ubah Data" form: parses and normalises what the partner typed; the
rules of what is saved where live in ``services.profile_save``."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Partner
from portal.lib.kept_uploads import KeepsUploadsMixin
from portal.lib.phone import normalize_phone
from portal.lib.uploads import DocumentField
from profiles import validators
from profiles.fields import field_label
from profiles.models import (
    OPTIONAL_DOCUMENTS,
    OPTIONAL_FIELDS,
    PERUSAHAAN_FIELDS,
    PRIBADI_FIELDS,
    BusinessForm,
    document_kinds,
    document_label,
)

_BLANK = [("", gettext_lazy("— Pilih —"))]


def _text(max_length: int, **attrs) -> forms.CharField:
    return forms.CharField(
        max_length=max_length, widget=forms.TextInput(attrs=attrs or None)
    )


class ProfileForm(KeepsUploadsMixin, forms.Form):
    full_name = _text(150, autocomplete="name")
    nik = _text(24, inputmode="numeric", placeholder=gettext_lazy("16 digit"))
    npwp = _text(24, inputmode="numeric", placeholder=gettext_lazy("15 atau 16 digit"))
    birth_place = _text(100)
    birth_date = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"],
    )
    company_name = _text(150, autocomplete="organization")
    business_form = forms.ChoiceField(choices=_BLANK + BusinessForm.choices)
    business_form_other = _text(60)
    nib = _text(20, inputmode="numeric", placeholder="13 digit")
    address = forms.CharField(max_length=300, widget=forms.Textarea(attrs={"rows": 3}))
    city = _text(100)
    province = forms.ChoiceField(choices=_BLANK + validators.PROVINCE_CHOICES)
    postal_code = _text(10, inputmode="numeric", placeholder="5 digit")
    phone = _text(24, inputmode="tel", autocomplete="tel")
    website = forms.URLField(
        max_length=200,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    position = _text(100)
    tech_name = _text(150)
    tech_email = forms.EmailField(max_length=254)
    tech_phone = _text(24, inputmode="tel")

    GROUPS = {
        Partner.Kind.PRIBADI: [
            (
                gettext_lazy("Data Pribadi"),
                ["full_name", "nik", "npwp", "birth_place", "birth_date"],
            ),
            (
                gettext_lazy("Alamat & Kontak"),
                ["address", "city", "province", "postal_code", "phone"],
            ),
        ],
        Partner.Kind.PERUSAHAAN: [
            (
                gettext_lazy("Data Perusahaan"),
                [
                    "company_name",
                    "business_form",
                    "business_form_other",
                    "nib",
                    "npwp",
                    "address",
                    "city",
                    "province",
                    "postal_code",
                    "phone",
                    "website",
                ],
            ),
            (gettext_lazy("Penanggung Jawab"), ["full_name", "position", "nik"]),
            (gettext_lazy("PIC Teknis"), ["tech_name", "tech_email", "tech_phone"]),
        ],
    }

    def __init__(
        self,
        *args,
        partner_kind: str,
        submit: bool,
        existing_documents: set[str] = frozenset(),
        partner_id: int | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        if partner_id is not None:
            # The documents a refused submission accepted come back with the next one.
            self.uploads_keep_for(partner_id=partner_id, purpose="profile")
        self.partner_kind = partner_kind
        self.submit = submit
        names = (
            PERUSAHAAN_FIELDS
            if partner_kind == Partner.Kind.PERUSAHAAN
            else PRIBADI_FIELDS
        )
        for name in list(self.fields):
            if name not in names:
                del self.fields[name]
        for name, formfield in self.fields.items():
            label = field_label(name, partner_kind)
            formfield.label = label
            # A draft may be saved half-filled; "Simpan" needs everything but the optional.
            formfield.required = submit and name not in OPTIONAL_FIELDS
            formfield.error_messages["required"] = _("%(label)s wajib diisi.") % {
                "label": label
            }
        if "business_form_other" in self.fields:
            self.fields["business_form_other"].help_text = _(
                "Diisi jika bentuk usaha Lainnya."
            )
        for kind in document_kinds(partner_kind):
            required = (
                submit
                and kind not in OPTIONAL_DOCUMENTS
                and kind not in existing_documents
            )
            label = document_label(kind, partner_kind)
            documentfield = DocumentField(label=label, required=required)
            documentfield.error_messages["required"] = _(
                "Dokumen %(label)s wajib diunggah."
            ) % {"label": label}
            if kind in OPTIONAL_DOCUMENTS:
                documentfield.help_text = _(
                    "Opsional. JPG, PNG atau PDF, maksimal 5 MB."
                )
            self.fields[self.document_field(kind)] = documentfield

    @staticmethod
    def document_field(kind: str) -> str:
        return f"doc_{kind}"

    def groups(self):
        """(title, bound fields) per section of the page."""
        return [
            (title, [self[name] for name in names if name in self.fields])
            for title, names in self.GROUPS[self.partner_kind]
        ]

    def document_fields(self):
        return [
            (kind, self[self.document_field(kind)])
            for kind in document_kinds(self.partner_kind)
        ]

    # --- normalising ------------------------------------------------------------------

    def _clean_with(self, name: str, cleaner, **kwargs) -> str:
        value = (self.cleaned_data.get(name) or "").strip()
        if not value:
            return ""
        return cleaner(value, **kwargs)

    def clean_full_name(self):
        return " ".join(self.cleaned_data["full_name"].split())

    def clean_company_name(self):
        return " ".join(self.cleaned_data["company_name"].split())

    def clean_nik(self):
        return self._clean_with(
            "nik", validators.clean_nik, label=field_label("nik", self.partner_kind)
        )

    def clean_npwp(self):
        return self._clean_with(
            "npwp",
            validators.clean_npwp,
            label=field_label("npwp", self.partner_kind),
        )

    def clean_nib(self):
        return self._clean_with("nib", validators.clean_nib)

    def clean_postal_code(self):
        return self._clean_with("postal_code", validators.clean_postal_code)

    def clean_phone(self):
        return self._clean_with("phone", validators.clean_telephone)

    def clean_tech_phone(self):
        value = (self.cleaned_data.get("tech_phone") or "").strip()
        if not value:
            return ""
        phone = normalize_phone(value)
        if phone is None:
            raise forms.ValidationError(
                _(
                    "Nomor handphone PIC teknis harus nomor seluler Indonesia, misalnya "
                    "0812 3456 7890."
                )
            )
        return phone

    def clean_tech_email(self):
        return (self.cleaned_data.get("tech_email") or "").strip().lower()

    def clean_birth_date(self):
        value = self.cleaned_data.get("birth_date")
        if value is None:
            return None
        if value > datetime.date.today() or value.year < 1900:
            raise forms.ValidationError(_("Tanggal lahir tidak valid."))
        return value

    def clean(self):
        cleaned = super().clean()
        if self.partner_kind == Partner.Kind.PERUSAHAAN:
            if cleaned.get("business_form") == BusinessForm.LAINNYA:
                if self.submit and not cleaned.get("business_form_other"):
                    self.add_error(
                        "business_form_other",
                        _("Sebutkan bentuk usaha jika memilih Lainnya."),
                    )
            else:
                cleaned["business_form_other"] = ""
        else:
            nik, birth_date = cleaned.get("nik"), cleaned.get("birth_date")
            if (
                nik
                and birth_date
                and not validators.nik_matches_birth_date(nik, birth_date)
            ):
                self.add_error(
                    "nik",
                    _(
                        "Tanggal lahir pada NIK (digit ke-7 sampai ke-12) tidak sesuai "
                        "dengan tanggal lahir yang diisi."
                    ),
                )
        return cleaned

    # --- what the service receives -----------------------------------------------------

    def profile_data(self) -> dict:
        data = {}
        for name in self.fields:
            if name.startswith("doc_"):
                continue
            value = self.cleaned_data.get(name)
            data[name] = value if value is not None or name == "birth_date" else ""
        return data

    def documents(self) -> dict:
        return {
            kind: self.cleaned_data[self.document_field(kind)]
            for kind in document_kinds(self.partner_kind)
            if self.cleaned_data.get(self.document_field(kind))
        }


class SuspendForm(forms.Form):
    """The reason staff give when suspending a partner (emailed to it)."""

    reason = forms.CharField(
        label=gettext_lazy("Alasan penonaktifan"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=gettext_lazy("Dikirim ke mitra melalui email."),
    )
