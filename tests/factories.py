import datetime

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import Role, User
from incubators.models import Advisor, Agency, Company, Incubator, Membership

PASSWORD = "correct-horse-battery-staple"


def enterprise_number(seq: int) -> str:
    base = 7_000_000 + seq
    return f"{base:08d}{97 - base % 97:02d}"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    language = "fr"
    role = Role.ENTREPRENEUR

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"agency-{n}")
    short_name = factory.Sequence(lambda n: f"Agency {n}")
    name = factory.LazyAttribute(lambda o: f"{o.short_name} full name")


class IncubatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incubator

    slug = factory.Sequence(lambda n: f"incubator-{n}")
    name = factory.Sequence(lambda n: f"Incubator {n}")
    street = "Rue de la Loi 16"
    postal_code = "1000"
    commune = "bruxelles"


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Company {n}")
    country = "BE"
    enterprise_number = factory.Sequence(enterprise_number)
    sector = Company.Sector.ICT
    stage = Company.Stage.EARLY


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    company = factory.SubFactory(CompanyFactory)
    incubator = factory.SubFactory(IncubatorFactory)
    start = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    status = Membership.Status.PENDING


class AdvisorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Advisor

    user = factory.SubFactory(UserFactory, role=Role.ADVISOR)
    agency = factory.SubFactory(AgencyFactory)
