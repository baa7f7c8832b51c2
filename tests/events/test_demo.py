import pytest

from demo.data import load_demo_data
from events import services
from events.models import Event, Registration


@pytest.mark.django_db
def test_the_demo_has_a_full_event_with_a_waiting_list_an_upcoming_one_and_a_past_one(
    reference_data,
):
    load_demo_data()
    full = Event.objects.get(slug="founders-networking-evening")
    assert services.places_left(full) == 0
    waiting = Registration.objects.filter(event=full, status="waitlisted").order_by(
        "waitlist_position"
    )
    assert [r.waitlist_position for r in waiting] == [1, 2]
    assert waiting[0].user.email == "entrepreneur@demo.hub.brussels"
    assert {full.title_fr, full.title_nl, full.title_en} == {
        "Soirée networking des fondateurs",
        "Netwerkavond voor oprichters",
        "Founders' networking evening",
    }
    info = Event.objects.get(slug="info-session-financing")
    assert services.registration_window(info) == "open"
    past = Event.objects.get(slug="demo-past-networking")
    assert services.registration_window(past) == "closed"
    assert Registration.objects.filter(event=past, status="confirmed").count() >= 6
