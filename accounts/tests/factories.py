import factory
from django.utils import timezone

from accounts.models import Partner, User

PASSWORD = "Rahasia-Mitra-2026"


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    code = factory.Sequence(lambda n: f"MTR9{n:04d}")
    kind = Partner.Kind.PERUSAHAAN
    name = factory.Sequence(lambda n: f"PT Mitra Uji {n}")
    status = Partner.Status.ACTIVE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    partner = factory.SubFactory(PartnerFactory)
    name = factory.Faker("name", locale="id_ID")
    email = factory.Sequence(lambda n: f"user{n}@mitra.test")
    phone = factory.Sequence(lambda n: f"+62812{n:08d}")
    is_owner = True
    email_verified_at = factory.LazyFunction(timezone.now)

    @factory.lazy_attribute_sequence
    def username(self, n):
        code = self.partner.code.lower()
        return code if self.is_owner else f"{code}.{n}"

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save()


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    partner = None
    username = factory.Sequence(lambda n: f"staff{n}")
    name = "Staff Reviewer"
    email = factory.Sequence(lambda n: f"staff{n}@webopenapi.test")
    phone = None
    is_staff = True
    is_superuser = True
    email_verified_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save()
