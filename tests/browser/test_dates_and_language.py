"""A French and a Dutch entrepreneur on a phone read their dates as their language
writes them, and the Dutch login page says "u"."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import PASSWORD, UserFactory
from tests.test_dates_and_language import FR_DAYS, FR_MONTHS, NL_DAYS, NL_MONTHS

pytestmark = pytest.mark.browser

LOGIN = {
    "fr": ("Mot de passe", "Connexion"),
    "nl": ("Wachtwoord", "Aanmelden"),
}


@pytest.mark.parametrize(
    ("language", "days", "months"), [("fr", FR_DAYS, FR_MONTHS), ("nl", NL_DAYS, NL_MONTHS)]
)
def test_my_bookings_reads_dates_in_the_readers_language(
    page, live_server, make_slot, book, screenshot, language, days, months
):
    page.set_viewport_size({"width": 390, "height": 844})
    person = UserFactory(language=language)
    slot = make_slot(days=6, languages=["fr", "nl"])
    book(slot, person, language=language)

    page.goto(f"{live_server.url}/{language}/accounts/login/")
    if language == "nl":
        expect(page.locator("main")).to_contain_text("Hebt u nog geen account?")
        screenshot("login-nl")
    password_label, sign_in = LOGIN[language]
    page.get_by_label(re.compile("(E-mail|Courriel|Adresse)", re.I)).first.fill(person.email)
    page.get_by_label(password_label).fill(PASSWORD)
    page.get_by_role("button", name=sign_in).click()
    page.goto(f"{live_server.url}/{language}/me/bookings/")

    day = timezone.localtime(slot.starts_at).date()
    short = f"{days[day.weekday()]} {day.day} {months[day.month - 1]}"
    expect(page.locator("main")).to_contain_text(short)
    screenshot(f"my-bookings-dates-{language}")
