"""Each review subject's page in the back-office shows its Riwayat: every decision, who made
it, when, and the reason given."""

import re

from accounts.tests.factories import StaffFactory
from connections.services import connection_create, connection_resubmit
from connections.tests.factories import ConnectionFactory
from portal.lib.review import review_decide


def _history(html: str) -> list[list[str]]:
    section = html.split('id="review-history"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", section.split("<tbody>", 1)[1], re.S)
    return [
        [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells]
        for cells in (re.findall(r"<td>(.*?)</td>", row, re.S) for row in rows)
    ]


def test_history_lists_every_decision_with_its_reason(staff_client, staff, partner):
    second = StaffFactory(name="Rina Verifikator")
    entry = ConnectionFactory(partner=partner, address="36.94.12.7")
    review_decide(
        subject=entry, approve=False, actor=staff, reason="Bukan IP server Anda."
    )
    connection_resubmit(
        connection=entry,
        environment=entry.environment,
        address="36.94.12.8",
        actor=partner.owner,
    )
    review_decide(subject=entry, approve=True, actor=second)

    page = staff_client.get(f"/backoffice/connections/connection/{entry.pk}/change/")

    steps = [(row[1], row[2], row[3]) for row in _history(page.content.decode())]
    assert steps == [
        ("Ditolak", str(staff), "Bukan IP server Anda."),
        ("Diajukan", str(partner.owner), "—"),
        ("Disetujui", str(second), "—"),
    ]


def test_a_pending_subject_shows_its_submission_only(staff_client, partner):
    entry = connection_create(
        partner=partner,
        environment="development",
        address="36.94.12.9",
        actor=partner.owner,
    )

    page = staff_client.get(f"/backoffice/connections/connection/{entry.pk}/change/")

    assert [row[1:3] for row in _history(page.content.decode())] == [
        ["Diajukan", str(partner.owner)]
    ]


def test_a_subject_without_events_says_so(staff_client, partner):
    entry = ConnectionFactory(partner=partner)

    page = staff_client.get(f"/backoffice/connections/connection/{entry.pk}/change/")

    assert "Belum ada riwayat keputusan." in page.content.decode()
