"""What calls send: a receipt when an application is submitted, a reminder to finish a
draft before the deadline (a planner), an evaluator's invitation, and each applicant's
decision with the manager's feedback once the decisions are published."""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications import registry
from notifications.emails import Email, absolute_url, when
from notifications.models import Notification
from notifications.services import notification_row, notifications_record_many

from .models import Application, Call, Evaluator

APPLICATION_SUBMITTED = "call_application_submitted"
DRAFT_REMINDER = "call_draft_reminder"
EVALUATOR_INVITED = "call_evaluator_invited"
DECISION = "call_decision"

# Drafts are reminded once, this long before the deadline.
DRAFT_REMINDER_BEFORE = datetime.timedelta(hours=72)

registry.subject(Application, lambda: Application.objects.select_related("call"))
registry.subject(Evaluator, lambda: Evaluator.objects.select_related("call"))


@registry.notice(APPLICATION_SUBMITTED, gettext_lazy("Call application submitted"))
def application_submitted(n: Notification) -> Email | None:
    application = n.subject
    if application.status != Application.Status.SUBMITTED:
        return None
    call = application.call
    return Email(
        subject=_("%(call)s: your application is submitted") % {"call": call.title},
        lines=[
            _("We have received your application “%(project)s” to the call “%(call)s”.")
            % {"project": application.project_title, "call": call.title},
            _(
                "You can change or withdraw it until the deadline, %(deadline)s (Brussels "
                "time). You will be told of the decision by email."
            )
            % {"deadline": when(call.deadline)},
        ],
        action_url=absolute_url("calls:apply", slug=call.slug),
        action_label=_("See your application"),
    )


@registry.notice(DRAFT_REMINDER, gettext_lazy("Call draft reminder"))
def draft_reminder(n: Notification) -> Email | None:
    application = n.subject
    call = application.call
    if application.status != Application.Status.DRAFT or not call.accepts_applications():
        return None
    return Email(
        subject=_("%(call)s: your application is not submitted yet") % {"call": call.title},
        lines=[
            _("Your application “%(project)s” is still a draft.")
            % {"project": application.project_title},
            _(
                "Submit it before %(deadline)s (Brussels time): after the deadline, "
                "applications can no longer be submitted."
            )
            % {"deadline": when(call.deadline)},
        ],
        action_url=absolute_url("calls:apply", slug=call.slug),
        action_label=_("Finish your application"),
    )


@registry.notice(EVALUATOR_INVITED, gettext_lazy("Call evaluator invitation"))
def evaluator_invited(n: Notification) -> Email | None:
    evaluator = n.subject
    if evaluator.user_id is None:
        return None
    call = evaluator.call
    return Email(
        subject=_("You are invited to evaluate the call “%(call)s”") % {"call": call.title},
        lines=[
            _("You are invited to evaluate the applications to the call “%(call)s” (%(funder)s).")
            % {"call": call.title, "funder": call.funder_name},
            _(
                "You will score the applications assigned to you on the call's criteria. If "
                "you have a conflict of interest with an applicant, declare it on the "
                "application instead of scoring it."
            ),
        ],
        action_url=absolute_url("calls:evaluate"),
        action_label=_("See your evaluations"),
    )


def decision_lines(application: Application) -> list[str]:
    call = application.call
    texts = {
        Application.Decision.SELECTED: _(
            "Congratulations: your application “%(project)s” to the call “%(call)s” is selected."
        ),
        Application.Decision.WAITING_LIST: _(
            "Your application “%(project)s” to the call “%(call)s” is on the waiting list: "
            "we will tell you if a place becomes free."
        ),
        Application.Decision.NOT_SELECTED: _(
            "Thank you for applying to the call “%(call)s”. Your application “%(project)s” "
            "is not selected this time."
        ),
    }
    lines = [
        texts[application.decision] % {"project": application.project_title, "call": call.title}
    ]
    if application.feedback:
        lines += [_("The evaluators' feedback:"), application.feedback]
    return lines


@registry.notice(DECISION, gettext_lazy("Call decision"))
def decision(n: Notification) -> Email | None:
    application = n.subject
    call = application.call
    if call.decisions_published_at is None or not application.decision:
        return None
    return Email(
        subject=_("%(call)s: the decision on your application") % {"call": call.title},
        lines=decision_lines(application),
        action_url=absolute_url("calls:apply", slug=call.slug),
        action_label=_("See your application"),
    )


@registry.planner
def plan_draft_reminders(*, now: datetime.datetime) -> int:
    """Drafts of open calls whose deadline is less than DRAFT_REMINDER_BEFORE away: one
    reminder each (the key makes it once)."""
    drafts = Application.objects.filter(
        status=Application.Status.DRAFT,
        call__status=Call.Status.PUBLISHED,
        call__opens_at__lte=now,
        call__deadline__gt=now,
        call__deadline__lte=now + DRAFT_REMINDER_BEFORE,
    ).only("pk", "applicant_id")
    return notifications_record_many(
        [
            notification_row(
                kind=DRAFT_REMINDER,
                recipient_id=draft.applicant_id,
                key=f"{DRAFT_REMINDER}:application:{draft.pk}",
                subject=draft,
            )
            for draft in drafts
        ]
    )
