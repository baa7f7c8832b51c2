"""Booking with the keyboard alone (Tab, Shift+Tab, Enter, Space, arrows and typing), the
focus always visible, and a "skip to content" link first on every page."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from permanences.models import Booking, Slot

PASSWORD = "hub-demo-2026"
EMAIL = "entrepreneur@demo.hub.brussels"

# What the focused element looks like: a visible outline or a box-shadow (Bootstrap's
# focus ring on buttons and fields).
FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {tag: "body"};
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    href: el.getAttribute("href") || "",
    type: el.getAttribute("type") || "",
    text: (el.innerText || el.value || "").trim().slice(0, 60),
    ringed: (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
      || style.boxShadow !== "none",
    style: `outline ${style.outlineStyle} ${style.outlineWidth}, box-shadow ${style.boxShadow}`,
    shown: box.width > 0 && box.height > 0 && style.visibility !== "hidden",
  };
}"""


class Keyboard:
    def __init__(self, page):
        self.page = page

    def focused(self) -> dict:
        return self.page.evaluate(FOCUS)

    def tab_to(self, matches, *, limit: int = 60, backwards: bool = False) -> dict:
        """Presses Tab until the focused element matches, checking at each step that the
        focus can be seen."""
        for _ in range(limit):
            self.page.keyboard.press("Shift+Tab" if backwards else "Tab")
            now = self.focused()
            if now["tag"] == "body":
                continue
            if not now["ringed"]:
                # Chromium styles a date field's :focus a frame after it takes the focus.
                self.page.wait_for_timeout(200)
                now = self.focused()
            assert now["shown"] and now["ringed"], f"focus not visible on {now}"
            if matches(now):
                return now
        raise AssertionError(f"the keyboard never reached it on {self.page.url}")

    def skip_to_content(self) -> None:
        if self.page.url.endswith("#main"):
            # The skip link of the page before took us here, and the browser kept its
            # fragment through the form's redirect: the keyboard starts inside <main>.
            return
        self.page.keyboard.press("Tab")
        first = self.focused()
        assert first["href"] == "#main", f"the first stop is {first}, not the skip link"
        assert first["shown"] and first["ringed"]
        self.page.keyboard.press("Enter")
        assert self.focused()["id"] == "main"


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_an_entrepreneur_books_and_cancels_with_the_keyboard_only(
    page, live_server, demo_data, screenshot, lang
):
    keys = Keyboard(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    # Bootstrap's focus rings then appear at once, not through a transition from none.
    page.emulate_media(reduced_motion="reduce")
    page.goto(f"{live_server.url}/{lang}/accounts/login/")
    keys.skip_to_content()
    keys.tab_to(lambda el: el["id"] == "id_login")
    page.keyboard.type(EMAIL)
    keys.tab_to(lambda el: el["id"] == "id_password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{lang}/me/**")

    # From My space to the slots, through the main menu.
    page.keyboard.press("Tab")
    assert keys.focused()["href"] == "#main"
    keys.tab_to(lambda el: el["href"] == f"/{lang}/permanences/")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/{lang}/permanences/(#main)?$"))
    # A slot far enough ahead to be cancelled online still.
    listed = page.eval_on_selector_all(
        "a[href$='/book/']", "links => links.map(a => a.getAttribute('href'))"
    )
    later = Slot.objects.filter(
        pk__in=[int(href.split("/")[-3]) for href in listed],
        starts_at__gt=timezone.now() + datetime.timedelta(days=3),
    ).first()
    book = f"/{lang}/permanences/slots/{later.pk}/book/"
    keys.skip_to_content()
    keys.tab_to(lambda el: el["href"] == book, limit=200)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/book/(#main)?$"))

    keys.skip_to_content()
    keys.tab_to(lambda el: el["id"] == "id_category")
    page.keyboard.press("ArrowDown")
    keys.tab_to(lambda el: el["id"] == "id_topic")
    page.keyboard.type("Un local commercial / Een handelspand")
    keys.tab_to(lambda el: el["id"] == "id_consent_share_profile")
    page.keyboard.press("Space")
    expect(page.locator("#id_consent_share_profile")).to_be_checked()
    # Back and forth: Shift+Tab returns to the text just written.
    keys.tab_to(lambda el: el["id"] == "id_topic", backwards=True)
    keys.tab_to(lambda el: el["type"] == "submit")
    screenshot(f"keyboard-booking-form-{lang}")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/me/bookings/\d+/(#main)?$"))
    booking = Booking.objects.filter(user__email=EMAIL).latest("created_at")
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.topic == "Un local commercial / Een handelspand"

    keys.skip_to_content()
    keys.tab_to(lambda el: el["href"].endswith(f"/me/bookings/{booking.pk}/cancel/"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/cancel/(#main)?$"))
    keys.skip_to_content()
    keys.tab_to(lambda el: el["type"] == "submit")
    screenshot(f"keyboard-cancel-{lang}")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/cancel/" not in url)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
