"""From a need, the agency offers one to three of its free slots; the entrepreneur books
one from the email's link in one click, and the others are no longer needed."""

import re

import pytest
from django.core import mail
from django.utils import translation

from accounts.models import Role
from accounts.services import user_set_role
from incubators.models import Agency, NeedCategory
from needs import services
from needs.models import RoutedNeedEvent, SlotOffer
from notifications import sending
from notifications.models import Notification
from permanences.models import Booking, Slot
from permanences.services import BookingRefused, booking_cancel
from tests.factories import AdvisorFactory, UserFactory, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def bie(routing_rules):
    return Agency.objects.get(slug="bie")


@pytest.fixture
def advisor(bie):
    return AdvisorFactory(agency=bie, user__language="nl")


@pytest.fixture
def routed(bie):
    need = services.need_create(
        user=UserFactory(first_name="Sofia", language="fr"),
        category=NeedCategory.objects.get(slug="export"),
        description="Which grant for our first trade fair abroad?",
        consent=True,
    )
    return need.routings.get(agency=bie)


@pytest.fixture
def two_slots(make_slot, bie):
    return [make_slot(days=3, agency=bie), make_slot(days=4, agency=bie, languages=["nl", "fr"])]


def _offer(routed, slots, advisor, message=""):
    return services.routed_need_offer_slots(
        routed=routed, slots=slots, by=advisor.user, message=message
    )


def test_it_records_an_offer_acknowledges_the_need_and_tells_the_entrepreneur(
    routed, two_slots, advisor
):
    offer = _offer(routed, two_slots, advisor, message="Either suits us.")

    assert set(offer.slots.all()) == set(two_slots)
    assert offer.created_by == advisor.user
    routed.refresh_from_db()
    assert routed.status == "acknowledged"
    event = routed.events.last()
    assert event.code == RoutedNeedEvent.Code.SLOTS_OFFERED
    assert event.params == {"count": 2}
    with translation.override("fr"):
        assert "(2)" in event.summary
    # One email to the entrepreneur: the offer's, not a second one for the status.
    assert list(Notification.objects.filter(recipient=routed.need.user).values_list("kind")) == [
        ("slots_offered",)
    ]


def test_it_refuses_no_slot_four_slots_another_agencys_slot_and_a_closed_need(
    routed, make_slot, two_slots, advisor, bie
):
    with pytest.raises(services.NeedRefused):
        _offer(routed, [], advisor)
    more = [make_slot(days=5, agency=bie), make_slot(days=6, agency=bie)]
    with pytest.raises(services.NeedRefused):
        _offer(routed, two_slots + more, advisor)
    with pytest.raises(services.NeedRefused, match="no longer free"):
        _offer(routed, [make_slot(days=3)], advisor)
    services.routed_need_resolve(routed=routed, by=advisor.user)
    with pytest.raises(services.NeedRefused, match="closed"):
        _offer(routed, two_slots, advisor)
    assert not SlotOffer.objects.exists()


def test_the_email_lists_each_slot_with_its_one_click_booking_link_in_french(
    routed, two_slots, advisor
):
    offer = _offer(routed, two_slots, advisor, message="Les deux nous conviennent.")
    mail.outbox.clear()
    sending.notifications_dispatch(seconds=10)
    [email] = mail.outbox
    assert email.to == [routed.need.user.email]
    assert "BIE" in email.subject and "choisissez" in email.subject
    assert "Les deux nous conviennent." in email.body
    links = re.findall(r"https?://\S+/fr/me/needs/\d+/offers/\d+/book/(\d+)/", email.body)
    assert [int(pk) for pk in links] == [slot.pk for slot in two_slots]
    assert "30 min" in email.body
    assert two_slots[0].incubator.name in email.body
    assert offer.pk


