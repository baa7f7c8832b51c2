import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def test_free_slots_come_with_the_site_filters_and_a_cursor(api, make_slot):
    from permanences.models import Slot

    slots = [make_slot(days=days) for days in (2, 3)]  # each with its day's other slots
    body = api.get("/api/v1/slots/").json()
    listed = [row["id"] for row in body["results"]]
    assert listed == sorted(listed, key=lambda pk: (Slot.objects.get(pk=pk).starts_at, pk))
    assert {slot.pk for slot in slots} <= set(listed)
    row = next(row for row in body["results"] if row["id"] == slots[0].pk)
    assert (row["places_left"], sorted(row["languages"])) == (1, ["en", "fr"])
    assert row["book_url"].endswith(f"/permanences/slots/{slots[0].pk}/book/")
    only = api.get(f"/api/v1/slots/?agency={slots[1].agency.slug}").json()["results"]
    assert {row["id"] for row in only} == set(
        Slot.objects.filter(schedule=slots[1].schedule).values_list("pk", flat=True)
    )
    first = api.get("/api/v1/slots/?page_size=1").json()
    assert first["next"] and "cursor=" in first["next"]
    nobody = api.get("/api/v1/slots/?language=nl")  # no permanence speaks it: as on the site
    assert nobody.status_code == 400 and "language" in nobody.json()


def test_the_slot_list_keeps_its_number_of_queries_as_slots_grow(api, make_slot):
    make_slot(days=2)
    with CaptureQueriesContext(connection) as few:
        api.get("/api/v1/slots/")
    for days in range(3, 9):
        make_slot(days=days)
    with CaptureQueriesContext(connection) as many:
        body = api.get("/api/v1/slots/").json()
    assert len(body["results"]) > 7 * 5  # seven days of six slots (a holiday has none)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_agencies_come_with_their_services_in_the_language_asked(api, reference_data):
    body = api.get("/api/v1/agencies/", HTTP_ACCEPT_LANGUAGE="nl").json()
    assert {agency["slug"] for agency in body} >= {"impulse", "innoviris", "bie", "atrium"}
    assert api.get("/api/v1/agencies/nobody/").status_code == 404
