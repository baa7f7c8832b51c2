"""The standard survey after attended bookings, and a periodic one of ICAB's members open
for a month (beat invites them within a minute); and the answers of the demo founders to
the invitations their past meetings brought (enough per agency for the results' charts)."""

import datetime

from django.utils import timezone

from incubators.models import Incubator
from surveys.defaults import standard_survey_create
from surveys.models import Invitation, Question, Survey
from surveys.services import Answered, response_submit

# satisfaction, usefulness (1-5), recommendation (0-10), next step (choice number),
# suggestion; taken in turn, so each agency gets a spread of answers.
ANSWERS = [
    (5, 5, 10, 1, ""),
    (4, 5, 9, 2, "Des permanences aussi en fin de journée, ce serait idéal."),
    (4, 4, 8, 1, ""),
    (3, 4, 7, 3, "De wachtzaal was moeilijk te vinden in het gebouw."),
    (5, 4, 9, 2, ""),
    (2, 3, 5, 3, "The advisor had not read our booking notes beforehand."),
    (4, 5, 10, 1, ""),
    (5, 5, 9, 2, "Très clair, merci : j'ai enfin compris quelles aides combiner."),
    (3, 3, 6, 1, ""),
    (1, 2, 3, 3, "Trente minutes, c'est trop court pour un plan financier."),
    (4, 4, 9, 2, ""),
    (5, 4, 10, 1, "Graag een korte samenvatting per e-mail na het gesprek."),
]


def load_surveys() -> int:
    if Survey.objects.exists():
        return 0
    standard_survey_create(kind=Survey.Kind.AFTER_BOOKING)
    standard_survey_create(
        kind=Survey.Kind.PERIODIC,
        incubator=Incubator.objects.get(slug="icab"),
        closes_at=timezone.now() + datetime.timedelta(days=30),
    )
    return 2


def survey_answer(*, invitation: Invitation, number: int) -> None:
    """Answer every question of the invitation's survey with the `number`-th answer set."""
    satisfaction, usefulness, nps, next_step, suggestion = ANSWERS[number % len(ANSWERS)]
    ratings = iter([satisfaction, usefulness])
    answers = []
    questions = Question.objects.filter(section__survey=invitation.survey).order_by(
        "section__order", "order"
    )
    for question in questions:
        if question.kind == Question.Kind.RATING:
            answers.append(Answered(question=question, number=next(ratings, usefulness)))
        elif question.kind == Question.Kind.NPS:
            answers.append(Answered(question=question, number=nps))
        elif question.kind == Question.Kind.SINGLE:
            choice = question.choices.order_by("order")[(next_step - 1) % question.choices.count()]
            answers.append(Answered(question=question, choices=(choice,)))
        elif question.kind == Question.Kind.TEXT and question.section.is_suggestions:
            answers.append(Answered(question=question, text=suggestion))
    response_submit(invitation=invitation, answers=answers)
