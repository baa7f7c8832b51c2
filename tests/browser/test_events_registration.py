"""Registering for an event on a phone, in Dutch: two people fill it, a third joins the
waiting list and sees their number; when one cancels from the ticket page, the place is
offered to the first in line, who accepts it from the email and gets a ticket with its
QR code."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from events.models import Event, EventSession, Registration
from notifications import sending
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _phone_for(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport=PHONE, locale="nl-BE")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def _shot(page, name):
    from tests.browser.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.mark.django_db(transaction=True)
def test_a_cancellation_offers_the_place_to_the_first_in_line_who_accepts_from_the_email(
    browser, live_server, settings
):
    settings.SITE_URL = live_server.url  # the links in the emails lead to this server
    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=5)
    event = Event.objects.create(
        slug="netwerkavond",
        kind=Event.Kind.NETWORKING,
        title_nl="Netwerkavond voor oprichters",
        title_fr="Soirée networking",
        title_en="Networking evening",
        description_nl="Ontmoet andere oprichters.",
        address="Wetstraat 16, 1000 Brussel",
        capacity=2,
        status=Event.Status.PUBLISHED,
    )
    EventSession.objects.create(
        event=event, starts_at=starts, ends_at=starts + datetime.timedelta(hours=3)
    )
    anna, bram, chris = (
        UserFactory(language="nl", first_name=n) for n in ("Anna", "Bram", "Chris")
    )
    url = f"{live_server.url}/nl/events/{event.slug}/"

    # Anna and Bram take the two places.
    for person in (anna, bram):
        page = _phone_for(browser, live_server, person)
        page.goto(url)
        expect(page.locator("#places")).to_contain_text("plaats")
        page.get_by_role("button", name="Inschrijven").click()
        expect(page.get_by_role("heading", name="Uw inschrijving")).to_be_visible()
        expect(page.get_by_role("img", name="QR-code van uw ticket")).to_be_visible()
        if person is anna:
            _shot(page, "events-ticket-phone-nl")
            anna_page = page
        else:
            page.context.close()

    # Chris finds it full on the agenda and joins the waiting list.
    chris_page = _phone_for(browser, live_server, chris)
    chris_page.goto(f"{live_server.url}/nl/events/")
    expect(chris_page.get_by_text("Volzet: wachtlijst")).to_be_visible()
    _shot(chris_page, "events-agenda-phone-nl")
    chris_page.get_by_role("link", name="Netwerkavond voor oprichters").click()
    expect(chris_page.locator("#places")).to_contain_text("Volzet")
    _shot(chris_page, "events-full-phone-nl")
    chris_page.get_by_role("button", name="Op de wachtlijst komen").click()
    expect(chris_page.locator("#position")).to_contain_text("U bent nummer 1 op de wachtlijst.")
    _shot(chris_page, "events-waitlisted-phone-nl")

    # Anna cancels from her ticket page.
    anna_page.get_by_role("link", name="Mijn inschrijving annuleren…").click()
    anna_page.get_by_role("button", name="Ja, mijn inschrijving annuleren").click()
    expect(anna_page.get_by_text("Uw inschrijving is geannuleerd.")).to_be_visible()

    # Chris gets the offer by email, in Dutch, and accepts it from the link.
    mail.outbox.clear()
    sending.notifications_dispatch(seconds=30)
    [offer] = [m for m in mail.outbox if m.to == [chris.email]]
    assert "Er is een plaats vrij voor u" in offer.subject
    accept = re.search(r"http://\S+/nl/events/tickets/\S+/accept/", offer.body).group(0)
    chris_page.goto(accept)
    _shot(chris_page, "events-offer-phone-nl")
    chris_page.get_by_role("button", name="De plaats aanvaarden").click()
    expect(chris_page.get_by_text("De plaats is voor u.")).to_be_visible()
    expect(chris_page.get_by_role("img", name="QR-code van uw ticket")).to_be_visible()
    _shot(chris_page, "events-offer-accepted-phone-nl")
    assert Registration.objects.get(user=chris).status == Registration.Status.CONFIRMED
    assert Registration.objects.filter(event=event, status="confirmed").count() == 2
