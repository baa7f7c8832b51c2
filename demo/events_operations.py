"""What happened at the demo's past networking evening (demo.events): people checked in
at the door by ICAB's manager (Pieter did not come: a no-show), and the feedback of those
who came through the survey after events, enough answers for its results to show past
the anonymity threshold (only with the demo's weeks of use: the browser tests start with
no survey answers). Called at the end of demo.events.load_events."""

import datetime

from django.utils import timezone

from accounts.models import User
from events.checkin import registration_check_in
from events.models import Event, Registration
from events.services import registration_create
from permanences.models import Slot
from surveys.events import event_survey_create
from surveys.models import Invitation, Question, Survey
from surveys.services import Answered, response_submit

from .directory import _sign_up
from .events import PAST_SLUG

MANAGER_EMAIL = "manager@demo.hub.brussels"
NO_SHOW_EMAIL = "founder.nl@demo.hub.brussels"
# Other people of the ecosystem who came (accounts, so that the survey reaches them).
ATTENDEES = [
    ("ines.moreau@demo.hub.brussels", "Inès", "Moreau", "fr"),
    ("joris.verhoeven@demo.hub.brussels", "Joris", "Verhoeven", "nl"),
    ("sara.haddad@demo.hub.brussels", "Sara", "Haddad", "fr"),
    ("tom.becker@demo.hub.brussels", "Tom", "Becker", "en"),
]
# satisfaction, useful contacts (1-5), recommendation (0-10), what could be improved
FEEDBACK = [
    (5, 4, 9, "Plus de temps pour le réseautage après les pitchs."),
    (4, 5, 10, ""),
    (4, 3, 8, "Een lijst van de aanwezige start-ups vooraf zou helpen."),
    (5, 5, 9, "Super ambiance, merci à l'ICAB !"),
    (3, 4, 7, "The room was too small for the number of people."),
    (4, 4, 8, ""),
]


def load_events_operations() -> int:
    """Check-ins and survey answers for the past evening; returns how many answers."""
    event = Event.objects.filter(slug=PAST_SLUG).first()
    if event is None or Invitation.objects.filter(event=event).exists():
        return 0
    first = event.sessions.order_by("starts_at").first()
    survey = Survey.objects.filter(kind=Survey.Kind.AFTER_EVENT).first() or event_survey_create(
        opens_at=first.starts_at - datetime.timedelta(days=30)
    )
    registered_at = first.starts_at - datetime.timedelta(days=5)
    for email, first_name, last_name, language in ATTENDEES:
        user, _new = _sign_up(email, first_name, last_name, language)
        registration_create(event_id=event.pk, user=user, now=registered_at)

    manager = User.objects.get(email=MANAGER_EMAIL)
    came = (
        event.registrations.filter(status=Registration.Status.CONFIRMED)
        .exclude(user__email=NO_SHOW_EMAIL)
        .order_by("pk")
    )
    for minutes, registration in enumerate(came, start=1):
        # Checking in after the event invites at once (the list typed in the next day);
        # then the time it was really done at the door.
        registration_check_in(registration=registration, by=manager)
        Registration.objects.filter(pk=registration.pk).update(
            checked_in_at=first.starts_at + datetime.timedelta(minutes=3 * minutes)
        )

    if not Slot.objects.filter(starts_at__lt=timezone.now()).exists():
        return 0  # the demo without its weeks of use (browser tests): no answers yet
    answered = 0
    invitations = Invitation.objects.filter(event=event, survey=survey).order_by("pk")
    for invitation, feedback in zip(invitations, FEEDBACK, strict=False):
        _answer(invitation, *feedback)
        answered += 1
    return answered


def _answer(invitation: Invitation, satisfaction: int, contacts: int, nps: int, text: str):
    ratings = iter([satisfaction, contacts])
    answers = []
    questions = Question.objects.filter(section__survey=invitation.survey).order_by(
        "section__order", "order"
    )
    for question in questions:
        if question.kind == Question.Kind.RATING:
            answers.append(Answered(question=question, number=next(ratings, contacts)))
        elif question.kind == Question.Kind.NPS:
            answers.append(Answered(question=question, number=nps))
        elif question.kind == Question.Kind.TEXT:
            answers.append(Answered(question=question, text=text))
    response_submit(invitation=invitation, answers=answers)
