"""WCAG 2.1 AA, measured with axe-core on every page a person can reach, as each role, in
French and Dutch: the crawl follows the site's own links from the home page and My space
(admin pages included), adds the pages reached only through forms, and fails on any
critical or serious violation. The same crawl checks each page's <title> and lang."""

import re
from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest

from calls.models import Application
from community.models import CompanyProfile
from permanences.models import Booking, Slot

PASSWORD = "hub-demo-2026"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MAX_PAGES = 250  # a bound against a crawl that never ends; reaching it fails the test
ROLES = {
    "anonymous": None,
    "entrepreneur": "entrepreneur@demo.hub.brussels",
    "advisor": "advisor.atrium@demo.hub.brussels",
    "manager": "manager@demo.hub.brussels",
    "coordinator": "coordinator@demo.hub.brussels",
}
# Links not followed: they change something, leave the site or are no page.
SKIP = re.compile(
    r"logout|/delete/|/dev/|/unsubscribe/|/jsi18n/|/i18n/|/autocomplete/|/admin/r/"
    r"|/history/|\.(ics|csv|json|pdf|png|svg|xlsx)$"
)

# No preload: axe would copy the page's style sheets into inline <style> elements, which
# the Content-Security-Policy refuses (and the CSP watch of conftest.py would report as the
# site's fault). Only css-orientation-lock needs them, and no style sheet here locks it.
RUN_AXE = """async (tags) => {
  // Two frames: what the page's scripts build on load is in place.
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, preload: false});
  return result.violations
    .filter((v) => v.impact === "critical" || v.impact === "serious")
    .map((v) => ({
      rule: v.id,
      impact: v.impact,
      targets: v.nodes.slice(0, 4).map((n) => n.target.join(" ")),
    }));
}"""


def _page_type(path: str) -> str:
    """Pages that differ only by an id or a slug are one page to check."""
    path = re.sub(r"/\d+/", "/<id>/", path)
    if "/admin/" not in path:
        path = re.sub(
            r"/(agencies|incubators|survey|members|calls|journeys)/[^/]+/", r"/\1/<slug>/", path
        )
        path = re.sub(r"/companies/(?!join-requests/)[^/]+/", "/companies/<slug>/", path)
    return path


def _forms_only_pages(role: str, lang: str) -> list[str]:
    """Pages a link does not lead to: the slot list filtered, a booking form, a form sent
    empty to see its errors."""
    slot = Slot.objects.filter(status=Slot.Status.OPEN).order_by("starts_at").first()
    pages = [f"/{lang}/permanences/?agency=atrium", f"/{lang}/accounts/password/reset/"]
    if role == "entrepreneur":
        pages += [f"/{lang}/permanences/slots/{slot.pk}/book/", f"/{lang}/me/needs/new/"]
        profile = CompanyProfile.objects.filter(company__people__email=ROLES[role]).first()
        pages += [
            f"/{lang}/companies/?looking_for=pilots&sector=ict",
            f"/{lang}/companies/{profile.slug}/contact/sent/",
            f"/{lang}/me/company-profile/{profile.company_id}/",
            f"/{lang}/calls/edih-ai-public-services/apply/",
            f"/{lang}/test-before-invest/request/",
            f"/{lang}/me/landing/start/",
        ]
        booking = Booking.objects.filter(user__email=ROLES[role]).first()
        if booking:
            pages += [
                f"/{lang}/me/bookings/{booking.pk}/cancel/",
                f"/{lang}/me/bookings/{booking.pk}/reschedule/",
            ]
    if role == "coordinator":
        pages += [
            f"/{lang}/admin/permanences/permanenceschedule/week/",
            f"/{lang}/admin/permanences/permanenceschedule/add/",
            f"/{lang}/admin/permanences/slot/{slot.pk}/change/",
            f"/{lang}/admin/incubators/membership/add/",
            f"/{lang}/admin/incubators/membership/import/",
            f"/{lang}/admin/needs/need/import/",
            f"/{lang}/coordination/overview/",
            f"/{lang}/coordination/landing/",
        ]
        application = Application.objects.filter(call__slug="edih-ai-public-services").first()
        pages.append(f"/{lang}/calls/edih-ai-public-services/manage/applications/{application.pk}/")
    return pages


