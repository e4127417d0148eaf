"""Every URL of the URLconf, walked as a logged-in partner owner with hostile query strings
and form values: nothing answers 5xx and no money moves.

Path parameters are filled with the partner's real objects where the test has one (so that
the views get past their 404 and read the query string and the form), and with hostile
values too. Form field names are read from each page itself, so a new form is fuzzed without
this test being told about it. The back-office (staff only) is left out.
"""

from __future__ import annotations

import re
from itertools import product as cartesian
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db.models import Count, Sum
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter, SlugConverter, StringConverter

from billing.models import DepositAccount, LedgerEntry
from billing.services.deposit import SANDBOX_BALANCE_CAP
from billing.tests.factories import TopUpFactory, deposit_fund, paid_transaction
from connections.tests.factories import (
    CallbackDeliveryFactory,
    CallbackEndpointFactory,
    ConnectionFactory,
)
from integration.tests.factories import ApiLogFactory, uat_filed
from openapi.tests.factories import CredentialFactory
from portal.lib.environments import Environment
from products.tests.factories import PartnerProductFactory, ProductFactory
from usermgmt.tests.factories import SubUserFactory

# One value of each kind that has broken a view somewhere: overlong, NUL, digits that
# str.isdigit() takes but int() does not (and Arabic-Indic ones that int() takes), dates at
# the ends of the calendar, a negative number and one beyond any column.
HOSTILE = [
    "A" * 3000,
    "ab\x00cd",
    "²",
    "١٢٣",
    "9999-12-31",
    "0001-01-01",
    "-1",
    "9" * 30,
]
# A far date alone: with the other end empty, the form computes it from this one.
LONE_DATES = [
    {name: value}
    for name, value in cartesian(("date_from", "date_to"), ("9999-12-31", "0001-01-01"))
]
# Query parameters that views read without a form.
QUERY_NAMES = ["page", "tes", "env", "category", "product", "next", "q"]
FIELD_NAME = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"')
SKIPPED_FIELDS = {"csrfmiddlewaretoken"}


def _patterns(resolver=None, prefix=""):
    """(route, pattern) of every URL pattern, the included ones too."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith(settings.ADMIN_URL):
                continue
            yield from _patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


def _path_values(name: str, converter, real: dict) -> list[str]:
    """The values tried for one path parameter: the partner's own object first."""
    values = [str(real[name])] if name in real else []
    if isinstance(converter, IntConverter):
        return [*values, "0", "9" * 30]
    if isinstance(converter, SlugConverter):
        return [*values, "x" * 300]
    if isinstance(converter, StringConverter):
        return [*values, "ab\x00cd", "²", "x" * 3000]
    return [*values, "x"]


def _urls(real_by_route: dict) -> list[tuple[str, bool]]:
    """(URL, fuzz its query and form?) for every pattern: once with the partner's own
    objects (or the first hostile value) as parameters, whose query and form are fuzzed; then
    once per hostile value of each parameter in turn."""
    urls = []
    for route, pattern in _patterns():
        converters = getattr(pattern.pattern, "converters", None)
        if converters is None:
            # A regex route (the Open API's catch-all for unknown services).
            urls.append(("/Services/Tidak-Ada", False))
            continue
        real = real_by_route.get(route, {})
        options = {
            name: _path_values(name, conv, real) for name, conv in converters.items()
        }
        first = {name: values[0] for name, values in options.items()}
        urls.append((_fill(route, first), True))
        for name, values in options.items():
            urls += [(_fill(route, {**first, name: v}), False) for v in values[1:]]
    return urls


def _fill(route: str, values: dict) -> str:
    url = "/" + route
    for name, value in values.items():
        url = re.sub(rf"<(?:\w+:)?{name}>", quote(value, safe=""), url)
    return url


def _money() -> dict:
    """What the walk must leave untouched: each deposit's balance, and the count and sum of
    its ledger entries."""
    entries = {
        row["account_id"]: (row["count"], row["total"])
        for row in LedgerEntry.objects.values("account_id").annotate(
            count=Count("pk"), total=Sum("amount")
        )
    }
    return {
        account.pk: (account.balance, entries.get(account.pk))
        for account in DepositAccount.objects.all()
    }


