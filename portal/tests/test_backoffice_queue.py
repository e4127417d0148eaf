"""The back-office home starts with "Menunggu keputusan": what waits, since when, and the
manual's 1x24 jam promise highlighted once it is passed."""

import re
from datetime import timedelta

from django.contrib.auth.models import Permission
from django.db import connection as db_connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.tests.factories import PartnerFactory, StaffFactory
from billing.tests.factories import TopUpFactory
from connections.tests.factories import ConnectionFactory
from portal.lib.review import ReviewStatus

INDEX = "/backoffice/"
ROW = re.compile(
    r'<tr class="(?P<cls>[^"]*)">\s*<th scope="row"><a href="(?P<url>[^"]+)">'
    r"(?P<label>[^<]+)</a></th>\s*<td class=\"bo-num\">(?P<count>\d+)</td>\s*"
    r"<td>(?P<wait>.*?)</td>",
    re.S,
)


def _queue(client) -> dict[str, dict]:
    page = client.get(INDEX)
    assert page.status_code == 200
    html = page.content.decode()
    panel = html.split('id="review-queue"', 1)[1].split("</div>", 1)[0]
    return {
        m["label"]: {
            "cls": m["cls"],
            "url": m["url"].replace("&amp;", "&"),
            "count": int(m["count"]),
            "wait": " ".join(re.sub(r"<[^>]+>", " ", m["wait"]).split()),
        }
        for m in ROW.finditer(panel)
    }


def _ago(**delta):
    return timezone.now() - timedelta(**delta)


def test_counts_what_waits_per_subject_and_since_when(staff_client):
    partner = PartnerFactory()
    ConnectionFactory(partner=partner, submitted_at=_ago(hours=30, minutes=5))
    ConnectionFactory(partner=partner, submitted_at=_ago(hours=2))
    ConnectionFactory(partner=partner, approved=True, submitted_at=_ago(days=9))
    ConnectionFactory(
        partner=partner, deleted_at=timezone.now(), submitted_at=_ago(days=9)
    )
    TopUpFactory(partner=partner, submitted_at=_ago(hours=3, seconds=5))

    queue = _queue(staff_client)

    ips = queue["IP Address (whitelist)"]
    assert ips["count"] == 2
    assert ips["wait"] == "1 hari, 6 jam yang lalu 1 lewat 1x24 jam"
    topups = queue["Top up deposit"]
    assert (topups["count"], topups["wait"]) == (1, "3 jam yang lalu")
    assert queue["Request Live"]["count"] == 0
    assert queue["Request Live"]["wait"] == "—"
    assert list(queue) == [
        "Profil mitra",
        "IP Address (whitelist)",
        "Request UAT",
        "Request Live",
        "Top up deposit",
        "Penyesuaian deposit",
        "Transaksi suspect (pending)",
    ]


def test_a_subject_past_1x24_jam_is_highlighted(staff_client):
    ConnectionFactory(submitted_at=_ago(hours=23))
    TopUpFactory(submitted_at=_ago(hours=23))
    assert "bo-overdue" not in _queue(staff_client)["IP Address (whitelist)"]["cls"]

    ConnectionFactory(submitted_at=_ago(hours=25))

    queue = _queue(staff_client)
    assert queue["IP Address (whitelist)"]["cls"] == "bo-overdue"
    assert "1 lewat 1x24 jam" in queue["IP Address (whitelist)"]["wait"]
    assert queue["Top up deposit"]["cls"] == ""
    assert queue["Request UAT"]["cls"] == "bo-muted"


def test_each_row_links_to_the_list_of_exactly_what_waits(staff_client):
    partner = PartnerFactory()
    waiting_ips = {ConnectionFactory(partner=partner).pk for _ in range(2)}
    ConnectionFactory(partner=partner, approved=True)
    ConnectionFactory(partner=partner, rejected=True)
    ConnectionFactory(partner=partner, deleted_at=timezone.now())
    waiting_topup = TopUpFactory(partner=partner).pk
    TopUpFactory(
        partner=partner,
        review_status=ReviewStatus.APPROVED,
        decided_at=timezone.now(),
    )

    queue = _queue(staff_client)

    for label, row in queue.items():
        listed = staff_client.get(row["url"])
        assert listed.status_code == 200, label
        shown = {obj.pk for obj in listed.context["cl"].result_list}
        assert len(shown) == row["count"], label
        if label == "IP Address (whitelist)":
            assert shown == waiting_ips
        if label == "Top up deposit":
            assert shown == {waiting_topup}


def test_nothing_waiting_says_so(staff_client):
    ConnectionFactory(approved=True)

    html = staff_client.get(INDEX).content.decode()

    assert "Menunggu keputusan" in html
    assert "Tidak ada yang menunggu keputusan." in html
    assert _queue(staff_client) == {}


def test_the_panel_costs_one_query_per_subject_however_many_wait(staff_client):
    ConnectionFactory()
    with CaptureQueriesContext(db_connection) as few:
        staff_client.get(INDEX)
    for _ in range(6):
        ConnectionFactory()
        TopUpFactory()
    with CaptureQueriesContext(db_connection) as many:
        staff_client.get(INDEX)

    assert len(many) == len(few)


def test_staff_see_only_the_subjects_they_may_view(db, client):
    reviewer = StaffFactory(is_superuser=False)
    reviewer.user_permissions.add(
        Permission.objects.get(codename="view_connection"),
        Permission.objects.get(codename="change_connection"),
    )
    ConnectionFactory()
    TopUpFactory()
    client.force_login(reviewer)

    assert list(_queue(client)) == ["IP Address (whitelist)"]


def test_the_index_names_apps_and_models_in_indonesian(staff_client):
    html = staff_client.get(INDEX).content.decode()

    for name in (
        "Akun dan mitra",
        "Profil dan kredensial",
        "Koneksi",
        "Deposit dan transaksi",
        "Manajemen User",
        "Open API",
        "Email dan jejak audit",
        "Pengajuan profil",
        "Penyesuaian deposit",
    ):
        assert f">{name}<" in html, name
    for english in ("Accounts", "Billing", "Openapi", "Usermgmt", "Profiles", "Portal"):
        assert f">{english}<" not in html, english
