import pytest

from accounts.models import Role
from tests.factories import AdvisorFactory, CompanyFactory, UserFactory


@pytest.fixture
def edih_data(routing_rules):
    """The EDIH, its services, the test-before-invest category and its routing rule, as
    the edih data migration loads them; made again after a flush (after the default
    rules, which are only made when no rule exists)."""
    from edih.reference_data import load_edih
    from incubators.models import Agency, NeedCategory, Service, Theme
    from needs.models import RoutingRule

    load_edih(
        Agency=Agency,
        Service=Service,
        NeedCategory=NeedCategory,
        Theme=Theme,
        RoutingRule=RoutingRule,
    )
    return Agency.objects.get(slug="edih")


@pytest.fixture
def edih_advisor(edih_data):
    return AdvisorFactory(
        agency=edih_data, user=UserFactory(first_name="Eva", language="fr", role=Role.ADVISOR)
    )


@pytest.fixture
def founder(db):
    user = UserFactory(first_name="Sofia", language="fr")
    company = CompanyFactory(name="Pixelforge")
    company.people.add(user)
    return user


@pytest.fixture
def form_data(founder):
    return {
        "technology": "ai",
        "technology_other": "",
        "goal": "Can a vision model sort our returned parcels?",
        "data_available": "12 000 labelled photos of parcels.",
        "data_sensitivity": "confidential",
        "timeline": "quarter",
        "company": founder.companies.get().pk,
        "company_name": "",
        "consent": "on",
    }


@pytest.fixture
def ask(form_data):
    """A request made through the service, as the form makes it."""
    from edih.services import test_request_create

    def make(user, **overrides):
        data = {
            "technology": "ai",
            "goal": form_data["goal"],
            "data_available": form_data["data_available"],
            "data_sensitivity": "confidential",
            "timeline": "quarter",
            "company": user.companies.first(),
            "company_name": "" if user.companies.exists() else "Solo SRL",
            "consent": True,
            **overrides,
        }
        return test_request_create(user=user, **data)

    return make
