"""A person reads their data, downloads it and deletes their account, on a phone, in
Dutch."""

import json
import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User
from tests.accounts.everything import person_with_everything
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_on_a_phone_a_person_downloads_their_data_then_deletes_their_account(
    page, live_server, make_slot, book, screenshot
):
    zoe = person_with_everything(make_slot=make_slot, book=book, tag="Zoe")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/nl/accounts/login/")
    page.get_by_label(re.compile("E-mail")).fill(zoe.user.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    expect(page).to_have_url(re.compile("/nl/me/"))

    page.get_by_role("navigation", name="Account").get_by_role("link", name="Mijn gegevens").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn gegevens")
    expect(page.get_by_role("heading", name="Behoeften en hun berichten")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Zoe-need-text")
    expect(page.locator("main")).to_contain_text("Zoe-agency-answer")
    screenshot("my-data-phone-nl")

    with page.expect_download() as info:
        page.get_by_role("link", name="Mijn gegevens downloaden (JSON)").first.click()
    data = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert data["sections"]["profile"]["data"]["email"] == zoe.user.email
    assert data["sections"]["bookings"]["data"][0]["topic"].startswith("Zoe-topic")

    page.get_by_role("link", name="Mijn account verwijderen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn account verwijderen")
    page.get_by_label("Uw wachtwoord").fill("niet-het-goede")
    page.get_by_role("button", name="Mijn account definitief verwijderen").click()
    expect(page.locator("main")).to_contain_text("Dit is niet uw wachtwoord.")
    page.get_by_label("Uw wachtwoord").fill(PASSWORD)
    screenshot("my-data-delete-phone-nl")
    page.get_by_role("button", name="Mijn account definitief verwijderen").click()
    expect(page.get_by_role("alert").or_(page.locator(".alert"))).to_contain_text(
        "Uw account is verwijderd"
    )
    screenshot("my-data-deleted-phone-nl")

    user = User.objects.get(pk=zoe.user.pk)
    assert user.erased_at is not None and not user.is_active
    goodbye = [m for m in mail.outbox if m.to == [zoe.user.email]]
    assert [m.subject for m in goodbye] == ["Uw hub.eu-account is verwijderd"]
