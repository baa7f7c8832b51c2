"""The journey of a request to join a company: an entrepreneur on a phone types their
company's number and waits; a colleague already listed approves it from My space; the
entrepreneur can then book the permanence kept for the members of the company's incubator."""

from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from incubators.models import CompanyJoinRequest
from tests.browser.conftest import SCREENSHOTS
from tests.factories import IncubatorFactory, UserFactory, make_member

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _log_in(context, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )


def test_a_request_to_join_waits_for_a_colleague_then_opens_the_members_only_permanence(
    page, browser, live_server, make_slot, screenshot
):
    slot = make_slot(days=2, audience="members", incubator=IncubatorFactory(name="Greenbizz"))
    founder = UserFactory(first_name="Colette", last_name="Dupont", language="fr")
    company = make_member(founder, slot.incubator)
    entrepreneur = UserFactory(first_name="Pieter", last_name="Janssens", language="nl")
    book_url = f"/nl/permanences/slots/{slot.pk}/book/"

    # The entrepreneur, on a phone, asks to join the company by its number.
    _log_in(page.context, live_server, entrepreneur)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/nl/onboarding/")
    join = page.get_by_role("region", name="Aansluiten bij een bedrijf dat al geregistreerd is")
    join.get_by_label("Ondernemingsnummer van uw bedrijf").fill(company.enterprise_number_display)
    join.get_by_role("button", name="Aansluiten aanvragen").click()
    expect(page.get_by_text(f"Wacht op goedkeuring door {company.name}")).to_be_visible()
    expect(page.get_by_role("button", name="Intrekken")).to_be_visible()
    screenshot("company-join-waiting-phone-nl")
    # Nothing of the company yet: the members-only permanence is not theirs to book.
    page.goto(f"{live_server.url}{book_url}")
    expect(page.get_by_label("Wat wilt u bespreken?")).to_have_count(0)

    # The founder, at a desk, sees the request in My space and approves it.
    desk = browser.new_context(viewport=DESKTOP)
    _log_in(desk, live_server, founder)
    founder_page = desk.new_page()
    founder_page.goto(f"{live_server.url}/fr/me/")
    founder_page.get_by_role("link", name="Approuver ou refuser").click()
    request_row = founder_page.get_by_role("listitem").filter(has_text="Pieter Janssens")
    expect(request_row).to_contain_text(f"demande à rejoindre {company.name}")
    founder_page.screenshot(path=str(SCREENSHOTS / "company-join-to-decide-desktop-fr.png"))
    request_row.get_by_role("button", name="Approuver").click()
    expect(
        founder_page.get_by_text(f"Pieter Janssens fait désormais partie de {company.name}")
    ).to_be_visible()
    desk.close()
    assert CompanyJoinRequest.objects.get().status == CompanyJoinRequest.Status.APPROVED

    # Back on the phone: the company is theirs and the permanence can be booked.
    page.goto(f"{live_server.url}/nl/me/")
    expect(page.get_by_role("heading", name=company.name)).to_be_visible()
    page.goto(f"{live_server.url}{book_url}")
    expect(page.get_by_label("Wat wilt u bespreken?")).to_be_visible()
    screenshot("company-join-approved-booking-phone-nl")
