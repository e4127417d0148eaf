"""Every section renders from its Markdown with the generated blocks, in the manual's order."""

import re

import pytest
from django.urls import reverse

from docs_content.sections import SECTIONS
from docs_content.spec import OPERATIONS
from docs_content.tests.helpers import block_texts
from openapi import rc
from openapi.development_numbers import development_numbers

MANUAL_ORDER = [
    "Revisi",
    "Authentikasi",
    "Sign On",
    "Inquiry",
    "Payment",
    "Single Payment",
    "Check Status",
    "Callback",
    "Daftar Harga Pulsa",
    "Cek Deposit",
    "Cek Status Produk",
    "Daftar Produk",
    "Daftar Kode Response",
    "Nomor Development",
]
CATEGORIES = [
    "Asuransi",
    "Listrik",
    "Multifinance",
    "Pajak",
    "PDAM",
    "Streaming",
    "Telekomunikasi",
    "TV Berbayar",
    "Uang Elektronik",
    "Voucher Game",
]


def page(client, slug):
    response = client.get(reverse("docs_content:section", args=[slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_menu_lists_the_sections_in_the_manuals_order(docs_client):
    html = docs_client.get(reverse("docs_content:index")).content.decode()
    menu = re.search(r'id="docsMenu".*?</nav>', html, re.S).group(0)
    titles = [
        re.sub(r"<[^>]+>", "", t).strip() for t in re.findall(r"</i>(.*?)\s*</a>", menu)
    ]
    assert [t for t in titles if t in MANUAL_ORDER] == MANUAL_ORDER
    assert [str(s.title) for s in SECTIONS] == MANUAL_ORDER


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.slug)
def test_every_section_renders_with_anchors(docs_client, section):
    html = page(docs_client, section.slug)
    assert "DOCSBLOCK" not in html and "{{" not in html
    anchors = re.findall(
        r'<a class="d-block ps-5 py-1 text-decoration-none" href="#([^"]+)"', html
    )
    assert anchors, "the left menu lists the headings of the page"
    for anchor in anchors:
        assert f'id="{anchor}"' in html


@pytest.mark.parametrize("slug", ["inquiry", "payment"])
def test_inquiry_and_payment_cover_every_category(docs_client, slug):
    html = page(docs_client, slug)
    headings = re.findall(r"<h2 id=\"[^\"]+\">(.*?)</h2>", html)
    assert [h for h in headings if h in CATEGORIES] == CATEGORIES


def test_every_operation_has_its_request_and_response_fields(docs_client):
    html = "".join(page(docs_client, s.slug) for s in SECTIONS)
    tables = block_texts(html, "data-fields")
    endpoints = block_texts(html, "data-endpoint")
    for operation in OPERATIONS:
        assert operation.key in endpoints
        for part in ("request", "response"):
            assert f"{operation.key}.{part}" in tables
        for field in operation.request + operation.response:
            assert (
                field.name in tables[f"{operation.key}.{part}"]
                or field.name in (tables[f"{operation.key}.request"])
            )


def test_field_tables_show_nested_fields(docs_client):
    html = page(docs_client, "inquiry")
    assert 'data-field="data.rincianTagihan[].bulan"' in html
    assert 'data-field="data.nama"' in html


def test_response_code_page_is_the_table_the_code_uses(docs_client):
    html = page(docs_client, "daftar-kode-response")
    rows = block_texts(html, "data-rc")
    assert list(rows) == [row["code"] for row in rc.table()]
    for row in rc.table():
        assert row["description"] in rows[row["code"]]
    assert "Pending" in rows["71"] and "Gagal" in rows["17"]


def test_development_numbers_page_lists_every_simulator_number(docs_client):
    html = page(docs_client, "nomor-development")
    numbers = block_texts(html, "data-number")
    expected = development_numbers()
    assert set(numbers) == {row["customer_id"] for row in expected}
    for row in expected:
        assert row["outcome"] in numbers[row["customer_id"]]


def test_revisions_are_dated(docs_client):
    html = page(docs_client, "revisi")
    assert re.search(r'<time datetime="\d{4}-\d{2}-\d{2}">', html)
    assert reverse("docs_content:openapi_json") in html
    assert reverse("docs_content:postman") in html


def test_samples_come_in_three_languages(docs_client, credential, settings):
    settings.SITE_URL = "https://api.contoh.co.id"
    for slug, name in (("authentikasi", "authentikasi"), ("sign-on", "sign_on")):
        html = page(docs_client, slug)
        assert f'data-samples="{name}"' in html
        for language in ("curl", "python", "php"):
            assert f'data-sample="{language}"' in html
        assert "https://api.contoh.co.id/auth/Sign-On" in html
        assert "HTTPDigestAuth" in html and "CURLAUTH_DIGEST" in html
        assert "PASSWORD_DEV_ANDA" in html
        assert credential.username in html


def test_digest_example_is_computed_for_the_partner(docs_client, credential, settings):
    import hashlib

    html = page(docs_client, "authentikasi")
    ha1 = hashlib.md5(  # noqa: S324 - the Digest protocol's HA1
        f"{credential.username}:{settings.DIGEST_REALM}:PASSWORD_DEV_ANDA".encode()
    ).hexdigest()
    assert ha1 in html


def test_examples_show_the_partners_merchant_id(docs_client, credential):
    examples = block_texts(page(docs_client, "inquiry"), "data-example")
    assert examples
    for text in examples.values():
        assert credential.merchant_id in text
        assert "MD0123456789" not in text


def test_without_credential_samples_use_placeholders(owner_client, partner):
    from docs_content.tests.factories import approve_local_connections

    approve_local_connections(partner)
    html = page(owner_client, "sign-on")
    assert "USERNAME_DEV_ANDA" in html and "MERCHANT_ID_ANDA" in html
    assert "Kredensial Development belum diterbitkan" in html


def test_database_values_are_escaped(docs_client, credential):
    html = page(docs_client, "sign-on")
    assert "<Anak>" not in html
    assert "&lt;Anak&gt;" in html


def test_print_styles_hide_the_navigation(docs_client):
    html = page(docs_client, "revisi")
    assert "css/docs.css" in html
    from pathlib import Path

    from django.conf import settings

    css = (Path(settings.BASE_DIR) / "static/css/docs.css").read_text()
    assert "@media print" in css and ".sidebar" in css and ".codehilite" in css


def test_pulsa_prices_come_from_the_catalogue_per_operator(docs_client):
    from products.tests.factories import CategoryFactory, ProductFactory

    pulsa = CategoryFactory(slug="pulsa-prabayar", name="Pulsa Prabayar")
    data = CategoryFactory(slug="paket-data", name="Paket Data")
    ProductFactory(
        code="501021", name="Telkomsel 10.000", category=pulsa, price=10550, pulsa=True
    )
    ProductFactory(
        code="5D5521",
        name="Telkomsel Data 1GB",
        category=data,
        price=14000,
        operator="21",
    )
    ProductFactory(
        code="501011",
        name="Indosat 10.000",
        category=pulsa,
        price=10900,
        operator="11",
        status="MAINTENANCE",
    )
    html = page(docs_client, "daftar-harga-pulsa")
    table = html[html.index("data-pulsa-prices") :]
    telkomsel = table[table.index("Telkomsel <span") :]
    assert telkomsel.index('data-product="501021"') < telkomsel.index(
        'data-product="5D5521"'
    )
    assert "Rp 10.550" in table and "Rp 14.000" in table
    indosat = table[table.index("Indosat <span") : table.index("Telkomsel <span")]
    assert 'data-product="501011"' in indosat and "Maintenance" in indosat


def test_the_product_groups_of_the_price_list_come_from_the_catalogue(docs_client):
    from products.tests.factories import CategoryFactory, ProductFactory

    listrik = CategoryFactory(slug="listrik", name="Listrik", group_code="LST.AAAA")
    ProductFactory(code="100301", category=listrik)
    CategoryFactory(slug="lain", name="Tanpa Grup", group_code="")

    html = page(docs_client, "daftar-harga-pulsa")

    table = html[html.index("data-product-groups") :]
    row = table[table.index('data-group="LST.AAAA"') :]
    assert "Listrik" in row[: row.index("</tr>")]
    assert "Tanpa Grup" not in table[: table.index("</table>")]
    assert "prefixID" in html and "AAA.AAAA" in html
