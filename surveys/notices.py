"""What surveys send: the invitation (after an attended booking, or to every member of an
incubator for a periodic survey) and the reminders to those who have not answered.

The periodic invitations and the reminders are found due by planners the beat runs
every minute; the invitation after a booking is recorded by the service that marks it
attended (services.invitation_after_booking)."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from common.language import de
from incubators.models import Agency, Membership
from notifications import registry
from notifications.emails import Email, absolute_url
from notifications.models import Notification
from notifications.services import notification_record
from permanences.models import Booking

from . import counters
from .models import Invitation, Survey
from .tokens import invitation_token

SURVEY_INVITATION = "survey_invitation"
SURVEY_REMINDER = "survey_reminder"


@registry.notice(
    SURVEY_INVITATION, gettext_lazy("Survey invitation"), preference="survey_invitations"
)
@registry.notice(SURVEY_REMINDER, gettext_lazy("Survey reminder"), preference="survey_invitations")
def survey_invitation(n: Notification) -> Email | None:
    """An invitation or a reminder: every open invitation of the person to that survey
    (after a booking, the one about that booking), one link each."""
    survey = n.subject
    now = timezone.now()
    if not survey.is_open(now):
        return None
    invitations = Invitation.objects.filter(
        survey=survey, user_id=n.recipient_id, answered_at__isnull=True, expires_at__gt=now
    ).select_related("agency", "incubator", "booking", "event")
    booking_id = n.context.get("booking")
    event_id = n.context.get("event")
    if event_id:
        invitations = invitations.filter(event_id=event_id)
    if booking_id:
        if not Booking.objects.filter(pk=booking_id, status=Booking.Status.ATTENDED).exists():
            return None
        invitations = invitations.filter(booking_id=booking_id)
    invitations = list(invitations.order_by("agency__order", "pk"))
    if not invitations:
        return None
    links = [
        (invitation, absolute_url("surveys:answer", token=invitation_token(invitation)))
        for invitation in invitations
    ]
    first = invitations[0]
    if first.event_id:
        from .events import event_survey_email  # surveys.events imports this module

        return event_survey_email(
            survey=survey,
            invitation=first,
            link=links[0][1],
            reminder=n.kind == SURVEY_REMINDER,
        )
    if first.booking_id:
        subject = _("How was your meeting with %(agency)s?") % {"agency": first.agency.short_name}
        lines = [
            _(
                "You met %(agency)s at %(place)s on %(day)s. "
                "Tell us how it went: it takes two minutes."
            )
            % {
                "agency": first.agency.short_name,
                "place": first.incubator.name,
                "day": date_format(timezone.localtime(first.booking.starts_at), "j F"),
            }
        ]
    else:
        subject = _("Your opinion on the agencies at %(incubator)s") % {
            "incubator": first.incubator.name
        }
        lines = [
            _("%(title)s: one short form per agency holding permanences at %(incubator)s.")
            % {"title": survey.title, "incubator": first.incubator.name}
        ]
        lines += [
            _("About %(of_agency)s: %(link)s")
            % {"of_agency": de(invitation.agency.short_name), "link": link}
            for invitation, link in links
        ]
    if survey.intro:
        lines.append(survey.intro)
    if survey.anonymous:
        lines.append(_("Your answers are anonymous."))
    lines.append(
        _("The link can be used once, until %(day)s.")
        % {"day": date_format(timezone.localtime(first.expires_at), "j F Y")}
    )
    if n.kind == SURVEY_REMINDER:
        subject = _("Reminder: %(subject)s") % {"subject": subject}
    return Email(
        subject=subject,
        lines=lines,
        action_url=links[0][1] if len(links) == 1 else "",
        action_label=_("Answer the survey"),
    )


def _record_invitation_notice(*, survey: Survey, user: User) -> None:
    notification_record(
        kind=SURVEY_INVITATION,
        recipient=user,
        key=f"{SURVEY_INVITATION}:survey:{survey.pk}:user:{user.pk}",
        subject=survey,
    )


@registry.planner
def periodic_invitations_plan(*, now: datetime.datetime) -> int:
    """For each open periodic survey: every member of its incubator (a person of a
    company with a confirmed membership today) is invited about each agency holding
    permanences there, in one email. Members who joined later are invited on a later
    tick. Returns how many invitations were made."""
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
            try:
                with transaction.atomic():
                    expires = now + datetime.timedelta(days=survey.valid_days)
                    invitations = Invitation.objects.bulk_create(
                        [
                            Invitation(
                                survey=survey,
                                user=user,
                                agency_id=agency_id,
                                incubator_id=survey.incubator_id,
                                expires_at=expires,
                            )
                            for agency_id in agencies
                        ]
                    )
                    counters.invitations_counted(invitations)
                    _record_invitation_notice(survey=survey, user=user)
            except IntegrityError:
                continue  # invited meanwhile by another run of this planner
            made += len(agencies)
    return made


@registry.planner
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
        for user_id, kind, state, sent_at in (
            Notification.objects.about(survey)
            .filter(recipient_id__in=waiting, kind__in=[SURVEY_INVITATION, SURVEY_REMINDER])
            .values_list("recipient_id", "kind", "state", "sent_at")
        ):
            sent.setdefault(user_id, []).append((kind, state, sent_at))
        gap = datetime.timedelta(days=survey.reminder_days)
        for user_id, notices in sent.items():
            if any(state != Notification.State.SENT for _kind, state, _at in notices):
                continue  # something is still on its way (or failed): wait for it
            reminders = sum(kind == SURVEY_REMINDER for kind, _s, _a in notices)
            last = max(at for _kind, _state, at in notices)
            if reminders >= survey.max_reminders or now < last + gap:
                continue
            number = reminders + 1
            recorded = notification_record(
                kind=SURVEY_REMINDER,
                recipient=User(pk=user_id),
                key=f"{SURVEY_REMINDER}:survey:{survey.pk}:user:{user_id}:{number}",
                subject=survey,
            )
            made += recorded is not None
    return made
