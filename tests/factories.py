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


def _language_fr():
    from incubators.models import Language

    return Language.objects.get_or_create(code="fr", defaults={"name": "Français"})[0]


class ScheduleFactory(factory.django.DjangoModelFactory):
    """A weekly permanence open to every registered entrepreneur, in French, from today."""

    class Meta:
        model = "permanences.PermanenceSchedule"
        skip_postgeneration_save = True

    agency = factory.SubFactory(AgencyFactory)
    incubator = factory.SubFactory(IncubatorFactory)
    weekday = 0
    start_time = datetime.time(9, 0)
    end_time = datetime.time(12, 0)
    slot_minutes = 30
    valid_from = factory.LazyFunction(timezone.localdate)
    audience = "registered"

    @factory.post_generation
    def languages(obj, create, extracted, **kwargs):
        if create:
            obj.languages.set(extracted or [_language_fr()])

    @factory.post_generation
    def advisors(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.advisors.set(extracted)


class SlotFactory(factory.django.DjangoModelFactory):
    """A slot of its schedule, three days ahead at 10:00 Brussels time unless told."""

    class Meta:
        model = "permanences.Slot"

    schedule = factory.SubFactory(ScheduleFactory)
    agency = factory.SelfAttribute("schedule.agency")
    incubator = factory.SelfAttribute("schedule.incubator")
    starts_at = factory.LazyFunction(
        lambda: timezone.make_aware(
            datetime.datetime.combine(
                timezone.localdate() + datetime.timedelta(days=3), datetime.time(10, 0)
            )
        )
    )
    ends_at = factory.LazyAttribute(
        lambda o: o.starts_at + datetime.timedelta(minutes=o.schedule.slot_minutes)
    )
    bookable_from = factory.LazyAttribute(
        lambda o: o.starts_at - datetime.timedelta(days=o.schedule.booking_opens_days)
    )
    bookable_until = factory.LazyAttribute(
        lambda o: o.starts_at - datetime.timedelta(hours=o.schedule.min_notice_hours)
    )
    capacity = factory.SelfAttribute("schedule.capacity")


def _need_category():
    from incubators.models import NeedCategory

    return NeedCategory.objects.get_or_create(
        slug="financing", defaults={"name": "Financement", "name_fr": "Financement"}
    )[0]


class NeedFactory(factory.django.DjangoModelFactory):
    """A need shared with consent; not routed (route it with the services if needed)."""

    class Meta:
        model = "needs.Need"

    user = factory.SubFactory(UserFactory)
    category = factory.LazyFunction(_need_category)
    description = "We look for a loan to buy our first machines."
    consent = True
    consent_changed_at = factory.LazyFunction(timezone.now)


class RoutedNeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "needs.RoutedNeed"

    need = factory.SubFactory(NeedFactory)
    agency = factory.SubFactory(AgencyFactory)
    ack_due_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(hours=48))


def make_member(user, incubator):
    """A confirmed, current membership of a new company of `user` at `incubator`."""
    company = CompanyFactory()
    company.people.add(user)
    Membership.objects.create(
        company=company,
        incubator=incubator,
        start=timezone.localdate() - datetime.timedelta(days=30),
        status=Membership.Status.CONFIRMED,
    )
    return company


def survey_responses(agency, incubator, ratings, *, survey=None) -> None:
    """One answered invitation and response per rating (its satisfaction), bypassing the
    services: call survey_results_rebuild() after, to count them in the results."""
    from surveys.defaults import standard_survey_create
    from surveys.models import Invitation, Response, Survey

    survey = survey or Survey.objects.filter(kind=Survey.Kind.AFTER_BOOKING).first()
    survey = survey or standard_survey_create(kind=Survey.Kind.AFTER_BOOKING)
    for rating in ratings:
        invitation = Invitation.objects.create(
            survey=survey,
            user=UserFactory(),
            agency=agency,
            incubator=incubator,
            expires_at=timezone.now() + datetime.timedelta(days=30),
            answered_at=timezone.now(),
        )
        Response.objects.create(
            invitation=invitation,
            survey=survey,
            agency=agency,
            incubator=incubator,
            satisfaction=rating,
            nps=min(rating * 2, 10),
        )
