"""A staff reviewer opens the back-office, sees what waits, follows the IP row to the filtered
list and approves two entries at once: the partner gets one email."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.tests.factories import PASSWORD, StaffFactory, UserFactory
from connections.tests.factories import ConnectionFactory

pytestmark = pytest.mark.browser


def test_staff_decide_from_the_queue(transactional_db, page):
    staff = StaffFactory()
    owner = UserFactory()
    ConnectionFactory(
        partner=owner.partner,
        address="36.94.12.7",
        submitted_at=timezone.now() - timedelta(hours=26),
    )
    ConnectionFactory(partner=owner.partner, address="36.94.12.8")

    page.goto("/backoffice/")
    page.wait_for_url("**/backoffice/login/**")
    page.fill("#id_username", staff.username)
    page.fill("#id_password", PASSWORD)
    page.locator("#login-form [type=submit]").click()

    queue = page.locator("#review-queue")
    queue.get_by_role("heading", name="Menunggu keputusan").wait_for()
    row = queue.locator("tr", has_text="IP Address (whitelist)")
    assert row.locator(".bo-num").inner_text() == "2"
    assert "1 lewat 1x24 jam" in row.inner_text()
    assert "bo-overdue" in row.get_attribute("class")

    row.get_by_role("link", name="IP Address (whitelist)").click()
    page.wait_for_url("**/connections/connection/?**")
    table = page.locator("#result_list")
    assert table.locator("tbody tr").count() == 2
    page.locator("#action-toggle").check()
    page.select_option("select[name=action]", "review_approve")
    page.locator("button[name=index]").click()
    page.get_by_text("2 pengajuan disetujui.").wait_for()

    (message,) = mail.outbox
    assert message.to == [owner.email]
    assert "36.94.12.7" in message.body and "36.94.12.8" in message.body

    page.goto("/backoffice/")
    page.get_by_text("Tidak ada yang menunggu keputusan.").wait_for()
