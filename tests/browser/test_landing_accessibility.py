"""The landing pages pass axe-core WCAG 2.1 AA in French and Dutch, for the public, the
demo founder abroad (plan, itinerary), a founder filling in the intake (with its errors)
and the coordinator's overview; each page type has its own title."""

import pytest

from demo.landing import FOUNDER_EMAIL, load_landing
from tests.browser.test_accessibility import AXE, RUN_AXE, WCAG_AA
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.browser
DEMO_PASSWORD = "hub-demo-2026"


def _log_in(page, base, lang, email, password):
    page.goto(f"{base}/{lang}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def _check(page, url: str) -> tuple[str, list]:
    response = page.goto(url)
    assert response.status == 200, url
    return page.title(), page.evaluate(RUN_AXE, WCAG_AA)


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_the_landing_pages_pass_axe(browser, live_server, demo_data, lang):
    load_landing()
    base = live_server.url
    newcomer = UserFactory(language=lang)
    results = {}
    for who, email, password, paths in [
        (None, None, None, ["/landing/", "/landing/contacts/"]),
        ("newcomer", newcomer.email, PASSWORD, ["/me/landing/start/"]),
        ("founder", FOUNDER_EMAIL, DEMO_PASSWORD, ["/me/landing/", "/me/landing/itinerary/"]),
        ("coordinator", "coordinator@demo.hub.brussels", DEMO_PASSWORD, ["/coordination/landing/"]),
    ]:
        context = browser.new_context(viewport={"width": 390, "height": 844})
        context.add_init_script(path=str(AXE))
        page = context.new_page()
        if email:
            _log_in(page, base, lang, email, password)
        for path in paths:
            results[path] = _check(page, f"{base}/{lang}{path}")
        if who == "newcomer":  # the intake sent empty shows its errors
            page.locator("main form button[type=submit]").click()
            page.wait_for_load_state("load")
            results["intake errors"] = (page.title(), page.evaluate(RUN_AXE, WCAG_AA))
            assert page.locator("[aria-invalid=true]").count() >= 5
        context.close()
    problems = [
        f"{path}: {v}" for path, (_title, violations) in results.items() for v in violations
    ]
    assert not problems, "\n".join(problems)
    titles = [title for path, (title, _v) in results.items() if path != "intake errors"]
    assert len(set(titles)) == len(titles), titles
