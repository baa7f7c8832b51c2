"""Check-in at the door on a phone, in French: the organiser opens a ticket's QR address
(as the phone's camera would), checks the person in, finds another by name (live search)
and reads the attendance list. Each page passes axe (WCAG 2.1 AA) and the CSP."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events.models import Event, EventSession, Registration
from tests.browser.test_accessibility import AXE, RUN_AXE, WCAG_AA
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.browser


def _axe(page) -> list:
    """axe's serious and critical violations (axe comes in as an init script, which the
    Content-Security-Policy does not govern)."""
    return page.evaluate(RUN_AXE, WCAG_AA)


@pytest.fixture
def evening(transactional_db):
    organiser = UserFactory(first_name="Olga", last_name="Organisatrice", language="fr")
    starts = timezone.now() - datetime.timedelta(minutes=30)
    event = Event.objects.create(
        slug="soiree-networking",
        kind=Event.Kind.NETWORKING,
        title_fr="Soirée networking",
        title_nl="Netwerkavond",
        title_en="Networking evening",
        address="Rue de la Loi 16, 1000 Bruxelles",
        capacity=20,
        status=Event.Status.PUBLISHED,
    )
    EventSession.objects.create(
        event=event, starts_at=starts, ends_at=starts + datetime.timedelta(hours=3)
    )
    event.organisers.add(organiser)
    people = {
        name: Registration.objects.create(
            event=event,
            user=UserFactory(first_name=name.split()[0], last_name=name.split()[1]),
            status=Registration.Status.CONFIRMED,
        )
        for name in ["Ana Peeters", "Bram Janssens", "Chloé Dubois"]
    }
    people["guest"] = Registration.objects.create(
        event=event,
        guest_name="Dirk Willems",
        guest_email="dirk@example.org",
        status=Registration.Status.CONFIRMED,
        language="nl",
    )
    return organiser, event, people


def test_check_in_on_a_phone_in_french(page, live_server, evening, screenshot):
    organiser, event, people = evening
    page.set_viewport_size({"width": 390, "height": 844})
    page.context.add_init_script(path=str(AXE))
    ana = people["Ana Peeters"]

    # The QR code is opened by the camera: not signed in yet, the login comes first.
    page.goto(f"{live_server.url}/fr/events/checkin/{ana.token}/")
    page.locator("#id_login").fill(organiser.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ana Peeters")
    button = page.get_by_role("button", name="Enregistrer l'arrivée")
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box["y"] + box["height"] <= 844 and box["width"] >= 300  # big, in the first screen
    assert _axe(page) == []
    screenshot("events-checkin-ticket-phone-fr")

    button.click()
    state = page.locator("#checkin-state")
    expect(state).to_contain_text(re.compile(r"Arrivée déjà enregistrée à \d\d:\d\d"))
    expect(page.get_by_role("button", name="Enregistrer l'arrivée")).to_have_count(0)
    ana.refresh_from_db()
    assert ana.checked_in_by == organiser
    screenshot("events-checkin-done-phone-fr")

    # A second scan of the same ticket says when.
    page.goto(f"{live_server.url}/fr/events/checkin/{ana.token}/")
    at = timezone.localtime(ana.checked_in_at).strftime("%H:%M")
    expect(page.locator("#checkin-state")).to_contain_text(f"Arrivée déjà enregistrée à {at}")

    # Someone without a ticket at hand: the name search.
    page.get_by_role("link", name="Chercher un nom").click()
    expect(page.locator("#checkin-count")).to_contain_text("Arrivées : 1 sur 4")
    page.get_by_label("Nom ou e-mail").press_sequentially("jans", delay=50)
    row = page.locator(f"#checkin-{people['Bram Janssens'].pk}")
    expect(row).to_contain_text("Bram Janssens")
    expect(page.locator(".checkin-row")).to_have_count(1)
    assert "q=jans" in page.url
    assert _axe(page) == []
    screenshot("events-checkin-search-phone-fr")
    row.get_by_role("button", name=re.compile("Enregistrer l'arrivée")).click()
    expect(page.locator(f"#checkin-{people['Bram Janssens'].pk}")).to_contain_text("Arrivé·e à")
    people["Bram Janssens"].refresh_from_db()
    assert people["Bram Janssens"].checked_in_at is not None

    # A guest is found by email too.
    search = page.get_by_label("Nom ou e-mail")
    search.fill("")
    search.press_sequentially("dirk@", delay=50)
    expect(page.locator(f"#checkin-{people['guest'].pk}")).to_contain_text("Dirk Willems")
    screenshot("events-checkin-guest-phone-fr")

    # The attendance list: who came, who has not come yet.
    page.get_by_role("link", name="Présence").click()
    expect(page.locator("#att-checked-in")).to_have_text("2")
    expect(page.locator("#att-no-shows")).to_have_text("—")  # the evening is not over
    present = page.get_by_role("heading", name="Présents").locator("xpath=following-sibling::ul[1]")
    expect(present).to_contain_text("Ana Peeters")
    expect(present).to_contain_text("Bram Janssens")
    assert _axe(page) == []
    screenshot("events-checkin-attendance-phone-fr")

    # The registrations, and the form to write to all of them.
    page.get_by_role("link", name="Inscriptions").click()
    expect(page.locator(f"#registration-{people['guest'].pk}")).to_contain_text("Invité")
    assert _axe(page) == []
    screenshot("events-registrations-phone-fr")
    page.get_by_role("link", name="Écrire à tous", exact=True).click()
    page.get_by_label("Objet").fill("Parking")
    page.get_by_label("Message").fill("Le parking de la rue de la Loi est fermé ce soir.")
    assert _axe(page) == []
    screenshot("events-message-phone-fr")
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_role("alert").or_(page.get_by_role("status")).first).to_contain_text(
        "Votre message part vers 4 personnes."
    )


def test_a_stranger_scanning_a_ticket_gets_a_404(page, live_server, evening):
    _organiser, _event, people = evening
    stranger = UserFactory(language="fr")
    page.goto(f"{live_server.url}/fr/accounts/login/")
    page.locator("#id_login").fill(stranger.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    response = page.goto(f"{live_server.url}/fr/events/checkin/{people['Ana Peeters'].token}/")
    assert response.status == 404
    expect(page.get_by_role("button", name="Enregistrer l'arrivée")).to_have_count(0)
