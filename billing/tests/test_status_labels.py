"""Transaction status badges read in the page's language, like the legend beside them; the
status value itself (the CSS class, the wire value) stays as it is."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from billing.tests.factories import TransactionFactory

BADGE = re.compile(r'class="badge rounded-pill status-(\w+)">([^<]+)</span>')


def _badges(page: str) -> set[tuple[str, str]]:
    """(status value, label) of each badge with a label (the chart's legend has blank
    swatches and the label beside them)."""
    return {badge for badge in BADGE.findall(page) if badge[1] != "&nbsp;"}


@pytest.fixture
def transactions(partner):
    TransactionFactory(partner=partner, status="sukses")
    TransactionFactory(partner=partner, status="gagal")


@pytest.mark.parametrize(
    "url", [reverse("portal:dashboard"), reverse("billing:transactions")]
)
def test_status_badges_are_in_english_for_an_english_reader(
    owner_client, transactions, url
):
    owner_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    badges = _badges(owner_client.get(url).content.decode())

    assert {
        ("sukses", "Success"),
        ("gagal", "Failed"),
        ("pending", "Pending"),
    } <= badges
    assert not {label for _status, label in badges} & {"Sukses", "Gagal"}


@pytest.mark.parametrize(
    "url", [reverse("portal:dashboard"), reverse("billing:transactions")]
)
def test_status_badges_are_in_indonesian_by_default(owner_client, transactions, url):
    badges = _badges(owner_client.get(url).content.decode())

    assert {("sukses", "Sukses"), ("gagal", "Gagal"), ("pending", "Pending")} <= badges


def test_the_chart_tooltips_are_in_english_for_an_english_reader(
    owner_client, transactions
):
    owner_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = owner_client.get(reverse("portal:dashboard")).content.decode()

    titles = re.findall(r"<title>([^<]+)</title>", page)
    assert any(
        t.endswith(": 2 transactions (success 1, pending 0, failed 1)") for t in titles
    )
    assert not any("transaksi" in t or "sukses" in t for t in titles)
