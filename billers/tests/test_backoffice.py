"""The providers in the back-office: list with breaker and figures, the breaker reset
(audited), credentials shown only as set or not, routes on the provider and on the product
(audited, read again after a change), and the suspect transactions in the work queue."""

from __future__ import annotations

import secrets
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import StaffFactory
from billers import health
from billers.models import Provider, ProviderProduct
from billers.selectors import routes_for
from billing.models import Transaction
from billing.tests.factories import TransactionFactory
from portal.lib.backoffice import review_queue
from portal.models import AuditEvent
from products.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

SECRET_KEY_VALUE = "kunci-rahasia-9f8e7d6c"
SECRET_USER_VALUE = "pengguna-rahasia-1a2b3c"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff_client(staff):
    return _client(staff)


def _provider(**fields) -> Provider:
    """A provider with an id no earlier test run used (the breaker and figures live in
    the shared cache, by provider id)."""
    values = {
        "pk": 10**9 + secrets.randbelow(10**9),
        "code": f"p{secrets.token_hex(4)}",
        "name": "Penyedia Uji",
        "kind": Provider.Kind.NETWORK,
        "base_url": "http://127.0.0.1:8779",
        "timeout_seconds": 2,
    }
    values.update(fields)
    return Provider.objects.create(**values)


@pytest.fixture
def provider(monkeypatch):
    provider = _provider(credentials_env="UJIBILLER")
    monkeypatch.setenv("UJIBILLER_PRODUCTION_KEY", SECRET_KEY_VALUE)
    monkeypatch.setenv("UJIBILLER_PRODUCTION_USERNAME", SECRET_USER_VALUE)
    monkeypatch.setenv("UJIBILLER_DEVELOPMENT_KEY", "")
    return provider


def test_provider_pages_render_for_staff_without_credential_values(
    staff_client, provider
):
    product = ProductFactory()
    ProviderProduct.objects.create(
        product=product, provider=provider, provider_code="XL10", buy_price=9_750
    )
    pages = [
        reverse("admin:billers_provider_changelist"),
        reverse("admin:billers_provider_change", args=[provider.pk]),
        reverse("admin:billers_provider_add"),
        reverse("admin:products_product_change", args=[product.pk]),
        reverse("admin:billers_margins"),
        reverse("admin:billers_reconciliation_changelist"),
        reverse("admin:billers_reconciliation_run"),
        reverse("admin:billers_reconciliationmismatch_changelist"),
    ]
    for url in pages:
        answer = staff_client.get(url)
        assert answer.status_code == 200, url
        html = answer.content.decode()
        assert SECRET_KEY_VALUE not in html, url
        assert SECRET_USER_VALUE not in html, url

    change = staff_client.get(
        reverse("admin:billers_provider_change", args=[provider.pk])
    ).content.decode()
    assert "UJIBILLER_PRODUCTION_KEY" in change
    assert "UJIBILLER_PRODUCTION_USERNAME" in change
    assert change.count("terisi") >= 2
    assert "belum diisi" in change  # UJIBILLER_DEVELOPMENT_KEY is empty
    assert "&lt;AWALAN&gt;_&lt;LINGKUNGAN&gt;_&lt;NAMA&gt;" in change  # the help text
    assert "XL10" in change


def test_the_changelist_shows_breaker_and_figures_of_the_last_minutes(
    staff_client, provider
):
    for seconds in (0.04, 0.04, 0.04):
        health.record(provider.pk, ok=True, seconds=seconds)
    health.record(provider.pk, ok=False, seconds=0.9)

    html = staff_client.get(reverse("admin:billers_provider_changelist")).content
    row = html.decode().split(provider.code, 1)[1].split("</tr>", 1)[0]

    assert "Tertutup (normal)" in row
    assert "25.0%" in row  # 1 error in 4 calls
    assert "≤ 50 ms" in row  # p50
    assert "≤ 1000 ms" in row  # p99


