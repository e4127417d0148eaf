"""The manual from its first page to its last, in Chromium, against a real deployment.

A company registers (Daftar, Perusahaan), activates its account from the email that reached
the SMTP server, logs in with its phone number, completes its profile with real files, is
approved by a staff reviewer in the back-office and reads its credentials out of the email.
It whitelists its IPs, reads the documentation, chooses products, transacts in Development
with a standard Digest client, files a UAT request with that traffic, goes live, tops up its
deposit, transacts in Production, and watches the dashboard and the report change. Its
Webreport login sees the report; the owner adds and deletes a user (Manajemen User).

Every page visited is saved to test-artifacts/journey/NN-name.png.
"""

from __future__ import annotations

import re

import pytest

from tests_journey.backoffice import Backoffice
from tests_journey.browsing import see
from tests_journey.mailbox import button_link, read_credentials
from tests_journey.openapi_client import OpenApiClient
from tests_journey.partner import Company, Portal

pytestmark = [pytest.mark.browser, pytest.mark.worker]

PULSA = ("pulsa-prabayar", "501021")  # Telkomsel 10.000, prepaid: SinglePayment
PLN = ("listrik", "100301")  # PLN Pascabayar, postpaid: Inquiry + Payment
BANK = {"bank": "BCA", "number": "8880012345", "holder": "PT Web Open API Indonesia"}


def rupiah(value: int) -> str:
    return "Rp " + f"{value:,}".replace(",", ".")


