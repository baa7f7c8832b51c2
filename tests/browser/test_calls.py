"""An experimentation call from application to decision: two start-ups apply on their
phones (one in French with a PDF, one in Dutch), the manager invites two evaluators and
assigns them, one evaluator scores both applications, the other scores one and declares a
conflict of interest on the other, the manager sees the ranking, decides, publishes, and
each applicant gets the decision with the feedback by email in their language."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from calls.models import Application, Assignment, Call, Criterion
from notifications.sending import notifications_dispatch
from tests.browser.test_accessibility import AXE, RUN_AXE, WCAG_AA
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "hub-demo-2026"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PDF = b"%PDF-1.4\n% solution sheet\n1 0 obj\n<<>>\nendobj\n"
SHOTS = "/tmp/work/shots"


def new_page(browser, viewport: dict):
    context = browser.new_context(viewport=viewport)
    context.add_init_script(path=str(AXE))
    return context.new_page()


def assert_accessible(page) -> None:
    violations = page.evaluate(RUN_AXE, WCAG_AA)
    assert not violations, f"{page.url}: {violations}"


def shoot(page, name: str) -> None:
    page.screenshot(path=f"{SHOTS}/calls-{name}.png", full_page=True)


def sign_in(page, url: str, lang: str, email: str, password: str) -> None:
    page.goto(f"{url}/{lang}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("#id_password").press("Enter")
    expect(page).to_have_url(re.compile(f"/{lang}/(me|onboarding)/"))


def make_call() -> Call:
    now = timezone.now()
    call = Call.objects.create(
        slug="smart-air",
        title_fr="Un air plus sain autour des écoles",
        title_nl="Gezondere lucht rond scholen",
        title_en="Cleaner air around schools",
        summary_fr="Testez vos capteurs avec la Région.",
        summary_nl="Test uw sensoren met het Gewest.",
        summary_en="Test your sensors with the Region.",
        problem_fr="Mesurer la qualité de l'air dans 20 écoles.",
        problem_nl="De luchtkwaliteit meten in 20 scholen.",
        problem_en="Measure the air quality in 20 schools.",
        eligibility_fr="Start-ups avec un prototype.",
        eligibility_nl="Start-ups met een prototype.",
        eligibility_en="Start-ups with a prototype.",
        offer_fr="Un projet pilote de six mois.",
        offer_nl="Een pilootproject van zes maanden.",
        offer_en="A six-month pilot.",
        funder_kind=Call.FunderKind.REGION,
        funder_name="Smart City Brussels & European Commission",
        opens_at=now - datetime.timedelta(days=5),
        deadline=now + datetime.timedelta(days=3),
        status=Call.Status.PUBLISHED,
        score_max=5,
    )
    Criterion.objects.create(
        call=call, name_fr="Innovation", name_nl="Innovatie", name_en="Innovation", weight=2
    )
    Criterion.objects.create(
        call=call, name_fr="Équipe", name_nl="Team", name_en="Team", weight=1, order=1
    )
    return call


def apply(page, *, title: str, pdf: bool, submit_label: str) -> None:
    page.locator("#id_project_title").fill(title)
    page.locator("#id_team").fill("Two engineers and a designer.")
    page.locator("#id_solution").fill("Low-cost sensors and an open dashboard.")
    page.locator("#id_trl").select_option("6")
    if pdf:
        page.locator("#id_files").set_input_files(
            [{"name": "solution.pdf", "mimeType": "application/pdf", "buffer": PDF}]
        )
    page.get_by_role("button", name=submit_label).click()


def score(browser, url, email, lang, password, application, values, conflict=False):
    evaluator_page = new_page(browser, PHONE)
    sign_in(evaluator_page, url, lang, email, password)
    assignment = Assignment.objects.get(application=application, evaluator__email=email)
    evaluator_page.goto(f"{url}/{lang}/calls/smart-air/review/")
    evaluator_page.locator(f"a[href$='/review/{assignment.pk}/']").click()
    expect(evaluator_page.get_by_role("heading", level=1)).to_have_text(application.project_title)
    if application.project_title == "AirKids" and not conflict:
        evaluator_page.screenshot(path=f"{SHOTS}/calls-score-phone-{lang}.png", full_page=True)
        assert_accessible(evaluator_page)
    if conflict:
        evaluator_page.locator("#id_reason").fill("I advise this company.")
        evaluator_page.locator("#conflict-form button").click()
    else:
        for criterion, value in zip(application.call.criteria.all(), values, strict=True):
            evaluator_page.locator(
                f"input[name='criterion_{criterion.pk}'][value='{value}']"
            ).check()
        evaluator_page.locator("#id_comment").fill("Convincing.")
        evaluator_page.locator("#score-form button").click()
    expect(evaluator_page.get_by_role("alert").first).to_be_visible()
    return evaluator_page


def test_two_applications_are_scored_ranked_decided_and_the_decisions_reach_both(
    browser, page, live_server, demo_data
):
    call = make_call()
    url = live_server.url
    chloe = UserFactory(first_name="Chloé", last_name="Dupont", language="fr")
    bram = UserFactory(first_name="Bram", last_name="Wouters", language="nl")

    # Chloé, on her phone in French: the call page, then her application with a PDF.
    chloe_page = new_page(browser, PHONE)
    sign_in(chloe_page, url, "fr", chloe.email, PASSWORD)
    chloe_page.goto(f"{url}/fr/calls/")
    expect(chloe_page.get_by_role("heading", level=1)).to_have_text("Appels à expérimentation")
    shoot(chloe_page, "list-phone-fr")
    assert_accessible(chloe_page)
    chloe_page.get_by_role("link", name="Un air plus sain autour des écoles").click()
    expect(chloe_page.get_by_role("heading", level=1)).to_have_text(
        "Un air plus sain autour des écoles"
    )
    expect(chloe_page.get_by_text("(heure de Bruxelles)").first).to_be_visible()
    shoot(chloe_page, "call-phone-fr")
    assert_accessible(chloe_page)
    chloe_page.get_by_role("link", name="Poser ma candidature").click()
    expect(chloe_page.get_by_role("heading", level=1)).to_have_text("Ma candidature")
    shoot(chloe_page, "form-phone-fr")
    assert_accessible(chloe_page)
    # A draft first, then the submission.
    chloe_page.locator("#id_project_title").fill("AirKids")
    chloe_page.get_by_role("button", name="Enregistrer comme brouillon").click()
    expect(chloe_page.get_by_role("alert").first).to_contain_text("brouillon est enregistré")
    apply(chloe_page, title="AirKids", pdf=True, submit_label="Soumettre ma candidature")
    expect(chloe_page.get_by_role("alert").first).to_contain_text("candidature est soumise")
    expect(chloe_page.get_by_role("link", name="solution.pdf")).to_be_visible()
    expect(chloe_page.locator("#application-status")).to_have_text("Statut : Soumise")

    # Bram, on his phone in Dutch.
    bram_page = new_page(browser, PHONE)
    sign_in(bram_page, url, "nl", bram.email, PASSWORD)
    bram_page.goto(f"{url}/nl/calls/smart-air/")
    expect(bram_page.get_by_role("heading", level=1)).to_have_text("Gezondere lucht rond scholen")
    shoot(bram_page, "call-phone-nl")
    assert_accessible(bram_page)
    bram_page.get_by_role("link", name="Kandidaat stellen").click()
    shoot(bram_page, "form-phone-nl")
    assert_accessible(bram_page)
    apply(bram_page, title="SchoolSense", pdf=False, submit_label="Mijn kandidatuur indienen")
    expect(bram_page.get_by_role("alert").first).to_contain_text("kandidatuur is ingediend")
    airkids = Application.objects.get(project_title="AirKids")
    schoolsense = Application.objects.get(project_title="SchoolSense")
    assert airkids.files.count() == 1 and schoolsense.status == "submitted"

    # The coordinator, on a desktop in English, invites two evaluators and assigns them.
    eva = UserFactory(email="eva@example.org", language="en")
    leen_email = "advisor.innoviris@demo.hub.brussels"
    page.set_viewport_size(DESKTOP)
    page.context.add_init_script(path=str(AXE))
    sign_in(page, url, "en", "coordinator@demo.hub.brussels", DEMO_PASSWORD)
    page.goto(f"{url}/en/calls/smart-air/manage/")
    for email in (eva.email, leen_email):
        page.locator("#id_email").fill(email)
        page.get_by_role("button", name="Invite").click()
        expect(page.get_by_role("alert").first).to_contain_text("invited and told by email")
    page.get_by_role("button", name="Assign the applications").click()
    expect(page.get_by_role("alert").first).to_contain_text("Assignments added: 4.")

    # Eva scores both; Leen scores SchoolSense and declares a conflict on AirKids.
    score(browser, url, eva.email, "en", PASSWORD, airkids, [5, 3]).close()
    score(browser, url, eva.email, "en", PASSWORD, schoolsense, [3, 3]).close()
    score(browser, url, leen_email, "nl", DEMO_PASSWORD, schoolsense, [4, 5]).close()
    leen_page = score(browser, url, leen_email, "nl", DEMO_PASSWORD, airkids, None, conflict=True)
    expect(leen_page.get_by_text("Belangenconflict gemeld")).to_be_visible()
    shoot(leen_page, "review-phone-nl")
    assert_accessible(leen_page)
    # Someone else's assignment is a 404 for Leen.
    eva_assignment = Assignment.objects.get(application=airkids, evaluator=eva)
    response = leen_page.goto(f"{url}/nl/calls/smart-air/review/{eva_assignment.pk}/")
    assert response.status == 404

    # The ranking: AirKids (2×5 + 3) / 3 = 4.33 from Eva alone (Leen's conflict is out);
    # SchoolSense: Eva 3.00, Leen (2×4 + 5) / 3 = 4.33, mean 3.67, spread 1.33.
    page.reload()
    rows = page.locator("#ranking tbody tr")
    expect(rows.nth(0)).to_contain_text("AirKids")
    expect(rows.nth(0)).to_contain_text("4.33")
    expect(rows.nth(0)).to_contain_text("1/2")
    expect(rows.nth(0)).to_contain_text("1 conflict")
    expect(rows.nth(1)).to_contain_text("SchoolSense")
    expect(rows.nth(1)).to_contain_text("3.67")
    expect(rows.nth(1)).to_contain_text("1.33")
    page.screenshot(path=f"{SHOTS}/calls-ranking-desktop-en.png", full_page=True)
    assert_accessible(page)

    # The deadline passes; the manager decides on each and publishes.
    Call.objects.filter(pk=call.pk).update(deadline=timezone.now() - datetime.timedelta(minutes=1))
    for application, decision, feedback in [
        (airkids, "selected", "Un projet clair et utile."),
        (schoolsense, "waiting_list", "Goed project, nog te duur."),
    ]:
        page.goto(f"{url}/en/calls/smart-air/manage/applications/{application.pk}/")
        page.locator("#id_shortlisted").set_checked(decision == "selected")
        page.locator("#id_decision").select_option(decision)
        page.locator("#id_feedback").fill(feedback)
        page.get_by_role("button", name="Save the decision").click()
        expect(page.get_by_role("alert").first).to_contain_text("The decision is saved")
    assert_accessible(page)
    page.get_by_role("button", name="Publish the decisions").click()
    expect(page.get_by_role("alert").first).to_contain_text("2 applicants will be told")

    # Each applicant gets the decision with the feedback, in their language, once.
    mail.outbox.clear()
    notifications_dispatch(seconds=30)
    notifications_dispatch(seconds=30)
    [to_chloe] = [m for m in mail.outbox if m.to == [chloe.email] and "décision" in m.subject]
    assert "est sélectionnée" in to_chloe.body
    assert "Un projet clair et utile." in to_chloe.body
    [to_bram] = [m for m in mail.outbox if m.to == [bram.email] and "beslissing" in m.subject]
    assert "wachtlijst" in to_bram.body
    assert "Goed project, nog te duur." in to_bram.body

    # Chloé sees the decision and the feedback on her application.
    chloe_page.goto(f"{url}/fr/calls/smart-air/apply/")
    expect(chloe_page.locator("#application-status")).to_have_text("Statut : Sélectionnée")
    expect(chloe_page.get_by_text("Un projet clair et utile.")).to_be_visible()
    shoot(chloe_page, "decision-phone-fr")
    assert_accessible(chloe_page)
