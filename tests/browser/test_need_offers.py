"""From a need, an advisor offers two free slots of the agency (desktop, Dutch); the
entrepreneur opens the booking link of the email on a phone, in French, and books one in
one click; the other is then no longer needed."""

import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from playwright.sync_api import expect

from incubators.models import Agency, NeedCategory
from needs import services
from notifications.sending import notifications_dispatch
from permanences.models import Booking
from tests.browser.conftest import SCREENSHOTS
from tests.factories import PASSWORD, UserFactory

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def offer_setup(routing_rules, demo_data, make_slot):
    bie = Agency.objects.get(slug="bie")
    sofia = UserFactory(first_name="Sofia", last_name="Lambert", language="fr")
    need = services.need_create(
        user=sofia,
        category=NeedCategory.objects.get(slug="export"),
        description="Quel soutien pour notre premier salon en Allemagne ?",
        consent=True,
    )
    slots = [
        make_slot(days=1, agency=bie, languages=["fr", "nl"]),
        make_slot(days=2, agency=bie, languages=["fr", "nl"]),
    ]
    return need.routings.get(agency=bie), slots


def _log_in(page, live_server, email, password, name):
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("alert").first).to_contain_text(f"Successfully signed in as {name}")


def test_an_advisor_offers_two_slots_and_the_entrepreneur_books_one_from_the_email(
    page, browser, live_server, offer_setup, screenshot
):
    routed, slots = offer_setup
    need = routed.need

    # The advisor, on a desktop, in Dutch.
    page.set_viewport_size(DESKTOP)
    _log_in(page, live_server, "advisor.bie@demo.hub.brussels", "hub-demo-2026", "Hugo")
    page.goto(f"{live_server.url}/nl/agency/needs/{routed.pk}/")
    offer_region = page.get_by_role("region", name="Vrije tijdsloten aanbieden")
    expect(offer_region).to_be_visible()
    for slot in slots:
        offer_region.locator(f'input[name=slots][value="{slot.pk}"]').check()
    offer_region.get_by_label("Een woordje voor de ondernemer (optioneel)").fill(
        "Beide passen ons."
    )
    screenshot("need-offer-advisor-nl")
    offer_region.get_by_role("button", name="Deze tijdsloten aanbieden").click()
    expect(page.get_by_role("alert").first).to_contain_text("De tijdsloten zijn aangeboden aan")
    offer_region = page.get_by_role("region", name="Vrije tijdsloten aanbieden")
    expect(offer_region.get_by_text("Wacht op de ondernemer")).to_have_count(2)
    history = page.get_by_role("region", name="Geschiedenis")
    expect(history).to_contain_text("Vrije tijdsloten aangeboden (2).")
    screenshot("need-offer-advisor-nl-offered")

    # The email, in French, with a booking link per slot.
    mail.outbox.clear()
    notifications_dispatch(seconds=10)
    [email] = [m for m in mail.outbox if m.to == [need.user.email]]
    assert "vous propose un rendez-vous" in email.subject
    links = re.findall(r"https?://\S+/book/\d+/", email.body)
    assert len(links) == 2
    second = next(link for link in links if link.endswith(f"/book/{slots[1].pk}/"))

    # The entrepreneur, on a phone, opens the link of the second slot.
    phone = browser.new_page(viewport=PHONE)
    phone.set_default_timeout(15_000)
    _log_in(phone, live_server, need.user.email, PASSWORD, "Sofia")
    phone.goto(f"{live_server.url}/fr/me/needs/{need.pk}/")
    expect(phone.get_by_role("link", name="Réserver ce créneau")).to_have_count(2)
    phone.screenshot(path=str(SCREENSHOTS / "need-offer-open-fr-phone.png"), full_page=True)
    phone.goto(live_server.url + urlparse(second).path)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Réserver ce créneau")
    expect(phone.get_by_label(re.compile("Langue de l.entretien"))).to_have_value("fr")
    expect(phone.get_by_label(re.compile("De quoi souhaitez-vous"))).to_have_value(need.description)
    phone.screenshot(path=str(SCREENSHOTS / "need-offer-book-fr-phone.png"), full_page=True)
    phone.get_by_role("button", name="Confirmer la réservation").click()
    expect(phone.get_by_role("alert").first).to_contain_text("Votre réservation est confirmée.")
    booking = Booking.objects.get(user=need.user)
    assert booking.slot_id == slots[1].pk
    assert booking.topic == need.description

    # The need's page: this one booked, the other no longer needed.
    phone.goto(f"{live_server.url}/fr/me/needs/{need.pk}/")
    offer = phone.locator(".border-primary-subtle")
    expect(offer.get_by_role("link", name="Réservé : voir la réservation")).to_be_visible()
    expect(offer.get_by_text("Plus nécessaire")).to_be_visible()
    expect(offer.get_by_role("link", name="Réserver ce créneau")).to_have_count(0)
    phone.screenshot(path=str(SCREENSHOTS / "need-offer-taken-fr-phone.png"), full_page=True)

    # The first link now leads back to the need: one of the slots is already booked.
    first = next(link for link in links if link.endswith(f"/book/{slots[0].pk}/"))
    phone.goto(live_server.url + urlparse(first).path)
    expect(phone.get_by_role("alert").first).to_contain_text("Vous avez déjà réservé")
    phone.close()
