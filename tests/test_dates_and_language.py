"""Dates, French elision and the Dutch "u" as readers of each language expect them:
"mer. 2 déc.", "ma 7 dec. 2026", weekdays in lower case inside a sentence, "la
permanence d'Atrium", and allauth's pages and emails saying "u" in Dutch."""

import datetime
import re

import pytest
from django.core import mail
from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.formats import date_format

from common.language import de
from notifications import sending
from notifications.emails import when
from permanences import services as booking_services
from tests.factories import PASSWORD, AdvisorFactory, IncubatorFactory, UserFactory

FR_DAYS = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."]
FR_MONTHS = [
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
]
FR_WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
NL_DAYS = ["ma", "di", "wo", "do", "vr", "za", "zo"]
NL_MONTHS = [
    "jan.",
    "feb.",
    "mrt.",
    "apr.",
    "mei",
    "jun.",
    "jul.",
    "aug.",
    "sep.",
    "okt.",
    "nov.",
    "dec.",
]


def _short(day: datetime.date, days: list[str], months: list[str]) -> str:
    return f"{days[day.weekday()]} {day.day} {months[day.month - 1]}"


def test_it_abbreviates_days_and_months_as_french_and_dutch_write_them():
    with translation.override("fr"):
        assert date_format(datetime.date(2026, 12, 2), "D j N") == "mer. 2 déc."
        assert date_format(datetime.date(2027, 2, 1), "D j N Y") == "lun. 1 févr. 2027"
    with translation.override("nl"):
        assert date_format(datetime.date(2026, 12, 7), "D j N Y") == "ma 7 dec. 2026"
        assert date_format(datetime.date(2026, 5, 4), "D j N") == "ma 4 mei"
    assert date_format(datetime.date(2026, 12, 7), "D j N Y") == "Mon 7 Dec 2026"


def test_it_writes_weekdays_and_months_in_lower_case_in_french_and_dutch():
    moment = timezone.make_aware(datetime.datetime(2026, 12, 7, 14, 30))
    with translation.override("fr"):
        assert when(moment) == "lundi 7 décembre 2026, 14:30"
    with translation.override("nl"):
        assert when(moment) == "maandag 7 december 2026, 14:30"
        page = Template('{% load i18n %}<h2>{{ d|date:"l j F"|capfirst }}</h2>').render(
            Context({"d": moment})
        )
        assert page == "<h2>Maandag 7 december</h2>"  # a heading starts with a capital


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "days", "months"), [("fr", FR_DAYS, FR_MONTHS), ("nl", NL_DAYS, NL_MONTHS)]
)
def test_my_bookings_shows_short_dates_in_the_readers_language(
    client, make_slot, book, language, days, months
):
    person = UserFactory(language=language)
    slot = make_slot(days=4)
    book(slot, person)
    client.force_login(person)

    content = client.get(f"/{language}/me/bookings/").content.decode()

    day = timezone.localtime(slot.starts_at).date()
    assert _short(day, days, months) in content
    assert not re.search(r"\b(Déc|Nov|Dec|Jan|Janv|Lun|Maa|Ma) \d", content)


@pytest.mark.django_db
def test_the_advisors_email_about_a_cancellation_says_the_weekday_in_lower_case(make_slot, book):
    advisor = AdvisorFactory(user__language="fr")
    slot = make_slot(days=5, agency=advisor.agency, advisors=[advisor])
    booking = book(slot, UserFactory(language="fr"))
    booking_services.booking_cancel(booking=booking, by=booking.user, reason="")
    mail.outbox.clear()
    sending.notifications_dispatch(seconds=30)

    [message] = [m for m in mail.outbox if m.to == [advisor.user.email]]
    weekday = FR_WEEKDAYS[timezone.localtime(slot.starts_at).weekday()]
    assert f"Une réservation du {weekday} " in message.subject


def test_de_elides_before_a_vowel_in_french_only():
    with translation.override("fr"):
        assert de("Atrium") == "d'Atrium"
        assert de("Impulse") == "d'Impulse"
        assert de("Écoles") == "d'Écoles"
        assert de("Solvay") == "de Solvay"
        assert de("hub.brussels") == "de hub.brussels"  # an aspirated h keeps "de"
    with translation.override("nl"):
        assert de("Atrium") == "Atrium"
    assert de("Atrium") == "Atrium"


@pytest.mark.django_db
def test_the_members_page_elides_in_french_and_not_in_dutch(client):
    manager = UserFactory(role="incubator_manager")
    incubator = IncubatorFactory(name="Impulse Lab")
    incubator.managers.add(manager)
    client.force_login(manager)
    url = f"/manage/incubators/{incubator.slug}/members/"

    french = client.get("/fr" + url).content.decode()
    assert '<h1 class="mb-1">Membres d&#x27;Impulse Lab</h1>' in french
    assert "de Impulse" not in french
    dutch = client.get("/nl" + url).content.decode()
    assert '<h1 class="mb-1">Leden van Impulse Lab</h1>' in dutch
    template = Template(
        "{% load i18n hub %}{% blocktranslate with of_name=name|de %}Members of {{ of_name }}"
        "{% endblocktranslate %}"
    )
    with translation.override("en"):
        assert template.render(Context({"name": "Solvay"})) == "Members of Solvay"


_JE = re.compile(r"\b(je|jij|jou|jouw)\b", re.IGNORECASE)


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.django_db
def test_allauths_dutch_login_and_signup_pages_say_u(client):
    for path in ("/nl/accounts/login/", "/nl/accounts/signup/", "/nl/accounts/password/reset/"):
        text = _visible_text(client.get(path).content.decode())
        assert not _JE.search(text), (path, _JE.findall(text))
    login = _visible_text(client.get("/nl/accounts/login/").content.decode())
    assert "Hebt u nog geen account?" in login
    signup = _visible_text(client.get("/nl/accounts/signup/").content.decode())
    assert "Hebt u al een account?" in signup


@pytest.mark.django_db
def test_allauths_dutch_confirmation_email_and_message_say_u(client):
    response = client.post(
        "/nl/accounts/signup/",
        {
            "first_name": "Nina",
            "last_name": "Peeters",
            "email": "nina@example.org",
            "language": "nl",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        follow=True,
    )
    [message] = mail.outbox
    assert message.subject.endswith("Bevestig uw e-mailadres")
    assert "U ontvangt deze e-mail" in message.body
    assert not _JE.search(message.subject + message.body), _JE.findall(message.body)
    page = _visible_text(response.content.decode())
    assert "Bevestigingsmail verzonden naar nina@example.org." in page
    assert not _JE.search(page), _JE.findall(page)
