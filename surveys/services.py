"""Inviting people to surveys and recording their answers.

An invitation after a booking is recorded here together with the notice that carries it
(the periodic ones and the reminders are found due by the planners in notices.py); an
opted-out person gets none. A response is saved in one
transaction; the one-to-one link to its invitation makes a second response impossible.
"""

import datetime
import statistics
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from notifications.services import notification_record

from . import counters
from .models import Answer, Invitation, Question, Response, Suggestion, Survey
from .notices import SURVEY_INVITATION
from .signals import response_submitted


class AlreadyAnswered(Exception):
    pass


class LinkExpired(Exception):
    pass


def survey_for_booking(booking, *, now: datetime.datetime | None = None) -> Survey | None:
    """The open after-booking survey that fits this booking best: one naming its
    incubator and agency before one naming either, before one naming neither."""
    slot = booking.slot
    candidates = (
        Survey.objects.open(now)
        .filter(kind=Survey.Kind.AFTER_BOOKING)
        .filter(Q(incubator__isnull=True) | Q(incubator_id=slot.incubator_id))
        .filter(Q(agency__isnull=True) | Q(agency_id=slot.agency_id))
    )
    return max(
        candidates,
        key=lambda s: (s.incubator_id is not None, s.agency_id is not None, s.opens_at),
        default=None,
    )


def invitation_after_booking(*, booking, by: User | None = None) -> Invitation | None:
    """Called when a booking is marked attended, inside that transaction."""
    user = booking.user
    if not user.survey_invitations or not user.is_active:
        return None
    survey = survey_for_booking(booking)
    if survey is None or Invitation.objects.filter(booking=booking).exists():
        return None
    advisor = getattr(by, "advisor_profile", None) if by is not None else None
    if advisor is None or advisor.agency_id != booking.slot.agency_id:
        advisors = list(booking.slot.schedule.advisors.all()[:2])
        advisor = advisors[0] if len(advisors) == 1 else None
    now = timezone.now()
    invitation = Invitation.objects.create(
        survey=survey,
        user=user,
        agency_id=booking.slot.agency_id,
        incubator_id=booking.slot.incubator_id,
        advisor=advisor,
        booking=booking,
        expires_at=now + datetime.timedelta(days=survey.valid_days),
    )
    counters.invitations_counted([invitation])
    # One notice per booking: its key names the booking, not only the survey.
    notification_record(
        kind=SURVEY_INVITATION,
        recipient=user,
        key=f"{SURVEY_INVITATION}:booking:{booking.pk}:user:{user.pk}",
        subject=survey,
        context={"booking": booking.pk},
    )
    return invitation


@dataclass
class Answered:
    question: Question
    number: int | None = None
    text: str = ""
    choices: tuple = ()


def response_submit(*, invitation: Invitation, answers: list[Answered]) -> Response:
    """Save all the answers at once. Raises AlreadyAnswered or LinkExpired."""
    now = timezone.now()
    try:
        with transaction.atomic():
            locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
            if locked.answered_at is not None:
                raise AlreadyAnswered
            if locked.expires_at <= now or not invitation.survey.is_open(now):
                raise LinkExpired
            ratings = [
                a.number
                for a in answers
                if a.question.kind == Question.Kind.RATING and a.number is not None
            ]
            nps = next(
                (
                    a.number
                    for a in answers
                    if a.question.kind == Question.Kind.NPS and a.number is not None
                ),
                None,
            )
            response = Response.objects.create(
                invitation=locked,
                survey_id=locked.survey_id,
                agency_id=locked.agency_id,
                incubator_id=locked.incubator_id,
                advisor_id=locked.advisor_id,
                user=None if invitation.survey.anonymous else locked.user,
                submitted_at=now,
                satisfaction=statistics.fmean(ratings) if ratings else None,
                nps=nps,
            )
            counters.response_counted(response, ratings=ratings)
            for answered in answers:
                if answered.number is None and not answered.text and not answered.choices:
                    continue
                answer = Answer.objects.create(
                    response=response,
                    question=answered.question,
                    number=answered.number,
                    text=answered.text,
                )
                if answered.choices:
                    answer.choices.set(answered.choices)
            suggestion = "\n\n".join(
                a.text.strip()
                for a in answers
                if a.question.section.is_suggestions and a.text.strip()
            )
            if suggestion and locked.agency_id:  # an event of the hub has no agency
                Suggestion.objects.create(
                    response=response,
                    agency_id=locked.agency_id,
                    survey_id=locked.survey_id,
                    incubator_id=locked.incubator_id,
                    advisor_id=locked.advisor_id,
                    text=suggestion,
                    created_at=now,
                )
            Invitation.objects.filter(pk=locked.pk).update(answered_at=now)
            response_submitted.send(sender=Response, response=response)
    except IntegrityError as exc:  # a second response to the same invitation
        raise AlreadyAnswered from exc
    return response


def suggestion_mark_handled(*, suggestion: Suggestion, by: User, handled: bool = True) -> None:
    Suggestion.objects.filter(pk=suggestion.pk).update(
        handled_at=timezone.now() if handled else None, handled_by=by if handled else None
    )


def survey_results_rebuild() -> int:
    """Recompute the results' daily counters from the invitations, responses and answers
    (after rows were inserted in bulk, bypassing these services). Returns the number of
    counter rows."""
    return counters.rebuild()
