"""Factories of Manajemen User: sub-users as the service records them, and two-factor login."""

import factory
import pyotp
from django.utils import timezone

from accounts.tests.factories import UserFactory
from usermgmt import totp
from usermgmt.models import RecoveryCode, SubUser, TwoFactor
from usermgmt.rights import ROLES


class SubUserFactory(UserFactory):
    """A sub-user of ``partner`` (pass it), with a SubUser record and the Laporan role."""

    is_owner = False
    access_rights = factory.LazyFunction(lambda: dict(ROLES["laporan"][1]))

    @factory.post_generation
    def record(self, create, extracted, **kwargs):
        if create:
            number = int(self.username.rsplit(".", 1)[-1])
            SubUser.objects.create(user=self, number=number)


class TwoFactorFactory(factory.django.DjangoModelFactory):
    """Two-factor login already on; ``recovery_codes`` (the plain codes) are set on the
    instance for tests to type."""

    class Meta:
        model = TwoFactor
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    secret = factory.LazyFunction(pyotp.random_base32)
    confirmed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def codes(self, create, extracted, **kwargs):
        self.plain_codes = list(extracted) if extracted else totp.recovery_codes_new()
        if create:
            RecoveryCode.objects.bulk_create(
                RecoveryCode(
                    two_factor=self,
                    code_hash=totp.recovery_hash(user_id=self.user_id, code=code),
                )
                for code in self.plain_codes
            )


def current_code(two_factor_or_secret) -> str:
    secret = getattr(two_factor_or_secret, "secret", two_factor_or_secret)
    return pyotp.TOTP(secret).now()