def test_the_entrepreneur_books_an_offered_slot_about_the_need(routed, two_slots, advisor, client):
    offer = _offer(routed, two_slots, advisor)
    need = routed.need
    client.force_login(need.user)
    url = f"/fr/me/needs/{need.pk}/offers/{offer.pk}/book/{two_slots[1].pk}/"

    page = client.get(url).content.decode()
    assert "Which grant for our first trade fair abroad?" in page  # the topic, prefilled
    assert 'value="fr" selected' in page  # their language

    response = client.post(url, {"topic": need.description, "language": "fr"})
    booking = Booking.objects.get(user=need.user)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/fr/me/bookings/{booking.pk}/")
    assert booking.slot == two_slots[1]
    assert booking.category == need.category
    assert booking.topic == need.description
    offer.refresh_from_db()
    need.refresh_from_db()
    assert offer.taken_booking == booking
    assert need.booking == booking
    assert routed.events.last().code == RoutedNeedEvent.Code.OFFER_TAKEN

    page = client.get(f"/fr/me/needs/{need.pk}/").content.decode()
    assert "Plus nécessaire" in page  # the other slot
    assert f"/fr/me/bookings/{booking.pk}/" in page
    # A second click books nothing more.
    again = client.post(url, {"topic": need.description, "language": "fr"})
    assert again.status_code == 302
    assert Booking.objects.filter(user=need.user).count() == 1


def test_a_slot_taken_meanwhile_says_so_politely_and_offers_the_others(
    routed, two_slots, advisor, client, book
):
    offer = _offer(routed, two_slots, advisor)
    book(two_slots[0], UserFactory())  # someone else was quicker
    need = routed.need
    client.force_login(need.user)
    url = f"/en/me/needs/{need.pk}/offers/{offer.pk}/book/{two_slots[0].pk}/"

    response = client.get(url)
    assert response.status_code == 409
    page = response.content.decode()
    assert "This slot was just taken by someone else" in page
    assert f"/offers/{offer.pk}/book/{two_slots[1].pk}/" in page

    Slot.objects.filter(pk=two_slots[1].pk).update(booked_count=1)  # and this one too
    response = client.post(
        f"/en/me/needs/{need.pk}/offers/{offer.pk}/book/{two_slots[1].pk}/",
        {"topic": "x", "language": "fr"},
    )
    assert response.status_code == 409
    assert "just taken" in response.content.decode()
    assert not Booking.objects.filter(user=need.user).exists()


def test_only_the_needs_owner_can_book_from_the_offer(routed, two_slots, advisor, client):
    offer = _offer(routed, two_slots, advisor)
    need = routed.need
    url = f"/en/me/needs/{need.pk}/offers/{offer.pk}/book/{two_slots[0].pk}/"
    for someone in (UserFactory(), advisor.user):
        client.force_login(someone)
        assert client.get(url).status_code == 404
        assert client.post(url, {"topic": "x", "language": "fr"}).status_code == 404
    with pytest.raises(services.NeedRefused):
        services.slot_offer_take(offer=offer, slot=two_slots[0], user=advisor.user, language="fr")
    assert not Booking.objects.exists()


def test_a_slot_outside_the_offer_is_not_found(routed, two_slots, advisor, client, make_slot, bie):
    offer = _offer(routed, two_slots[:1], advisor)
    other = make_slot(days=5, agency=bie)
    client.force_login(routed.need.user)
    url = f"/en/me/needs/{routed.need.pk}/offers/{offer.pk}/book/{other.pk}/"
    assert client.get(url).status_code == 404


def test_a_cancelled_booking_frees_the_offer_again(routed, two_slots, advisor):
    offer = _offer(routed, two_slots, advisor)
    user = routed.need.user
    booking = services.slot_offer_take(offer=offer, slot=two_slots[0], user=user, language="fr")
    with pytest.raises(services.NeedRefused, match="already booked"):
        services.slot_offer_take(offer=offer, slot=two_slots[1], user=user, language="fr")
    booking_cancel(booking=booking, by=user, reason="")
    offer.refresh_from_db()
    assert not offer.is_taken
    again = services.slot_offer_take(offer=offer, slot=two_slots[1], user=user, language="fr")
    assert again.slot == two_slots[1]