def test_breaker_reset_is_audited(staff_client, staff, provider, settings):
    settings.BILLERS_BREAKER_FAILURES = 2
    for _ in range(2):
        health.record(provider.pk, ok=False, seconds=0.1)
    assert health.breaker_state(provider.pk) == "open"
    listed = staff_client.get(reverse("admin:billers_provider_changelist"))
    assert "Terbuka (dilewati)" in listed.content.decode()

    answer = staff_client.post(
        reverse("admin:billers_provider_changelist"),
        {"action": "breaker_reset_selected", "_selected_action": [provider.pk]},
        follow=True,
    )

    assert answer.status_code == 200
    assert health.breaker_state(provider.pk) == "closed"
    assert health.allow(provider.pk)
    [event] = AuditEvent.objects.filter(action="provider.breaker_reset")
    assert event.actor == staff
    assert event.subject_id == str(provider.pk)
    assert event.before == {"breaker": "open"}
    assert event.after == {"breaker": "closed"}


def test_admin_pages_are_refused_to_non_staff(client, owner, provider):
    client.force_login(owner)
    for url in [
        reverse("admin:billers_provider_changelist"),
        reverse("admin:billers_provider_change", args=[provider.pk]),
        reverse("admin:billers_margins"),
        reverse("admin:billers_provider_balance", args=[provider.pk]),
        reverse("admin:billers_reconciliation_changelist"),
        reverse("admin:billers_reconciliation_run"),
    ]:
        answer = client.get(url)
        assert answer.status_code == 302, url
        assert "/login/" in answer["Location"], url


def test_staff_without_the_rights_get_403_on_the_custom_pages(provider):
    plain = _client(StaffFactory(is_superuser=False))
    for url in [
        reverse("admin:billers_margins"),
        reverse("admin:billers_provider_balance", args=[provider.pk]),
        reverse("admin:billers_reconciliation_run"),
    ]:
        assert plain.get(url).status_code == 403, url


def test_the_balance_page_answers_with_a_message_when_the_provider_is_down(
    staff_client, provider
):
    """Nothing listens on the provider's URL: a warning, no 500, no credential."""
    answer = staff_client.get(
        reverse("admin:billers_provider_balance", args=[provider.pk]), follow=True
    )
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "tidak dapat dibaca" in html
    assert SECRET_KEY_VALUE not in html


def test_the_simulator_balance_is_shown(staff_client):
    simulator = _provider(kind=Provider.Kind.SIMULATOR)
    answer = staff_client.get(
        reverse("admin:billers_provider_balance", args=[simulator.pk]), follow=True
    )
    assert "Saldo Production: Rp 0" in answer.content.decode()


def _route_form(provider, product, route=None, **changes) -> dict:
    data = {
        "code": provider.code,
        "name": provider.name,
        "kind": provider.kind,
        "base_url": provider.base_url,
        "credentials_env": provider.credentials_env,
        "timeout_seconds": str(provider.timeout_seconds),
        "enabled": "on",
        "products-TOTAL_FORMS": "1",
        "products-INITIAL_FORMS": "1" if route else "0",
        "products-MIN_NUM_FORMS": "0",
        "products-MAX_NUM_FORMS": "1000",
        "products-0-id": str(route.pk) if route else "",
        "products-0-provider": str(provider.pk),
        "products-0-product": str(product.pk),
        "products-0-priority": "1",
        "products-0-provider_code": "KODE-A",
        "products-0-buy_price": "9500",
        "products-0-enabled": "on",
    }
    data.update(changes)
    return data


