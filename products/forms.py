from django import forms
from django.utils.translation import gettext_lazy as _

from products.csvio import MAX_IMPORT_BYTES, CsvFormatError, CsvRow, decode, read_table
from products.models import Category, PartnerProduct, Product


def _category_field(**kwargs) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=Category.objects.order_by("position", "name"),
        to_field_name="slug",
        required=False,
        label=_("Kategori Produk"),
        **kwargs,
    )


class CategoryForm(forms.Form):
    """The drop-down of Tambah Produk (GET)."""

    category = _category_field(empty_label=_("-- Pilih Kategori --"))


class ChooseProductsForm(forms.Form):
    """The checked products of one category (Simpan)."""

    category = _category_field(widget=forms.HiddenInput)
    products = forms.ModelMultipleChoiceField(
        queryset=Product.objects.all(),
        to_field_name="code",
        label=_("Produk"),
        error_messages={
            "required": _("Pilih minimal satu produk terlebih dahulu."),
            "invalid_choice": _("Produk %(value)s tidak ada di katalog."),
        },
    )


class PartnerProductFilterForm(forms.Form):
    """Filters of Produk Anda (GET)."""

    category = _category_field(
        empty_label=_("Semua kategori"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    state = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Semua status")), *PartnerProduct.State.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class PriceImportForm(forms.Form):
    """Back-office price import: a CSV with ``kode`` and ``harga`` and/or ``admin``."""

    file = forms.FileField(
        label=_("File CSV harga"),
        help_text=_(
            "Kolom wajib: kode, dan harga dan/atau admin (rupiah utuh). Pemisah koma atau "
            "titik koma, UTF-8, maksimal 1 MB. Kolom lain diabaikan, jadi file hasil Ekspor "
            "dapat diubah lalu diimpor kembali."
        ),
    )

    def clean_file(self) -> list[CsvRow]:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("Ukuran file maksimal 1 MB."))
        try:
            header, rows = read_table(decode(upload.read()))
        except CsvFormatError as exc:
            raise forms.ValidationError(
                _("File tidak dapat dibaca: %(why)s.") % {"why": exc}
            ) from exc
        if "kode" not in header or not ({"harga", "admin"} & set(header)):
            raise forms.ValidationError(
                _("Baris judul harus memuat kolom kode dan harga dan/atau admin.")
            )
        if not rows:
            raise forms.ValidationError(_("File tidak berisi baris harga."))
        return rows
