"""A company completes its profile with real files, staff approve it in the back-office, and
the dashboard shows the account as active."""

import pytest
from django.core import mail

from accounts.models import Partner
from accounts.tests.factories import PASSWORD, PartnerFactory, StaffFactory, UserFactory
from profiles.tests.factories import form_data, pdf_bytes, png_bytes

pytestmark = pytest.mark.browser


def _login(page, url: str, username_field: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(url)
    page.fill(f"[name={username_field}]", username)
    page.fill("[name=password]", PASSWORD)
    page.locator("[type=submit]").last.click()


def test_company_profile_submitted_approved_and_active(
    transactional_db, page, tmp_path
):
    owner = UserFactory(
        partner=PartnerFactory(
            kind=Partner.Kind.PERUSAHAAN, status=Partner.Status.INCOMPLETE
        )
    )
    staff = StaffFactory()
    png = tmp_path / "ktp.png"
    png.write_bytes(png_bytes())
    pdf = tmp_path / "akta.pdf"
    pdf.write_bytes(pdf_bytes())

    _login(page, "/akun/login/", "identifier", owner.username)
    # Gambar 8: the dashboard asks to complete the profile.
    page.locator("#completeProfileModal").get_by_role(
        "link", name="Lengkapi Data"
    ).click()
    page.wait_for_url("**/profil/data/ubah/")
    data = form_data("perusahaan")
    for name, value in data.items():
        if name in ("business_form", "province"):
            page.select_option(f"[name={name}]", value)
        elif value:
            page.fill(f"[name={name}]", value)
    for name in ("doc_ktp", "doc_npwp", "doc_nib"):
        page.set_input_files(f"[name={name}]", str(png))
    for name in ("doc_akta", "doc_sk_kemenkumham"):
        page.set_input_files(f"[name={name}]", str(pdf))
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.wait_for_url("**/profil/data/terkirim/")
    assert "1x24 jam" in page.content()

    _login(page, "/backoffice/login/", "username", staff.username)
    page.goto("/backoffice/profiles/profilesubmission/?review_status__exact=pending")
    page.locator("input[name=_selected_action]").first.check()
    page.select_option("select[name=action]", "review_approve")
    page.locator("button[name=index]").click()
    page.wait_for_selector(".messagelist .success")
    assert len(mail.outbox) == 2

    _login(page, "/akun/login/", "identifier", owner.username)
    page.wait_for_url("**/dashboard/")
    badge = page.locator(".badge.status-aktif")
    assert badge.inner_text().strip() == "Aktif"
