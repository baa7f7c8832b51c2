import pytest

from community import services
from tests.factories import IncubatorFactory, UserFactory, make_member


@pytest.fixture
def incubator(db):
    return IncubatorFactory(name="Greenbizz", slug="greenbizz")


@pytest.fixture
def founder(db):
    return UserFactory(first_name="Colette", last_name="Dupont", language="fr")


@pytest.fixture
def company(founder, incubator):
    """A member company (confirmed, current membership) with `founder` as its person."""
    company = make_member(founder, incubator)
    company.name = "Pixelforge"
    company.save(update_fields=["name"])
    return company


@pytest.fixture
def make_profile():
    def make(company, *, by=None, publish=True, **fields):
        by = by or company.people.first()
        values = {
            "tagline": f"{company.name} makes things",
            "description": "We build software for shops.",
            "looking_for": ["partners"],
            **fields,
        }
        profile = services.profile_save(company=company, by=by, **values)
        if publish:
            services.profile_publish(profile=profile, by=by)
        return profile

    return make


@pytest.fixture
def profile(company, make_profile):
    return make_profile(company)


@pytest.fixture
def visitor(db):
    return UserFactory(first_name="Pieter", last_name="Janssens", language="nl")
