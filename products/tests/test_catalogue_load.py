import re
from io import StringIO

from django.core.management import call_command

from products import services
from products.models import Category, Product

CATEGORY_NAMES = [
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
    "Pulsa Prabayar",
    "Paket Data",
]


def _counts() -> dict[str, int]:
    return {
        category.name: category.products.count() for category in Category.objects.all()
    }


def test_the_command_loads_at_least_150_products_in_the_twelve_categories(db):
    out = StringIO()
    call_command("load_catalogue", stdout=out)
    assert "12 kategori" in out.getvalue()
    assert list(Category.objects.values_list("name", flat=True)) == CATEGORY_NAMES
    assert Product.objects.count() >= 150
    counts = _counts()
    assert all(counts[name] >= 2 for name in CATEGORY_NAMES), counts
    assert counts["Pulsa Prabayar"] >= 40
    assert counts["Voucher Game"] >= 30


def test_loading_twice_changes_nothing(db):
    first = services.catalogue_load()
    counts = _counts()
    second = services.catalogue_load()
    assert first.created >= 150
    assert (second.created, second.updated) == (0, 0)
    assert second.unchanged == first.created
    assert _counts() == counts


def test_reloading_keeps_prices_and_status_set_by_staff(db):
    services.catalogue_load()
    Product.objects.filter(code="100312").update(
        price=22000, status="GANGGUAN", name="Token lama"
    )
    assert services.catalogue_load().updated == 1
    token = Product.objects.get(code="100312")
    assert (token.name, token.price, token.status) == (
        "PLN Token 20.000",
        22000,
        "GANGGUAN",
    )
    services.catalogue_load(update_prices=True)
    token.refresh_from_db()
    assert (token.price, token.status) == (21500, "GANGGUAN")


def test_codes_follow_the_industry_conventions(db):
    services.catalogue_load()
    by_code = {p.code: p for p in Product.objects.select_related("category")}
    assert by_code["100301"].kind == Product.Kind.POSTPAID
    assert by_code["100301"].admin_fee > 0
    tokens = {"100392": 5000, "1003A2": 10000, "100312": 20000, "100362": 1000000}
    for code, nominal in tokens.items():
        assert by_code[code].category.name == "Listrik"
        assert by_code[code].price > nominal
    assert by_code["900001"].name == "BPJS Kesehatan"
    assert by_code["501021"].name == "Telkomsel 10.000"
    assert by_code["501021"].operator == "21"
    assert by_code["510011"].name == "Indosat 100.000"
    assert by_code["510011"].operator == "11"
    pdam = [p for p in by_code.values() if p.category.name == "PDAM"]
    assert all(re.fullmatch(r"4\d{4}1", p.code) for p in pdam)
    pbb = [p for p in by_code.values() if p.category.name == "Pajak"]
    assert all(re.fullmatch(r"74\d{3}1", p.code) for p in pbb)
    names = " ".join(p.name for p in by_code.values())
    for wallet in ("OVO", "GoPay", "DANA", "ShopeePay", "Mobile Legends", "Free Fire"):
        assert wallet in names
    pulsa = [p for p in by_code.values() if p.category.name == "Pulsa Prabayar"]
    assert all(p.code[-2:] == p.operator for p in pulsa)


def test_prices_are_whole_rupiah_and_plausible(db):
    services.catalogue_load()
    for product in Product.objects.all():
        if product.is_prepaid:
            assert 500 <= product.price <= 2_000_000, product
        else:
            assert 1000 <= product.admin_fee <= 10_000, product


def test_demo_seed_loads_the_catalogue(db):
    from products import demo

    out = StringIO()
    demo.seed(out)
    assert Product.objects.count() >= 150
    assert "Katalog produk" in out.getvalue()
