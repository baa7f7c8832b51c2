"""System notes written before they were codes become codes that read in any language."""

import importlib

import pytest
from django.apps import apps
from django.utils import translation

from incubators.models import Agency, NeedCategory
from needs import services
from needs.models import RoutedNeedEvent
from tests.factories import AdvisorFactory, UserFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("needs.migrations.0007_routedneedevent_codes_from_notes")


def _routed():
    need = services.need_create(
        user=UserFactory(),
        category=NeedCategory.objects.get(slug="export"),
        description="A trade fair",
        consent=True,
    )
    return need.routings.get()


def test_it_turns_the_old_dutch_and_french_notes_into_codes(routing_rules):
    routed = _routed()
    advisor = AdvisorFactory(agency=routed.agency)
    new = services.routed_need_transfer(
        routed=routed, to_agency=Agency.objects.get(slug="atrium"), by=advisor.user, reason="x"
    )
    RoutedNeedEvent.objects.update(code="", params={})
    first = routed.events.order_by("pk").first()
    first.note = "Doorgestuurd volgens de regels."
    first.save()
    moved = routed.events.get(to_status="transferred")
    moved.note = "Een winkel"
    moved.save()
    arrived = new.events.get()
    arrived.note = "Transféré depuis BIE : Een winkel"
    arrived.save()
    typed = RoutedNeedEvent.objects.create(routed=new, note="Called them")
    assigned = RoutedNeedEvent.objects.create(routed=new, note="Toegewezen aan Hugo Lambert.")

    migration.notes_to_codes(apps, None)

    for event in (first, moved, arrived, typed, assigned):
        event.refresh_from_db()
    assert (first.code, first.note) == ("routed_by_rules", "")
    assert (moved.code, moved.params, moved.note) == (
        "transferred_to",
        {"agency": "Atrium"},
        "Een winkel",
    )
    assert (arrived.code, arrived.params, arrived.note) == (
        "transferred_from",
        {"agency": "BIE"},
        "Een winkel",
    )
    assert (typed.code, typed.note) == ("", "Called them")
    assert (assigned.code, assigned.params) == ("assigned", {"advisor": "Hugo Lambert"})
    with translation.override("fr"):
        assert first.summary == "Transmis selon les règles."
        assert arrived.summary == "Transféré depuis BIE."
        assert assigned.summary == "Attribué à Hugo Lambert."


def test_an_unknown_code_or_missing_value_never_breaks_the_history(routing_rules):
    event = _routed().events.get()
    event.code, event.params = "assigned", {}
    assert event.summary == "Assigned to %(advisor)s."
    event.code = "something_new"
    assert event.summary == ""