def _log_in(page, base: str, lang: str, email: str) -> None:
    page.goto(f"{base}/{lang}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def _crawl(page, base: str, lang: str, start: list[str]) -> dict[str, dict]:
    """Visits each page type once (breadth first, up to MAX_PAGES) and returns, for each,
    its URL, title, lang and axe's serious or critical violations."""
    seen: set[str] = set()
    found: dict[str, dict] = {}
    queue = deque(start)
    while queue and len(found) < MAX_PAGES:
        url = queue.popleft()
        kind = _page_type(urlsplit(url).path)
        if kind in seen:
            continue
        seen.add(kind)
        response = page.goto(base + url)
        page.wait_for_load_state("load")
        final = urlsplit(page.url)
        final_kind = _page_type(final.path)
        if final_kind != kind and final_kind in found:
            continue  # a redirect to a page already checked (the login page, say)
        seen.add(final_kind)
        found[final_kind] = {
            "url": url,
            "status": response.status if response else None,
            "title": page.title().strip(),
            "lang": page.evaluate("document.documentElement.lang"),
            "violations": page.evaluate(RUN_AXE, WCAG_AA),
        }
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            link = urlsplit(urldefrag(href).url)
            if link.netloc != final.netloc or SKIP.search(link.path):
                continue
            if not link.path.startswith(f"/{lang}/"):
                continue
            if _page_type(link.path) not in seen:
                queue.append(link.path + (f"?{link.query}" if link.query else ""))
    return found


def _check(page, url: str) -> dict:
    return {
        "url": url,
        "status": 200,
        "title": page.title().strip(),
        "lang": page.evaluate("document.documentElement.lang"),
        "violations": page.evaluate(RUN_AXE, WCAG_AA),
    }


def _form_errors(page, base: str, lang: str, role: str) -> dict[str, dict]:
    """Forms sent back with their errors, as the person sees them then."""
    found = {}
    if role == "anonymous":
        page.goto(f"{base}/{lang}/accounts/login/")
        page.locator("#id_login").fill("nobody@example.com")
        page.locator("#id_password").fill("not the password")
        page.locator("main form button[type=submit]").first.click()
        page.locator(".form-error-summary").wait_for()
        found["login, wrong password"] = _check(page, "/accounts/login/ (wrong password)")
    if role == "entrepreneur":
        page.goto(f"{base}/{lang}/me/needs/new/")
        page.locator("main form button[type=submit]").first.click()
        page.locator(".form-error-summary").wait_for()
        found["need form, empty"] = _check(page, "/me/needs/new/ (sent empty)")
        for name, path in [
            ("test-before-invest request, empty", "/test-before-invest/request/"),
            ("landing intake, empty", "/me/landing/start/"),
        ]:
            page.goto(f"{base}/{lang}{path}")
            page.locator("main form button[type=submit]").first.click()
            page.locator(".form-error-summary").wait_for()
            found[name] = _check(page, f"{path} (sent empty)")
    return found


def _start(role: str, lang: str) -> list[str]:
    start = [f"/{lang}/"]
    if role != "anonymous":
        start.append(f"/{lang}/me/")
    if role == "coordinator":
        start.append(f"/{lang}/admin/")
    return start + _forms_only_pages(role, lang)


@pytest.mark.parametrize("lang", ["fr", "nl"])
@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_a_person_reaches_passes_axe_wcag_2_1_aa(
    browser, live_server, demo_data, role, lang
):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    # A script the browser runs before the page's own, which the Content-Security-Policy
    # (script-src 'self') does not govern: axe is never served by the site itself.
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    page.set_default_timeout(15_000)
    if ROLES[role]:
        _log_in(page, live_server.url, lang, ROLES[role])

    pages = _crawl(page, live_server.url, lang, _start(role, lang))
    errors_shown = _form_errors(page, live_server.url, lang, role)
    print(f"axe: {role}, {lang}: {len(pages)} pages, {len(errors_shown)} forms with errors")
    context.close()

    assert 5 < len(pages) < MAX_PAGES, f"{len(pages)} pages: the crawl stopped at its bound"
    problems = [
        f"{info['url']}: {v['impact']} {v['rule']} at {', '.join(v['targets'])}"
        for info in [*pages.values(), *errors_shown.values()]
        for v in info["violations"]
    ]
    assert not problems, f"axe, {role}, {lang}:\n" + "\n".join(problems)
    errors = [
        f"{info['url']}: {info['status']}" for info in pages.values() if info["status"] >= 400
    ]
    assert not errors, "pages the crawl reached answered with an error:\n" + "\n".join(errors)
    wrong_lang = [info["url"] for info in pages.values() if info["lang"] != lang]
    assert not wrong_lang, f"pages whose <html lang> is not {lang}: {wrong_lang}"
    untitled = [info["url"] for info in pages.values() if not info["title"]]
    assert not untitled, f"pages without a title: {untitled}"
    by_title: dict[str, list[str]] = {}
    for kind, info in pages.items():
        by_title.setdefault(info["title"], []).append(kind)
    shared = {title: kinds for title, kinds in by_title.items() if len(kinds) > 1}
    assert not shared, f"different pages with the same title: {shared}"
    assert f"/{lang}/accessibility/" in pages, "the statement is not linked from every page"


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_the_demo_mailbox_passes_axe_wcag_2_1_aa(browser, live_server, db, settings, lang):
    from django.core.mail import EmailMultiAlternatives

    from hub_eu.mail import MailboxBackend

    settings.DEBUG = True  # the mailbox exists only then
    mail = EmailMultiAlternatives("Votre réservation", "Bonjour", to=["sofia@example.com"])
    mail.attach_alternative("<p>Bonjour</p>", "text/html")
    MailboxBackend().send_messages([mail])
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.add_init_script(path=str(AXE))
    page = context.new_page()

    page.goto(f"{live_server.url}/{lang}/dev/mail/")
    found = {"list": _check(page, "/dev/mail/")}
    page.locator("main .list-group a").first.click()
    page.wait_for_load_state("load")
    found["message"] = _check(page, "/dev/mail/<key>/")
    context.close()

    problems = [
        f"{info['url']}: {v['impact']} {v['rule']} at {', '.join(v['targets'])}"
        for info in found.values()
        for v in info["violations"]
    ]
    assert not problems, "\n".join(problems)
