import factory

from accounts.tests.factories import PartnerFactory
from products.models import Category, Operator, PartnerProduct, Product


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"kategori-{n}")
    name = factory.Sequence(lambda n: f"Kategori {n}")
    position = factory.Sequence(lambda n: n)


class ProductFactory(factory.django.DjangoModelFactory):
    """A prepaid product by default; ``postpaid=True`` for a bill with an admin fee."""

    class Meta:
        model = Product

    code = factory.Sequence(lambda n: f"9{n:05d}")
    name = factory.Sequence(lambda n: f"Produk Uji {n}")
    category = factory.SubFactory(CategoryFactory)
    kind = Product.Kind.PREPAID
    price = 10500
    admin_fee = 0
    status = Product.Status.ACTIVE

    class Params:
        postpaid = factory.Trait(kind=Product.Kind.POSTPAID, price=0, admin_fee=2500)
        pulsa = factory.Trait(operator=Operator.TELKOMSEL)


class PartnerProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerProduct

    partner = factory.SubFactory(PartnerFactory)
    product = factory.SubFactory(ProductFactory)
    state = PartnerProduct.State.DEVELOPMENT
