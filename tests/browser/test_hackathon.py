"""A hackathon from team to winner: a participant creates a team on a phone in French, a
second one joins it by its link in Dutch, the team submits with a file, the organiser
assigns the jury on a desktop, two jurors score it, the organiser publishes the winner
and the team sees it and gets the email."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from demo.hackathons import SLUG, load_hackathons
from events.models import Event
from events.services import registration_create
from hackathons.models import Award, Score, Submission
from notifications.sending import notifications_dispatch
from tests.browser.test_accessibility import AXE, RUN_AXE, WCAG_AA
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "hub-demo-2026"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PDF = b"%PDF-1.4\n% pitch deck\n1 0 obj\n<<>>\nendobj\n"


def new_page(browser, viewport: dict):
    """A page of its own context, with axe-core loaded in every document."""
    context = browser.new_context(viewport=viewport)
    context.add_init_script(path=str(AXE))
    return context.new_page()


def assert_accessible(page) -> None:
    violations = page.evaluate(RUN_AXE, WCAG_AA)
    assert not violations, f"{page.url}: {violations}"


def sign_in(page, url: str, lang: str, email: str, password: str) -> None:
    page.goto(f"{url}/{lang}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("#id_password").press("Enter")
    expect(page).to_have_url(re.compile(f"/{lang}/(me|onboarding)/"))


def test_a_team_is_formed_by_link_submits_is_scored_by_two_jurors_and_wins(
    browser, page, live_server, demo_data, screenshot
):
    load_hackathons()
    event = Event.objects.get(slug=SLUG)
    zoe = UserFactory(first_name="Zoé", last_name="Lambert", language="fr")
    daan = UserFactory(first_name="Daan", last_name="Peeters", language="nl")
    for person in (zoe, daan):
        registration_create(event_id=event.pk, user=person, language=person.language)
    hackathon_path = f"hackathons/{SLUG}/"

    # Zoé, on her phone, in French: the hackathon page, then a team of her own.
    zoe_page = new_page(browser, PHONE)
    sign_in(zoe_page, live_server.url, "fr", zoe.email, PASSWORD)
    zoe_page.goto(f"{live_server.url}/fr/{hackathon_path}")
    expect(zoe_page.get_by_role("heading", level=1)).to_have_text("Hack the EU Quarter")
    expect(zoe_page.get_by_role("heading", name="Défis")).to_be_visible()
    expect(zoe_page.get_by_text("Date limite de dépôt")).to_be_visible()
    screenshot_page(zoe_page, screenshot, "hackathon-page-phone-fr")
    assert_accessible(zoe_page)
    zoe_page.get_by_role("link", name="Créer une équipe").click()
    zoe_page.get_by_label("Nom de l'équipe").fill("Les Bruxellois")
    zoe_page.get_by_label("Pitch").fill("Une carte des institutions pour les nouveaux venus.")
    zoe_page.get_by_label("Défi").select_option(label="L'Europe à deux pas")
    zoe_page.get_by_role("button", name="Créer l'équipe").click()
    expect(zoe_page.get_by_role("alert").first).to_contain_text("Votre équipe est créée")
    invite_url = zoe_page.locator("#invite-url").input_value()
    assert "/fr/hackathons/join/" in invite_url
    screenshot_page(zoe_page, screenshot, "hackathon-team-phone-fr")
    assert_accessible(zoe_page)

    # Daan opens the link on his phone, in Dutch, and joins.
    daan_page = new_page(browser, PHONE)
    sign_in(daan_page, live_server.url, "nl", daan.email, PASSWORD)
    daan_page.goto(invite_url.replace("/fr/", "/nl/"))
    expect(daan_page.get_by_role("heading", level=1)).to_have_text("Bij Les Bruxellois gaan")
    screenshot_page(daan_page, screenshot, "hackathon-join-phone-nl")
    assert_accessible(daan_page)
    daan_page.get_by_role("button", name="Bij het team gaan").click()
    expect(daan_page.get_by_role("alert").first).to_contain_text("Welkom in het team")
    expect(daan_page.locator("#members-title")).to_contain_text("2 leden van 4")

    # Zoé submits the project with its pitch deck.
    zoe_page.get_by_role("link", name="Déposer notre projet").click()
    zoe_page.get_by_label("Nom du projet").fill("EU Compass")
    zoe_page.get_by_label("Description").fill("Une boussole vers les institutions européennes.")
    zoe_page.get_by_label("Dépôt de code").fill("https://example.org/les-bruxellois/eu-compass")
    zoe_page.get_by_label("Ajouter des fichiers").set_input_files(
        [{"name": "pitch.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    zoe_page.get_by_role("button", name="Déposer", exact=True).click()
    expect(zoe_page.get_by_role("alert").first).to_contain_text("Votre projet est enregistré")
    expect(zoe_page.get_by_role("link", name="pitch.pdf")).to_be_visible()
    screenshot_page(zoe_page, screenshot, "hackathon-submission-phone-fr")
    assert_accessible(zoe_page)
    submission = Submission.objects.get(project_name="EU Compass")
    assert submission.challenge.title_fr == "L'Europe à deux pas"

    # The organiser (the coordinator), on a desktop in English, assigns every juror.
    page.set_viewport_size(DESKTOP)
    page.context.add_init_script(path=str(AXE))
    sign_in(page, live_server.url, "en", "coordinator@demo.hub.brussels", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/en/{hackathon_path}manage/")
    page.get_by_role("button", name="Assign the jurors").click()
    expect(page.get_by_role("alert").first).to_contain_text("Jury assignments added: 2.")

    # Two jurors score it: Hugo in English, Leen in Dutch.
    for email, lang, values, comment in [
        ("advisor.bie@demo.hub.brussels", "en", [8, 7, 9, 6], "Clear and useful."),
        ("advisor.innoviris@demo.hub.brussels", "nl", [9, 8, 7, 8], "Sterk concept."),
    ]:
        juror_page = new_page(browser, DESKTOP)
        sign_in(juror_page, live_server.url, lang, email, DEMO_PASSWORD)
        juror_page.goto(f"{live_server.url}/{lang}/{hackathon_path}jury/")
        juror_page.locator(
            f"a[href$='/jury/{submission.assignments.get(juror__email=email).pk}/']"
        ).click()
        expect(juror_page.get_by_role("heading", level=1)).to_have_text("EU Compass")
        expect(juror_page.get_by_text("Clear and useful.")).to_have_count(0)
        fields = juror_page.locator("input[name^='criterion_']")
        for i, value in enumerate(values):
            fields.nth(i).fill(str(value))
        juror_page.locator("textarea[name='comment']").fill(comment)
        juror_page.locator("form button[type='submit']").last.click()
        expect(juror_page.get_by_role("alert").first).to_be_visible()
        if lang == "nl":
            # Once her own scores are in, Leen sees Hugo's.
            expect(juror_page.get_by_text("Clear and useful.")).to_be_visible()
            screenshot_page(juror_page, screenshot, "hackathon-score-nl")
            assert_accessible(juror_page)
        juror_page.close()
    assert Score.objects.filter(assignment__submission=submission).count() == 8

    # The ranking: (3×8 + 2×7 + 2×9 + 6) / 8 = 7.75 and (3×9 + 2×8 + 2×7 + 8) / 8 = 8.125.
    page.reload()
    first_row = page.locator("#ranking tbody tr").first
    expect(first_row).to_contain_text("EU Compass")
    expect(first_row).to_contain_text("7.94")
    expect(first_row).to_contain_text("2/2")
    page.get_by_label("Winner overall").select_option(label="EU Compass")
    page.get_by_label("Winner of “Europe next door”").select_option(label="EU Compass")
    screenshot("hackathon-ranking-desktop-en")
    assert_accessible(page)
    page.get_by_role("button", name="Publish the winners").click()
    expect(page.get_by_role("alert").first).to_contain_text("The winners are published")
    assert Award.objects.filter(submission=submission).count() == 2

    # The team sees it on the public page, and gets the email in its language.
    zoe_page.goto(f"{live_server.url}/fr/{hackathon_path}")
    winners = zoe_page.get_by_role("region", name="Gagnants")
    expect(winners).to_contain_text("EU Compass")
    expect(winners).to_contain_text("Les Bruxellois")
    screenshot_page(zoe_page, screenshot, "hackathon-winners-phone-fr")
    assert_accessible(zoe_page)
    mail.outbox.clear()
    notifications_dispatch(seconds=30)
    [to_zoe] = [m for m in mail.outbox if m.to == [zoe.email] and "les résultats" in m.subject]
    assert "remporte le hackathon" in to_zoe.body
    [to_daan] = [m for m in mail.outbox if m.to == [daan.email] and "de resultaten" in m.subject]
    assert "wint de hackathon" in to_daan.body


def screenshot_page(page, screenshot, name: str) -> None:
    """The shared fixture shoots the test's own page; this one shoots another."""
    from tests.browser.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 1000
