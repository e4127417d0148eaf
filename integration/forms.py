"""The Request UAT form: product choice, the UAT document, logs (file or pasted) and
screenshots. Every file is checked by its content."""

from __future__ import annotations

import re

from django import forms
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integration import selectors
from integration.models import UatEvidence
from integration.services import LOG_KINDS, MAX_CALLS, Evidence
from portal.lib.kept_uploads import KeepsUploadsMixin
from portal.lib.params import param_text
from portal.lib.uploads import (
    JPEG_SIGNATURE,
    PDF_SIGNATURE,
    PNG_SIGNATURE,
    DocumentField,
    check_document,
)
from products.models import Category

MAX_LOG_BYTES = 1024 * 1024
LOG_EXTENSIONS = (".txt", ".json")
# Anything that looks like a tag: a log is data, never a page.
_MARKUP = re.compile(r"<\s*[a-zA-Z!/?]")
# C0 control characters other than tab, line feed and carriage return (and DEL).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

Kind = UatEvidence.Kind


def _too_big(size: int) -> forms.ValidationError:
    return forms.ValidationError(
        _("Log maksimal 1 MB (ukuran ini %(size).1f MB).")
        % {"size": size / (1024 * 1024)},
        code="too_big",
    )


def check_log_text(data: bytes) -> str:
    """Return the log as text if it is UTF-8 text without HTML markup, at most 1 MB."""
    if len(data) > MAX_LOG_BYTES:
        raise _too_big(len(data))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise forms.ValidationError(
            _("Log ditolak: isinya bukan teks UTF-8."), code="not_text"
        ) from None
    if _CONTROL.search(text):
        raise forms.ValidationError(
            _("Log ditolak: berisi karakter biner, bukan teks biasa."), code="not_text"
        )
    if _MARKUP.search(text):
        raise forms.ValidationError(
            _("Log ditolak: berisi kode HTML. Unggah log request/response apa adanya."),
            code="markup",
        )
    if not text.strip():
        raise forms.ValidationError(_("Log kosong."), code="empty")
    return text


class LogFileField(forms.FileField):
    """A log as a file: plain text (.txt / .json, UTF-8, ≤ 1 MB) or a JPG/PNG/PDF capture."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "help_text",
            gettext_lazy(
                "TXT/JSON (teks UTF-8, maks. 1 MB) atau JPG/PNG/PDF (maks. 5 MB)."
            ),
        )
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("accept", ".txt,.json,.pdf,.png,.jpg,.jpeg")

    def clean(self, data, initial=None):
        cleaned = super().clean(data, initial)
        if not cleaned or cleaned is initial or not hasattr(cleaned, "read"):
            return cleaned
        cleaned.seek(0)
        head = cleaned.read(8)
        if head.startswith((PDF_SIGNATURE, PNG_SIGNATURE, JPEG_SIGNATURE)):
            return check_document(cleaned)
        name = (cleaned.name or "").lower()
        extension = next((ext for ext in LOG_EXTENSIONS if name.endswith(ext)), None)
        if extension is None:
            raise forms.ValidationError(
                _(
                    "File ditolak: log harus berupa file teks .txt atau .json, atau "
                    "JPG/PNG/PDF."
                ),
                code="bad_type",
            )
        if cleaned.size > MAX_LOG_BYTES:
            raise _too_big(cleaned.size)
        cleaned.seek(0)
        text = check_log_text(cleaned.read())
        return ContentFile(text.encode("utf-8"), name=f"log{extension}")


class LogTextField(forms.CharField):
    """A log pasted as text; the same rules as a text file."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("strip", True)
        kwargs.setdefault(
            "widget",
            forms.Textarea(attrs={"rows": 4, "class": "font-monospace small"}),
        )
        super().__init__(*args, **kwargs)

    def clean(self, value):
        text = super().clean(value)
        if text:
            check_log_text(text.encode("utf-8"))
        return text


def _is_id(text: str) -> bool:
    # ASCII digits only ("²" is a digit to str.isdigit, not to int), at most a bigint.
    return text.isascii() and text.isdigit() and len(text) <= 18


