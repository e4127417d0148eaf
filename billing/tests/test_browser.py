"""A partner owner tops up from the dashboard, uploads the proof, and adds sandbox funds
through the confirmation modal, in a real browser."""

import pytest

from billing.models import TopUp
from billing.services import deposit_balance
from billing.tests.factories import BankAccountFactory, TransactionFactory
from portal.lib.environments import Environment

pytestmark = pytest.mark.browser


def _login(page, owner, password):
    page.goto("/akun/login/")
    page.fill("input[name=identifier]", owner.username)
    page.fill("input[name=password]", password)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state()


def test_top_up_from_the_dashboard_then_sandbox_funds(page, owner, password, tmp_path):
    BankAccountFactory(bank="BCA", number="8880012345")
    TransactionFactory(partner=owner.partner, total=10_000)
    _login(page, owner, password)
    page.goto("/dashboard/")
    page.get_by_test_id("topup-hint").wait_for()
    assert page.locator("svg[data-chart] rect").count() >= 1
    page.locator("label[for=chartValue]").click()
    assert page.locator('g[data-series="value"]').is_visible()

    page.get_by_role("link", name="Top Up Deposit").first.click()
    page.get_by_label("Nominal top up").fill("150.000")
    page.get_by_label("Rekening tujuan").select_option(index=1)
    page.get_by_role("button", name="Lanjutkan").click()
    page.get_by_text("Permintaan top up dibuat").wait_for()
    topup = TopUp.objects.get()
    shown = f"Rp {topup.transfer_amount:,}".replace(",", ".")
    assert page.get_by_test_id("transfer-amount").inner_text() == shown

    from PIL import Image

    proof = tmp_path / "bukti.png"
    Image.new("RGB", (40, 30), "white").save(proof)
    page.get_by_label("Bukti transfer").set_input_files(str(proof))
    page.get_by_role("button", name="Unggah Bukti").click()
    page.get_by_text("Bukti transfer berhasil diunggah").wait_for()
    page.get_by_text("Menunggu konfirmasi").first.wait_for()

    page.goto("/dashboard/")
    page.get_by_role("button", name="Tambah Saldo Sandbox").click()
    modal = page.locator("#confirmModal")
    modal.get_by_role("button", name="Ya").click()
    page.get_by_text("Saldo sandbox bertambah").wait_for()
    assert (
        deposit_balance(partner=owner.partner, environment=Environment.DEVELOPMENT) > 0
    )
    assert (
        deposit_balance(partner=owner.partner, environment=Environment.PRODUCTION) == 0
    )
