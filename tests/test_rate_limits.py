"""Rate limits on bookings, needs, messages to agencies and survey answers, per user and
per address (common/ratelimit.py): over a limit, a 429 page in the layout and the reader's
language says when to try again."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from common.ratelimit import Rate, parse_rates
from incubators.models import CompanyJoinRequest, NeedCategory
from needs import services as need_services
from needs.models import Need, NeedMessage
from permanences.models import Booking
from surveys.defaults import standard_survey_create
from surveys.models import Invitation, Response, Survey
from surveys.tokens import invitation_token
from tests.factories import AgencyFactory, CompanyFactory, IncubatorFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def send(make_slot, category, routing_rules):
    """For each limit, how to send one more (as `user`, from `address`) and how many were
    created."""
    survey, days = [], iter(range(2, 30))

    def booking(client, user, address):
        slot = make_slot(days=next(days))  # a person cannot be at two meetings at once
        data = {"category": category.pk, "topic": "Prêt", "language": "fr"}
        data["consent_share_profile"] = "on"
        return client.post(f"/nl/permanences/slots/{slot.pk}/book/", data, REMOTE_ADDR=address)

    def need(client, user, address):
        data = {"category": category.pk, "description": "Een lening?", "urgency": "normal"}
        data["consent"] = "on"
        return client.post("/nl/me/needs/new/", data, REMOTE_ADDR=address)

    def message(client, user, address):
        need = need_services.need_create(
            user=user, category=category, description="Een lening?", consent=True
        )
        routed = need.routings.first()
        url = f"/nl/me/needs/{need.pk}/reply/{routed.pk}/"
        return client.post(url, {"body": "Nog een vraag"}, REMOTE_ADDR=address)

    def survey_answer(client, user, address):
        if not survey:
            survey.append(standard_survey_create(kind=Survey.Kind.AFTER_BOOKING))
        invitation = Invitation.objects.create(
            survey=survey[0],
            user=user,
            agency=AgencyFactory(),
            incubator=IncubatorFactory(),
            expires_at=timezone.now() + datetime.timedelta(days=7),
        )
        answers = {"rating": "4", "nps": "9"}
        data = {
            f"q{question.pk}": answers[question.kind]
            for section in survey[0].sections.all()
            for question in section.questions.all()
            if question.kind in answers
        }
        url = f"/nl/survey/{invitation_token(invitation)}/"
        return client.post(url, data, REMOTE_ADDR=address)

    def join_request(client, user, address):
        company = CompanyFactory()
        data = {"join-enterprise_number": company.enterprise_number}
        return client.post("/nl/onboarding/", data, REMOTE_ADDR=address)

    return {
        "request": (join_request, CompanyJoinRequest.objects.count),
        "booking": (booking, Booking.objects.count),
        "need": (need, lambda: Need.objects.filter(description="Een lening?").count()),
        "message": (message, NeedMessage.objects.filter(body="Nog een vraag").count),
        "survey_answer": (survey_answer, Response.objects.count),
    }


def assert_429_page(response):
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    html = response.content.decode()
    assert '<html lang="nl">' in html
    assert "<title>Te veel aanvragen · hub.eu</title>" in html
    assert 'id="nav-main"' in html and "<footer" in html
    assert "U kunt het over" in html and "opnieuw proberen" in html
    assert 'href="/nl/"' in html


@pytest.mark.parametrize("limit", ["booking", "need", "message", "request"])
def test_one_person_over_a_limit_gets_a_429_page_and_nothing_is_sent(client, settings, send, limit):
    settings.RATE_LIMITS = {limit: "2/h/user"}
    do, created = send[limit]
    user = UserFactory(language="nl")
    client.force_login(user)
    for _ in range(2):
        assert do(client, user, "192.0.2.1").status_code == 302
    response = do(client, user, "192.0.2.99")  # another address does not help
    assert_429_page(response)
    assert created() == 2

    other = UserFactory()
    client.force_login(other)
    assert do(client, other, "192.0.2.1").status_code == 302


@pytest.mark.parametrize("limit", ["booking", "need", "message", "survey_answer", "request"])
def test_one_address_over_a_limit_gets_a_429_page_whatever_the_account(
    client, settings, send, limit
):
    settings.RATE_LIMITS = {limit: "2/h/ip"}
    do, created = send[limit]
    for _ in range(2):
        user = UserFactory(language="nl")
        client.force_login(user)
        assert do(client, user, "192.0.2.1").status_code == 302
    user = UserFactory(language="nl")
    client.force_login(user)
    assert_429_page(do(client, user, "192.0.2.1"))
    assert created() == 2

    assert do(client, user, "192.0.2.2").status_code == 302
    assert created() == 3


def test_a_form_sent_back_with_its_errors_does_not_count(client, settings, make_slot):
    settings.RATE_LIMITS = {"booking": "1/h/user"}
    client.force_login(UserFactory())
    slot = make_slot(days=2)
    url = f"/en/permanences/slots/{slot.pk}/book/"
    for _ in range(3):
        assert client.post(url, {"language": "fr"}).status_code == 200
    assert client.get(url).status_code == 200
    data = {"category": NeedCategory.objects.get(slug="financing").pk, "topic": "Loan"}
    data |= {"language": "fr", "consent_share_profile": "on"}
    assert client.post(url, data).status_code == 302


def test_the_page_of_a_limit_reached_stays_readable(client, settings, send):
    """Only sends are limited: the form's page still opens."""
    settings.RATE_LIMITS = {"need": "1/h/user"}
    do, _ = send["need"]
    user = UserFactory()
    client.force_login(user)
    do(client, user, "192.0.2.1")
    assert do(client, user, "192.0.2.1").status_code == 429
    assert client.get("/nl/me/needs/new/").status_code == 200


def test_a_failing_cache_does_not_stop_bookings(client, settings, send, monkeypatch):
    settings.RATE_LIMITS = {"booking": "1/h/user"}

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "add", down)
    do, created = send["booking"]
    user = UserFactory()
    client.force_login(user)
    assert do(client, user, "192.0.2.1").status_code == 302
    assert do(client, user, "192.0.2.1").status_code == 302
    assert created() == 2


def test_rates_are_written_as_allauths():
    assert parse_rates("20/h/user, 5/10m/ip") == [Rate(20, 3600, "user"), Rate(5, 600, "ip")]
    assert parse_rates("") == []
    with pytest.raises(ValueError):
        parse_rates("20/h/key")


def test_allauths_own_limits_answer_with_the_same_page(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "1/m/ip"}
    data = {"login": "nobody@example.org", "password": "wrong"}
    client.post("/nl/accounts/login/", data)
    response = client.post("/nl/accounts/login/", data)
    assert response.status_code == 429
    html = response.content.decode()
    assert "<title>Te veel aanvragen · hub.eu</title>" in html and 'id="nav-main"' in html
    assert "U kunt het iets later opnieuw proberen." in html
