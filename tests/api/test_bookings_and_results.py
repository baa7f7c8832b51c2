"""Attendance through the API, and the survey results with the site's anonymity rule."""

import datetime

import pytest
from django.utils import timezone

from incubators.models import Advisor
from permanences.models import Booking
from surveys.defaults import standard_survey_create
from surveys.models import Survey
from surveys.selectors import MIN_GROUP
from surveys.services import survey_results_rebuild
from tests.factories import IncubatorFactory, survey_responses

pytestmark = pytest.mark.django_db


def _started(booking: Booking) -> Booking:
    now = timezone.now()
    Booking.objects.filter(pk=booking.pk).update(
        starts_at=now - datetime.timedelta(hours=1), ends_at=now - datetime.timedelta(minutes=30)
    )
    return booking


def test_an_agency_marks_attendance_and_outcome_as_its_advisor_would(
    api, two_agencies, token_for, booking_at
):
    impulse, _ = two_agencies
    booking = _started(booking_at(impulse))
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(impulse, scope='write')}")
    path = f"/api/v1/bookings/{booking.pk}/attendance/"
    answer = api.post(path, {"attended": True, "outcome": "Loan file started"}, format="json")
    assert answer.status_code == 200
    assert (answer.json()["status"], answer.json()["outcome"]) == ("attended", "Loan file started")
    booking.refresh_from_db()
    assert Advisor.objects.filter(user=booking.marked_by, agency=impulse).exists()
    # A mistake is corrected as on the advisor's page.
    again = api.post(path, {"attended": False}, format="json")
    assert (again.status_code, again.json()["status"]) == (200, "no_show")


def test_attendance_before_the_meeting_is_refused_in_the_callers_language(
    api, two_agencies, token_for, booking_at
):
    impulse, _ = two_agencies
    booking = booking_at(impulse)  # in three days
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(impulse, scope='write')}")
    refused = api.post(
        f"/api/v1/bookings/{booking.pk}/attendance/",
        {"attended": True},
        format="json",
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert refused.status_code == 409
    english = api.post(
        f"/api/v1/bookings/{booking.pk}/attendance/", {"attended": True}, format="json"
    )
    assert refused.json()["detail"] != english.json()["detail"]
    assert Booking.objects.get(pk=booking.pk).status == "confirmed"


def test_survey_results_show_figures_only_above_the_anonymity_threshold(
    api, two_agencies, token_for
):
    impulse, innoviris = two_agencies
    survey = standard_survey_create(kind=Survey.Kind.AFTER_BOOKING)
    busy, quiet = IncubatorFactory(slug="busy"), IncubatorFactory(slug="quiet")
    survey_responses(impulse, busy, [5, 4, 4, 5, 3], survey=survey)
    survey_responses(impulse, quiet, [1, 2], survey=survey)
    survey_responses(innoviris, busy, [1] * 6, survey=survey)
    survey_results_rebuild()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(impulse)}")
    results = api.get("/api/v1/surveys/results/").json()
    assert results["min_responses"] == MIN_GROUP == 5
    assert (results["total"]["responses"], results["total"]["satisfaction"]) == (7, 3.43)
    groups = {row["group"]: row for row in results["groups"]}
    assert set(groups) == {"busy", "quiet"}  # Innoviris's answers are not counted
    assert (groups["busy"]["satisfaction"], groups["busy"]["hidden"]) == (4.2, False)
    assert groups["quiet"]["hidden"] and groups["quiet"]["responses"] == 2
    assert groups["quiet"]["satisfaction"] is None and groups["quiet"]["nps"] is None
    assert groups["quiet"]["distribution"] == [0, 0, 0, 0, 0]
    one_place = api.get("/api/v1/surveys/results/?incubator=quiet").json()
    assert one_place["total"]["hidden"] and one_place["total"]["satisfaction"] is None
    bad = api.get("/api/v1/surveys/results/?since=yesterday&group=company")
    assert bad.status_code == 400 and set(bad.json()) == {"since", "group"}
