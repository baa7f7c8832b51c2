import pytest
from django.urls import reverse

from landing.models import Relay

pytestmark = pytest.mark.django_db


def test_the_admin_lists_and_opens_plans_itineraries_and_relays(admin_client, founder, make_plan):
    plan = make_plan(founder)
    relay = Relay.objects.first()
    for url in [
        reverse("admin:landing_landingplan_changelist"),
        reverse("admin:landing_landingplan_change", args=[plan.pk]),
        reverse("admin:landing_itinerary_changelist"),
        reverse("admin:landing_relay_changelist"),
        reverse("admin:landing_relay_change", args=[relay.pk]),
        reverse("admin:landing_relay_add"),
    ]:
        assert admin_client.get(url).status_code == 200, url


def test_the_coordinator_adds_a_relay_in_three_languages(admin_client, client):
    answer = admin_client.post(
        reverse("admin:landing_relay_add"),
        {
            "kind": "partner_region",
            "name_fr": "Catalogne",
            "name_nl": "Catalonië",
            "name_en": "Catalonia",
            "country": "ES",
            "order": 9,
            "is_active": "on",
        },
    )
    assert answer.status_code == 302
    page = client.get("/nl/landing/contacts/")
    assert "Catalonië" in page.content.decode()
