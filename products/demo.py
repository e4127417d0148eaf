"""Demo data for `make run`: the catalogue (the same loader as `manage.py load_catalogue`), and
a few chosen products for each active demo partner (`demo_partners`). Safe to run twice."""

from accounts.management.commands.seed_demo import demo_partners
from products import services
from products.models import Product

# PLN postpaid, PLN token 20rb, BPJS Kesehatan, Telkomsel 10rb, OVO 50rb.
DEMO_CHOICES = ["100301", "100312", "900001", "501021", "751031"]


def seed(stdout) -> None:
    result = services.catalogue_load()
    stdout.write(
        f"Katalog produk: {result.created} baru, {result.updated} diperbarui, "
        f"{result.unchanged} tetap."
    )
    products = list(
        Product.objects.filter(code__in=DEMO_CHOICES, status=Product.Status.ACTIVE)
    )
    chosen = 0
    for partner in demo_partners():
        chosen += services.partner_products_choose(
            partner=partner, products=products, actor=partner.owner
        )
    stdout.write(f"Produk mitra demo: {chosen} produk dipilih.")
