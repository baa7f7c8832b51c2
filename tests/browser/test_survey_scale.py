import datetime

import pytest
from playwright.sync_api import expect

from permanences.services import booking_mark_attendance
from surveys.defaults import standard_survey_create
from surveys.models import Invitation, Survey
from surveys.tokens import invitation_token
from tests.factories import AdvisorFactory, UserFactory

PHONE = {"width": 390, "height": 844}
TITLES = {"fr": "Votre rendez-vous", "nl": "Uw afspraak"}


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_on_a_phone_each_scale_keeps_its_steps_on_one_row_with_its_end_labels_beneath(
    page, live_server, transactional_db, make_slot, book, screenshot, language
):
    standard_survey_create(kind=Survey.Kind.AFTER_BOOKING)
    advisor = AdvisorFactory()
    booking = book(
        make_slot(days=1, agency=advisor.agency, advisors=[advisor]), UserFactory(language=language)
    )
    booking_mark_attendance(
        booking=booking,
        attended=True,
        outcome="",
        by=advisor.user,
        now=booking.starts_at + datetime.timedelta(minutes=30),
    )
    invitation = Invitation.objects.get(booking=booking)

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/{language}/survey/{invitation_token(invitation)}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLES[language])
    screenshot(f"survey-scales-phone-{language}")

    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    scales = page.locator(".survey-scale")
    assert scales.count() == 3  # two ratings and the 0-10 recommendation
    for scale in scales.all():
        steps = [step.bounding_box() for step in scale.locator(".scale-step").all()]
        low = scale.locator(".survey-scale-low").bounding_box()
        high = scale.locator(".survey-scale-high").bounding_box()
        assert len({round(step["y"]) for step in steps}) == 1, "the steps wrap"
        assert min(step["width"] for step in steps) >= 24, "a step is too small to tap"
        bottom_of_steps = steps[0]["y"] + steps[0]["height"]
        # Both end labels under the steps, on the same line, the low one at the first
        # step and the high one ending at the last.
        assert low["y"] >= bottom_of_steps and high["y"] >= bottom_of_steps
        assert abs(low["y"] - high["y"]) < 1
        assert abs(low["x"] - steps[0]["x"]) < 1
        assert abs(high["x"] + high["width"] - (steps[-1]["x"] + steps[-1]["width"])) < 1
        assert low["x"] + low["width"] < high["x"]

    # The end labels are read with the question, and a step is still one tap.
    recommend = scales.nth(2).locator("xpath=..")
    ends = recommend.locator(".survey-scale-ends").get_attribute("id")
    expect(recommend).to_have_attribute("aria-describedby", ends)
    recommend.get_by_text("10", exact=True).click()
    expect(recommend.get_by_role("radio", name="10")).to_be_checked()
    page.mouse.move(0, 0)
    page.wait_for_timeout(300)  # the button's colour transition, for the screenshot only
    screenshot(f"survey-scales-chosen-phone-{language}")

    # On a wide screen the scales keep a comfortable width instead of spanning the page.
    page.set_viewport_size({"width": 1366, "height": 900})
    assert scales.first.bounding_box()["width"] <= 20 * 16
    screenshot(f"survey-scales-desktop-{language}")
