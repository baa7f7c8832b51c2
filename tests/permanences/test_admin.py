import datetime
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role
from accounts.services import user_set_role
from incubators.models import NeedCategory
from notifications.models import Notification
from permanences import services
from permanences.generation import BRUSSELS
from permanences.models import Booking, Closure, PermanenceSchedule, Slot
from tests.factories import (
    AdvisorFactory,
    AgencyFactory,
    IncubatorFactory,
    ScheduleFactory,
    SlotFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SCHEDULES = "/en/admin/permanences/permanenceschedule/"
WEEK = f"{SCHEDULES}week/"
CANCEL_DAY = f"{SCHEDULES}cancel-day/"
SLOTS = "/en/admin/permanences/slot/"


@pytest.fixture
def coordinator(client):
    user = user_set_role(user=UserFactory(), role=Role.COORDINATOR)
    client.force_login(user)
    return user


def _next_week(weekday: int) -> datetime.date:
    today = timezone.localdate()
    return today - datetime.timedelta(days=today.weekday()) + datetime.timedelta(days=7 + weekday)


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=BRUSSELS)


def _schedule_form(*, agency, incubator, advisors=(), **overrides) -> dict:
    return {
        "incubator": incubator.pk,
        "mode": "on_site",
        "meeting_url": "",
        "weekday": 2,
        "start_time": "10:00",
        "end_time": "13:00",
        "slot_minutes": 30,
        "every_n_weeks": 1,
        "valid_from": timezone.localdate().isoformat(),
        "valid_until": "",
        "is_active": "on",
        "agency": agency.pk,
        "advisors": [advisor.pk for advisor in advisors],
        "languages": ["fr"],
        "capacity": 1,
        "audience": "registered",
        "booking_opens_days": 28,
        "min_notice_hours": 2,
        "cancel_notice_hours": 12,
        "max_active_bookings": 2,
        "reminder_hours": 24,
        "second_reminder_hours": "",
        "notes": "",
        "_save": "Save",
        **overrides,
    }


def _book(slot: Slot, user) -> Booking:
    return services.booking_create(
        slot_id=slot.pk,
        user=user,
        category=NeedCategory.objects.get(slug="financing"),
        topic="Funding our first hire",
        language="fr",
        consent_share_profile=False,
    )


