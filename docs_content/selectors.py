"""Reads for the documentation: whether it is open to a partner, the partner's own Development
values for the code samples, and the catalogue tables."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from accounts.models import Partner
from connections.selectors import connection_list, has_approved_entry
from portal.lib.environments import Environment
from portal.lib.review import ReviewStatus
from products.models import Category, Operator, Product
from products.selectors import catalogue, categories
from profiles.selectors import partner_credentials

# Shown where the partner types its own password; never a real one.
PASSWORD_PLACEHOLDER = "PASSWORD_DEV_ANDA"  # noqa: S105


@dataclass(frozen=True)
class DevValues:
    """What the samples put where a partner's Development credential goes. Never a password:
    the partner replaces ``PASSWORD_PLACEHOLDER`` with the password it received."""

    username: str
    mitra: str
    account_id: str
    merchant_id: str
    merchant_name: str
    counter_id: str
    issued: bool

    def sign_on_body(self) -> dict[str, str]:
        return {
            "mitra": self.mitra,
            "accountID": self.account_id,
            "merchantID": self.merchant_id,
            "merchantName": self.merchant_name,
            "counterID": self.counter_id,
        }


PLACEHOLDER_VALUES = DevValues(
    username="USERNAME_DEV_ANDA",
    mitra="MITRA_ANDA",
    account_id="ACCOUNT_ID_ANDA",
    merchant_id="MERCHANT_ID_ANDA",
    merchant_name="MERCHANT_NAME_ANDA",
    counter_id="COUNTER_ID_ANDA",
    issued=False,
)


def dev_values(partner: Partner) -> DevValues:
    """The partner's Transaksi (Development) values, or placeholders before they are issued."""
    for credential in partner_credentials(partner):
        if credential.environment == Environment.DEVELOPMENT:
            return DevValues(
                username=credential.username,
                mitra=credential.mitra,
                account_id=credential.account_id,
                merchant_id=credential.merchant_id,
                merchant_name=credential.merchant_name,
                counter_id=credential.counter_id,
                issued=True,
            )
    return PLACEHOLDER_VALUES


def docs_open(partner: Partner) -> bool:
    """The documentation opens with the partner's first approved connection entry."""
    return has_approved_entry(partner=partner)


def closed_reason(partner: Partner) -> str:
    """Why the documentation is still closed, in the words of the partner's next step."""
    statuses = set(
        connection_list(partner=partner).values_list("review_status", flat=True)
    )
    if ReviewStatus.PENDING in statuses:
        return _(
            "IP Address Anda sedang menunggu persetujuan tim kami. Dokumentasi terbuka "
            "otomatis setelah IP Address disetujui."
        )
    if ReviewStatus.REJECTED in statuses:
        return _(
            "IP Address yang Anda daftarkan ditolak. Lihat alasannya di menu Koneksi, "
            "perbaiki lalu ajukan kembali."
        )
    return _(
        "Belum ada IP Address yang didaftarkan. Daftarkan IP server Anda di menu Koneksi "
        "dengan tombol Tambah."
    )


@dataclass(frozen=True)
class OperatorPrices:
    prefix: str
    name: str
    pulsa: list[Product]
    data: list[Product]


PULSA_SLUG = "pulsa-prabayar"
DATA_SLUG = "paket-data"


def pulsa_prices() -> list[OperatorPrices]:
    """Pulsa and paket data of the catalogue, per operator (the prefixID of the API)."""
    rows = {
        value: OperatorPrices(value, str(label), [], [])
        for value, label in Operator.choices
    }
    for product in catalogue().filter(category__slug__in=[PULSA_SLUG, DATA_SLUG]):
        group = rows.get(product.operator)
        if group is None:
            continue
        target = group.pulsa if product.category.slug == PULSA_SLUG else group.data
        target.append(product)
    for group in rows.values():
        group.pulsa.sort(key=lambda p: (p.price, p.code))
        group.data.sort(key=lambda p: (p.price, p.code))
    return list(rows.values())


def product_categories() -> list[Category]:
    return list(categories())


def product_groups() -> list[Category]:
    """The groups ``getHargaByProductID`` answers for a ``prefixID`` (one per category that
    has a group code), in menu order, each with ``product_count``."""
    return list(categories().exclude(group_code=""))


def category_products(category: Category) -> list[Product]:
    return list(catalogue(category=category))
