import datetime

import pytest
from django.utils import timezone

from accounts.models import Role
from accounts.services import user_set_role
from surveys.models import Answer, Invitation, Question, Response, Suggestion, Survey
from surveys.services import survey_results_rebuild
from tests.factories import AdvisorFactory, AgencyFactory, IncubatorFactory, UserFactory

pytestmark = pytest.mark.django_db


def _responses(survey, agency, incubator, ratings, *, advisor=None, suggestion=""):
    """One invitation and response per rating (and NPS = rating * 2)."""
    rating_question = Question.objects.filter(section__survey=survey, kind="rating").first()
    for n, rating in enumerate(ratings):
        invitation = Invitation.objects.create(
            survey=survey,
            user=UserFactory(),
            agency=agency,
            incubator=incubator,
            advisor=advisor,
            expires_at=timezone.now() + datetime.timedelta(days=30),
            answered_at=timezone.now(),
        )
        response = Response.objects.create(
            invitation=invitation,
            survey=survey,
            agency=agency,
            incubator=incubator,
            advisor=advisor,
            satisfaction=rating,
            nps=min(rating * 2, 10),
        )
        Answer.objects.create(response=response, question=rating_question, number=rating)
        if suggestion and n == 0:
            Suggestion.objects.create(
                response=response,
                agency=agency,
                incubator=incubator,
                survey=survey,
                text=suggestion,
            )
    survey_results_rebuild()  # rows made without the services: counted at once


@pytest.fixture
def data(reference_data):
    from surveys.defaults import standard_survey_create

    survey = standard_survey_create(kind=Survey.Kind.AFTER_BOOKING)
    big, small = AgencyFactory(short_name="Big"), AgencyFactory(short_name="Small")
    place = IncubatorFactory()
    _responses(survey, big, place, [5, 5, 4, 4, 2], suggestion="Plus de créneaux le soir")
    _responses(survey, small, place, [5, 1], suggestion="Rien à signaler")
    Invitation.objects.create(
        survey=survey,
        user=UserFactory(),
        agency=big,
        incubator=place,
        expires_at=timezone.now() + datetime.timedelta(days=30),
    )
    survey_results_rebuild()
    return survey, big, small


def test_the_coordinator_sees_rates_satisfaction_and_nps_but_not_small_groups(client, data):
    survey, big, small = data
    client.force_login(user_set_role(user=UserFactory(language="en"), role=Role.COORDINATOR))
    page = client.get("/en/coordination/surveys/")
    assert page.status_code == 200
    rows = {row.label: row for row in page.context["rows"]}
    assert (rows["Big"].invitations, rows["Big"].responses, rows["Big"].rate) == (6, 5, 83)
    assert rows["Big"].satisfaction == 4.0
    # NPS answers 10, 10, 8, 8, 4: two promoters, two passives, one detractor.
    assert rows["Big"].nps == 20
    assert rows["Big"].distribution == [0, 1, 0, 2, 2]
    assert rows["Small"].hidden and rows["Small"].satisfaction is None
    assert "Fewer than 5 responses: not shown." in page.content.decode()
    assert "Plus de créneaux le soir" in page.content.decode()

    ideas = client.get("/en/coordination/surveys/?format=suggestions-csv").content.decode()
    assert "Plus de créneaux le soir" in ideas and "Rien à signaler" in ideas
    csv_text = client.get("/en/coordination/surveys/?format=csv").content.decode()
    assert csv_text.splitlines()[1].startswith("Big,6,5,83,4.0")
    assert csv_text.splitlines()[2].startswith("Small,2,2,100,,")


def test_agency_staff_see_their_own_results_and_suggestions_only(client, data):
    survey, big, small = data
    staff = AdvisorFactory(agency=small, user__language="en")
    client.force_login(staff.user)
    page = client.get("/en/agency/surveys/")
    assert page.status_code == 200
    content = page.content.decode()
    assert "Rien à signaler" in content
    assert "Plus de créneaux le soir" not in content
    assert page.context["total"].hidden  # 2 responses: nothing but counts
    other = Suggestion.objects.get(agency=big)
    assert client.post(f"/en/surveys/suggestions/{other.pk}/handled/").status_code == 404
    own = Suggestion.objects.get(agency=small)
    client.post(f"/en/surveys/suggestions/{own.pk}/handled/")
    own.refresh_from_db()
    assert own.handled_at is not None and own.handled_by == staff.user
    assert client.get("/en/coordination/surveys/").status_code == 404


def test_the_results_run_the_same_queries_for_few_and_many_responses(
    client, data, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    survey, big, small = data
    client.force_login(user_set_role(user=UserFactory(), role=Role.COORDINATOR))
    client.get("/en/coordination/surveys/")  # warm the label cache
    with CaptureQueriesContext(connection) as few:
        client.get("/en/coordination/surveys/")
    _responses(survey, AgencyFactory(), IncubatorFactory(), [3] * 30, suggestion="x")
    client.get("/en/coordination/surveys/")
    with CaptureQueriesContext(connection) as many:
        client.get("/en/coordination/surveys/")
    assert len(few) == len(many)


def test_the_coordinator_previews_a_survey_from_the_admin(client, data):
    survey, _big, _small = data
    client.force_login(user_set_role(user=UserFactory(), role=Role.COORDINATOR))
    listing = client.get("/nl/admin/surveys/survey/").content.decode()
    assert f"/nl/coordination/surveys/{survey.pk}/preview/" in listing
    page = client.get(f"/nl/coordination/surveys/{survey.pk}/preview/").content.decode()
    assert "Bent u tevreden over de begeleiding?" in page
    assert "disabled" in page
    client.force_login(UserFactory())
    assert client.get(f"/nl/coordination/surveys/{survey.pk}/preview/").status_code == 404