def test_the_add_form_refuses_a_schedule_that_puts_an_advisor_in_two_places(
    client, coordinator, reference_data
):
    advisor = AdvisorFactory(user=UserFactory(first_name="Ana", last_name="Peeters"))
    ScheduleFactory(agency=advisor.agency, weekday=2, advisors=[advisor])
    elsewhere = IncubatorFactory()

    response = client.post(
        f"{SCHEDULES}add/",
        _schedule_form(agency=advisor.agency, incubator=elsewhere, advisors=[advisor]),
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "This permanence collides with other permanences" in content
    assert "Ana Peeters would be in two places at once." in content
    assert not PermanenceSchedule.objects.filter(incubator=elsewhere).exists()


def test_the_add_form_refuses_advisors_of_another_agency_and_impossible_times_or_links(
    client, coordinator, reference_data
):
    stranger = AdvisorFactory(user=UserFactory(first_name="Bo", last_name="Jansens"))
    agency, incubator = AgencyFactory(short_name="Atrium test"), IncubatorFactory()

    response = client.post(
        f"{SCHEDULES}add/",
        _schedule_form(
            agency=agency,
            incubator=incubator,
            advisors=[stranger],
            mode="online",
            end_time="09:30",
        ),
    )

    content = response.content.decode()
    assert "These advisors do not work for Atrium test: Bo Jansens." in content
    assert "An online permanence needs a meeting link." in content
    assert "The permanence must end after it starts." in content
    assert not PermanenceSchedule.objects.exists()


def test_saving_a_schedule_in_the_admin_generates_its_slots(client, coordinator, reference_data):
    agency, incubator = AgencyFactory(), IncubatorFactory()

    response = client.post(
        f"{SCHEDULES}add/", _schedule_form(agency=agency, incubator=incubator), follow=True
    )

    schedule = PermanenceSchedule.objects.get(incubator=incubator)
    created = Slot.objects.filter(schedule=schedule).count()
    assert created > 0
    assert f"Slots: {created} created, 0 removed, 0 flagged to settle." in (
        response.content.decode()
    )


def test_changing_a_booked_schedule_flags_the_slot_and_links_to_the_slots_to_settle(
    client, coordinator, reference_data
):
    schedule = ScheduleFactory(weekday=_next_week(2).weekday())
    slot = SlotFactory(schedule=schedule, starts_at=_at(_next_week(2), 10))
    _book(slot, UserFactory())
    data = _schedule_form(agency=schedule.agency, incubator=schedule.incubator, weekday=3)
    del data["agency"], data["incubator"]  # read-only once the schedule has slots

    response = client.post(f"{SCHEDULES}{schedule.pk}/change/", data, follow=True)

    slot.refresh_from_db()
    assert slot.off_schedule
    content = response.content.decode()
    assert "Booked slots that no longer match their schedule, kept: 1." in content
    to_settle = f"{SLOTS}?off_schedule=1&amp;schedule__id__exact={schedule.pk}"
    assert to_settle in content
    listing = client.get(to_settle.replace("&amp;", "&"))
    assert f"{SLOTS}{slot.pk}/change/" in listing.content.decode()


def _week_with_a_conflict(incubator_count: int) -> datetime.date:
    """An advisor expected at two places on Wednesday of next week, and other places
    with a permanence each."""
    wednesday = _next_week(2)
    advisor = AdvisorFactory()
    for name in ("North hub", "South hub"):
        schedule = ScheduleFactory(
            agency=advisor.agency, incubator=IncubatorFactory(name=name), advisors=[advisor]
        )
        SlotFactory(schedule=schedule, starts_at=_at(wednesday, 10))
    for _ in range(incubator_count):
        schedule = ScheduleFactory(advisors=[AdvisorFactory()])
        SlotFactory(schedule=schedule, starts_at=_at(wednesday, 10))
        SlotFactory(schedule=schedule, starts_at=_at(wednesday, 10, 30))
        SlotFactory(schedule=schedule, starts_at=_at(wednesday, 11), status=Slot.Status.CANCELLED)
    return wednesday


def test_the_week_at_a_glance_shows_the_grid_and_labels_conflicts(client, coordinator):
    wednesday = _week_with_a_conflict(incubator_count=1)

    response = client.get(WEEK, {"week": wednesday.isoformat()})

    assert response.status_code == 200
    content = response.content.decode()
    assert "North hub" in content and "South hub" in content
    assert content.count("Conflict</span>") == 2
    assert "10:00–11:00" in content  # two slots of one schedule, one line
    assert "<del" in content  # the cancelled slot, struck through
    assert "Cancel this day" in content
    monday = wednesday - datetime.timedelta(days=2)
    assert f"?week={monday - datetime.timedelta(days=7)}" in content
    assert f"?week={monday + datetime.timedelta(days=7)}" in content


def test_the_week_at_a_glance_makes_as_many_queries_for_three_places_as_for_one(
    client, coordinator
):
    wednesday = _week_with_a_conflict(incubator_count=1)
    client.get(WEEK, {"week": wednesday.isoformat()})  # warm the caches
    with CaptureQueriesContext(connection) as one:
        client.get(WEEK, {"week": wednesday.isoformat()})

    _week_with_a_conflict(incubator_count=3)
    with CaptureQueriesContext(connection) as more:
        response = client.get(WEEK, {"week": wednesday.isoformat()})

    assert response.content.decode().count("Conflict</span>") == 4
    assert len(more) == len(one) <= 8


def test_the_schedule_list_links_to_the_week(client, coordinator):
    response = client.get(SCHEDULES)
    assert WEEK in response.content.decode()


def test_a_coordinator_opens_every_permanences_page_of_the_admin(
    client, coordinator, reference_data
):
    slot = SlotFactory()
    booking = _book(slot, UserFactory())
    pages = [
        SCHEDULES,
        f"{SCHEDULES}add/",
        f"{SCHEDULES}{slot.schedule_id}/change/",
        SLOTS,
        f"{SLOTS}?off_schedule=1",
        f"{SLOTS}{slot.pk}/change/",
        "/en/admin/permanences/booking/",
        f"/en/admin/permanences/booking/{booking.pk}/change/",
        "/en/admin/permanences/closure/",
        "/en/admin/permanences/calendarfeed/",
    ]
    for page in pages:
        assert client.get(page).status_code == 200, page
    assert client.get(f"{SLOTS}add/").status_code == 403  # slots come from schedules


def test_cancelling_a_day_cancels_that_day_at_that_place_only_and_tells_everyone_booked(
    client, coordinator, reference_data
):
    wednesday = _next_week(2)
    here = ScheduleFactory(weekday=2)
    first = SlotFactory(schedule=here, starts_at=_at(wednesday, 10))
    second = SlotFactory(schedule=here, starts_at=_at(wednesday, 10, 30))
    next_day = SlotFactory(schedule=here, starts_at=_at(wednesday + datetime.timedelta(days=1), 10))
    elsewhere = SlotFactory(starts_at=_at(wednesday, 10))
    alice, bert, carla, dirk = (UserFactory() for _ in range(4))
    _book(first, alice)
    _book(second, bert)
    kept = [_book(next_day, carla), _book(elsewhere, dirk)]
    url = f"{CANCEL_DAY}?incubator={here.incubator_id}&date={wednesday.isoformat()}"

    page = client.get(url)
    assert "2 bookings will be cancelled" in page.content.decode()
    response = client.post(url, {"reason": "Power cut in the building"})

    assert response.status_code == 302
    assert response["Location"] == f"{WEEK}?week={wednesday.isoformat()}"
    assert set(Slot.objects.filter(status=Slot.Status.CANCELLED).values_list("pk", flat=True)) == {
        first.pk,
        second.pk,
    }
    cancelled = Booking.objects.filter(status=Booking.Status.CANCELLED)
    assert {b.user for b in cancelled} == {alice, bert}
    assert {b.cancel_reason for b in cancelled} == {"Power cut in the building"}
    assert all(
        b.status == Booking.Status.CONFIRMED
        for b in Booking.objects.filter(pk__in=[k.pk for k in kept])
    )
    told = Notification.objects.filter(kind="booking_cancelled_by_staff")
    assert sorted(n.recipient_id for n in told) == sorted([alice.pk, bert.pk])
    message = client.get(response["Location"]).content.decode()
    assert "slots: 2, bookings: 2. Everyone booked will be told." in message


def test_cancelling_a_day_needs_a_reason(client, coordinator):
    slot = SlotFactory()
    day = timezone.localdate(slot.starts_at)
    url = f"{CANCEL_DAY}?incubator={slot.incubator_id}&date={day.isoformat()}"

    response = client.post(url, {"reason": ""})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    slot.refresh_from_db()
    assert slot.status == Slot.Status.OPEN


def test_the_cancel_action_asks_for_a_reason_then_cancels_the_slots(
    client, coordinator, reference_data
):
    slot, other = SlotFactory(), SlotFactory()
    booking = _book(slot, UserFactory())
    chosen = {"action": "cancel_selected", "_selected_action": [slot.pk]}

    confirmation = client.post(SLOTS, chosen)
    assert "1 booking will be cancelled" in confirmation.content.decode()
    response = client.post(
        SLOTS, {**chosen, "confirm": "yes", "reason": "The advisor is ill"}, follow=True
    )

    assert "Cancelled: slots: 1, bookings: 1." in response.content.decode()
    slot.refresh_from_db(), other.refresh_from_db(), booking.refresh_from_db()
    assert (slot.status, slot.cancel_reason) == (Slot.Status.CANCELLED, "The advisor is ill")
    assert other.status == Slot.Status.OPEN
    assert booking.status == Booking.Status.CANCELLED
    assert Notification.objects.filter(
        kind="booking_cancelled_by_staff", recipient=booking.user
    ).exists()


def test_adding_a_closure_removes_the_free_slots_of_those_days(client, coordinator):
    wednesday = _next_week(2)
    schedule = ScheduleFactory(weekday=2, valid_from=wednesday - datetime.timedelta(days=7))
    SlotFactory(schedule=schedule, starts_at=_at(wednesday, 10))

    response = client.post(
        "/en/admin/permanences/closure/add/",
        {
            "incubator": schedule.incubator_id,
            "agency": "",
            "start_date": wednesday.isoformat(),
            "end_date": wednesday.isoformat(),
            "reason": "Renovation",
            "_save": "Save",
        },
        follow=True,
    )

    assert Closure.objects.count() == 1
    assert not Slot.objects.filter(schedule=schedule, starts_at__date=wednesday).exists()
    assert Slot.objects.filter(schedule=schedule).exists()  # the other weeks
    assert "flagged to settle" in response.content.decode()


def test_someone_who_is_not_a_coordinator_cannot_open_the_week(client):
    client.force_login(UserFactory())
    response = client.get(WEEK)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]

    staff_without_permissions = UserFactory(is_staff=True)
    client.force_login(staff_without_permissions)
    assert client.get(WEEK).status_code == 403
    assert client.get(CANCEL_DAY, {"incubator": 1, "date": "2030-01-02"}).status_code == 403


