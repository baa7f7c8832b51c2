"""The standard satisfaction survey, in French, Dutch and English: the demo loads it,
and a coordinator can start from it (admin → Surveys) rather than from an empty one."""

from django.db import transaction

from .models import Choice, Question, Section, Survey


def _tr(obj, field: str, fr: str, nl: str, en: str) -> None:
    # Only the language columns: assigning `field` itself would overwrite the column of
    # whatever language is active.
    for code, text in [("fr", fr), ("nl", nl), ("en", en)]:
        setattr(obj, f"{field}_{code}", text)


def scale_questions_add(section: Section, questions: list) -> None:
    """Required scale questions (rating or NPS), in order: (kind, (fr, nl, en) text,
    (fr, nl, en) low label, (fr, nl, en) high label) each."""
    for order, (kind, text, low, high) in enumerate(questions, start=1):
        question = Question(section=section, kind=kind, order=order, required=True)
        _tr(question, "text", *text)
        _tr(question, "low_label", *low)
        _tr(question, "high_label", *high)
        question.save()


@transaction.atomic
def standard_survey_create(*, kind: str, incubator=None, **fields) -> Survey:
    survey = Survey(kind=kind, incubator=incubator, **fields)
    if kind == Survey.Kind.AFTER_BOOKING:
        _tr(survey, "title", "Votre rendez-vous", "Uw afspraak", "Your meeting")
    else:
        _tr(
            survey,
            "title",
            "Votre avis sur les agences",
            "Uw mening over de agentschappen",
            "Your opinion on the agencies",
        )
    survey.save()

    about = Section(survey=survey, order=1)
    _tr(about, "title", "Votre satisfaction", "Uw tevredenheid", "Your satisfaction")
    about.save()
    questions = [
        (
            Question.Kind.RATING,
            (
                "Êtes-vous satisfait de l'accompagnement reçu ?",
                "Bent u tevreden over de begeleiding?",
                "How satisfied are you with the support you received?",
            ),
            ("Pas du tout", "Helemaal niet", "Not at all"),
            ("Tout à fait", "Helemaal", "Completely"),
        ),
        (
            Question.Kind.RATING,
            (
                "Les conseils étaient-ils utiles pour votre projet ?",
                "Was het advies nuttig voor uw project?",
                "Was the advice useful for your project?",
            ),
            ("Pas utiles", "Niet nuttig", "Not useful"),
            ("Très utiles", "Zeer nuttig", "Very useful"),
        ),
        (
            Question.Kind.NPS,
            (
                "Recommanderiez-vous cette agence à un autre entrepreneur ?",
                "Zou u dit agentschap aanbevelen aan een andere ondernemer?",
                "Would you recommend this agency to another entrepreneur?",
            ),
            ("Certainement pas", "Zeker niet", "Certainly not"),
            ("Certainement", "Zeker wel", "Certainly"),
        ),
    ]
    scale_questions_add(about, questions)
    next_step = Question(section=about, kind=Question.Kind.SINGLE, order=4, required=False)
    _tr(
        next_step,
        "text",
        "Quelle est la suite pour vous ?",
        "Wat is de volgende stap voor u?",
        "What is the next step for you?",
    )
    next_step.save()
    for order, label in enumerate(
        [
            (
                "Un nouveau rendez-vous avec l'agence",
                "Een nieuwe afspraak met het agentschap",
                "Another meeting with the agency",
            ),
            (
                "Une demande d'aide ou de subside",
                "Een aanvraag voor steun of subsidie",
                "An application for support or a grant",
            ),
            ("Rien pour l'instant", "Voorlopig niets", "Nothing for now"),
        ],
        start=1,
    ):
        choice = Choice(question=next_step, order=order)
        _tr(choice, "label", *label)
        choice.save()

    suggestions = Section(survey=survey, order=2, is_suggestions=True)
    _tr(suggestions, "title", "Suggestions", "Suggesties", "Suggestions")
    suggestions.save()
    free = Question(section=suggestions, kind=Question.Kind.TEXT, order=1, required=False)
    _tr(
        free,
        "text",
        "Que pourrait-on améliorer ?",
        "Wat kan er beter?",
        "What could be improved?",
    )
    free.save()
    return survey
