"""A person with one of everything the portal can hold about them, each text carrying a
marker, so a test can look for it in an export or anywhere in the database."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from accounts.models import Role
from incubators.models import CompanyJoinRequest
from needs import services as need_services
from needs.models import Need, RoutedNeed
from permanences.models import Booking, CalendarFeed
from permanences.services import calendar_feed_renew
from surveys.defaults import standard_survey_create
from surveys.models import Answer, Invitation, Question, Response, Suggestion, Survey
from tests.factories import (
    AdvisorFactory,
    CompanyFactory,
    IncubatorFactory,
    UserFactory,
    make_member,
)


@dataclass
class Everything:
    user: object
    advisor: object
    markers: list[str] = field(default_factory=list)
    objects: dict = field(default_factory=dict)


def person_with_everything(*, make_slot, book, tag: str = "Zoe") -> Everything:
    user = UserFactory(
        email=f"{tag.lower()}.private@example.org",
        first_name=f"{tag}first",
        last_name=f"{tag}Lastname",
        language="nl",
    )
    advisor = AdvisorFactory(user__first_name=f"{tag}Advisor", user__language="en")
    incubator = IncubatorFactory()
    own_company = make_member(user, incubator)
    own_company.name = f"{tag} Solo SRL"
    own_company.save()
    shared_company = CompanyFactory(name=f"{tag} Shared SA")
    shared_company.people.add(user, UserFactory())
    CompanyJoinRequest.objects.create(user=user, company=CompanyFactory())
    calendar_feed_renew(user=user)

    coming_slot = make_slot(days=3, agency=advisor.agency, incubator=incubator, advisors=[advisor])
    coming = book(coming_slot, user, topic=f"{tag}-topic-coming")
    past_slot = make_slot(days=5, agency=advisor.agency, incubator=incubator, advisors=[advisor])
    past = book(past_slot, user, topic=f"{tag}-topic-past")
    two_days_ago = timezone.now() - datetime.timedelta(days=2)
    Booking.objects.filter(pk=past.pk).update(
        starts_at=two_days_ago,
        ends_at=two_days_ago + datetime.timedelta(minutes=30),
        status=Booking.Status.ATTENDED,
        outcome=f"{tag}-outcome",
        marked_by=advisor.user,
        marked_at=timezone.now(),
    )

    need = need_services.need_create(
        user=user,
        category=coming.category,
        description=f"{tag}-need-text",
        consent=True,
        agency=advisor.agency,
    )
    routed = RoutedNeed.objects.get(need=need, agency=advisor.agency)
    need_services.routed_need_answer(routed=routed, by=advisor.user, body=f"{tag}-agency-answer")
    need_services.need_reply(routed=routed, by=user, body=f"{tag}-my-reply")

    survey = standard_survey_create(kind=Survey.Kind.AFTER_BOOKING)
    Survey.objects.filter(pk=survey.pk).update(anonymous=False)
    invitation = Invitation.objects.create(
        survey=survey,
        user=user,
        agency=advisor.agency,
        incubator=incubator,
        advisor=advisor,
        booking=Booking.objects.get(pk=past.pk),
        expires_at=timezone.now() + datetime.timedelta(days=30),
        answered_at=timezone.now(),
    )
    response = Response.objects.create(
        invitation=invitation,
        survey=survey,
        agency=advisor.agency,
        incubator=incubator,
        advisor=advisor,
        user=user,
        satisfaction=4,
        nps=9,
    )
    rating = Question.objects.filter(section__survey=survey, kind="rating").first()
    text = Question.objects.filter(section__survey=survey, kind="text").first()
    Answer.objects.create(response=response, question=rating, number=4)
    Answer.objects.create(response=response, question=text, text=f"{tag}-survey-text")
    Suggestion.objects.create(
        response=response, agency=advisor.agency, survey=survey, text=f"{tag}-suggestion"
    )
    assert user.role == Role.ENTREPRENEUR
    return Everything(
        user=user,
        advisor=advisor,
        markers=[
            user.email,
            user.first_name,
            user.last_name,
            f"{tag} Solo SRL",
            f"{tag}-topic-coming",
            f"{tag}-topic-past",
            f"{tag}-outcome",
            f"{tag}-need-text",
            f"{tag}-agency-answer",
            f"{tag}-my-reply",
            f"{tag}-survey-text",
        ],
        objects={
            "need": Need.objects.get(pk=need.pk),
            "routed": routed,
            "coming": coming,
            "past": past,
            "survey": survey,
            "own_company": own_company,
            "shared_company": shared_company,
            "feed": CalendarFeed.objects.get(user=user),
        },
    )