def test_it_heads_a_slot_and_its_bookings_in_brussels_time(client, coordinator, reference_data):
    # 14:00 in Brussels is 13:00 UTC in winter, 12:00 in summer: the database hands back UTC.
    agency = AgencyFactory(short_name="Impulse test")
    starts_at = _at(datetime.date(2030, 1, 9), 14)
    slot = SlotFactory(
        schedule=ScheduleFactory(agency=agency),
        starts_at=starts_at,
        bookable_from=timezone.now() - datetime.timedelta(days=1),
    )
    booking = _book(Slot.objects.get(pk=slot.pk), UserFactory(email="ana@example.com"))

    slot = Slot.objects.get(pk=slot.pk)
    assert str(slot).endswith("· 2030-01-09 14:00")
    assert str(Booking.objects.get(pk=booking.pk)).endswith("· 2030-01-09 14:00")
    for page in (
        f"{SLOTS}{slot.pk}/change/",
        f"/en/admin/permanences/booking/{booking.pk}/change/",
    ):
        content = client.get(page).content.decode()
        assert "2030-01-09 14:00" in content, page
        assert "13:00" not in content, page


def test_it_offers_only_the_advisors_of_the_chosen_agency_on_the_schedule_form(
    client, coordinator, reference_data
):
    ours = AdvisorFactory(user=UserFactory(first_name="Ana", last_name="Peeters"))
    theirs = AdvisorFactory(user=UserFactory(first_name="Bo", last_name="Jansens"))

    # Adding: every advisor, each marked with its agency for the page's script to filter.
    content = client.get(f"{SCHEDULES}add/").content.decode()
    for advisor in (ours, theirs):
        box = rf'<input type="checkbox" name="advisors" value="{advisor.pk}"[^>]*>'
        assert f'data-agency="{advisor.agency_id}"' in re.search(box, content).group()
    assert "js/schedule-advisors.js" in content
    assert "Choose the agency first: only its advisors are offered." in content

    # A schedule with slots keeps its agency: only that agency's advisors are offered.
    slot = SlotFactory(schedule=ScheduleFactory(agency=ours.agency, advisors=[ours]))
    content = client.get(f"{SCHEDULES}{slot.schedule_id}/change/").content.decode()
    assert "Ana Peeters" in content
    assert "Bo Jansens" not in content