def test_the_booking_keeps_refusals_of_booking_create(routed, two_slots, advisor):
    offer = _offer(routed, two_slots, advisor)
    with pytest.raises(BookingRefused) as exc:
        services.slot_offer_take(
            offer=offer, slot=two_slots[0], user=routed.need.user, language="nl"
        )
    assert exc.value.code == "language"  # the first slot's permanence speaks FR and EN
    offer.refresh_from_db()
    assert offer.taken_booking is None


def test_an_advisor_offers_slots_from_the_need_page(routed, two_slots, advisor, client, make_slot):
    elsewhere = make_slot(days=3)  # another agency's slot is not offered
    client.force_login(advisor.user)
    page = client.get(f"/nl/agency/needs/{routed.pk}/").content.decode()
    for slot in two_slots:
        assert f'value="{slot.pk}"' in page
    assert f'value="{elsewhere.pk}"' not in page
    assert "Vrije tijdsloten aanbieden" in page or "Offer free slots" in page

    response = client.post(
        f"/nl/agency/needs/{routed.pk}/offer/",
        {"slots": [s.pk for s in two_slots], "message": "Tot dan!"},
        follow=True,
    )
    offer = SlotOffer.objects.get()
    assert offer.message == "Tot dan!"
    assert set(offer.slots.all()) == set(two_slots)
    page = response.content.decode()
    assert "Tot dan!" in page

    # More than three, or none: a clear message and no offer.
    response = client.post(f"/en/agency/needs/{routed.pk}/offer/", {"slots": []}, follow=True)
    assert "Choose one to three free slots." in response.content.decode()
    response = client.post(
        f"/en/agency/needs/{routed.pk}/offer/", {"slots": [elsewhere.pk]}, follow=True
    )
    assert "no longer free" in response.content.decode()
    assert SlotOffer.objects.count() == 1


def test_another_agency_cannot_offer_slots_for_the_need(routed, two_slots, client):
    client.force_login(AdvisorFactory(agency=Agency.objects.get(slug="atrium")).user)
    response = client.post(f"/en/agency/needs/{routed.pk}/offer/", {"slots": [two_slots[0].pk]})
    assert response.status_code == 404
    assert not SlotOffer.objects.exists()


def test_the_coordinator_sees_the_offers_of_a_routed_need_read_only(
    routed, two_slots, advisor, client
):
    offer = _offer(routed, two_slots, advisor, message="Either suits us.")
    services.slot_offer_take(offer=offer, slot=two_slots[0], user=routed.need.user, language="fr")
    client.force_login(user_set_role(user=UserFactory(), role=Role.COORDINATOR))
    page = client.get(f"/en/admin/needs/routedneed/{routed.pk}/change/").content.decode()
    assert "Either suits us." in page
    assert str(two_slots[1]) in page
    assert 'name="offers-0-message"' not in page  # read only


def test_members_only_slots_are_offered_only_to_members_of_their_incubator(
    routed, make_slot, advisor, bie, client
):
    members_only = make_slot(days=3, agency=bie, audience="members")
    client.force_login(advisor.user)
    url = f"/en/agency/needs/{routed.pk}/"
    assert f'value="{members_only.pk}"' not in client.get(url).content.decode()
    with pytest.raises(services.NeedRefused, match="no longer free"):
        _offer(routed, [members_only], advisor)

    make_member(routed.need.user, members_only.incubator)
    assert f'value="{members_only.pk}"' in client.get(url).content.decode()
    assert _offer(routed, [members_only], advisor).slots.get() == members_only


def test_the_advisor_who_offered_hears_which_slot_was_booked_in_their_language(
    routed, two_slots, advisor
):
    offer = _offer(routed, two_slots, advisor)
    services.slot_offer_take(offer=offer, slot=two_slots[1], user=routed.need.user, language="fr")
    mail.outbox.clear()
    sending.notifications_dispatch(seconds=10)
    [email] = [m for m in mail.outbox if m.to == [advisor.user.email]]
    assert "heeft een van de tijdsloten geboekt die u aanbood" in email.subject
    assert f"/nl/agency/needs/{routed.pk}/" in email.body
    assert "Which grant for our first trade fair abroad?" in email.body
