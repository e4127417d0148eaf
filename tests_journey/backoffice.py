"""What the staff reviewer does in the back-office (the Django admin at /backoffice/)."""

from __future__ import annotations

import re

from tests_journey.browsing import see, submit, wait_url


class Backoffice:
    def __init__(self, page, screens, *, username: str, password: str):
        self.page = page
        self.screens = screens
        self.username = username
        self.password = password

    def log_in(self) -> None:
        page = self.page
        page.goto("/backoffice/")
        wait_url(page, "**/backoffice/login/**")
        page.fill("#id_username", self.username)
        page.fill("#id_password", self.password)
        self.screens(page, "backoffice-login")
        submit(page, page.locator("#login-form [type=submit]"))
        wait_url(page, re.compile(r"^https?://[^/]+/backoffice/$"))
        self.screens(page, "backoffice-index")

    def add_bank_account(self, *, bank: str, number: str, holder: str) -> None:
        """The destination account of top-ups (a fresh deployment has none)."""
        page = self.page
        page.goto("/backoffice/billing/bankaccount/add/")
        page.fill("#id_bank", bank)
        page.fill("#id_number", number)
        page.fill("#id_holder", holder)
        submit(page, page.locator("input[name=_save]"))
        see(page, f"{bank} {number}", within=page.locator(".messagelist"))
        self.screens(page, "backoffice-rekening-tujuan")

    def approve_in_list(
        self, changelist: str, *, rows: list[str], name: str, doc: str | None = None
    ) -> None:
        """Tick the pending rows naming each of ``rows`` and run "Setujui pengajuan
        terpilih" (the list action)."""
        page = self.page
        page.goto(f"/backoffice/{changelist}/?review_status__exact=pending")
        table = page.locator("#result_list")
        for text in rows:
            row = table.locator("tbody tr", has_text=text).first
            see(page, text, within=table)
            row.locator("input[name=_selected_action]").check()
        page.select_option("select[name=action]", "review_approve")
        self.screens(page, name, doc=doc)
        submit(page, page.locator("button[name=index]"))
        see(page, f"{len(rows)} pengajuan disetujui.")
        self.screens(page, f"{name}-disetujui")

    def approve_on_detail(
        self, changelist: str, *, row: str, name: str, doc: str | None = None
    ) -> None:
        """Open the pending submission naming ``row`` and press Setujui on its page."""
        page = self.page
        page.goto(f"/backoffice/{changelist}/?review_status__exact=pending")
        table = page.locator("#result_list")
        see(page, row, within=table)
        table.locator("tbody tr", has_text=row).first.locator("th a").click()
        page.locator("input[name=_approve]").wait_for()
        self.screens(page, name, doc=doc)
        submit(page, page.locator("input[name=_approve]"))
        see(page, "1 pengajuan disetujui.")
        self.screens(page, f"{name}-disetujui")

    def add_connection(self, *, partner: str, environment: str, address: str) -> None:
        """Staff may whitelist a loopback address for Production (the partner form may
        not): the entry is created approved."""
        page = self.page
        page.goto("/backoffice/connections/connection/add/")
        partner_select = page.locator("#id_partner")
        label = next(
            text
            for text in partner_select.locator("option").all_inner_texts()
            if partner in text
        )
        partner_select.select_option(label=label)
        page.select_option("#id_environment", environment)
        page.fill("#id_address", address)
        assert page.locator("#id_approved").is_checked()
        self.screens(page, "backoffice-koneksi-tambah")
        submit(page, page.locator("input[name=_save]"))
        see(page, address, within=page.locator(".messagelist"))

    def confirm_topup(self, *, transfer_amount: str) -> None:
        """Match the bank statement by the exact amount transferred, then confirm."""
        page = self.page
        page.goto("/backoffice/billing/topup/")
        page.fill("#searchbar", transfer_amount)
        submit(page, page.locator("#changelist-search [type=submit]"))
        table = page.locator("#result_list")
        rows = table.locator("tbody tr")
        see(page, transfer_amount, within=table)
        assert rows.count() == 1, f"{rows.count()} top-ups match {transfer_amount}"
        rows.first.locator("input[name=_selected_action]").check()
        page.select_option("select[name=action]", "review_approve")
        self.screens(page, "backoffice-topup")
        submit(page, page.locator("button[name=index]"))
        see(page, "1 pengajuan disetujui.")
        self.screens(page, "backoffice-topup-dikonfirmasi")
