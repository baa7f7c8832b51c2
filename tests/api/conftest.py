import pytest
from rest_framework.test import APIClient

from api.models import AgencyToken
from api.services import token_issue
from incubators.models import Agency, NeedCategory
from needs.services import need_create
from tests.factories import AdvisorFactory, UserFactory


@pytest.fixture(autouse=True)
def _no_api_rate_limits(settings):
    rest = {**settings.REST_FRAMEWORK}
    rest["DEFAULT_THROTTLE_RATES"] = {"token": None, "anonymous": None}
    settings.REST_FRAMEWORK = rest


@pytest.fixture(autouse=True)
def _webhooks_to_local_addresses(settings):
    """The test receivers listen on 127.0.0.1; production refuses such addresses."""
    settings.WEBHOOKS_ALLOW_LOCAL = True


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def two_agencies(reference_data):
    return Agency.objects.get(slug="impulse"), Agency.objects.get(slug="innoviris")


@pytest.fixture
def token_for():
    def issue(agency, scope=AgencyToken.Scope.READ, **kwargs):
        if scope == AgencyToken.Scope.WRITE:
            kwargs.setdefault("acts_as", AdvisorFactory(agency=agency))
        return token_issue(agency=agency, name="CRM", scope=scope, **kwargs)[1]

    return issue


@pytest.fixture
def need_routed_to():
    """A need with consent, routed to the given agency; returns its routing."""

    def make(agency, *, consent=True):
        need = need_create(
            user=UserFactory(),
            category=NeedCategory.objects.get(slug="financing"),
            description="Looking for a loan",
            consent=consent,
            agency=agency,
        )
        return need.routings.get(agency=agency)

    return make


@pytest.fixture
def booking_at(make_slot, book):
    """A booking of a slot of the given agency (profile shared unless told)."""

    def make(agency, *, consent=True):
        return book(make_slot(agency=agency), UserFactory(), consent_share_profile=consent)

    return make
