import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User

PASSWORD = "brussels-permanence-2026"


@pytest.fixture(autouse=True)
def _sites(transactional_db, live_server):
    """allauth builds the verification link from the Site; point it at the live server."""
    from django.contrib.sites.models import Site

    host = live_server.url.split("://", 1)[1]
    Site.objects.update_or_create(pk=1, defaults={"domain": host, "name": "hub.eu"})


def test_a_newcomer_signs_up_verifies_logs_in_and_browses_in_dutch(
    page, live_server, demo_data, screenshot
):
    page.goto(f"{live_server.url}/en/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Expert advice")
    screenshot("home-en")

    page.get_by_role("link", name="Sign up").first.click()
    page.get_by_label("First name").fill("Nina")
    page.get_by_label("Last name").fill("Peeters")
    page.get_by_label("Email").fill("nina@example.org")
    page.get_by_label("Preferred language").select_option("en")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    screenshot("signup-en")
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Verify Your Email Address")

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/confirm-email/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    screenshot("confirm-email-en")
    page.get_by_role("button", name="Confirm").click()
    assert User.objects.get(email="nina@example.org").emailaddress_set.get().verified

    # A new entrepreneur starts by saying which company and incubator they belong to.
    expect(page.get_by_role("heading", level=1)).to_have_text("Your company")
    create = page.get_by_role("region", name="Register a new company")
    create.get_by_label("Name").fill("Nina Robotics")
    create.get_by_label("Enterprise number").fill("0417.497.107")
    create.get_by_label("Sector").select_option("ict")
    create.get_by_label("Stage").select_option("early")
    create.get_by_role("button", name="Create the company").click()
    expect(page.get_by_text("its check digits do not match")).to_be_visible()
    screenshot("onboarding-error-en")
    page.get_by_role("region", name="Register a new company").get_by_label(
        "Enterprise number"
    ).fill("0417.497.106")
    page.get_by_role("button", name="Create the company").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Membership of an incubator")
    page.get_by_label("Incubator or coworking space").select_option(label="ICAB")
    screenshot("membership-request-en")
    page.get_by_role("button", name="Ask for membership").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello Nina")
    expect(page.get_by_text("Awaiting confirmation")).to_be_visible()

    page.get_by_role("button", name="Nina").click()
    page.get_by_role("button", name="Log out").click()
    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Email").fill("nina@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    screenshot("login-en")
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello Nina")
    screenshot("dashboard-en")

    page.get_by_role("button", name="NL – Nederlands").click()
    expect(page).to_have_url(re.compile(r"/nl/me/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hallo Nina")

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Agentschappen en diensten"
    ).click()
    expect(page.get_by_role("heading", name="Innoviris")).to_be_visible()
    expect(page.get_by_text("Exportstrategie")).to_be_visible()
    screenshot("agencies-nl")

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Incubators").click()
    expect(page.get_by_role("link", name="ICAB")).to_be_visible()
    screenshot("incubators-nl")
    page.get_by_label("Gemeente").select_option("saint-gilles")
    expect(page.get_by_role("link", name="ICAB")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"commune=saint-gilles"))
    page.get_by_role("link", name="Village Partenaire").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Village Partenaire")
    expect(page.get_by_text("Sint-Gillis").first).to_be_visible()
    screenshot("incubator-detail-nl")


def test_the_pages_fit_a_phone_screen(page, live_server, demo_data, screenshot):
    page.set_viewport_size({"width": 390, "height": 844})
    for path, name in [("/fr/", "home-fr-phone"), ("/fr/agencies/", "agencies-fr-phone")]:
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} scrolls sideways on a phone ({width}px)"
        screenshot(name)
    page.get_by_role("button", name="Menu").click()
    expect(page.get_by_role("link", name="Incubateurs").first).to_be_visible()


def test_the_skip_link_is_the_first_thing_a_keyboard_reaches(page, live_server, demo_data):
    page.goto(f"{live_server.url}/en/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_a_manager_confirms_a_membership_request(page, live_server, demo_data, screenshot):
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.get_by_label("Email").fill("manager@demo.hub.brussels")
    page.get_by_label("Password").fill("hub-demo-2026")
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("link", name="Members of ICAB").click()
    row = page.get_by_role("row").filter(has_text="Atelier Sablon")
    expect(row.get_by_text("Awaiting confirmation")).to_be_visible()
    screenshot("manager-members-en")
    row.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("alert").first).to_contain_text("Atelier Sablon")
    expect(
        page.get_by_role("row").filter(has_text="Atelier Sablon").get_by_text("Confirmed")
    ).to_be_visible()
