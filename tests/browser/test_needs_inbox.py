"""The agency's needs inbox and a need's page as an advisor sees them on a desktop, in
Dutch and French: one "All", statuses that agree, labels that find their field, a
"Transfer" button on one line, and a history in the reader's language."""

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from incubators.models import Agency, NeedCategory
from needs import services
from tests.factories import UserFactory

DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture
def dutch_need(routing_rules, demo_data):
    """A need routed by the rules and answered while Dutch was active."""
    bie = Agency.objects.get(slug="bie")
    advisor = bie.advisors.select_related("user").get(user__email="advisor.bie@demo.hub.brussels")
    with translation.override("nl"):
        need = services.need_create(
            user=UserFactory(first_name="Lotte", last_name="Peeters"),
            category=NeedCategory.objects.get(slug="export"),
            description="Welke steun voor onze eerste beurs in Duitsland?",
            consent=True,
        )
        routed = need.routings.get(agency=bie)
        services.routed_need_answer(routed=routed, by=advisor.user, body="Bel ons maandag.")
    return routed


def _log_in(page, live_server):
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.get_by_label("Email").fill("advisor.bie@demo.hub.brussels")
    page.get_by_label("Password").fill("hub-demo-2026")
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Hugo")).to_be_visible()


def test_an_advisor_reads_the_inbox_and_a_need_in_dutch_and_french(
    page, live_server, dutch_need, screenshot
):
    page.set_viewport_size(DESKTOP)
    _log_in(page, live_server)
    for lang, all_label, reason, routed_text, answered_text in (
        ("nl", "Alle", "Reden", "Doorgestuurd volgens de regels.", "Beantwoord."),
        ("fr", "Tous", "Motif", "Transmis selon les règles.", "Réponse envoyée."),
    ):
        page.goto(f"{live_server.url}/{lang}/agency/needs/")
        status = page.locator("select[name=status]")
        options = status.locator("option").all_inner_texts()
        assert options.count(all_label) == 1, options
        screenshot(f"needs-inbox-{lang}")

        page.goto(f"{live_server.url}/{lang}/agency/needs/{dutch_need.pk}/")
        history = page.get_by_role("region", name=re.compile("Geschiedenis|Historique"))
        expect(history).to_contain_text(routed_text)
        expect(history).to_contain_text(answered_text)
        if lang == "fr":
            expect(history).not_to_contain_text("Doorgestuurd")
        # Acknowledged by the answer: no more "to acknowledge by".
        expect(
            page.get_by_text(re.compile("ontvangst te bevestigen|accusé de réception"))
        ).to_have_count(0)

        page.locator("label", has_text=re.compile(rf"^\s*{reason}")).click()
        focused = page.evaluate("document.activeElement.id")
        assert focused == "id_transfer_note"

        button = page.locator("form").get_by_role(
            "button", name=re.compile("Doorsturen|Transférer")
        )
        line = page.evaluate(
            "b => parseFloat(getComputedStyle(b).lineHeight)", button.element_handle()
        )
        box = button.bounding_box()
        assert box["height"] < 2 * line, (box, line)
        screenshot(f"needs-inbox-detail-{lang}")