def test_routes_changed_in_the_admin_are_audited_and_read_again(
    staff_client, staff, provider, django_capture_on_commit_callbacks
):
    product = ProductFactory()
    url = reverse("admin:billers_provider_change", args=[provider.pk])
    assert routes_for(product)[0].provider.code == "sim"  # no route yet: the default

    with django_capture_on_commit_callbacks(execute=True):
        answer = staff_client.post(url, _route_form(provider, product))
    assert answer.status_code == 302, answer.content.decode()[:2000]
    route = ProviderProduct.objects.get(provider=provider)
    assert (route.provider_code, route.buy_price) == ("KODE-A", 9500)
    [first] = routes_for(product)
    assert (first.provider.pk, first.provider_code) == (provider.pk, "KODE-A")

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            url,
            _route_form(provider, product, route, **{"products-0-buy_price": "9600"}),
        )
    assert routes_for(product)[0].buy_price == 9600

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            url, _route_form(provider, product, route, **{"products-0-DELETE": "on"})
        )
    assert not ProviderProduct.objects.exists()
    assert routes_for(product)[0].provider.code == "sim"

    actions = list(
        AuditEvent.objects.filter(action__startswith="provider_route.")
        .order_by("id")
        .values_list("action", "subject_id", "actor")
    )
    assert actions == [
        ("provider_route.created", str(route.pk), staff.pk),
        ("provider_route.changed", str(route.pk), staff.pk),
        ("provider_route.deleted", str(route.pk), staff.pk),
    ]
    changed = AuditEvent.objects.get(action="provider_route.changed")
    assert changed.after["buy_price"] == 9600
    assert changed.after["changed"] == ["buy_price"]
    provider_events = AuditEvent.objects.filter(action="provider.changed")
    assert provider_events.count() == 3
    for event in provider_events:
        assert SECRET_KEY_VALUE not in str(event.after)


def test_the_product_page_lists_its_providers_in_order(staff_client, provider):
    product = ProductFactory()
    second = _provider(name="Cadangan", code="cadangan")
    ProviderProduct.objects.create(
        product=product, provider=second, priority=2, buy_price=9_900
    )
    ProviderProduct.objects.create(
        product=product,
        provider=provider,
        priority=1,
        provider_code="AX",
        buy_price=9_800,
    )

    html = staff_client.get(
        reverse("admin:products_product_change", args=[product.pk])
    ).content.decode()

    assert 'name="routes-0-provider_code" value="AX"' in html
    assert 'name="routes-0-buy_price" value="9800"' in html
    assert 'name="routes-1-buy_price" value="9900"' in html


# --- the suspect transactions in the work queue --------------------------------------------


def test_the_queue_shows_escalated_pending_transactions_only(staff_client, staff):
    now = timezone.now()
    waiting = [
        TransactionFactory(
            status=Transaction.Status.PENDING, escalated_at=now - timedelta(hours=h)
        )
        for h in (2, 30)
    ]
    TransactionFactory(status=Transaction.Status.PENDING)  # still being asked
    TransactionFactory(status=Transaction.Status.SUKSES, escalated_at=now)  # settled
    TransactionFactory(status=Transaction.Status.GAGAL, escalated_at=now)  # settled

    rows = {str(row.label): row for row in review_queue(user=staff).rows}
    row = rows["Transaksi suspect (pending)"]
    assert (row.count, row.overdue) == (2, 1)
    assert row.oldest == min(t.escalated_at for t in waiting)

    listed = staff_client.get(row.url)
    assert listed.status_code == 200
    html = listed.content.decode()
    shown = {
        t.reference_id for t in Transaction.objects.all() if t.reference_id in html
    }
    assert shown == {t.reference_id for t in waiting}
    index = staff_client.get(reverse("admin:index")).content.decode()
    assert "Transaksi suspect (pending)" in index


def test_the_transaction_page_shows_the_upstream_fields(staff_client, provider):
    txn = TransactionFactory(
        provider=provider,
        provider_ref="PRV-778899",
        upstream_ref="WABCDEFGHIJKLMNOPQRS",
        buy_price=20_000,
        sell_price=22_500,
        checks=4,
        status=Transaction.Status.PENDING,
        escalated_at=timezone.now(),
    )
    html = staff_client.get(
        reverse("admin:billing_transaction_change", args=[txn.pk])
    ).content.decode()
    for text in (
        provider.name,
        "PRV-778899",
        "WABCDEFGHIJKLMNOPQRS",
        "Rp 2.500",  # margin
        reverse("admin:openapi_suspecttransaction_settle", args=[txn.pk]),
    ):
        assert text in html
