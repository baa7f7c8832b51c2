"""The coordinator's survey results with 100 and with 20,000 responses (about 8
advisors, 10 incubators, 4 agencies, one suggestion in ten): the same number of
queries, and the latency with 20,000."""

import datetime
from collections.abc import Callable

from django.test import Client
from django.utils import timezone

from accounts.models import Role, User
from accounts.services import user_set_role
from incubators.models import Advisor, Agency
from surveys.defaults import standard_survey_create
from surveys.models import Answer, Invitation, Question, Suggestion, Survey
from surveys.models import Response as SurveyResponse
from surveys.services import survey_results_rebuild
from tools.bench.common import (
    TIMED_REQUESTS,
    Run,
    analyze,
    entrepreneurs_create,
    incubators_create,
    latency_against_blank,
    page_queries,
    queries_compare,
    session_cookie,
)

SURVEY_PATH = "/en/coordination/surveys/"
RESPONSES_SMALL = 100
RESPONSES_LARGE = 20_000


def data_create(*, agencies: list[Agency]) -> tuple[User, Callable[[int, int], None]]:
    """The coordinator, and a function adding responses number `start` to `stop`."""
    survey = standard_survey_create(kind=Survey.Kind.AFTER_BOOKING)
    numeric = list(
        Question.objects.filter(section__survey=survey, kind__in=["rating", "nps"]).order_by(
            "order"
        )
    )
    places = incubators_create(prefix="survey", count=10)
    staff = entrepreneurs_create(prefix="survey-advisor", count=8)
    advisors = Advisor.objects.bulk_create(
        Advisor(user=user, agency=agencies[n % len(agencies)]) for n, user in enumerate(staff)
    )
    (coordinator,) = entrepreneurs_create(prefix="survey-coordinator", count=1)
    user_set_role(user=coordinator, role=Role.COORDINATOR)
    people = entrepreneurs_create(prefix="respondent", count=RESPONSES_LARGE)

    def add_responses(start: int, stop: int) -> None:
        now = timezone.now()
        for batch_start in range(start, stop, 5000):
            numbers = range(batch_start, min(batch_start + 5000, stop))
            invitations = Invitation.objects.bulk_create(
                Invitation(
                    survey=survey,
                    user=people[n],
                    agency=advisors[n % len(advisors)].agency,
                    incubator=places[n % len(places)],
                    advisor=advisors[n % len(advisors)],
                    expires_at=now + datetime.timedelta(days=30),
                    answered_at=now,
                )
                for n in numbers
            )
            responses = SurveyResponse.objects.bulk_create(
                SurveyResponse(
                    invitation=invitation,
                    survey=survey,
                    agency_id=invitation.agency_id,
                    incubator_id=invitation.incubator_id,
                    advisor_id=invitation.advisor_id,
                    submitted_at=now - datetime.timedelta(minutes=n),
                    satisfaction=1 + n % 5,
                    nps=n % 11,
                )
                for n, invitation in zip(numbers, invitations, strict=True)
            )
            Answer.objects.bulk_create(
                Answer(
                    response=response,
                    question=question,
                    number=(n % 11) if question.kind == "nps" else 1 + n % 5,
                )
                for n, response in zip(numbers, responses, strict=True)
                for question in numeric
            )
            Suggestion.objects.bulk_create(
                Suggestion(
                    response=response,
                    agency_id=response.agency_id,
                    survey=survey,
                    incubator_id=response.incubator_id,
                    advisor_id=response.advisor_id,
                    text=f"Idea {n}",
                )
                for n, response in zip(numbers, responses, strict=True)
                if n % 10 == 0
            )
        # Bulk inserts bypass the services that keep the results' daily counters.
        survey_results_rebuild()

    return coordinator, add_responses


def measure(run: Run, base_url: str, *, agencies: list[Agency]) -> None:
    run.phase(f"survey results with {RESPONSES_SMALL} and {RESPONSES_LARGE:,} responses")
    coordinator, add_responses = data_create(agencies=agencies)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(coordinator)
    add_responses(0, RESPONSES_SMALL)
    small = page_queries(client, SURVEY_PATH, what="The survey results")
    add_responses(RESPONSES_SMALL, RESPONSES_LARGE)
    analyze()
    large = page_queries(client, SURVEY_PATH, what="The survey results")
    queries_compare(run, key="survey_results", small=small, large=large, what="The survey results")
    latency_against_blank(
        run,
        base_url,
        SURVEY_PATH,
        key="survey_results",
        cookie=session_cookie(coordinator),
        count=TIMED_REQUESTS // 2,
    )
