"""The slot list on a phone: the first slots above the fold, the filters behind one
button, active filters as chips, and later weeks one tap away."""

import datetime

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_on_a_phone_the_first_slot_is_in_the_first_screen(page, live_server, make_slot, screenshot):
    page.set_viewport_size({"width": 390, "height": 844})
    first = make_slot(days=2)
    for days in range(3, 8):
        make_slot(days=days)
    make_slot(days=20, agency=first.agency)

    page.goto(f"{live_server.url}/fr/permanences/")

    row = page.locator(".slot-row").first
    expect(row).to_be_visible()
    box = row.bounding_box()
    assert box["y"] + box["height"] <= 844  # the whole first row, without scrolling
    expect(page.get_by_label("Agence")).to_be_hidden()  # filters wait behind a button
    screenshot("slot-list-phone-fr")

    page.get_by_role("button", name="Filtres").click()
    expect(page.get_by_label("Agence")).to_be_visible()
    page.get_by_label("Agence").select_option(first.agency.slug)
    chip = page.get_by_role("list", name="Filtres actifs").get_by_role("link")
    expect(chip).to_contain_text(f"Agence : {first.agency.short_name}")
    expect(page.get_by_label("Agence")).to_be_hidden()  # the panel folds to show the slots
    expect(page.get_by_role("button", name="Filtres")).to_contain_text("1")
    chip_box = chip.bounding_box()
    assert chip_box["y"] + chip_box["height"] <= 844  # the chip is in view
    screenshot("slot-list-phone-filtered-fr")

    page.get_by_role("link", name="Plus tard").click()
    expect(page.locator(".slot-row")).to_have_count(6)  # the slots of day 20
    today = datetime.date.today()
    assert f"date_from={today + datetime.timedelta(days=14)}" in page.url

    chips = page.get_by_role("list", name="Filtres actifs").get_by_role("link")
    expect(chips).to_have_count(3)  # the agency and the two dates
    expect(page.get_by_label("Du")).to_have_value(str(today + datetime.timedelta(days=14)))
    chips.filter(has_text="Agence").click()
    expect(chips).to_have_count(2)
    expect(page.get_by_role("list", name="Filtres actifs")).not_to_contain_text("Agence")
    screenshot("slot-list-phone-later-fr")
