import datetime

import pytest
from django.utils import timezone

from events.models import Event, EventSession, Registration
from hackathons.models import Challenge, Criterion, Hackathon, Partner
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def hackathon(db):
    """A published hackathon, submissions open for two more days, teams of three at most,
    one challenge and two criteria weighted 2 and 1."""
    now = timezone.now()
    event = Event.objects.create(
        slug="hack-test",
        kind=Event.Kind.HACKATHON,
        title="Hack test",
        capacity=50,
        address="Rue de la Loi 1, Bruxelles",
        status=Event.Status.PUBLISHED,
    )
    EventSession.objects.create(
        event=event,
        starts_at=now + datetime.timedelta(days=1),
        ends_at=now + datetime.timedelta(days=2),
    )
    hackathon = Hackathon.objects.create(
        event=event, team_size_max=3, submission_deadline=now + datetime.timedelta(days=2)
    )
    partner = Partner.objects.create(name="European Commission", kind=Partner.Kind.EU_INSTITUTION)
    Challenge.objects.create(
        hackathon=hackathon, partner=partner, title="Open data", statement="Use the data."
    )
    Criterion.objects.create(hackathon=hackathon, name="Impact", weight=2, order=1)
    Criterion.objects.create(hackathon=hackathon, name="Design", weight=1, order=2)
    return hackathon


@pytest.fixture
def participant(hackathon):
    """A person with a confirmed registration to the hackathon."""

    def make(**fields):
        user = UserFactory(**fields)
        Registration.objects.create(
            event=hackathon.event, user=user, status=Registration.Status.CONFIRMED
        )
        return user

    return make


@pytest.fixture
def organiser(hackathon):
    user = UserFactory()
    hackathon.event.organisers.add(user)
    return user
