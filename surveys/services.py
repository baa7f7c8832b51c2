"""Inviting people to surveys and recording their answers.

Invitations are recorded here together with the notification that carries them (the
notifications app sends it); an opted-out person gets none. A response is saved in one
transaction; the one-to-one link to its invitation makes a second response impossible.
"""

import datetime
import statistics
from dataclasses import dataclass

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from notifications.models import Notification
from notifications.services import notification_record

from .models import Answer, Invitation, Question, Response, Suggestion, Survey

TOKEN_SALT = "hub_eu.surveys.invitation"


class AlreadyAnswered(Exception):
    pass


class LinkExpired(Exception):
    pass


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps(invitation.pk, salt=TOKEN_SALT)


def invitation_from_token(token: str) -> Invitation | None:
    """The invitation a link names, or None if the link was altered."""
    try:
        pk = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return (
        Invitation.objects.select_related("survey", "agency", "incubator", "advisor__user")
        .filter(pk=pk)
        .first()
    )


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


def _record_invitation_notice(*, survey: Survey, user: User) -> None:
    notification_record(
        kind=Notification.Kind.SURVEY_INVITATION,
        recipient=user,
        key=f"{Notification.Kind.SURVEY_INVITATION}:survey:{survey.pk}:user:{user.pk}",
        survey=survey,
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
    # One notice per booking: its key names the booking, not only the survey.
    notification_record(
        kind=Notification.Kind.SURVEY_INVITATION,
        recipient=user,
        key=f"{Notification.Kind.SURVEY_INVITATION}:booking:{booking.pk}:user:{user.pk}",
        survey=survey,
        booking=booking,
    )
    return invitation


def periodic_invitations_plan(*, now: datetime.datetime) -> int:
    """For each open periodic survey: every member of its incubator (a person of a
    company with a confirmed membership today) is invited about each agency holding
    permanences there, in one email. Members who joined later are invited on a later
    tick. Returns how many invitations were made."""
    from incubators.models import Agency, Membership

    made = 0
    today = timezone.localdate(now)
    for survey in Survey.objects.open(now).filter(kind=Survey.Kind.PERIODIC):
        agencies = list(
            Agency.objects.filter(
                schedules__incubator_id=survey.incubator_id, schedules__is_active=True
            )
            .distinct()
            .values_list("pk", flat=True)
        )
        if not agencies:
            continue
        memberships = Membership.objects.current(on=today).filter(incubator_id=survey.incubator_id)
        members = (
            User.objects.filter(
                companies__memberships__in=memberships, is_active=True, survey_invitations=True
            )
            .exclude(invitations__survey=survey)
            .distinct()
        )
        for user in members:
            with transaction.atomic():
                expires = now + datetime.timedelta(days=survey.valid_days)
                Invitation.objects.bulk_create(
                    [
                        Invitation(
                            survey=survey,
                            user=user,
                            agency_id=agency_id,
                            incubator_id=survey.incubator_id,
                            expires_at=expires,
                        )
                        for agency_id in agencies
                    ],
                    ignore_conflicts=True,
                )
                _record_invitation_notice(survey=survey, user=user)
            made += len(agencies)
    return made


def survey_reminders_plan(*, now: datetime.datetime) -> int:
    """Who has not answered yet gets at most `max_reminders` reminders, at least
    `reminder_days` apart (counted from the last message sent about that survey)."""
    made = 0
    for survey in Survey.objects.open(now).filter(max_reminders__gt=0):
        waiting = set(
            Invitation.objects.filter(
                survey=survey, answered_at__isnull=True, expires_at__gt=now
            ).values_list("user_id", flat=True)
        )
        if not waiting:
            continue
        sent: dict[int, list] = {}
        for user_id, kind, state, sent_at in Notification.objects.filter(
            survey=survey,
            recipient_id__in=waiting,
            kind__in=[Notification.Kind.SURVEY_INVITATION, Notification.Kind.SURVEY_REMINDER],
        ).values_list("recipient_id", "kind", "state", "sent_at"):
            sent.setdefault(user_id, []).append((kind, state, sent_at))
        gap = datetime.timedelta(days=survey.reminder_days)
        for user_id, notices in sent.items():
            if any(state != Notification.State.SENT for _kind, state, _at in notices):
                continue  # something is still on its way (or failed): wait for it
            reminders = sum(kind == Notification.Kind.SURVEY_REMINDER for kind, _s, _a in notices)
            last = max(at for _kind, _state, at in notices)
            if reminders >= survey.max_reminders or now < last + gap:
                continue
            number = reminders + 1
            recorded = notification_record(
                kind=Notification.Kind.SURVEY_REMINDER,
                recipient=User(pk=user_id),
                key=f"{Notification.Kind.SURVEY_REMINDER}:survey:{survey.pk}"
                f":user:{user_id}:{number}",
                survey=survey,
            )
            made += recorded is not None
    return made


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
            if suggestion:
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
    except IntegrityError as exc:  # a second response to the same invitation
        raise AlreadyAnswered from exc
    return response


def suggestion_mark_handled(*, suggestion: Suggestion, by: User, handled: bool = True) -> None:
    Suggestion.objects.filter(pk=suggestion.pk).update(
        handled_at=timezone.now() if handled else None, handled_by=by if handled else None
    )
