import pytest

from edih.reference_data import load_edih
from incubators.models import Agency, NeedCategory, Service, Theme
from needs.models import RoutingRule
from needs.services import agencies_for
from tests.factories import NeedFactory

pytestmark = pytest.mark.django_db


def _load():
    load_edih(
        Agency=Agency,
        Service=Service,
        NeedCategory=NeedCategory,
        Theme=Theme,
        RoutingRule=RoutingRule,
    )


def test_the_migration_loads_the_edih_its_services_and_its_routing_rule():
    agency = Agency.objects.get(slug="edih")
    assert agency.name_nl.startswith("EDIH Brussel")
    services = agency.services.order_by("order")
    assert [s.name_en for s in services] == [
        "Test before invest",
        "Funding advice",
        "International expertise",
    ]
    assert all(s.themes.filter(slug="digitalisation").exists() for s in services)
    category = NeedCategory.objects.get(slug="test-before-invest")
    assert category.name_fr == "Tester avant d'investir"
    need = NeedFactory(category=category)
    assert [a.slug for a in agencies_for(need=need)] == ["edih"]


def test_loading_again_changes_nothing_and_keeps_the_coordinators_edits():
    rule = RoutingRule.objects.get(category__slug="test-before-invest")
    rule.agencies.add(Agency.objects.get(slug="innoviris"))
    Agency.objects.filter(slug="edih").update(short_name="EDIH Brussels")
    counts = (Agency.objects.count(), Service.objects.count(), RoutingRule.objects.count())
    _load()
    assert (Agency.objects.count(), Service.objects.count(), RoutingRule.objects.count()) == counts
    assert Agency.objects.get(slug="edih").short_name == "EDIH Brussels"
    assert rule.agencies.count() == 2
