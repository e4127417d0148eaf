"""The sections of the documentation menu, in the manual's order (Gambar 23)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# The Indonesian pages; a translation of a page lives in a sub-directory named after its
# language (pages/en/revisi.md) and keeps the original's block markers and wire values.
PAGES_DIR = Path(__file__).resolve().parent / "pages"


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    icon: str

    @property
    def path(self) -> Path:
        """The page in the active language, or the Indonesian original when the page has
        no translation in that language."""
        language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
        if language != settings.LANGUAGE_CODE:
            translated = PAGES_DIR / language / f"{self.slug}.md"
            if translated.is_file():
                return translated
        return PAGES_DIR / f"{self.slug}.md"


SECTIONS: tuple[Section, ...] = (
    Section("revisi", _("Revisi"), "clock-history"),
    Section("authentikasi", _("Authentikasi"), "shield-lock"),
    Section("sign-on", _("Sign On"), "box-arrow-in-right"),
    Section("inquiry", _("Inquiry"), "search"),
    Section("payment", _("Payment"), "credit-card"),
    Section("single-payment", _("Single Payment"), "phone"),
    Section("check-status", _("Check Status"), "arrow-repeat"),
    Section("callback", _("Callback"), "reply"),
    Section("daftar-harga-pulsa", _("Daftar Harga Pulsa"), "tags"),
    Section("cek-deposit", _("Cek Deposit"), "wallet2"),
    Section("cek-status-produk", _("Cek Status Produk"), "activity"),
    Section("daftar-produk", _("Daftar Produk"), "grid"),
    Section("daftar-kode-response", _("Daftar Kode Response"), "list-ol"),
    Section("nomor-development", _("Nomor Development"), "telephone"),
)
BY_SLUG = {section.slug: section for section in SECTIONS}
FIRST = SECTIONS[0]
PRODUCTS = BY_SLUG["daftar-produk"]
