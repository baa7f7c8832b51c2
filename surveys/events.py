"""The satisfaction survey after an event: its attendees (checked in) are invited once
the last session has ended (events says so with `event_finished`; a check-in typed in
after that invites at once), with the same one-time links, reminders and anonymity
threshold as the other surveys. The organiser reads the results of their event.

Guests (registrations without an account) are invited too, through events' guest queue
(their invitation names their registration); they get no reminder.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.models import Event, Registration
from events.notices import registration_notify
from notifications import registry
from notifications.emails import Email, absolute_url
from notifications.models import Notification
from notifications.services import notification_record

from . import counters
from .defaults import _tr, scale_questions_add
from .models import Answer, Invitation, Question, Response, Section, Survey
from .notices import SURVEY_INVITATION
from .selectors import MIN_GROUP, ResultRow, _hide
from .tokens import invitation_token

SURVEY_EVENT_GUEST = "survey_event_guest"


@transaction.atomic
def event_survey_create(**fields) -> Survey:
    """The standard survey after events, in French, Dutch and English: two ratings, a
    recommendation, and what could be improved (shown to the organiser)."""
    survey = Survey(kind=Survey.Kind.AFTER_EVENT, **fields)
    _tr(
        survey,
        "title",
        "Votre avis sur l'événement",
        "Uw mening over het evenement",
        "Your opinion on the event",
    )
    survey.save()
    about = Section(survey=survey, order=1)
    _tr(about, "title", "L'événement", "Het evenement", "The event")
    about.save()
    questions = [
        (
            Question.Kind.RATING,
            (
                "Êtes-vous satisfait de l'événement ?",
                "Bent u tevreden over het evenement?",
                "How satisfied are you with the event?",
            ),
            ("Pas du tout", "Helemaal niet", "Not at all"),
            ("Tout à fait", "Helemaal", "Completely"),
        ),
        (
            Question.Kind.RATING,
            (
                "Avez-vous fait des rencontres utiles pour votre projet ?",
                "Hebt u nuttige contacten gelegd voor uw project?",
                "Did you meet people useful to your project?",
            ),
            ("Aucune", "Geen", "None"),
            ("Beaucoup", "Veel", "Many"),
        ),
        (
            Question.Kind.NPS,
            (
                "Recommanderiez-vous ce type d'événement à un autre entrepreneur ?",
                "Zou u dit soort evenement aanbevelen aan een andere ondernemer?",
                "Would you recommend this kind of event to another entrepreneur?",
            ),
            ("Certainement pas", "Zeker niet", "Certainly not"),
            ("Certainement", "Zeker wel", "Certainly"),
        ),
    ]
    scale_questions_add(about, questions)
    suggestions = Section(survey=survey, order=2, is_suggestions=True)
    _tr(suggestions, "title", "Suggestions", "Suggesties", "Suggestions")
    suggestions.save()
    free = Question(section=suggestions, kind=Question.Kind.TEXT, order=1, required=False)
    _tr(free, "text", "Que pourrait-on améliorer ?", "Wat kan er beter?", "What could be improved?")
    free.save()
    return survey


def survey_for_event(event: Event, *, now: datetime.datetime | None = None) -> Survey | None:
    """The open after-event survey that fits best: one naming the organising agency or
    incubator before one naming neither."""
    candidates = (
        Survey.objects.open(now)
        .filter(kind=Survey.Kind.AFTER_EVENT)
        .filter(Q(agency__isnull=True) | Q(agency_id=event.organiser_agency_id))
        .filter(Q(incubator__isnull=True) | Q(incubator_id=event.organiser_incubator_id))
    )
    return max(
        candidates,
        key=lambda s: (s.incubator_id is not None, s.agency_id is not None, s.opens_at),
        default=None,
    )


def _event_has_ended(event: Event, now: datetime.datetime) -> bool:
    last = event.sessions.order_by("-ends_at").values_list("ends_at", flat=True).first()
    return last is not None and last <= now


def invitations_after_event(*, event: Event, registrations=None) -> int:
    """Invite the attendees of `event` (or only `registrations`) not invited yet: checked
    in, people with an account (active, not opted out) and guests. Returns how many were
    invited."""
    now = timezone.now()
    survey = survey_for_event(event, now=now)
    if survey is None or event.status != Event.Status.PUBLISHED:
        return 0
    attendees = (
        (registrations if registrations is not None else event.registrations.all())
        .filter(checked_in_at__isnull=False, survey_invitation__isnull=True)
        .filter(Q(user__isnull=True) | Q(user__is_active=True, user__survey_invitations=True))
        .exclude(user__invitations__event=event)
        .select_related("user")
    )
    made = 0
    for registration in attendees:
        with transaction.atomic():
            invitation, created = Invitation.objects.get_or_create(
                registration=registration,
                defaults={
                    "event": event,
                    "user": registration.user,
                    "survey": survey,
                    "agency_id": event.organiser_agency_id,
                    "incubator_id": event.organiser_incubator_id,
                    "expires_at": now + datetime.timedelta(days=survey.valid_days),
                },
            )
            if not created:
                continue
            counters.invitations_counted([invitation])
            if registration.user_id is None:
                registration_notify(
                    SURVEY_EVENT_GUEST, registration, key_suffix=f":survey:{survey.pk}"
                )
            else:
                notification_record(
                    kind=SURVEY_INVITATION,
                    recipient=registration.user,
                    key=f"{SURVEY_INVITATION}:event:{event.pk}:user:{registration.user_id}",
                    subject=survey,
                    context={"event": event.pk},
                )
            made += 1
    return made


@registry.notice(SURVEY_EVENT_GUEST, gettext_lazy("Survey invitation after an event (guest)"))
def survey_event_guest(n: Notification) -> Email | None:
    """A guest's invitation: they have no account, so the notice is about their
    registration (events' guest queue sends it in the registration's language)."""
    invitation = (
        Invitation.objects.filter(registration_id=n.subject_id)
        .select_related("survey", "event")
        .first()
    )
    now = timezone.now()
    if (
        invitation is None
        or invitation.answered_at is not None
        or invitation.expires_at <= now
        or not invitation.survey.is_open(now)
    ):
        return None
    link = absolute_url("surveys:answer", token=invitation_token(invitation))
    return event_survey_email(
        survey=invitation.survey, invitation=invitation, link=link, reminder=False
    )


def invitation_after_late_checkin(*, registration: Registration) -> int:
    """A check-in recorded after the event's end (the list typed in the next day)."""
    event = registration.event
    if not _event_has_ended(event, timezone.now()):
        return 0  # invited with everyone else when it ends
    return invitations_after_event(
        event=event, registrations=Registration.objects.filter(pk=registration.pk)
    )


