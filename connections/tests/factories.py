import factory
from django.utils import timezone

from accounts.tests.factories import PartnerFactory
from connections.models import Connection
from portal.lib.environments import Environment
from portal.lib.review import ReviewStatus


class ConnectionFactory(factory.django.DjangoModelFactory):
    """A whitelist entry written straight to the database (tests of other apps use
    ``approved=True`` to let a partner's caller in)."""

    class Meta:
        model = Connection

    partner = factory.SubFactory(PartnerFactory)
    environment = Environment.DEVELOPMENT
    address = factory.Sequence(lambda n: f"198.18.{n // 250}.{n % 250 + 1}")
    review_status = ReviewStatus.PENDING

    class Params:
        approved = factory.Trait(
            review_status=ReviewStatus.APPROVED,
            decided_at=factory.LazyFunction(timezone.now),
        )
        rejected = factory.Trait(
            review_status=ReviewStatus.REJECTED,
            review_reason="IP bukan milik server mitra.",
            decided_at=factory.LazyFunction(timezone.now),
        )