def test_it_still_refuses_an_advisor_of_another_agency_sent_to_a_schedule_with_slots(
    client, coordinator, reference_data
):
    ours, theirs = AdvisorFactory(), AdvisorFactory()
    slot = SlotFactory(schedule=ScheduleFactory(agency=ours.agency, advisors=[ours]))
    schedule = slot.schedule

    response = client.post(
        f"{SCHEDULES}{schedule.pk}/change/",
        _schedule_form(agency=ours.agency, incubator=schedule.incubator, advisors=[theirs]),
    )

    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert list(schedule.advisors.all()) == [ours]


def test_the_admin_lays_the_buttons_under_a_page_title_not_over_it(client, coordinator):
    content = client.get(SCHEDULES).content.decode()
    assert "css/admin.css" in content
    css = (settings.BASE_DIR / "static" / "css" / "admin.css").read_text()
    assert "#content-main > .object-tools" in css


def test_the_schedule_list_gives_the_rhythm_with_the_day_and_the_validity_in_one_column(
    client, coordinator
):
    ScheduleFactory(
        weekday=2,
        every_n_weeks=2,
        valid_from=datetime.date(2030, 1, 7),
        valid_until=datetime.date(2030, 6, 30),
    )
    ScheduleFactory(weekday=3, valid_from=datetime.date(2030, 1, 7))

    content = client.get(SCHEDULES).content.decode()

    assert "Wednesday, every 2 weeks" in content
    assert "01/07/2030 – 06/30/2030" in content
    assert "from 01/07/2030" in content
