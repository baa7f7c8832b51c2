import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from notifications import sending
from notifications.models import Notification
from permanences import services as booking_services
from surveys.models import Invitation, Response, Suggestion
from surveys.tokens import invitation_from_token, invitation_token
from tests.factories import AdvisorFactory, UserFactory

pytestmark = pytest.mark.django_db


def _attended(make_slot, book, person, advisor):
    slot = make_slot(days=1, agency=advisor.agency, advisors=[advisor])
    booking = book(slot, person)
    return booking_services.booking_mark_attendance(
        booking=booking,
        attended=True,
        outcome="",
        by=advisor.user,
        now=booking.starts_at + datetime.timedelta(minutes=30),
    )


def _survey_link(text: str, language: str) -> str:
    """The survey link in `text`. Its token is signed with the second it was made in, so
    it is read back rather than compared with one made later."""
    return re.search(rf"/{language}/survey/[^/]+/", text).group(0)


def _form(invitation, **answers) -> dict:
    data = {}
    for question in (q for s in invitation.survey.sections.all() for q in s.questions.all()):
        if question.kind in answers:
            data[f"q{question.pk}"] = answers[question.kind]
    return data


def test_an_attended_booking_sends_an_invitation_whose_link_records_one_response(
    client, make_slot, book, after_booking_survey
):
    advisor = AdvisorFactory()
    person = UserFactory(language="nl")
    booking = _attended(make_slot, book, person, advisor)

    invitation = Invitation.objects.get(booking=booking)
    assert invitation.advisor == advisor
    mail.outbox.clear()
    sending.notifications_dispatch(seconds=30)
    [email] = [m for m in mail.outbox if "afspraak" in m.subject.lower()]
    assert email.to == [person.email]
    link = _survey_link(email.body, "nl")
    assert invitation_from_token(link.split("/")[3]) == invitation
    assert "List-Unsubscribe" in email.extra_headers

    page = client.get(link)
    assert page.status_code == 200
    assert "Bent u tevreden over de begeleiding?" in page.content.decode()

    # Missing required answers: said in Dutch, nothing saved.
    refused = client.post(link, {})
    assert refused.status_code == 200
    assert "Kies een waarde." in refused.content.decode()
    assert not Response.objects.exists()

    done = client.post(
        link, _form(invitation, rating="4", nps="9", text="Meer avondpermanenties"), follow=True
    )
    assert "Dank u" in done.content.decode()
    response = Response.objects.get()
    assert response.user is None  # anonymous survey
    assert (response.agency, response.advisor, response.nps) == (advisor.agency, advisor, 9)
    assert response.satisfaction == 4.0
    assert Suggestion.objects.get().text == "Meer avondpermanenties"

    again = client.get(link)
    assert "al beantwoord" in again.content.decode()
    assert client.post(link, _form(invitation, rating="1", nps="0")).status_code == 200
    assert Response.objects.count() == 1


def test_tampered_and_expired_links_get_a_clear_page(client, make_slot, book, after_booking_survey):
    advisor = AdvisorFactory()
    booking = _attended(make_slot, book, UserFactory(), advisor)
    invitation = Invitation.objects.get(booking=booking)
    token = invitation_token(invitation)

    tampered = client.get(f"/fr/survey/{token[:-2]}xx/")
    assert tampered.status_code == 404
    assert "Ce lien d'enquête n'est pas valide" in tampered.content.decode()

    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1),
        created_at=timezone.now() - datetime.timedelta(days=40),
    )
    expired = client.get(f"/fr/survey/{token}/")
    assert expired.status_code == 410
    assert "Ce lien a expiré" in expired.content.decode()


def test_an_opted_out_person_gets_no_invitation(make_slot, book, after_booking_survey):
    person = UserFactory(survey_invitations=False)
    booking = _attended(make_slot, book, person, AdvisorFactory())
    assert not Invitation.objects.filter(booking=booking).exists()


def test_reminders_stop_after_the_maximum_and_respect_the_spacing(
    make_slot, book, after_booking_survey
):
    from surveys.notices import survey_reminders_plan

    after_booking_survey.max_reminders = 2
    after_booking_survey.reminder_days = 3
    after_booking_survey.save()
    _attended(make_slot, book, UserFactory(), AdvisorFactory())
    sending.notifications_dispatch(seconds=30)
    now = timezone.now()
    assert survey_reminders_plan(now=now + datetime.timedelta(days=2)) == 0
    assert survey_reminders_plan(now=now + datetime.timedelta(days=3, minutes=1)) == 1
    sending.notifications_dispatch(seconds=30)
    Notification.objects.filter(kind="survey_reminder").update(
        sent_at=now + datetime.timedelta(days=3, minutes=1)
    )
    assert survey_reminders_plan(now=now + datetime.timedelta(days=5)) == 0
    assert survey_reminders_plan(now=now + datetime.timedelta(days=6, minutes=2)) == 1
    sending.notifications_dispatch(seconds=30)
    Notification.objects.filter(kind="survey_reminder").update(
        sent_at=now + datetime.timedelta(days=6, minutes=2)
    )
    assert survey_reminders_plan(now=now + datetime.timedelta(days=20)) == 0
    assert Notification.objects.filter(kind="survey_reminder").count() == 2


def test_my_space_lists_the_surveys_waiting_for_an_answer(
    client, make_slot, book, after_booking_survey
):
    person = UserFactory(language="en")
    booking = _attended(make_slot, book, person, AdvisorFactory())
    invitation = Invitation.objects.get(booking=booking)
    client.force_login(person)
    page = client.get("/en/me/").content.decode()
    assert "Surveys waiting for your answer" in page
    assert invitation_from_token(_survey_link(page, "en").split("/")[3]) == invitation
    Invitation.objects.filter(pk=invitation.pk).update(answered_at=timezone.now())
    assert "Surveys waiting for your answer" not in client.get("/en/me/").content.decode()


def test_a_scale_shows_its_end_labels_after_its_steps_and_describes_the_question_with_them(
    client, make_slot, book, after_booking_survey
):
    advisor = AdvisorFactory()
    booking = _attended(make_slot, book, UserFactory(language="nl"), advisor)
    invitation = Invitation.objects.get(booking=booking)
    page = client.get(f"/nl/survey/{invitation_token(invitation)}/").content.decode()
    nps = next(
        q for s in invitation.survey.sections.all() for q in s.questions.all() if q.kind == "nps"
    )
    group = page.index(f'aria-describedby="id_q{nps.pk}-ends"')
    steps = page.index('class="survey-scale-steps"', group)
    ends = page.index(f'id="id_q{nps.pk}-ends"', group)
    assert steps < page.index(f'for="id_q{nps.pk}_10"', group) < ends
    assert page.index("Zeker niet", group) > ends
    assert page.index("Zeker wel", group) > page.index("Zeker niet", group)
