import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from permanences.models import Booking
from tests.factories import AdvisorFactory, UserFactory

pytestmark = pytest.mark.django_db


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_slot_list_keeps_a_constant_number_of_queries_as_slots_grow(client, make_slot):
    make_slot(days=2)
    few = _queries(client, "/en/permanences/")
    for days in range(3, 9):
        make_slot(days=days, languages=["fr", "nl", "en"])
    many = _queries(client, "/en/permanences/")
    assert few == many
    filtered = "/en/permanences/?category=financing&language=nl&date_from=" + str(
        timezone.localdate()
    )
    assert _queries(client, filtered) <= many + 2


def test_the_slot_list_filters_by_agency_and_language_in_the_url(client, make_slot):
    dutch = make_slot(days=2, languages=["nl"])
    french = make_slot(days=2, languages=["fr"])

    def listed(url):
        content = client.get(url).content.decode()
        return {
            slot for slot in (dutch, french) if f"/permanences/slots/{slot.pk}/book/" in content
        }

    assert listed("/nl/permanences/") == {dutch, french}
    assert listed(f"/nl/permanences/?agency={dutch.agency.slug}") == {dutch}
    assert listed("/nl/permanences/?language=fr") == {french}


def test_the_slot_list_hides_full_slots(client, make_slot, book):
    slot = make_slot(days=2)
    book(slot, UserFactory())
    content = client.get(f"/en/permanences/?agency={slot.agency.slug}").content.decode()
    assert f"/permanences/slots/{slot.pk}/book/" not in content


def test_booking_over_http_shows_the_confirmation(client, make_slot, entrepreneur, category):
    slot = make_slot(days=2)
    client.force_login(entrepreneur)
    response = client.post(
        f"/fr/permanences/slots/{slot.pk}/book/",
        {
            "category": category.pk,
            "topic": "Prêt",
            "language": "fr",
            "consent_share_profile": "on",
        },
        follow=True,
    )
    assert "Votre réservation est confirmée." in response.content.decode()


