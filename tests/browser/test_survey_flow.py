import datetime
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User
from notifications.sending import notifications_dispatch
from permanences.models import Booking
from permanences.services import booking_mark_attendance
from surveys.models import Response, Suggestion

PASSWORD = "hub-demo-2026"


def test_an_attended_booking_leads_to_a_survey_whose_answer_the_coordinator_sees(
    page, live_server, demo_data, screenshot
):
    person = User.objects.get(email="entrepreneur@demo.hub.brussels")
    booking = Booking.objects.filter(user=person).select_related("slot__agency").get()
    advisor = User.objects.get(email="advisor.impulse@demo.hub.brussels")
    booking_mark_attendance(
        booking=booking,
        attended=True,
        outcome="Prêt subordonné à étudier",
        by=advisor,
        now=booking.starts_at + datetime.timedelta(minutes=30),
    )
    mail.outbox.clear()
    notifications_dispatch(seconds=30)
    [invitation] = [m for m in mail.outbox if m.to == [person.email] and "rendez-vous" in m.subject]
    link = re.search(r"http://\S+/fr/survey/\S+/", invitation.body).group(0)
    path = link.split("/fr/", 1)[1]

    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.goto(f"{live_server.url}/fr/{path}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre rendez-vous")
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.get_by_role("alert").first).to_contain_text("Des réponses manquent")
    expect(page.get_by_text("Choisissez une valeur.").first).to_be_visible()
    screenshot("survey-errors-phone-fr")

    page.get_by_role("group", name=re.compile("Êtes-vous satisfait")).get_by_text(
        "4", exact=True
    ).click()
    page.get_by_role("group", name=re.compile("Les conseils étaient-ils utiles")).get_by_text(
        "5", exact=True
    ).click()
    page.get_by_role("group", name=re.compile("Recommanderiez-vous")).get_by_text(
        "9", exact=True
    ).click()
    page.get_by_label("Une demande d'aide ou de subside").check()
    page.get_by_role("textbox").fill("Des permanences en fin de journée, s'il vous plaît.")
    screenshot("survey-filled-phone-fr")
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merci !")
    response = Response.objects.get()
    assert (response.agency, response.satisfaction, response.nps) == (
        booking.slot.agency,
        4.5,
        9,
    )
    assert Suggestion.objects.get().text.startswith("Des permanences en fin de journée")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.get_by_label("Email").fill("coordinator@demo.hub.brussels")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.goto(f"{live_server.url}/en/coordination/surveys/")
    expect(page.locator("#total-responses")).to_contain_text("1")
    expect(page.get_by_text("Des permanences en fin de journée")).to_be_visible()
    screenshot("survey-results-en")
    page.get_by_role("button", name="Mark as handled").click()
    expect(page.get_by_role("alert").first).to_contain_text("Suggestion marked as handled.")
    assert Suggestion.objects.get().handled_at is not None

    page.goto(f"{live_server.url}/fr/{path}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Déjà répondu")
    screenshot("survey-used-link-fr")
    assert Response.objects.count() == 1


@pytest.fixture(autouse=True)
def _routing(routing_rules):
    return None