def digits(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def test_a_company_goes_from_daftar_to_production_transactions(
    new_page, deployment, smtp, screens, tmp_path
):
    company = Company()
    inbox = smtp.inbox
    portal = Portal(new_page("partner"), screens, company, tmp_path)
    staff = Backoffice(
        new_page("staff"),
        screens,
        username=deployment.staff_username,
        password=deployment.staff_password,
    )

    # The back-office of a fresh deployment: the reviewer sets the top-up bank account.
    staff.log_in()
    staff.add_bank_account(**BANK)

    # 1–3. Daftar, Verifikasi Email, the "Aktivasi Akun" button of the email.
    portal.register()
    activation = inbox.wait_for(to=company.email, subject="Aktivasi Akun")
    link = button_link(activation, "Aktivasi Akun")
    assert link.startswith(f"{deployment.url}/akun/aktivasi/"), link
    portal.activate(activation.html)

    # 4. Login with the phone number; "Lengkapi Data"; Simpan; 1x24 jam.
    portal.log_in()
    portal.complete_profile()

    # 5. Approved in the back-office: the approval email and the credentials email.
    staff.approve_on_detail(
        "profiles/profilesubmission",
        row=company.name,
        name="backoffice-profil",
        doc="backoffice-review",
    )
    approved = inbox.wait_for(to=company.email, subject="Data Profil Mitra Disetujui")
    portal.show_email(approved.html, "email-profil-disetujui")
    issued = inbox.wait_for(
        to=company.email, subject="Credential Production dan Development"
    )
    portal.show_email(issued.html, "email-credential")
    credentials = read_credentials(issued)
    for credential in (credentials.development, credentials.production):
        assert credential.url.startswith(deployment.url), credential.url
        assert credential.merchant_name and credential.password
    assert credentials.development.username != credentials.production.username

    # 6–7. The dashboard says Aktif; Profil and Kredensial.
    portal.dashboard("dashboard-aktif")
    see(portal.page, "Aktif", exact=True)
    portal.profile_and_credentials()

    # 8A. Koneksi: Development 127.0.0.1 and a public Production IP by the partner (the form
    # refuses loopback in Production); staff approve both and whitelist Production
    # 127.0.0.1 themselves, as the back-office allows.
    portal.connections()
    staff.approve_in_list(
        "connections/connection",
        rows=["127.0.0.1", "36.94.12.7"],
        name="backoffice-koneksi",
    )
    staff.add_connection(
        partner=company.name, environment="production", address="127.0.0.1"
    )
    portal.connections_approved()

    # 8B. Dokumentasi opens once an IP is approved.
    portal.documentation()

    # 9. Produk > Tambah Produk, then Produk Anda.
    portal.products(PULSA, PLN)

    # Development: sandbox money, then the Open API with the emailed credentials.
    portal.sandbox_funds()
    development = OpenApiClient(deployment.url, credentials.development)
    development.sign_on()
    sandbox = development.deposit()
    assert sandbox > 0
    bill, paid = development.inquiry_and_payment(
        product_id=PLN[1], customer_id="530000000001", reference="DEV-PLN-0001"
    )
    assert paid["data"]["total"] == bill["total"]
    pulsa = development.single_payment(
        product_id=PULSA[1], customer_id="0812999001", reference="DEV-PULSA-0001"
    )
    spent = int(bill["total"]) + int(pulsa["data"]["total"])
    assert development.deposit() == sandbox - spent
    portal.api_log("DEV-PULSA-0001")

    # 10. Integrasi: Request UAT with the SinglePayment attached, approved; Request Live
    # (Ya → Proses Berhasil), approved: the product is Aktif.
    portal.request_uat(category=PULSA[0], code=PULSA[1], calls=["DEV-PULSA-0001"])
    staff.approve_on_detail(
        "integration/uatrequest", row=PULSA[1], name="backoffice-uat"
    )
    inbox.wait_for(to=company.email, subject=f"Request UAT disetujui: {PULSA[1]}")
    portal.request_live(PULSA[1])
    staff.approve_in_list(
        "integration/liverequest", rows=[PULSA[1]], name="backoffice-live"
    )
    inbox.wait_for(to=company.email, subject=f"Produk Aktif di Production: {PULSA[1]}")
    assert portal.product_state(PULSA[1]) == "Aktif"

    # Top up the Production deposit: the unique amount, a proof, staff confirm it.
    transfer = portal.request_topup("500.000")
    amount = digits(transfer)
    assert 500_000 < amount < 501_000, transfer
    staff.confirm_topup(transfer_amount=transfer.removeprefix("Rp").strip())
    inbox.wait_for(to=company.email, subject=f"Top up deposit {transfer} berhasil")
    portal.dashboard("dashboard-saldo-terisi")
    see(portal.page.get_by_test_id("saldo-deposit"), transfer)
    see(portal.page.get_by_test_id("transaksi-hari-ini"), "0 transaksi")
    portal.transactions(
        "Tidak ada transaksi pada periode dan filter ini.", name="transaksi-kosong"
    )

    # Production: the live product with the Production credentials.
    production = OpenApiClient(deployment.url, credentials.production)
    production.sign_on()
    assert production.deposit() == amount
    sale = production.single_payment(
        product_id=PULSA[1], customer_id="081298765432", reference="PROD-PULSA-0001"
    )
    left = amount - int(sale["data"]["total"])
    assert production.deposit() == left

    # The dashboard, Transaksi Hari Ini and the report show it.
    portal.dashboard("dashboard-transaksi", doc="dashboard")
    page = portal.page
    see(page.get_by_test_id("saldo-deposit"), rupiah(left))
    today = page.get_by_test_id("transaksi-hari-ini")
    see(today, "1 transaksi")
    see(today, rupiah(int(sale["data"]["total"])))
    portal.transactions("PROD-PULSA-0001", name="transaksi", doc="transaksi")

    # The Webreport login of the credentials email sees the report, and only that.
    webreport = Portal(new_page("webreport"), screens, company, tmp_path)
    webreport.page.goto(credentials.webreport_url)
    webreport.log_in(credentials.webreport_username, credentials.webreport_password)
    see(webreport.page, "PROD-PULSA-0001")
    menus = webreport.page.locator("nav.sidebar .nav-link").all_inner_texts()
    assert len(menus) == 1 and menus[0].strip().startswith("Transaksi"), menus
    screens(webreport.page, "webreport-transaksi")

    # 11. Manajemen User: Tambah Data, then Hapus (Ya → Proses Berhasil); Keluar.
    portal.add_and_delete_user(
        name="Rudi Hartono", email="rudi@sinardigital.test", phone="0813 5555 0101"
    )
    portal.log_out()