def test_the_booking_form_says_what_is_missing_in_dutch(client, make_slot, entrepreneur):
    slot = make_slot(days=2)
    client.force_login(entrepreneur)
    response = client.post(f"/nl/permanences/slots/{slot.pk}/book/", {"language": "fr"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Dit veld is verplicht." in content
    assert not Booking.objects.exists()


def test_someone_elses_booking_is_a_404_everywhere(client, make_slot, book, entrepreneur):
    booking = book(make_slot(days=2), entrepreneur)
    client.force_login(UserFactory())
    for path in ("", "calendar.ics", "reschedule/"):
        assert client.get(f"/en/me/bookings/{booking.pk}/{path}").status_code == 404
    assert client.post(f"/en/me/bookings/{booking.pk}/cancel/").status_code == 404
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_the_calendar_file_is_in_brussels_time_with_a_stable_uid(
    client, make_slot, book, entrepreneur
):
    booking = book(make_slot(days=2), entrepreneur)
    client.force_login(entrepreneur)
    response = client.get(f"/en/me/bookings/{booking.pk}/calendar.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"{booking.uid}@hub-eu"
    assert event["DTSTART"].dt == booking.starts_at
    assert event["DTSTART"].params["TZID"] == "Europe/Brussels"
    assert calendar.walk("VTIMEZONE")
    assert event.decoded("SEQUENCE") == 0


def test_a_cancelled_slot_and_a_reschedule_keep_one_calendar_event(
    client, make_slot, book, entrepreneur
):
    old = book(make_slot(days=2), entrepreneur)
    client.force_login(entrepreneur)
    new_slot = make_slot(days=4, agency=old.slot.agency)
    response = client.post(f"/en/me/bookings/{old.pk}/reschedule/", {"slot": new_slot.pk})
    new = Booking.objects.get(rescheduled_from=old)
    assert response.status_code == 302
    event = Calendar.from_ical(client.get(f"/en/me/bookings/{new.pk}/calendar.ics").content).walk(
        "VEVENT"
    )[0]
    assert str(event["UID"]) == f"{old.uid}@hub-eu"
    assert event.decoded("SEQUENCE") == 1


def test_the_private_feed_works_until_it_is_renewed(client, make_slot, book, entrepreneur):
    booking = book(make_slot(days=2), entrepreneur)
    client.force_login(entrepreneur)
    client.post("/en/me/calendar/renew/")
    token = entrepreneur.calendar_feed.token
    client.logout()
    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    assert f"{booking.uid}@hub-eu" in response.content.decode()
    client.force_login(entrepreneur)
    client.post("/en/me/calendar/renew/")
    client.logout()
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_an_advisor_sees_their_agency_bookings_and_marks_attendance(
    client, make_slot, book, entrepreneur
):
    advisor = AdvisorFactory()
    slot = make_slot(days=1, agency=advisor.agency)
    booking = book(slot, entrepreneur, topic="Quel subside pour mon prototype ?")
    client.force_login(advisor.user)
    content = client.get("/fr/advisor/permanences/").content.decode()
    assert "Quel subside pour mon prototype ?" in content
    Booking.objects.filter(pk=booking.pk).update(
        starts_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    response = client.post(
        f"/fr/advisor/bookings/{booking.pk}/attendance/", {"attended": "yes", "outcome": "OK"}
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert (booking.status, booking.outcome) == ("attended", "OK")


def test_an_advisor_of_another_agency_sees_nothing_and_gets_404(
    client, make_slot, book, entrepreneur
):
    booking = book(make_slot(days=1), entrepreneur)
    other = AdvisorFactory()
    client.force_login(other.user)
    assert booking.topic not in client.get("/en/advisor/permanences/").content.decode()
    response = client.post(f"/en/advisor/bookings/{booking.pk}/attendance/", {"attended": "yes"})
    assert response.status_code == 404


def test_an_entrepreneur_cannot_open_the_advisor_pages(client, entrepreneur):
    client.force_login(entrepreneur)
    assert client.get("/en/advisor/permanences/").status_code == 404


def test_the_public_incubator_page_shows_who_is_there_when_without_names(
    client, make_slot, book, entrepreneur
):
    slot = make_slot(days=2)
    book(slot, entrepreneur)
    content = client.get(f"/en/incubators/{slot.incubator.slug}/").content.decode()
    assert slot.agency.short_name in content
    assert "09:00" in content
    assert entrepreneur.last_name not in content


def test_the_slot_list_pages_through_every_slot_once(client, make_slot):
    import re

    from permanences.selectors import SLOT_LIST_PAGE

    for days in (1, 2, 3, 4, 5, 6, 8, 9, 10, 11):  # six slots each
        make_slot(days=days)
    seen, url, pages = [], "/en/permanences/", 0
    while url:
        content = client.get(url, HTTP_HX_REQUEST="true" if pages else None).content.decode()
        seen += re.findall(r"/permanences/slots/(\d+)/book/", content)
        found = re.search(r'id="more-slots".*?hx-get="\?([^"]+)"', content, re.S)
        url = f"/en/permanences/?{found.group(1).replace('&amp;', '&')}" if found else None
        pages += 1
    from permanences.models import Slot

    expected = {str(pk) for pk in Slot.objects.values_list("pk", flat=True)}
    assert len(expected) > SLOT_LIST_PAGE
    assert pages == -(-len(expected) // SLOT_LIST_PAGE)
    assert len(seen) == len(set(seen))
    assert set(seen) == expected


def test_a_booking_offers_one_click_google_and_outlook_calendar_links(
    client, make_slot, book, entrepreneur
):
    from urllib.parse import parse_qs, urlsplit

    booking = book(make_slot(days=2), entrepreneur)
    client.force_login(entrepreneur)
    page = client.get(f"/en/me/bookings/{booking.pk}/").content.decode()

    google = next(link for link in _links(page) if link.startswith("https://calendar.google.com/"))
    query = parse_qs(urlsplit(google).query)
    start = booking.starts_at.astimezone(datetime.UTC)
    assert query["dates"][0].startswith(f"{start:%Y%m%dT%H%M%SZ}/")
    assert query["text"][0].startswith("Permanence ")
    assert booking.slot.incubator.name in query["location"][0]
    outlook = next(link for link in _links(page) if link.startswith("https://outlook.live.com/"))
    assert parse_qs(urlsplit(outlook).query)["startdt"][0] == start.isoformat().replace(
        "+00:00", "Z"
    )


def _links(page: str) -> list[str]:
    import html
    import re

    return [html.unescape(href) for href in re.findall(r'href="([^"]+)"', page)]


def test_a_members_only_slot_says_so_instead_of_offering_to_book(client, make_slot, entrepreneur):
    from incubators.models import Membership
    from tests.factories import make_member

    slot = make_slot(days=2, audience="members")
    book_url = f"/en/permanences/slots/{slot.pk}/book/"
    client.force_login(entrepreneur)

    listing = client.get("/en/permanences/").content.decode()
    assert book_url not in listing
    assert f"For members of {slot.incubator.name} only." in listing
    form = client.get(book_url).content.decode()
    assert "This permanence is for members of" in form and 'name="topic"' not in form

    company = make_member(entrepreneur, slot.incubator)
    Membership.objects.filter(company=company).update(status="pending")
    listing = client.get("/en/permanences/").content.decode()
    assert "your membership request is awaiting confirmation" in listing
    assert book_url not in listing

    Membership.objects.filter(company=company).update(status="confirmed")
    listing = client.get("/en/permanences/").content.decode()
    assert book_url in listing
    assert 'name="topic"' in client.get(book_url).content.decode()


def test_each_slot_shows_its_advisor_length_format_and_languages(client, make_slot):
    advisor = AdvisorFactory(user__first_name="Eva", user__last_name="Peeters")
    make_slot(days=2, agency=advisor.agency, advisors=[advisor], capacity=1, languages=["nl"])
    make_slot(days=3, capacity=4, languages=["fr", "en"])

    page = client.get("/en/permanences/").content.decode()

    assert "· Eva Peeters" in page
    assert "30 min · one-to-one · NL" in page
    assert "30 min · group session, 4 places left · FR · EN" in page


def test_the_list_goes_beyond_two_weeks_and_back(client, make_slot):
    far = make_slot(days=20)
    today = timezone.localdate()

    first = client.get("/en/permanences/").content.decode()
    assert f"/permanences/slots/{far.pk}/book/" not in first
    days = datetime.timedelta(days=1)
    later = f"date_from={today + 14 * days}&amp;date_to={today + 27 * days}"
    assert later in first
    assert "Earlier" not in first

    second = client.get(f"/en/permanences/?{later.replace('&amp;', '&')}").content.decode()
    assert f"/permanences/slots/{far.pk}/book/" in second
    assert f"date_from={today}&amp;date_to={today + 13 * days}" in second


def test_active_filters_show_as_chips_that_remove_them(client, make_slot):
    slot = make_slot(days=2)
    page = client.get(f"/en/permanences/?agency={slot.agency.slug}&language=fr").content.decode()

    assert f"Agency: {slot.agency.short_name}" in page
    assert 'href="?language=fr"' in page  # the agency chip keeps the other filter
    assert "Language: " in page


def test_an_empty_list_says_what_to_try(client, reference_data):
    page = client.get("/en/permanences/?language=nl").content.decode()
    assert "No free slot matches these filters on these dates." in page
    assert "Look at the following days" in page and "Clear the filters" in page


def test_a_date_at_the_end_of_the_calendar_is_a_form_error_not_a_500(client, reference_data):
    response = client.get("/nl/permanences/?date_from=9999-12-20&date_to=9999-12-31")
    assert response.status_code == 200
    assert "Kies een datum binnen de komende twee jaar." in response.content.decode()


@pytest.mark.parametrize(
    "target", ["https://evil.example/x", "//evil.example/x", "\\\\evil.example", "javascript:x"]
)
def test_the_calendar_address_forms_never_redirect_to_another_site(client, entrepreneur, target):
    client.force_login(entrepreneur)
    for action in ("renew", "revoke"):
        response = client.post(f"/en/me/calendar/{action}/", {"next": target})
        assert response.status_code == 302
        assert response["Location"] == "/en/me/bookings/"
    response = client.post("/en/me/calendar/renew/", {"next": "/en/advisor/permanences/"})
    assert response["Location"] == "/en/advisor/permanences/"  # a page of this site is fine


def _booking_answers(category, **overrides):
    return {
        "category": category.pk,
        "topic": "Prêt",
        "language": "fr",
        "consent_share_profile": "on",
        **overrides,
    }


def test_a_booking_post_loads_nothing_the_lock_does_not_already_read(
    client, make_slot, entrepreneur, category
):
    """The busiest write: the session, the person, the topic, then the transaction (the
    locked slot with its checks, the person's other bookings, the booking, the consent,
    the place, the notice); the page's own slot query runs only when it is drawn."""
    slot = make_slot(days=2)
    client.force_login(entrepreneur)
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(f"/fr/permanences/slots/{slot.pk}/book/", _booking_answers(category))
    assert response.status_code == 302
    selects_of_slots = [
        q["sql"] for q in ctx.captured_queries if q["sql"].startswith('SELECT "permanences_slot"')
    ]
    assert len(selects_of_slots) == 1, selects_of_slots  # the lock's, nothing before it
    assert "FOR UPDATE" in selects_of_slots[0] or connection.vendor == "sqlite"


def test_a_topic_the_agency_does_not_answer_is_refused_in_the_persons_language(
    client, make_slot, entrepreneur, reference_data
):
    from incubators.models import NeedCategory, Service

    slot = make_slot(days=2)
    service = Service.objects.create(agency=slot.agency, name="Financing", summary="Loans")
    service.categories.set(NeedCategory.objects.filter(slug="financing"))
    other = NeedCategory.objects.exclude(slug="financing").filter(is_active=True).first()
    client.force_login(entrepreneur)
    response = client.post(f"/nl/permanences/slots/{slot.pk}/book/", _booking_answers(other))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Selecteer een geldige keuze" in page  # the field, in Dutch
    assert not Booking.objects.exists()
    response = client.post(
        f"/nl/permanences/slots/{slot.pk}/book/",
        _booking_answers(NeedCategory.objects.get(slug="financing")),
    )
    assert response.status_code == 302


def test_a_language_the_permanence_does_not_speak_is_refused_on_the_page(
    client, make_slot, entrepreneur, category
):
    slot = make_slot(days=2, languages=["fr"])
    client.force_login(entrepreneur)
    response = client.post(
        f"/fr/permanences/slots/{slot.pk}/book/", _booking_answers(category, language="nl")
    )
    assert response.status_code == 200
    assert "Cette langue n&#x27;est pas proposée" in response.content.decode()
    assert not Booking.objects.exists()


def test_a_booking_posted_for_a_slot_that_does_not_exist_is_a_404(client, entrepreneur, category):
    client.force_login(entrepreneur)
    response = client.post("/fr/permanences/slots/999999/book/", _booking_answers(category))
    assert response.status_code == 404
    assert not Booking.objects.exists()
