"""What the partner does in the portal, in the manual's words and order."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tests_journey import documents
from tests_journey.browsing import (
    after_htmx_swap,
    confirm_yes,
    menu,
    page_notes,
    see,
    submit,
    wait_url,
)

# The label of a required field ends with crispy's asterisk.
PASSWORD_LABEL = re.compile(r"^\s*Password\s*\*?\s*$")


# Lengkapi Data of a Perusahaan (Gambar 9): typed fields, then the drop-downs.
PROFILE = {
    "company_name": "PT Sinar Digital Nusantara",
    "nib": "9120001234567",
    "npwp": "01.234.567.8-901.000",
    "address": "Jl. Jend. Sudirman Kav. 52-53, Senayan",
    "city": "Jakarta Selatan",
    "postal_code": "12190",
    "phone": "021 5551 2345",
    "website": "sinardigital.co.id",
    "full_name": "Siti Rahmawati",
    "position": "Direktur Utama",
    # 31 DKI Jakarta · 74 · 01 · a woman born 15-05-1990 (day + 40) · serial 0001
    "nik": "3174015505900001",
    "tech_name": "Andi Pratama",
    "tech_email": "andi@sinardigital.test",
    "tech_phone": "0813-1111-2222",
}
PROFILE_CHOICES = {"business_form": "pt", "province": "DKI Jakarta"}


@dataclass(frozen=True)
class Company:
    """Who registers (Daftar, Perusahaan)."""

    owner_name: str = "Siti Rahmawati"
    name: str = PROFILE["company_name"]
    phone_typed: str = "0812-3456-7890"
    phone_login: str = "+62 812 3456 7890"
    email: str = "siti@sinardigital.test"
    password: str = "kopi-tubruk-pagi-hari"


class Portal:
    def __init__(self, page, screens, company: Company, files: Path):
        self.page = page
        self.screens = screens
        self.company = company
        self.files = files

    # --- 1–3: Daftar, Verifikasi Email --------------------------------------------------

    def register(self) -> None:
        page, company = self.page, self.company
        page.goto("/")
        wait_url(page, "**/akun/login/**")
        see(page, "Mitra baru?")
        self.screens(page, "login", doc="login")
        page.get_by_role("link", name="Daftar").click()
        see(page, "Registrasi Akun Web Open API")
        self.screens(page, "daftar-kosong")
        page.get_by_label("Nama Lengkap").fill(company.owner_name)
        page.get_by_label("Perusahaan", exact=True).check()
        page.get_by_label("Nama Perusahaan").fill(company.name)
        page.get_by_label("Nomor Handphone").fill(company.phone_typed)
        page.get_by_label("Email").fill(company.email)
        page.get_by_label(PASSWORD_LABEL).fill(company.password)
        page.get_by_label("Konfirmasi Password").fill(company.password)
        self.screens(page, "daftar-terisi", doc="registrasi")
        submit(page, page.get_by_role("button", name="Daftar"))
        wait_url(page, "**/akun/verifikasi-email/")
        see(page, company.email)
        self.screens(page, "verifikasi-email")

    def show_email(self, html: str, name: str) -> None:
        """Show an email's HTML part in a tab of its own, as a mail client would."""
        tab = self.page.context.new_page()
        try:
            tab.set_content(html)
            self.screens(tab, name)
        finally:
            tab.close()

    def activate(self, html: str) -> None:
        """Gambar 5–6: the "Aktivasi Akun" button in the body of the email."""
        page = self.page
        page.set_content(html)
        self.screens(page, "email-aktivasi")
        page.get_by_role("link", name="Aktivasi Akun").click()
        # The link only opens the page: its button activates (link scanners only GET).
        see(page, "Klik tombol di bawah ini")
        page.get_by_role("button", name="Aktivasi Akun").click()
        see(page, "Aktivasi Berhasil")
        self.screens(page, "aktivasi-berhasil")
        page.get_by_role("link", name="OK").click()

    # --- 4: Login, Lengkapi Data ----------------------------------------------------------

    def log_in(
        self, identifier: str | None = None, password: str | None = None
    ) -> None:
        page = self.page
        wait_url(page, "**/akun/login/**")
        page.get_by_label("Nomor Handphone atau Username").fill(
            identifier or self.company.phone_login
        )
        page.get_by_label(PASSWORD_LABEL).fill(password or self.company.password)
        self.screens(page, "login-terisi")
        submit(page, page.get_by_role("button", name="Login"))
        if "/akun/login/" in page.url:
            raise AssertionError(f"login refused; {page_notes(page)}")

    def complete_profile(self) -> None:
        page = self.page
        wait_url(page, "**/dashboard/")
        notice = page.get_by_role("dialog", name="Lengkapi Data Profil")
        see(page, "Lengkapi Data Profil", within=notice)
        self.screens(page, "dashboard-lengkapi-data")
        notice.get_by_role("link", name="Lengkapi Data").click()
        wait_url(page, "**/profil/data/ubah/")
        for name, value in PROFILE.items():
            page.fill(f"[name={name}]", value)
        for name, value in PROFILE_CHOICES.items():
            page.select_option(f"[name={name}]", value)
        uploads = page.locator("form input[type=file]")
        assert uploads.count() >= 4, "the Perusahaan form asks for its documents"
        for index in range(uploads.count()):
            field = uploads.nth(index)
            kind = field.get_attribute("name").removeprefix("doc_")
            if index % 2:
                data, name = documents.one_page_pdf(f"Scan {kind}"), f"{kind}.pdf"
            else:
                data, name = documents.scan_png(f"Scan {kind}"), f"{kind}.png"
            field.set_input_files(str(documents.write(self.files, name, data)))
        page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")
        self.screens(page, "profil-lengkapi-data", doc="profil")
        submit(page, page.get_by_role("button", name="Simpan", exact=True))
        wait_url(page, "**/profil/data/terkirim/")
        see(page, "1x24 jam")
        self.screens(page, "profil-menunggu-verifikasi")

    # --- 6–7: Dashboard, Profil, Kredensial ----------------------------------------------

    def dashboard(self, name: str, *, doc: str | None = None) -> None:
        page = self.page
        menu(page, "Dashboard")
        see(page, "Saldo Deposit")
        self.screens(page, name, doc=doc)

    def profile_and_credentials(self) -> None:
        page = self.page
        menu(page, "Profil")
        see(page, PROFILE["nib"])
        see(page, "Ubah Data")
        self.screens(page, "profil")
        menu(page, "Kredensial")
        see(page, "Development")
        self.screens(page, "kredensial")

    # --- 8A: Koneksi ---------------------------------------------------------------------

    def add_ip(self, environment: str, address: str, *, refused: str | None = None):
        page = self.page
        page.get_by_role("link", name="Tambah").first.click()
        wait_url(page, "**/koneksi/tambah/")
        page.get_by_label(environment).check()
        page.get_by_label("IP Address").fill(address)
        submit(page, page.get_by_role("button", name="Simpan"))
        if refused:
            see(page, refused)
            self.screens(page, f"koneksi-{environment.lower()}-ditolak-form")
            return
        see(page, "Data berhasil disimpan")

    def connections(self) -> None:
        page = self.page
        menu(page, "Koneksi")
        see(page, "IP Address")
        self.screens(page, "koneksi-kosong")
        self.add_ip("Development", "127.0.0.1")
        # The partner form keeps loopback and private addresses to Development.
        self.add_ip("Production", "127.0.0.1", refused="harus IP publik")
        page.get_by_label("IP Address").fill("36.94.12.7")
        submit(page, page.get_by_role("button", name="Simpan"))
        see(page, "Data berhasil disimpan")
        see(page, "Menunggu persetujuan tim kami.")
        self.screens(page, "koneksi-menunggu")

    def connections_approved(self) -> None:
        page = self.page
        menu(page, "Koneksi")
        rows = page.locator("tbody tr[data-connection]")
        see(page, "127.0.0.1")
        texts = [" ".join(t.split()) for t in rows.all_inner_texts()]
        assert len(texts) == 3, texts
        assert not [t for t in texts if "Menunggu" in t], texts
        self.screens(page, "koneksi-disetujui", doc="koneksi")

    # --- 8B: Dokumentasi -----------------------------------------------------------------

    def documentation(self) -> None:
        page = self.page
        page.locator(".nav-tabs").get_by_role("link", name="Dokumentasi").click()
        page.locator('[data-section="revisi"]').wait_for()
        self.screens(page, "dokumentasi-revisi")
        for slug, name, doc in (
            ("sign-on", "dokumentasi-sign-on", "dokumentasi"),
            ("nomor-development", "dokumentasi-nomor-development", None),
        ):
            page.locator(f'#docsMenu a[href="/dokumentasi/{slug}/"]').click()
            page.locator(f'[data-section="{slug}"]').wait_for()
            self.screens(page, name, doc=doc)

    # --- 9: Produk -----------------------------------------------------------------------

    def choose_product(self, category: str, code: str, *, doc: str | None = None):
        page = self.page
        after_htmx_swap(page, lambda: page.select_option("#id_category", category))
        box = page.locator(f"input[name=products][value='{code}']")
        box.check()
        self.screens(page, f"produk-{category}", doc=doc)
        submit(page, page.get_by_role("button", name="Simpan"))
        see(page, "Data berhasil disimpan")
        assert box.count() == 0, f"{code} is still offered after Simpan"

    def products(self, *choices: tuple[str, str]) -> None:
        page = self.page
        menu(page, "Produk")
        see(page, "Kategori Produk")
        for index, (category, code) in enumerate(choices):
            self.choose_product(category, code, doc="produk" if index == 0 else None)
        page.get_by_role("link", name="Produk Anda").click()
        for _category, code in choices:
            page.locator(f"tr[data-product='{code}']").wait_for()
        self.screens(page, "produk-anda")

    def product_state(self, code: str) -> str:
        """Status Integrasi of ``code`` in Produk > Produk Anda."""
        page = self.page
        menu(page, "Produk")
        page.get_by_role("link", name="Produk Anda").click()
        row = page.locator(f"tr[data-product='{code}']")
        row.wait_for()
        self.screens(page, f"produk-anda-{code}")
        return " ".join(row.locator("td").nth(5).inner_text().split())

    # --- Deposit -------------------------------------------------------------------------

    def sandbox_funds(self) -> None:
        page = self.page
        menu(page, "Dashboard")
        page.get_by_role("button", name="Tambah Saldo Sandbox").click()
        confirm_yes(page)
        see(page, "Saldo sandbox bertambah")
        self.screens(page, "dashboard-saldo-sandbox")

    def request_topup(self, amount: str) -> str:
        """Top Up Deposit from the dashboard; the unique transfer amount shown."""
        page = self.page
        menu(page, "Dashboard")
        page.get_by_role("link", name="Top Up Deposit").first.click()
        page.get_by_label("Nominal top up").fill(amount)
        page.get_by_label("Rekening tujuan").select_option(index=1)
        self.screens(page, "topup-form")
        submit(page, page.get_by_role("button", name="Lanjutkan"))
        see(page, "Permintaan top up dibuat")
        transfer = page.get_by_test_id("transfer-amount").inner_text().strip()
        self.screens(page, "topup-instruksi")
        proof = documents.write(
            self.files, "bukti-transfer.png", documents.scan_png(f"Transfer {transfer}")
        )
        page.get_by_label("Bukti transfer").set_input_files(str(proof))
        submit(page, page.get_by_role("button", name="Unggah Bukti"))
        see(page, "Bukti transfer berhasil diunggah")
        self.screens(page, "topup-bukti-diunggah")
        return transfer

    def api_log(self, reference: str) -> None:
        """Every call is logged for the partner (Log API; no menu links it yet). The server
        writes log rows in batches a fraction of a second after the call, so the partner
        may have to reload once, as a person would."""
        page = self.page
        page.goto("/log-api/")
        for _attempt in range(20):
            if page.get_by_text(reference).count():
                break
            page.wait_for_timeout(250)
            page.reload()
        see(page, reference)
        self.screens(page, "log-api")

    # --- 10: Integrasi -------------------------------------------------------------------

    def request_uat(self, *, category: str, code: str, calls: list[str]) -> None:
        """Tambah Request UAT for ``code`` with the Development calls of ``calls``
        (referenceIDs) attached, and the UAT document."""
        page = self.page
        menu(page, "Integrasi")
        see(page, "Request UAT")
        self.screens(page, "integrasi-request-uat")
        page.get_by_role("link", name="Tambah").click()
        wait_url(page, "**/integrasi/uat/tambah/")
        after_htmx_swap(page, lambda: page.select_option("#id_category", category))
        after_htmx_swap(page, lambda: page.select_option("#id_product", code))
        table = page.get_by_test_id("development-calls")
        for reference in calls:
            row = table.locator("tr[data-call]", has_text=reference)
            see(page, reference, within=table)
            row.locator("input[name=api_calls]").check()
        report = documents.write(
            self.files, "hasil-uat.pdf", documents.one_page_pdf(f"Hasil UAT {code}")
        )
        page.set_input_files("#id_document", str(report))
        page.locator("#api-calls").scroll_into_view_if_needed()
        self.screens(page, "integrasi-tambah-uat", doc="integrasi")
        submit(page, page.get_by_role("button", name="Simpan"))
        see(page, "Request UAT menunggu approval")
        self.screens(page, "integrasi-uat-menunggu")

    def request_live(self, code: str) -> None:
        """Gambar 47–48: Request Live, Konfirmasi, Ya, Proses Berhasil."""
        page = self.page
        menu(page, "Integrasi")
        page.locator(".nav-tabs").get_by_role("link", name="Request Live").click()
        row = page.locator(f"tr[data-uat='{code}']")
        row.wait_for()
        self.screens(page, "integrasi-request-live")
        row.get_by_role("button", name="Request Live").click()
        see(page, "Konfirmasi Request Live", within=page.locator("#confirmModal"))
        self.screens(page, "integrasi-konfirmasi-live")
        confirm_yes(page)
        see(page, "Proses Berhasil")
        self.screens(page, "integrasi-live-menunggu")

    # --- Transaksi -----------------------------------------------------------------------

    def transactions(self, expected: str, *, name: str, doc: str | None = None):
        """The report (menu Transaksi, Production by default) showing ``expected``."""
        page = self.page
        menu(page, "Transaksi")
        see(page, expected)
        self.screens(page, name, doc=doc)

    # --- 11: Manajemen User --------------------------------------------------------------

    def add_and_delete_user(self, *, name: str, email: str, phone: str) -> None:
        page = self.page
        menu(page, "Manajemen User")
        page.get_by_role("link", name="Tambah Data").click()
        page.fill("input[name=name]", name)
        page.fill("input[name=email]", email)
        page.fill("input[name=phone]", phone)
        page.fill("input[name=password1]", "teh-manis-sore-hari")
        page.fill("input[name=password2]", "teh-manis-sore-hari")
        page.get_by_label("Hak Akses Akun").select_option("keuangan")
        self.screens(page, "manajemen-user-tambah")
        submit(page, page.get_by_role("button", name="Simpan"))
        see(page, "Data Berhasil Disimpan")
        row = page.locator("tbody tr", has_text=email)
        row.wait_for()
        self.screens(page, "manajemen-user")
        row.get_by_role("button", name="Hapus").click()
        confirm_yes(page)
        see(page, "Proses Berhasil")
        assert page.locator("tbody tr", has_text=email).count() == 0
        self.screens(page, "manajemen-user-dihapus")

    def log_out(self) -> None:
        page = self.page
        page.locator("header .dropdown-toggle").click()
        page.get_by_role("button", name="Keluar").click()
        wait_url(page, "**/akun/login/**")
