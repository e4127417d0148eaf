"""Four kinds of hostile parameter that the URL fuzzer found, each answered normally (no 500)."""

import pytest
from django.urls import reverse

from billing.models import LedgerEntry
from billing.services import deposit_balance
from connections.tests.factories import CallbackDeliveryFactory
from portal.lib.environments import Environment
from portal.lib.params import param_id, param_text

PERIOD_PAGES = [
    "billing:transactions",
    "billing:transactions_export",
    "billing:mutasi",
    "billing:mutasi_export",
    "openapi:log",
]


@pytest.mark.parametrize("name", PERIOD_PAGES)
@pytest.mark.parametrize(
    "query",
    [
        {"date_to": "9999-12-31"},
        {"date_to": "0001-01-01"},
        {"date_from": "0001-01-01", "date_to": "9999-12-31"},
        {"date_from": "9999-12-31"},
    ],
)
def test_a_date_at_the_end_of_the_calendar_is_refused_not_a_500(
    owner_client, name, query
):
    response = owner_client.get(reverse(name), query)
    assert response.status_code == 200


@pytest.mark.parametrize("name", ["billing:transactions", "openapi:log"])
def test_the_page_says_which_dates_it_accepts(owner_client, name):
    html = owner_client.get(reverse(name), {"date_to": "9999-12-31"}).content.decode()
    assert "Tanggal harus antara 01-01-2000 dan 31-12-2099." in html


def test_the_report_of_a_date_in_range_still_lists_that_period(owner_client):
    response = owner_client.get(
        reverse("billing:transactions"),
        {"date_from": "2099-12-01", "date_to": "2099-12-31"},
    )
    assert response.context["form"].errors == {}


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("integration:uat_products", {"category": "pulsa\x00"}),
        ("integration:uat_api_calls", {"product": "100301\x00"}),
        ("billing:transactions", {"category": "a\x00", "product": "b\x00"}),
    ],
)
def test_a_nul_in_a_category_or_product_is_not_a_500(owner_client, name, query):
    assert owner_client.get(reverse(name), query).status_code == 200


def test_a_nul_in_the_uat_form_is_refused_with_a_message(owner_client):
    response = owner_client.post(
        reverse("integration:uat_add"), {"category": "a\x00", "product": "b\x00"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["product"]


@pytest.mark.parametrize("value", ["²", "١٢٣", "9" * 30, "-1", "a\x00"])
def test_the_callback_page_ignores_a_test_id_that_is_no_id(owner_client, value):
    response = owner_client.get(reverse("connections:callbacks"), {"tes": value})
    assert response.status_code == 200
    assert response.context["test_delivery"] is None


def test_the_callback_page_still_shows_the_test_it_names(owner_client, partner):
    delivery = CallbackDeliveryFactory(partner=partner, is_test=True)
    response = owner_client.get(reverse("connections:callbacks"), {"tes": delivery.pk})
    assert response.context["test_delivery"] == delivery


@pytest.mark.parametrize("target", ["-1", "billing:topups", "²", "//evil.example/"])
def test_a_sandbox_fund_with_a_bad_next_credits_once_and_goes_to_mutasi(
    owner_client, partner, target
):
    response = owner_client.post(reverse("billing:sandbox_fund"), {"next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("billing:mutasi")
    assert LedgerEntry.objects.filter(account__partner=partner).count() == 1
    balance = deposit_balance(partner=partner, environment=Environment.DEVELOPMENT)
    assert balance == LedgerEntry.objects.get(account__partner=partner).amount


def test_the_login_page_of_a_logged_in_user_ignores_a_next_that_is_no_path(
    owner_client,
):
    response = owner_client.get(reverse("accounts:login"), {"next": "-1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:dashboard")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("42", 42), (" 7 ", 7), ("²", None), ("١٢٣", None), ("9" * 30, None), ("", None)],
)
def test_param_id_takes_only_ascii_ids_that_fit_a_bigint(value, expected):
    assert param_id({"id": value}, "id") == expected


@pytest.mark.parametrize(
    ("value", "expected"), [(" pulsa ", "pulsa"), ("a\x00", ""), ("x" * 201, "")]
)
def test_param_text_treats_nul_and_overlong_as_absent(value, expected):
    assert param_text({"q": value}, "q") == expected
