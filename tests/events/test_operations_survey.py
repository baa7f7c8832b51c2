"""After the event, the people checked in get the satisfaction survey (the surveys app's
one-time links); the organiser reads the results behind the anonymity threshold."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from events.checkin import registration_check_in
from events.models import Registration
from events.notices_operations import events_finished_plan
from surveys.events import event_survey_create
from surveys.models import Invitation, Question, Response
from surveys.selectors import MIN_GROUP, ResultFilters, results
from surveys.services import Answered, response_submit
from surveys.tokens import invitation_from_token, invitation_token
from tests.factories import AgencyFactory, UserFactory

Status = Registration.Status


@pytest.fixture
def survey(db):
    return event_survey_create()


@pytest.fixture
def organiser(db):
    return UserFactory()


@pytest.fixture
def past_event(make_event, organiser):
    event = make_event(starts_at=timezone.now() - datetime.timedelta(hours=4))  # ended 1 h ago
    event.organisers.add(organiser)
    return event


def register(event, user=None, **fields):
    if user is None and "guest_email" not in fields:
        user = UserFactory()
    return Registration.objects.create(
        event=event, user=user, status=fields.pop("status", Status.CONFIRMED), **fields
    )


def checked_in(event, organiser, **user_fields):
    registration = register(event, UserFactory(**user_fields))
    registration_check_in(registration=registration, by=organiser)
    return registration


def test_attendees_are_invited_once_the_event_has_ended(survey, make_event, organiser, send_all):
    event = make_event(starts_at=timezone.now() - datetime.timedelta(hours=2))  # still on
    event.organisers.add(organiser)
    came = checked_in(event, organiser, email="came@example.org", language="nl")
    register(event, UserFactory(email="missed@example.org"))
    register(event, guest_name="Guest", guest_email="guest@example.org")
    events_finished_plan(now=timezone.now())
    assert not Invitation.objects.exists()  # not over yet
    events_finished_plan(now=timezone.now() + datetime.timedelta(hours=2))
    invitation = Invitation.objects.get()
    assert (invitation.user, invitation.event, invitation.survey) == (came.user, event, survey)
    assert invitation.agency is None and invitation.incubator is None  # the hub's event
    sent = send_all()
    assert [m.to for m in sent] == [["came@example.org"]]
    assert "Hoe was" in sent[0].subject
    # The token carries the time it was signed: read it back rather than sign again.
    token = re.search(r"/survey/([^/\s]+)/", sent[0].body).group(1)
    assert invitation_from_token(token) == invitation
    cache.clear()  # as after the planner's marker expired: still once
    events_finished_plan(now=timezone.now() + datetime.timedelta(hours=3))
    assert Invitation.objects.count() == 1


def test_a_check_in_typed_in_after_the_event_invites_at_once(survey, past_event, organiser):
    registration = register(past_event)
    registration_check_in(registration=registration, by=organiser)
    assert Invitation.objects.get().user == registration.user


def test_nobody_is_invited_without_an_open_after_event_survey(past_event, organiser):
    checked_in(past_event, organiser)
    events_finished_plan(now=timezone.now())
    assert not Invitation.objects.exists()


def test_an_agency_event_invitation_names_the_agency(survey, make_event, organiser):
    agency = AgencyFactory()
    event = make_event(
        organiser_agency=agency, starts_at=timezone.now() - datetime.timedelta(hours=4)
    )
    event.organisers.add(organiser)
    checked_in(event, organiser)
    assert Invitation.objects.get().agency == agency


def _answer(invitation, rating: int, text: str) -> Response:
    answers = []
    for question in Question.objects.filter(section__survey=invitation.survey):
        if question.kind == Question.Kind.RATING:
            answers.append(Answered(question=question, number=rating))
        elif question.kind == Question.Kind.NPS:
            answers.append(Answered(question=question, number=9))
        elif question.kind == Question.Kind.TEXT:
            answers.append(Answered(question=question, text=text))
    return response_submit(invitation=invitation, answers=answers)


def test_the_link_answers_the_survey_about_the_event(client, survey, past_event, organiser):
    checked_in(past_event, organiser)
    invitation = Invitation.objects.get()
    page = client.get(f"/fr/survey/{invitation_token(invitation)}/")
    assert page.status_code == 200
    assert f"À propos de {past_event.title}" in page.content.decode()
    response = _answer(invitation, 4, "Plus de temps pour le réseautage")
    assert response.agency is None and response.user is None  # anonymous


def test_the_organiser_sees_the_results_only_from_the_threshold(
    client, survey, past_event, organiser
):
    for n in range(MIN_GROUP):
        checked_in(past_event, organiser)
    invitations = list(Invitation.objects.order_by("pk"))
    url = reverse("surveys:event_results", kwargs={"slug": past_event.slug})
    client.force_login(organiser)
    for invitation in invitations[: MIN_GROUP - 1]:
        _answer(invitation, 4, "Un secret trop reconnaissable")
    page = client.get(url).content.decode()
    assert "too few responses" in page and "Un secret" not in page
    _answer(invitations[-1], 5, "Plus de temps")
    page = client.get(url).content.decode()
    assert 'id="event-satisfaction">4.2<' in page
    assert "Un secret trop reconnaissable" in page and "Plus de temps" in page
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


def test_a_guest_who_came_gets_the_survey_in_their_language(
    client, survey, past_event, organiser, send_all
):
    guest = register(past_event, guest_name="Dirk Willems", guest_email="dirk@example.org")
    Registration.objects.filter(pk=guest.pk).update(language="nl")
    guest.refresh_from_db()
    registration_check_in(registration=guest, by=organiser)
    invitation = Invitation.objects.get()
    assert invitation.registration == guest and invitation.user is None
    sent = send_all()
    assert [m.to for m in sent] == [["dirk@example.org"]]
    assert "Hoe was" in sent[0].subject
    link = f"/nl/survey/{invitation_token(invitation)}/"
    assert link in sent[0].body
    assert client.get(link).status_code == 200
    _answer(invitation, 5, "")
    invitation.refresh_from_db()
    assert invitation.answered_at is not None
    events_finished_plan(now=timezone.now())
    assert Invitation.objects.count() == 1 and send_all() == []


def test_a_persons_data_names_the_event_of_their_survey_invitation(survey, past_event, organiser):
    from accounts.privacy import personal_data_collect

    came = checked_in(past_event, organiser)
    data = personal_data_collect(user=came.user)
    rows = data["sections"]["survey_invitations"]["data"]
    assert [row["event"] for row in rows] == [past_event.title]


def test_reminders_reach_people_with_an_account_not_guests(survey, past_event, organiser, send_all):
    from surveys.notices import survey_reminders_plan

    checked_in(past_event, organiser, email="came@example.org", language="fr")
    guest = register(past_event, guest_name="Dirk", guest_email="dirk@example.org")
    registration_check_in(registration=guest, by=organiser)
    assert len(send_all()) == 2
    later = timezone.now() + datetime.timedelta(days=survey.reminder_days, minutes=1)
    assert survey_reminders_plan(now=later) == 1
    sent = send_all()
    assert [m.to for m in sent] == [["came@example.org"]]
    assert sent[0].subject.startswith("Rappel")


def test_an_agencys_event_survey_stays_out_of_its_permanences_results_unless_chosen(
    survey, make_event, organiser
):
    agency = AgencyFactory()
    event = make_event(
        organiser_agency=agency, starts_at=timezone.now() - datetime.timedelta(hours=4)
    )
    event.organisers.add(organiser)
    for _ in range(MIN_GROUP):
        checked_in(event, organiser)
    for invitation in Invitation.objects.all():
        _answer(invitation, 2, "")
    total, _rows = results(filters=ResultFilters(agency=agency.pk), labels={})
    assert (total.invitations, total.responses) == (0, 0)
    chosen = ResultFilters(agency=agency.pk, survey=survey.pk)
    total, _rows = results(filters=chosen, labels={})
    assert (total.invitations, total.responses, total.satisfaction) == (MIN_GROUP, MIN_GROUP, 2)
