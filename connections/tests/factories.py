import secrets

import factory
from django.utils import timezone

from accounts.tests.factories import PartnerFactory
from connections.callback_http import body_text
from connections.models import CallbackDelivery, CallbackEndpoint, Connection
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


class CallbackEndpointFactory(factory.django.DjangoModelFactory):
    """A callback URL written straight to the database (rules not checked)."""

    class Meta:
        model = CallbackEndpoint

    partner = factory.SubFactory(PartnerFactory)
    environment = Environment.DEVELOPMENT
    url = "http://127.0.0.1:9/callback"
    secret = factory.LazyFunction(lambda: secrets.token_urlsafe(32))
    secret_created_at = factory.LazyFunction(timezone.now)


class CallbackDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallbackDelivery

    partner = factory.SubFactory(PartnerFactory)
    environment = Environment.DEVELOPMENT
    url = "http://127.0.0.1:9/callback"
    reference_id = factory.Sequence(lambda n: f"REF{n:06d}")
    payload = factory.LazyAttribute(
        lambda o: {"referenceID": o.reference_id, "rc": "00", "data": {}}
    )
    body = factory.LazyAttribute(lambda o: body_text(o.payload))
    status = CallbackDelivery.Status.FAILED
    attempts = 1