def event_survey_email(*, survey: Survey, invitation: Invitation, link: str, reminder: bool):
    """The invitation (or reminder) about an event (surveys.notices builds it)."""
    event = invitation.event
    if event is None:
        return None
    subject = _("How was %(event)s?") % {"event": event.title}
    if reminder:
        subject = _("Reminder: %(subject)s") % {"subject": subject}
    lines = [
        _(
            "Thank you for coming to %(event)s. Tell the organisers how it was: "
            "it takes two minutes."
        )
        % {"event": event.title}
    ]
    if survey.intro:
        lines.append(survey.intro)
    if survey.anonymous:
        lines.append(_("Your answers are anonymous."))
    lines.append(
        _("The link can be used once, until %(day)s.")
        % {"day": date_format(timezone.localtime(invitation.expires_at), "j F Y")}
    )
    return Email(subject=subject, lines=lines, action_url=link, action_label=_("Answer the survey"))


# --- Results ------------------------------------------------------------------------------


@dataclass
class EventResults:
    row: ResultRow
    texts: list[tuple[str, list[str]]] = field(default_factory=list)  # question, answers
    min_group: int = MIN_GROUP


def event_results(*, event: Event) -> EventResults:
    """The event's invitations, responses, satisfaction (1-5) and its spread, NPS, and the
    free-text answers: all but the counts hidden below MIN_GROUP responses (anonymity)."""
    row = ResultRow(key=event.pk, label=event.title)
    row.invitations = Invitation.objects.filter(event=event).count()
    responses = Response.objects.filter(invitation__event=event)
    totals = responses.aggregate(
        n=Count("pk"),
        avg=Avg("satisfaction"),
        promoters=Count("pk", filter=Q(nps__gte=9)),
        passives=Count("pk", filter=Q(nps__in=[7, 8])),
        detractors=Count("pk", filter=Q(nps__lte=6)),
    )
    row.responses = totals["n"]
    row.satisfaction = round(totals["avg"], 2) if totals["avg"] is not None else None
    row.promoters = totals["promoters"]
    row.passives = totals["passives"]
    row.detractors = totals["detractors"]
    answers = Answer.objects.filter(response__in=responses)
    for item in (
        answers.filter(question__kind=Question.Kind.RATING, number__isnull=False)
        .values("number")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        if 1 <= item["number"] <= 5:
            row.distribution[item["number"] - 1] += item["n"]
    results = EventResults(row=row)
    if row.responses < MIN_GROUP:
        _hide(row)
        return results
    texts: dict[int, tuple[str, list[str]]] = {}
    for question_id, question, text in (
        answers.filter(question__kind=Question.Kind.TEXT)
        .exclude(text="")
        .order_by("question__section__order", "question__order", "question_id", "?")
        .values_list("question_id", "question__text", "text")
    ):
        texts.setdefault(question_id, (question, []))[1].append(text)
    results.texts = list(texts.values())
    return results