class IdListField(forms.Field):
    """The ticked ids of a list of checkboxes rendered by a template (not by the widget).

    Only their shape is checked here; whose rows they are is the service's decision."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "invalid": gettext_lazy("Pilihan panggilan API tidak valid."),
        "too_many": gettext_lazy("Maksimal %(max)d panggilan API per Request UAT."),
    }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def to_python(self, value) -> list[int]:
        if not value:
            return []
        if not isinstance(value, list | tuple):
            value = [value]
        ids = []
        for item in value:
            text = str(item).strip()
            if not _is_id(text):
                raise forms.ValidationError(self.error_messages["invalid"], "invalid")
            ids.append(int(text))
        ids = list(dict.fromkeys(ids))
        if len(ids) > MAX_CALLS:
            raise forms.ValidationError(
                self.error_messages["too_many"] % {"max": MAX_CALLS}, "too_many"
            )
        return ids


def _screenshot_field(label) -> DocumentField:
    return DocumentField(label=label, required=False)


class UatRequestForm(KeepsUploadsMixin, forms.Form):
    """Gambar 43–44. Which pieces are required is the service's decision (it depends on the
    product); the form checks each file's content and that a log is given one way only."""

    category = forms.ModelChoiceField(
        queryset=Category.objects.order_by("position", "name"),
        to_field_name="slug",
        required=False,
        label=gettext_lazy("Kategori Produk"),
        empty_label=gettext_lazy("-- Semua Kategori --"),
    )
    product = forms.ModelChoiceField(
        queryset=None,
        to_field_name="code",
        label=gettext_lazy("Produk"),
        empty_label=gettext_lazy("-- Pilih Produk --"),
        error_messages={
            "invalid_choice": gettext_lazy(
                "Produk ini tidak dapat diajukan UAT: belum dipilih di menu Produk, atau "
                "UAT-nya sedang menunggu approval / sudah disetujui."
            ),
        },
    )
    document = DocumentField(label=gettext_lazy("Dokumen Hasil UAT"), required=False)
    inquiry_request_file = LogFileField(
        label=gettext_lazy("Log Request Inquiry"), required=False
    )
    inquiry_request_text = LogTextField(
        label=gettext_lazy("atau tempel Log Request Inquiry")
    )
    inquiry_response_file = LogFileField(
        label=gettext_lazy("Log Response Inquiry"), required=False
    )
    inquiry_response_text = LogTextField(
        label=gettext_lazy("atau tempel Log Response Inquiry")
    )
    payment_request_file = LogFileField(
        label=gettext_lazy("Log Request Payment"), required=False
    )
    payment_request_text = LogTextField(
        label=gettext_lazy("atau tempel Log Request Payment")
    )
    payment_response_file = LogFileField(
        label=gettext_lazy("Log Response Payment"), required=False
    )
    payment_response_text = LogTextField(
        label=gettext_lazy("atau tempel Log Response Payment")
    )
    inquiry_screenshot = _screenshot_field(gettext_lazy("Screenshot Aplikasi Inquiry"))
    payment_screenshot = _screenshot_field(gettext_lazy("Screenshot Aplikasi Payment"))
    # Development calls from the API log: ids of ApiLog rows to attach, and of calls
    # attached before (UatEvidenceCall) to take off when correcting a rejected request.
    api_calls = IdListField(label=gettext_lazy("Panggilan API Development"))
    detach_calls = IdListField(label=gettext_lazy("Lepas lampiran"))

    def __init__(self, *args, partner, uat_request=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The files a refused submission accepted come back with the next one.
        self.uploads_keep_for(partner_id=partner.pk, purpose="uat")
        self.uat_request = uat_request
        # Read before validation (it narrows the product choices); the field's own check
        # refuses a value that names no category.
        category = param_text(self.data, "category") if self.is_bound else None
        products = selectors.uat_products(partner=partner)
        if uat_request is not None:
            # Correcting a rejected request: its product is fixed.
            products = products.filter(pk=uat_request.product_id)
            self.initial.setdefault("product", uat_request.product.code)
            self.initial.setdefault("category", uat_request.product.category.slug)
        elif category:
            products = products.filter(category__slug=category)
        self.fields["product"].queryset = products
        self.fields["product"].label_from_instance = lambda p: f"{p.code} — {p.name}"
        for name in ("category", "product"):
            self.fields[name].widget.attrs["class"] = "form-select"

    @staticmethod
    def file_field(kind: str) -> str:
        """The form field that carries ``kind`` (logs: their file field)."""
        return f"{kind}_file" if kind in LOG_KINDS else kind

    def clean(self):
        cleaned = super().clean()
        for kind in LOG_KINDS:
            if cleaned.get(f"{kind}_file") and cleaned.get(f"{kind}_text"):
                self.add_error(
                    f"{kind}_text",
                    _("Pilih salah satu: unggah file log atau tempel teksnya."),
                )
        return cleaned

    def ticked(self, name: str) -> list[int]:
        """The ids ticked in ``name`` as far as they could be read (for redisplay)."""
        if not self.is_bound:
            return []
        if hasattr(self, "cleaned_data") and name in self.cleaned_data:
            return self.cleaned_data[name]
        raw = self.data.getlist(name) if hasattr(self.data, "getlist") else []
        return [int(v) for v in raw if _is_id(str(v))]

    def evidence(self) -> dict[str, Evidence]:
        data = self.cleaned_data
        items = {}
        for kind in Kind.values:
            if kind in LOG_KINDS:
                items[kind] = Evidence(
                    file=data.get(f"{kind}_file") or None,
                    text=data.get(f"{kind}_text") or "",
                )
            else:
                items[kind] = Evidence(file=data.get(kind) or None)
        return items
