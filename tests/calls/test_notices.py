import datetime

from django.utils import timezone

from calls import notices, services
from notifications.emails import build_email
from notifications.models import Notification
from tests.factories import UserFactory


def test_the_receipt_is_in_the_applicants_language_with_the_brussels_deadline(call):
    user = UserFactory(language="nl")
    services.application_save(
        call=call, user=user, project_title="AirSense", team="t", solution="s", trl=4, submit=True
    )
    email = build_email(Notification.objects.get(kind=notices.APPLICATION_SUBMITTED))
    assert "AirSense" in email.body
    assert "Brusselse tijd" in email.body
    assert f"{timezone.localtime(call.deadline):%H:%M}" in email.body


def test_the_draft_reminder_is_not_sent_once_the_draft_is_submitted(call):
    user = UserFactory(language="fr")
    application = services.application_save(call=call, user=user, project_title="AirSense")
    notices.plan_draft_reminders(now=call.deadline - datetime.timedelta(hours=1))
    reminder = Notification.objects.get(kind=notices.DRAFT_REMINDER)
    assert "brouillon" in build_email(reminder).body
    services.application_save(
        call=call,
        user=user,
        project_title=application.project_title,
        team="t",
        solution="s",
        trl=4,
        submit=True,
    )
    assert build_email(Notification.objects.get(pk=reminder.pk)) is None


def test_the_evaluator_invitation_is_in_their_language(call, manager):
    person = UserFactory(language="fr")
    services.evaluator_invite(call=call, by=manager, email=person.email)
    email = build_email(Notification.objects.get(kind=notices.EVALUATOR_INVITED))
    assert "évaluer" in email.subject