@pytest.fixture
def world(owner, staff):
    """The owner's partner with one of everything a URL can name."""
    partner = owner.partner
    deposit_fund(partner, 5_000_000)
    # The sandbox fund is full, so that even a valid POST of it moves nothing.
    deposit_fund(partner, SANDBOX_BALANCE_CAP, Environment.DEVELOPMENT)
    transaction = paid_transaction(partner, total=10_000)
    topup = TopUpFactory(partner=partner)
    entry = ConnectionFactory(partner=partner, rejected=True)
    CallbackEndpointFactory(partner=partner)
    delivery = CallbackDeliveryFactory(partner=partner)
    product = ProductFactory(postpaid=True)
    uat = uat_filed(partner, product)
    chosen = PartnerProductFactory(partner=partner)
    sub_user = SubUserFactory(partner=partner)
    credential = CredentialFactory(partner=partner)
    log = ApiLogFactory(partner=partner)
    env = {"environment": Environment.DEVELOPMENT.value}
    return {
        "profil/kredensial/<int:pk>/ganti-password/": {"pk": credential.pk},
        "koneksi/<int:pk>/perbaiki/": {"pk": entry.pk},
        "koneksi/<int:pk>/hapus/": {"pk": entry.pk},
        "koneksi/callback/<str:environment>/url/": env,
        "koneksi/callback/<str:environment>/secret/": env,
        "koneksi/callback/<str:environment>/tes/": env,
        "koneksi/callback/kirim-ulang/<int:pk>/": {"pk": delivery.pk},
        "dokumentasi/daftar-produk/<slug:category>/": {
            "category": product.category.slug
        },
        "dokumentasi/<slug:slug>/": {"slug": "pendahuluan"},
        "produk/produk-anda/<int:pk>/hapus/": {"pk": chosen.pk},
        "integrasi/uat/<int:pk>/": {"pk": uat.pk},
        "integrasi/uat/<int:pk>/perbaiki/": {"pk": uat.pk},
        "integrasi/uat/<int:pk>/bukti/<int:evidence_pk>/": {
            "pk": uat.pk,
            "evidence_pk": uat.evidence.first().pk,
        },
        "integrasi/uat/<int:pk>/request-live/": {"pk": uat.pk},
        "transaksi/<int:pk>/": {"pk": transaction.pk},
        "transaksi/topup/<int:pk>/": {"pk": topup.pk},
        "transaksi/topup/<int:pk>/bukti/": {"pk": topup.pk},
        "transaksi/topup/<int:pk>/bukti/unduh/": {"pk": topup.pk},
        "manajemen-user/<int:pk>/ubah/": {"pk": sub_user.pk},
        "manajemen-user/<int:pk>/hapus/": {"pk": sub_user.pk},
        "log-api/<int:pk>/": {"pk": log.pk},
    }


def _html(response) -> str:
    if response.streaming or "html" not in response.get("Content-Type", ""):
        return ""
    return response.content.decode(errors="replace")


def test_no_url_answers_5xx_or_moves_money(client, owner, world):
    # A 500 is recorded with its cause rather than raised, so that one run lists them all.
    client.raise_request_exception = False
    money = _money()
    failures, answered, pages = [], 0, 0
    client.force_login(owner)
    for url, fuzz in _urls(world):
        first = client.get(url)
        answered += 1
        failures += _failure("GET", url, {}, first)
        requests = []
        if first.status_code == 405:
            requests.append(("post", {name: HOSTILE[1] for name in QUERY_NAMES}))
        if fuzz:
            html = _html(first)
            names = sorted({*FIELD_NAME.findall(html), *QUERY_NAMES} - SKIPPED_FIELDS)
            if first.status_code == 200:
                pages += 1
                requests += [("get", _rotated(names, k)) for k in range(len(HOSTILE))]
                requests += [("get", d) for d in LONE_DATES if "date_to" in names]
            if first.status_code == 405 or 'method="post"' in html:
                requests += [("post", _rotated(names, k)) for k in (2, 5, 7)]
        for method, data in requests:
            response = getattr(client, method)(url, data)
            answered += 1
            failures += _failure(method.upper(), url, data, response)
            if method == "post":
                # A POST may have logged out or changed the owner's password.
                client.force_login(owner)
    assert failures == []
    assert _money() == money
    assert all(balance == total for balance, (_count, total) in money.values())
    # The walk reached the pages themselves, not only the login page and 404s.
    assert pages > 40, pages
    assert answered > 300, answered


def _rotated(names: list[str], k: int) -> dict:
    """Every field a hostile value, field i taking value i + k: over len(HOSTILE) requests
    every field gets every value."""
    return {name: HOSTILE[(i + k) % len(HOSTILE)] for i, name in enumerate(names)}


def _failure(method: str, url: str, data: dict, response) -> list[tuple]:
    if response.status_code < 500:
        return []
    shown = {name: value[:12] for name, value in data.items()}
    return [(method, url, shown, _cause(response))]


def _cause(response) -> str:
    if response.exc_info:
        return f"{response.exc_info[0].__name__}: {response.exc_info[1]}"[:200]
    return str(response.status_code)
