from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from products import services


class Command(BaseCommand):
    help = (
        "Muat katalog produk dari products/data/*.csv. Aman dijalankan berulang: harga dan "
        "status yang diubah staff tidak ditimpa kecuali dengan --update-prices."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=services.CATALOGUE_FILE)
        parser.add_argument(
            "--update-prices",
            action="store_true",
            help="Samakan harga dan biaya admin produk yang sudah ada dengan file.",
        )

    def handle(self, *args, **options):
        try:
            result = services.catalogue_load(
                products_path=options["file"], update_prices=options["update_prices"]
            )
        except (OSError, services.ProductError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Katalog dimuat: {result.categories} kategori, {result.created} produk baru, "
                f"{result.updated} diperbarui, {result.unchanged} tidak berubah."
            )
        )
