"""The cockpit's supply against demand: figures checked against hand-computed ones, a
constant number of queries, the coordinator's alone."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role
from accounts.services import user_set_role
from cockpit.forms import default_period
from cockpit.selectors import Filters, supply_and_demand
from incubators.models import NeedCategory
from incubators.selectors import directory_labels
from needs.models import Need
from needs.services import need_create
from permanences.models import Booking
from permanences.services import booking_cancel
from surveys.services import survey_results_rebuild
from tests.factories import AgencyFactory, IncubatorFactory, UserFactory, survey_responses

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(db):
    return user_set_role(user=UserFactory(language="fr"), role=Role.COORDINATOR)


@pytest.fixture
def place(make_slot, book):
    """One morning of Impulse-like permanence at one incubator, three days ahead: six
    half-hour slots of one place. Three are booked (one of them for one day only),
    one more booking was cancelled in time and one at the last minute."""
    slot = make_slot(days=3)
    slots = list(slot.schedule.slots.order_by("starts_at"))
    assert len(slots) == 6
    people = [UserFactory() for _ in range(5)]
    for s, person in zip(slots[:3], people[:3], strict=True):
        book(s, person)
    early = book(slots[3], people[3])
    booking_cancel(booking=early, by=people[3], reason="")
    late = book(slots[4], people[4])
    booking_cancel(booking=late, by=people[4], reason="")
    Booking.objects.filter(pk=late.pk).update(
        cancelled_at=late.starts_at - datetime.timedelta(hours=2)
    )
    # Booked days ahead: two days before the meeting, for the three held.
    for b in Booking.objects.filter(status="confirmed"):
        Booking.objects.filter(pk=b.pk).update(created_at=b.starts_at - datetime.timedelta(days=2))
    return slot


def _filters(slot, **extra) -> Filters:
    day = timezone.localdate(slot.starts_at)
    return Filters(since=day.replace(day=1), until=day + datetime.timedelta(days=40), **extra)


def test_the_figures_of_a_place_are_those_counted_by_hand(place):
    agency, incubator = place.agency, place.incubator
    member = UserFactory()
    for description in ("A loan", "A grant"):
        need = need_create(
            user=member,
            category=NeedCategory.objects.get(slug="financing"),
            description=description,
            consent=True,
            agency=agency,
        )
        Need.objects.filter(pk=need.pk).update(incubator=incubator)
    survey_responses(agency, incubator, [5, 4, 4, 5, 3])
    quiet = AgencyFactory()
    survey_responses(quiet, incubator, [1, 2])
    survey_results_rebuild()

    total, rows = supply_and_demand(filters=_filters(place), labels=directory_labels())
    month = timezone.localdate(place.starts_at).replace(day=1)
    mine = {(r.incubator_id, r.agency_id, r.month): r for r in rows}
    row = mine[(incubator.pk, agency.pk, month)]
    assert (row.slots, row.hours, row.places, row.taken, row.occupancy) == (6, 3.0, 6, 3, 50)
    assert (row.bookings, row.attended, row.no_shows, row.cancelled_late) == (3, 0, 0, 1)
    assert row.lead_days == 2.0
    assert row.needs == 2
    # Responses are counted in the month they were given (today).
    this_month = timezone.localdate().replace(day=1)
    answered = mine[(incubator.pk, agency.pk, this_month)] if this_month != month else row
    assert (answered.responses, answered.satisfaction) == (5, 4.2)
    hidden = mine[(incubator.pk, quiet.pk, this_month)]
    assert (hidden.responses, hidden.hidden, hidden.satisfaction) == (2, True, None)
    assert (total.slots, total.bookings, total.needs, total.responses) == (6, 3, 2, 7)


def test_attendance_marked_counts_attended_and_no_shows(place):
    held = list(Booking.objects.filter(status="confirmed").order_by("starts_at"))
    Booking.objects.filter(pk=held[0].pk).update(status=Booking.Status.ATTENDED)
    Booking.objects.filter(pk=held[1].pk).update(status=Booking.Status.NO_SHOW)
    total, _rows = supply_and_demand(filters=_filters(place), labels=directory_labels())
    assert (total.bookings, total.attended, total.no_shows, total.no_show_rate) == (3, 1, 1, 50)


def test_filters_keep_only_the_agency_and_place_asked_for(place, make_slot, book):
    elsewhere = make_slot(days=3)  # another agency at another incubator
    book(elsewhere, UserFactory())
    labels = directory_labels()
    both, _ = supply_and_demand(filters=_filters(place), labels=labels)
    assert both.slots == 12 and both.bookings == 4
    one, rows = supply_and_demand(filters=_filters(place, agency=place.agency_id), labels=labels)
    assert one.slots == 6 and {r.agency_id for r in rows} == {place.agency_id}
    other, _ = supply_and_demand(
        filters=_filters(place, incubator=elsewhere.incubator_id), labels=labels
    )
    assert other.slots == 6 and other.bookings == 1


def test_the_page_reads_as_many_queries_with_two_years_of_data_as_with_one_month(
    client, coordinator, place, make_slot, book
):
    client.force_login(coordinator)
    url = "/fr/coordination/cockpit/"
    client.get(url)  # the directory's labels are cached from here on
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for _ in range(4):  # more places, agencies, slots and bookings
        more = make_slot(days=5, incubator=IncubatorFactory())
        for s in more.schedule.slots.all()[:3]:
            book(s, UserFactory())
    survey_responses(place.agency, place.incubator, [4] * 6)
    survey_results_rebuild()
    client.get(url)
    with CaptureQueriesContext(connection) as large:
        page = client.get(url)
    assert page.status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_coordinator_reads_the_page_and_downloads_the_same_figures(client, coordinator, place):
    client.force_login(coordinator)
    page = client.get("/nl/coordination/cockpit/")
    content = page.content.decode()
    assert "Vraag en aanbod" in content
    assert place.incubator.name in content
    rows = list(
        csv.reader(io.StringIO(client.get("/nl/coordination/cockpit/?format=csv").content.decode()))
    )
    assert rows[0][:5] == ["\ufeffmonth", "incubator", "agency", "slots", "hours_offered"]
    assert rows[-1][0] == "Totaal" and rows[-1][3] == "6" and rows[-1][7] == "50"


def test_the_period_fields_show_the_default_period(client, coordinator):
    client.force_login(coordinator)
    since, until = default_period(timezone.localdate())
    page = client.get("/en/coordination/cockpit/").content.decode()
    assert f'name="since" value="{since.isoformat()}"' in page
    assert f'name="until" value="{until.isoformat()}"' in page


def test_a_wrong_period_is_said_in_the_coordinators_language(client, coordinator):
    client.force_login(coordinator)
    page = client.get("/fr/coordination/cockpit/?since=2026-05-10&until=2026-05-01&agency=x")
    assert page.status_code == 200
    content = page.content.decode()
    assert "Choisissez un jour après le premier." in content


def test_only_the_coordinator_sees_the_cockpit(client, place):
    assert client.get("/en/coordination/cockpit/").status_code == 302  # to log in
    client.force_login(UserFactory())
    assert client.get("/en/coordination/cockpit/").status_code == 404


def test_the_default_period_is_five_months_back_and_the_next_one():
    assert default_period(datetime.date(2026, 11, 26)) == (
        datetime.date(2026, 6, 1),
        datetime.date(2026, 12, 31),
    )
    assert default_period(datetime.date(2027, 1, 31)) == (
        datetime.date(2026, 8, 1),
        datetime.date(2027, 2, 28),
    )
