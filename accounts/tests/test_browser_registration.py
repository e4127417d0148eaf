"""A new partner, in a real browser: Daftar → email link → Aktivasi Berhasil → Login →
the dashboard asks to Lengkapi Data. Each page is saved to test-artifacts/."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import connections
from playwright.sync_api import expect

from accounts.models import Partner, User
from accounts.tests.helpers import email_button_link

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "kopi-tubruk-pagi-hari"
# The label of a required field ends with crispy's asterisk.
PASSWORD_LABEL = re.compile(r"^\s*Password\s*\*?\s*$")


@pytest.fixture
def snap(page):
    folder = Path(settings.BASE_DIR) / "test-artifacts" / "registration"
    folder.mkdir(parents=True, exist_ok=True)

    def save(name: str) -> None:
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)

    return save


def test_a_company_registers_activates_logs_in_and_is_asked_to_lengkapi_data(
    page, live_server, snap
):
    page.emulate_media(reduced_motion="reduce")  # no fading: still screenshots
    page.goto("/akun/login/")
    page.get_by_role("link", name="Daftar").click()
    expect(
        page.get_by_role("heading", name="Registrasi Akun Web Open API")
    ).to_be_visible()
    company = page.get_by_label("Nama Perusahaan")
    expect(company).to_be_hidden()
    snap("01-daftar-kosong")

    page.get_by_label("Nama Lengkap").fill("Siti Rahmawati")
    page.get_by_label("Perusahaan", exact=True).check()
    expect(company).to_be_visible()
    company.fill("PT Sinar Digital Nusantara")
    page.get_by_label("Nomor Handphone").fill("0812-3456-7890")
    page.get_by_label("Email").fill("Siti@SinarDigital.test")
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_label("Konfirmasi Password").fill(PASSWORD)
    snap("02-daftar-terisi")
    page.get_by_role("button", name="Daftar").click()

    expect(page.get_by_role("heading", name="Verifikasi Email")).to_be_visible()
    expect(page.get_by_text("siti@sinardigital.test")).to_be_visible()
    expect(page.get_by_role("button", name="Kirim Ulang")).to_be_visible()
    snap("03-verifikasi-email")

    assert [m.to for m in mail.outbox] == [["siti@sinardigital.test"]]
    page.goto(email_button_link(mail.outbox[0], "Aktivasi Akun"))
    expect(page.get_by_role("heading", name="Aktivasi Akun")).to_be_visible()
    page.get_by_role("button", name="Aktivasi Akun").click()
    expect(page.get_by_role("heading", name="Aktivasi Berhasil")).to_be_visible()
    snap("04-aktivasi-berhasil")
    page.get_by_role("link", name="OK").click()

    expect(page.get_by_role("heading", name="Login")).to_be_visible()
    page.get_by_label("Nomor Handphone atau Username").fill("+62 812 3456 7890")
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    snap("05-login")
    page.get_by_role("button", name="Login").click()

    expect(page).to_have_url(f"{live_server.url}/dashboard/")
    notice = page.get_by_role("dialog", name="Lengkapi Data Profil")
    expect(notice).to_be_visible()
    expect(notice.get_by_role("link", name="Lengkapi Data")).to_be_visible()
    snap("06-dashboard-lengkapi-data")
    expect(page.get_by_text("Data profil Anda belum lengkap")).to_be_attached()

    try:
        user = User.objects.select_related("partner").get(phone="+6281234567890")
    finally:
        # A query made while Playwright drives the page runs in a context (greenlet) of its
        # own and so on a connection of its own: close it, or the test database cannot be
        # dropped at the end of the run.
        connections.close_all()
    assert user.is_verified
    assert user.partner.kind == Partner.Kind.PERUSAHAAN
    assert user.partner.name == "PT Sinar Digital Nusantara"
    assert user.partner.status == Partner.Status.INCOMPLETE
