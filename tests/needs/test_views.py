import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from incubators.models import Agency, NeedCategory
from needs import services
from needs.models import RoutedNeed
from tests.factories import AdvisorFactory, UserFactory

pytestmark = pytest.mark.django_db


def _need(user=None, slug="export"):
    return services.need_create(
        user=user or UserFactory(),
        category=NeedCategory.objects.get(slug=slug),
        description="Which grant for our first trade fair abroad?",
        consent=True,
    )


@pytest.fixture
def bie_advisor(routing_rules):
    return AdvisorFactory(agency=Agency.objects.get(slug="bie"))


@pytest.fixture
def atrium_advisor(routing_rules):
    return AdvisorFactory(agency=Agency.objects.get(slug="atrium"))


def test_an_entrepreneur_declares_a_need_and_sees_where_it_went(client, routing_rules):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/en/me/needs/new/",
        {
            "category": NeedCategory.objects.get(slug="export").pk,
            "description": "Selling to Germany",
            "urgency": "normal",
            "consent": "on",
        },
        follow=True,
    )
    content = response.content.decode()
    assert "Your need was sent to BIE." in content
    assert user.needs.get().routings.get().agency.slug == "bie"


def test_the_need_form_refuses_without_consent_in_dutch(client, routing_rules):
    client.force_login(UserFactory())
    response = client.post(
        "/nl/me/needs/new/",
        {
            "category": NeedCategory.objects.get(slug="export").pk,
            "description": "x",
            "urgency": "low",
        },
    )
    assert response.status_code == 200
    assert "Zonder uw toestemming" in response.content.decode()


def test_the_inbox_lists_the_agencys_needs_with_counts(client, bie_advisor):
    for _ in range(3):
        _need()
    client.force_login(bie_advisor.user)
    content = client.get("/en/agency/needs/").content.decode()
    assert content.count("/en/agency/needs/") >= 3
    assert "Open: <strong>3</strong>" in content


def test_the_inbox_keeps_a_constant_number_of_queries(client, bie_advisor):
    _need()
    client.force_login(bie_advisor.user)

    def count():
        client.get("/en/agency/needs/")  # the filter options are cached after one visit
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/en/agency/needs/").status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for _ in range(12):
        _need(user=UserFactory())
    assert count() == few


def test_an_advisor_acknowledges_answers_and_resolves_a_need(client, bie_advisor):
    routed = _need().routings.get()
    client.force_login(bie_advisor.user)
    base = f"/en/agency/needs/{routed.pk}/"
    assert client.get(base).status_code == 200
    client.post(base + "acknowledge/", {"note": "On it"})
    client.post(base + "answer/", {"body": "Apply to the trade-fair grant."})
    client.post(base + "resolve/", {"note": ""})
    routed.refresh_from_db()
    assert routed.status == "resolved"
    assert routed.messages.get().body == "Apply to the trade-fair grant."


def test_the_entrepreneur_reads_the_answer(client, bie_advisor):
    user = UserFactory()
    routed = _need(user).routings.get()
    services.routed_need_answer(routed=routed, by=bie_advisor.user, body="Call us on Monday.")
    client.force_login(user)
    content = client.get(f"/en/me/needs/{routed.need.pk}/").content.decode()
    assert "Call us on Monday." in content
    assert "Acknowledged" in content


def test_every_url_of_another_agencys_need_is_a_404(client, bie_advisor, atrium_advisor):
    routed = _need().routings.get()
    client.force_login(atrium_advisor.user)
    assert client.get(f"/en/agency/needs/{routed.pk}/").status_code == 404
    for action in ("acknowledge", "start", "resolve", "decline", "transfer", "assign", "answer"):
        response = client.post(
            f"/en/agency/needs/{routed.pk}/{action}/", {"note": "x", "body": "x"}
        )
        assert response.status_code == 404, action
    routed.refresh_from_db()
    assert (routed.status, routed.messages.count()) == ("new", 0)
    listing = client.get("/en/agency/needs/?status=all").content.decode()
    assert f"/en/agency/needs/{routed.pk}/" not in listing


def test_a_need_without_consent_is_a_404_for_its_agency(client, bie_advisor):
    routed = _need().routings.get()
    services.need_set_consent(need=routed.need, consent=False, by=routed.need.user)
    client.force_login(bie_advisor.user)
    assert client.get(f"/en/agency/needs/{routed.pk}/").status_code == 404


def test_someone_elses_need_is_a_404_for_an_entrepreneur(client, routing_rules):
    need = _need()
    client.force_login(UserFactory())
    assert client.get(f"/en/me/needs/{need.pk}/").status_code == 404
    assert client.post(f"/en/me/needs/{need.pk}/consent/", {"consent": "0"}).status_code == 404
    routed = need.routings.get()
    assert (
        client.post(f"/en/me/needs/{need.pk}/reply/{routed.pk}/", {"body": "x"}).status_code == 404
    )
    need.refresh_from_db()
    assert need.consent


def test_entrepreneurs_cannot_open_the_inbox(client, routing_rules):
    client.force_login(UserFactory())
    assert client.get("/en/agency/needs/").status_code == 404
    assert RoutedNeed.objects.count() == 0


def test_a_booking_can_carry_a_need_to_the_permanences_agency(client, routing_rules, make_slot):
    slot = make_slot(days=2)
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        f"/en/permanences/slots/{slot.pk}/book/",
        {
            "category": NeedCategory.objects.get(slug="financing").pk,
            "topic": "A loan for our first van",
            "language": "fr",
            "consent_share_profile": "on",
            "follow_up": "on",
        },
    )
    assert response.status_code == 302
    need = user.needs.get()
    assert (need.source, need.booking.slot, need.description) == (
        "booking",
        slot,
        "A loan for our first van",
    )
    assert [r.agency for r in need.routings.all()] == [slot.agency]
