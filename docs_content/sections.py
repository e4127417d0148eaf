"""The sections of the documentation menu, in the manual's order (Gambar 23)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext_lazy as _

PAGES_DIR = Path(__file__).resolve().parent / "pages"


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    icon: str

    @property
    def path(self) -> Path:
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
